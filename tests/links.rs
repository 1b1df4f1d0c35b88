//! One link policy for every field: a résumé generated from the JSON Schema itself, with
//! `javascript:` markup in every string field the schema has (fields added later included),
//! built into every format; no output may hold a live dangerous link.

mod common;
#[path = "common/schema.rs"]
mod schema;

use common::links::{attributes, is_dangerous, markdown_links, pdf_uris};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// What each generated string field holds: a dangerous URL (for URL fields) that goes on with
/// Markdown link syntax (for text fields), marked with the field's number so a leak names its
/// field.
fn payload(n: usize) -> String {
    format!(
        "javascript:alert({n})//[{}](javascript:alert({n}))",
        schema::mark(n)
    )
}

/// Every URL the layout contract marks as a link: link spans and live URL fields.
fn contract_links(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(link) = map
                .get("link")
                .and_then(|l| l.get("url"))
                .and_then(Value::as_str)
            {
                out.push(link.to_string());
            }
            if map.get("live") == Some(&Value::Bool(true))
                && let Some(url) = map.get("url").and_then(Value::as_str)
            {
                out.push(url.to_string());
            }
            for v in map.values() {
                contract_links(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| contract_links(v, out)),
        _ => {}
    }
}

fn docx_targets(docx: &[u8]) -> Vec<String> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a zip");
    let mut targets = Vec::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).expect("entry");
        if !file.name().ends_with(".rels") {
            continue;
        }
        let mut xml = String::new();
        file.read_to_string(&mut xml).expect("rels");
        targets.extend(attributes(&xml, "Target"));
    }
    targets
}

#[track_caller]
fn assert_safe(format: &str, links: &[String]) {
    let bad: Vec<&String> = links.iter().filter(|l| is_dangerous(l)).collect();
    assert!(
        bad.is_empty(),
        "{format} holds live dangerous links: {bad:?}"
    );
}

#[test]
fn no_field_of_the_schema_reaches_any_format_as_a_live_dangerous_link() {
    let dir = tempfile::tempdir().expect("temp dir");
    let schema::Generated {
        resume,
        kept,
        dropped,
        ..
    } = schema::resume_with(dir.path(), &payload);
    // The schema has well over a hundred string fields; most are free text that must survive
    // validation and so be carried to every exporter.
    assert!(
        kept.len() >= 100,
        "only {} fields carry the payload: {kept:?}\ndropped: {dropped:?}",
        kept.len()
    );
    for field in ["education[0].area", "education[0].studyType", "basics.name"] {
        assert!(kept.iter().any(|k| k == field), "{field} not generated");
    }

    let stderr = schema::build(dir.path(), "pdf,png,md,txt,json,html,docx,jsonresume");
    for field in ["education[0].area", "education[0].studyType"] {
        assert!(
            stderr.contains(&format!("{field} links to \"javascript:alert(")),
            "no warning for {field}:\n{stderr}"
        );
    }

    let read = |name: &str| std::fs::read(dir.path().join("out").join(name)).expect(name);
    let pdf = read("resume.pdf");
    let uris = pdf_uris(&pdf);
    assert_safe("the PDF", &uris);
    assert!(
        uris.iter().any(|u| u.starts_with("mailto:")),
        "the PDF kept no link at all: {uris:?}"
    );

    let html = String::from_utf8(read("resume.html")).expect("UTF-8");
    let mut html_links = attributes(&html, "href");
    html_links.extend(attributes(&html, "src"));
    assert_safe("the HTML", &html_links);

    let md = String::from_utf8(read("resume.md")).expect("UTF-8");
    assert_safe("the Markdown", &markdown_links(&md));

    assert_safe("the DOCX", &docx_targets(&read("resume.docx")));

    let contract: Value = serde_json::from_slice(&read("resume.json")).expect("JSON");
    let mut links = Vec::new();
    contract_links(&contract, &mut links);
    assert_safe("the layout JSON", &links);
    assert!(
        serde_json::to_string(&contract)
            .expect("JSON")
            .contains("javascript:alert("),
        "the payload's text should still be shown"
    );

    // The live preview's SVG is drawn from the same laid-out document as the PNG.
    let svg = preview_svg(dir.path(), &resume);
    assert_safe("the preview SVG", &attributes(&svg, "href"));
}

/// The preview's SVG pages of the résumé, from the library as `vitae watch --serve` makes them.
fn preview_svg(dir: &Path, resume: &Value) -> String {
    use vitae::export::pdf::{Density, Engine, Style};
    let path = dir.join("resume.json");
    std::fs::write(&path, serde_json::to_string_pretty(resume).expect("JSON")).expect("write");
    let loaded = vitae::model::load::load_file(&path, Default::default()).expect("loads");
    let target = vitae::build::targets(&loaded, &Default::default())
        .expect("targets")
        .remove(0);
    let (doc, _) = vitae::build::document(&loaded, &target);
    let engine = Engine::new(&[]).expect("engine");
    let layout = engine.layout("classic", None).expect("layout");
    let compiled = engine
        .compile(&layout, &doc, &Style::default(), Density::default(), None)
        .expect("lays out");
    engine.svg(&compiled).concat()
}

/// The generator must not be a no-op: the schema's string fields it finds are the ones the
/// test claims to cover.
#[test]
fn the_generator_finds_every_string_field_of_the_schema() {
    let (_, fields) = schema::generate(&payload);
    let mut by_section: BTreeMap<String, usize> = BTreeMap::new();
    for f in &fields {
        let top = f.split(['.', '[']).next().unwrap_or("").to_string();
        *by_section.entry(top).or_default() += 1;
    }
    for section in [
        "basics",
        "work",
        "volunteer",
        "education",
        "awards",
        "certificates",
        "publications",
        "skills",
        "languages",
        "interests",
        "references",
        "projects",
    ] {
        assert!(
            by_section.get(section).is_some_and(|n| *n >= 1),
            "no string field found under {section}: {by_section:?}"
        );
    }
}
