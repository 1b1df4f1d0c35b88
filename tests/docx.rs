//! Word export (`-f docx`): a zip of well-formed XML parts in Word's own styles, every string of
//! the model in reading order, hyperlinks for live links only, title, author and language in
//! the properties, and the same bytes on every build.

mod common;

use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;
use tempfile::TempDir;
use vitae::build::{self, BuildOptions};
use vitae::export::Renderer;
use vitae::export::docx::Docx;
use vitae::model::document::Document;
use vitae::model::{LoadOptions, load_file};

/// `vitae build FILE -f docx` into a temporary folder, with `env` set; the DOCX it wrote.
fn build_docx_env(file: &Path, extra: &[&str], env: &[(&str, &str)]) -> Vec<u8> {
    let out = TempDir::new().unwrap();
    let mut cmd = common::vitae();
    cmd.args(["build", file.to_str().unwrap(), "-f", "docx", "-o"])
        .arg(out.path())
        .args(extra)
        .env_remove("SOURCE_DATE_EPOCH");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let output = cmd.output().expect("vitae runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stem = file.file_stem().unwrap().to_str().unwrap();
    std::fs::read(out.path().join(format!("{stem}.docx"))).expect("DOCX written")
}

fn build_docx(file: &Path) -> Vec<u8> {
    build_docx_env(file, &[], &[])
}

/// The document the default build of `file` renders.
fn document(file: &Path) -> Document {
    let loaded = load_file(file, LoadOptions::default()).expect("loads");
    let targets = build::targets(&loaded, &BuildOptions::default()).expect("targets");
    build::document(&loaded, &targets[0]).0
}

fn resume(yaml: &str) -> (TempDir, std::path::PathBuf) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("resume.yaml");
    std::fs::write(&path, yaml).unwrap();
    (dir, path)
}

/// The XML parts of the package (pictures left out), in zip order, as text.
fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip");
    (0..archive.len())
        .filter(|i| {
            !archive
                .name_for_index(*i)
                .unwrap()
                .starts_with("word/media/")
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).expect("UTF-8 part");
            (file.name().to_string(), text)
        })
        .collect()
}

fn part<'a>(parts: &'a [(String, String)], name: &str) -> &'a str {
    &parts
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name}"))
        .1
}

/// One XML element as the checks need it.
#[derive(Debug)]
struct El {
    name: String,
    attrs: BTreeMap<String, String>,
}

/// Reads a part with quick-xml, which checks that every end tag matches its start tag; panics
/// on any error or unclosed element. Returns the elements and, per `w:p`, its text (`w:t`, and
/// `\t` for `w:tab`).
fn read_xml(xml: &str) -> (Vec<El>, Vec<String>) {
    let mut reader = Reader::from_str(xml);
    let mut elements = Vec::new();
    let mut paragraphs = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut current = String::new();
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("malformed XML at {}: {e}", reader.buffer_position()));
        let (start, empty) = match &event {
            Event::Start(s) => (Some(s.clone()), false),
            Event::Empty(s) => (Some(s.clone()), true),
            _ => (None, false),
        };
        if let Some(s) = start {
            let name = String::from_utf8(s.name().as_ref().to_vec()).unwrap();
            let attrs = s
                .attributes()
                .map(|a| {
                    let a = a.expect("well-formed attribute");
                    (
                        String::from_utf8(a.key.as_ref().to_vec()).unwrap(),
                        a.unescape_value().expect("attribute value").into_owned(),
                    )
                })
                .collect();
            if name == "w:tab" && stack.last().map(String::as_str) == Some("w:r") {
                current.push('\t');
            }
            if name == "w:p" {
                current.clear();
            }
            if !empty {
                stack.push(name.clone());
            } else if name == "w:p" {
                paragraphs.push(String::new());
            }
            elements.push(El { name, attrs });
        }
        match event {
            Event::Text(t) if stack.last().map(String::as_str) == Some("w:t") => {
                current.push_str(&t.decode().unwrap());
            }
            Event::GeneralRef(r) if stack.last().map(String::as_str) == Some("w:t") => {
                let name = r.decode().unwrap();
                let c = match &*name {
                    "lt" => "<",
                    "gt" => ">",
                    "amp" => "&",
                    "quot" => "\"",
                    "apos" => "'",
                    other => panic!("unexpected entity &{other};"),
                };
                current.push_str(c);
            }
            Event::End(e) => {
                let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                assert_eq!(stack.pop().as_deref(), Some(name.as_str()));
                if name == "w:p" {
                    paragraphs.push(std::mem::take(&mut current));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert!(stack.is_empty(), "unclosed elements: {stack:?}");
    (elements, paragraphs)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Each string of the model is found after the one before it ends.
fn assert_in_reading_order(doc: &Document, text: &str, what: &str) {
    let mut floor = 0;
    for (field, value) in doc.texts() {
        let value = collapse(&value);
        match text[floor..].find(&value) {
            Some(at) => floor += at + value.len(),
            None => panic!(
                "{what}: {field} = {value:?} is missing or out of order; the text from there: {:?}",
                &text[floor..text.len().min(floor + 300)]
            ),
        }
    }
}

/// The hyperlinks of `word/document.xml`: their targets, through its relationships.
fn hyperlinks(parts: &[(String, String)]) -> Vec<String> {
    let (rels, _) = read_xml(part(parts, "word/_rels/document.xml.rels"));
    let (doc, _) = read_xml(part(parts, "word/document.xml"));
    doc.iter()
        .filter(|e| e.name == "w:hyperlink")
        .map(|e| {
            let id = &e.attrs["r:id"];
            let rel = rels
                .iter()
                .find(|r| r.attrs.get("Id") == Some(id))
                .unwrap_or_else(|| panic!("no relationship {id}"));
            assert_eq!(rel.attrs["TargetMode"], "External");
            assert!(rel.attrs["Type"].ends_with("/hyperlink"));
            rel.attrs["Target"].clone()
        })
        .collect()
}

#[test]
fn the_package_is_well_formed_xml_in_a_fixed_order() {
    let bytes = build_docx(&common::root().join("examples/resume.yaml"));
    let parts = unzip(&bytes);
    let names: Vec<&str> = parts.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            "word/document.xml",
            "word/styles.xml",
            "word/numbering.xml",
            "word/settings.xml",
            "word/_rels/document.xml.rels",
        ]
    );
    for (name, xml) in &parts {
        assert!(
            xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\""),
            "{name}"
        );
        read_xml(xml);
    }
    // Every part but the content types is declared in them.
    let (types, _) = read_xml(part(&parts, "[Content_Types].xml"));
    for name in &names[2..8] {
        assert!(
            types
                .iter()
                .any(|e| e.attrs.get("PartName") == Some(&format!("/{name}"))),
            "{name} has no content type"
        );
    }
}

#[test]
fn word_styles_structure_the_document() {
    let parts = unzip(&build_docx(&common::root().join("examples/resume.yaml")));
    let (styles, _) = read_xml(part(&parts, "word/styles.xml"));
    let style_names: BTreeMap<String, String> = styles
        .windows(2)
        .filter(|w| w[0].name == "w:style" && w[1].name == "w:name")
        .map(|w| (w[0].attrs["w:styleId"].clone(), w[1].attrs["w:val"].clone()))
        .collect();
    for (id, name) in [
        ("Title", "Title"),
        ("Heading1", "heading 1"),
        ("Heading2", "heading 2"),
        ("ListBullet", "List Bullet"),
        ("Hyperlink", "Hyperlink"),
    ] {
        assert_eq!(style_names.get(id).map(String::as_str), Some(name), "{id}");
    }
    // Heading 2 carries a right tab stop at the right margin (A4: 11906 − 2 × 1134).
    let h2 = styles
        .iter()
        .position(|e| e.name == "w:style" && e.attrs["w:styleId"] == "Heading2")
        .unwrap();
    let tab = styles[h2..]
        .iter()
        .find(|e| e.name == "w:tab")
        .expect("a tab stop");
    assert_eq!(tab.attrs["w:val"], "right");
    assert_eq!(tab.attrs["w:pos"], "9638");
    // List Bullet is a bullet through numbering.
    let (numbering, _) = read_xml(part(&parts, "word/numbering.xml"));
    assert!(
        numbering
            .iter()
            .any(|e| e.name == "w:numFmt" && e.attrs["w:val"] == "bullet")
    );

    let doc = document(&common::root().join("examples/resume.yaml"));
    let (body, paragraphs) = read_xml(part(&parts, "word/document.xml"));
    let uses = |style: &str| {
        body.iter()
            .filter(|e| e.name == "w:pStyle" && e.attrs["w:val"] == style)
            .count()
    };
    assert_eq!(uses("Title"), 1);
    assert_eq!(uses("Heading1"), doc.sections.len());
    let entries = doc
        .sections
        .iter()
        .filter(|s| !s.kind.is_compact())
        .flat_map(|s| &s.entries)
        .filter(|e| e.title.is_some() || e.organization.is_some())
        .count();
    assert_eq!(uses("Heading2"), entries);
    let highlights: usize = doc
        .sections
        .iter()
        .flat_map(|s| &s.entries)
        .map(|e| e.highlights.len())
        .sum();
    assert!(uses("ListBullet") >= highlights && highlights > 5);
    // The headline: role, organisation, a tab, the dates.
    assert!(
        paragraphs
            .iter()
            .any(|p| p == "Staff Backend Engineer, Lantern Logistics\tSep 2022 – present"),
        "{paragraphs:#?}"
    );
    // No layout tables, text boxes or frames.
    for forbidden in [
        "w:tbl",
        "w:txbxContent",
        "w:framePr",
        "v:textbox",
        "wps:txbx",
    ] {
        assert!(body.iter().all(|e| e.name != forbidden), "{forbidden}");
    }
}

#[test]
fn every_string_of_the_model_is_in_the_docx_in_reading_order() {
    for file in ["data/resume.yaml", "examples/resume.yaml"] {
        let path = common::root().join(file);
        let parts = unzip(&build_docx(&path));
        let (_, paragraphs) = read_xml(part(&parts, "word/document.xml"));
        let doc = document(&path);
        assert!(doc.texts().len() > 40, "{file}: a real résumé");
        assert_in_reading_order(&doc, &collapse(&paragraphs.join("\n")), file);
    }
}

#[test]
fn links_are_clickable_and_only_live_ones() {
    let parts = unzip(&build_docx(&common::root().join("examples/resume.yaml")));
    let links = hyperlinks(&parts);
    for want in [
        "mailto:ada@ada-kovac.example.com",
        "https://ada-kovac.example.com",
        "https://github.example.com/adakovac",
        "https://lantern-logistics.example.com",
        "https://ada-kovac.example.com/blog",
    ] {
        assert!(
            links.iter().any(|l| l == want),
            "no link to {want}: {links:?}"
        );
    }

    let (_dir, path) = resume(
        r#"
basics:
  name: '<w:p>Eve & "co"</w:p>'
  url: 'javascript:alert(1)'
  profiles:
    - {network: X, url: 'data:text/html,<script>alert(2)</script>'}
  summary: 'See [this](javascript:alert(3)) and [that](<https://ok.example/a b>)'
work:
  - name: Corp
    position: Engineer
    url: 'vbscript:msgbox'
"#,
    );
    let parts = unzip(&build_docx(&path));
    let links = hyperlinks(&parts);
    assert_eq!(links, ["https://ok.example/a%20b"]);
    let (_, paragraphs) = read_xml(part(&parts, "word/document.xml"));
    let text = paragraphs.join("\n");
    for literal in [
        r#"<w:p>Eve & "co"</w:p>"#,
        "javascript:alert(1)",
        "data:text/html,<script>alert(2)</script>",
        "vbscript:msgbox",
        "See this and that",
    ] {
        assert!(
            text.contains(literal),
            "{literal} not shown as text: {text}"
        );
    }
}

#[test]
fn properties_name_the_title_author_and_language() {
    let (_dir, path) = resume(
        "basics:\n  name: Ada Kovač\n  label: Engineer\nmeta:\n  lastModified: '2024-05-06T07:08:09'\nsettings:\n  lang: de\n",
    );
    let bytes = build_docx(&path);
    let parts = unzip(&bytes);
    let core = part(&parts, "docProps/core.xml");
    for want in [
        "<dc:title>Ada Kovač — Résumé</dc:title>",
        "<dc:creator>Ada Kovač</dc:creator>",
        "<dc:language>de</dc:language>",
        "<dc:subject>Engineer</dc:subject>",
        r#"<dcterms:created xsi:type="dcterms:W3CDTF">2024-05-06T07:08:09Z</dcterms:created>"#,
    ] {
        assert!(core.contains(want), "{want} missing from {core}");
    }
    // The zip entries carry the same date (to the two seconds a zip can hold).
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    for i in 0..archive.len() {
        let file = archive.by_index(i).unwrap();
        let t = file.last_modified().expect("a timestamp");
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2024, 5, 6, 7, 8, 8),
            "{}",
            file.name()
        );
    }
    let (styles, _) = read_xml(part(&parts, "word/styles.xml"));
    assert!(
        styles
            .iter()
            .any(|e| e.name == "w:lang" && e.attrs["w:val"] == "de")
    );
}

#[test]
fn rebuilds_are_byte_identical() {
    for file in ["data/resume.yaml", "examples/resume.yaml"] {
        let path = common::root().join(file);
        assert_eq!(build_docx(&path), build_docx(&path), "{file}");
    }
    // Without any date the zip holds its epoch, 1980-01-01, and core.xml none.
    let (_dir, path) = resume("basics:\n  name: Ada\n");
    let bytes = build_docx(&path);
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    let t = archive.by_index(0).unwrap().last_modified().unwrap();
    assert_eq!((t.year(), t.month(), t.day()), (1980, 1, 1));
    assert!(!part(&unzip(&bytes), "docProps/core.xml").contains("dcterms:created"));
    // SOURCE_DATE_EPOCH wins, as for the PDF: 2001-09-09T01:46:40Z.
    let bytes = build_docx_env(&path, &[], &[("SOURCE_DATE_EPOCH", "1000000000")]);
    assert!(part(&unzip(&bytes), "docProps/core.xml").contains("2001-09-09T01:46:40Z"));
}

/// Several builds in one process (`vitae watch`, variants rendered in parallel) give the same
/// bytes: nothing is numbered from process-wide state.
#[test]
fn rendering_twice_in_one_process_gives_the_same_bytes() {
    let doc = document(&common::root().join("examples/resume.yaml"));
    let docx = Docx::default();
    let first = docx.render(&doc).unwrap().files;
    let second = docx.render(&doc).unwrap().files;
    assert_eq!(first, second);
}

#[test]
fn letter_paper_and_right_to_left() {
    let (_dir, path) = resume(
        "basics:\n  name: نور\nwork:\n  - name: شركة\n    position: مهندسة\n    startDate: '2021-04'\nsettings:\n  lang: ar\n  pageSize: letter\n",
    );
    let parts = unzip(&build_docx(&path));
    let (body, paragraphs) = read_xml(part(&parts, "word/document.xml"));
    let size = body.iter().find(|e| e.name == "w:pgSz").unwrap();
    assert_eq!(size.attrs["w:w"], "12240");
    assert!(body.iter().any(|e| e.name == "w:bidi"));
    assert!(paragraphs.iter().any(|p| p.starts_with("مهندسة, شركة\t")));
    assert!(paragraphs.iter().any(|p| p.contains("الخبرة العملية")));
}

/// LibreOffice, where installed, opens the file and lays it out: its PDF holds every string of
/// the model in reading order.
#[test]
fn libreoffice_opens_it_with_every_string_in_order() {
    let installed = std::process::Command::new("libreoffice")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !installed {
        eprintln!("skipped: no libreoffice on PATH (apt-get install libreoffice-writer)");
        return;
    }
    let path = common::root().join("examples/resume.yaml");
    let work = TempDir::new().unwrap();
    let docx = work.path().join("resume.docx");
    std::fs::write(&docx, build_docx(&path)).unwrap();
    let profile = work.path().join("profile");
    let output = std::process::Command::new("libreoffice")
        .arg(format!(
            "-env:UserInstallation=file://{}",
            profile.display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(work.path())
        .arg(&docx)
        .output()
        .expect("libreoffice runs");
    assert!(output.status.success(), "{output:?}");
    let pdf = std::fs::read(work.path().join("resume.pdf")).expect("LibreOffice wrote a PDF");
    let fold = |t: &str| -> String {
        t.chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_lowercase()
    };
    let text = fold(&pdf_extract::extract_text_from_mem(&pdf).expect("text extracts"));
    let mut floor = 0;
    for (field, value) in document(&path).texts() {
        let value = fold(&value);
        let found = text[floor..].find(&value);
        assert!(
            found.is_some(),
            "{field} = {value:?} missing or out of order"
        );
        floor += found.unwrap_or(0);
    }
}

/// `-f html,docx`: both in one build, named in the manifest by their extensions.
#[test]
fn html_and_docx_come_from_one_build() {
    let out = TempDir::new().unwrap();
    common::run([
        "build",
        "data/resume.yaml",
        "-f",
        "html,docx",
        "-o",
        out.path().to_str().unwrap(),
    ])
    .expect_code(0);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.path().join("manifest.json")).unwrap()).unwrap();
    let formats: Vec<&str> = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, ["html", "docx"]);
    assert!(out.path().join("resume.html").is_file());
    assert!(out.path().join("resume.docx").is_file());
    let r = common::run(["build", "data/resume.yaml", "-f", "doc"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("html or docx"), "{}", r.stderr);
}

/// A photo file is in the package, floating beside the name; it holds no text.
#[test]
fn a_photo_floats_beside_the_name() {
    let dir = TempDir::new().unwrap();
    let png = std::fs::read(common::root().join("examples/photo.png")).unwrap();
    std::fs::write(dir.path().join("me.png"), &png).unwrap();
    let path = dir.path().join("resume.yaml");
    std::fs::write(&path, "basics:\n  name: Ada\n  image: me.png\n").unwrap();
    let bytes = build_docx(&path);
    let mut archive = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    let mut media = Vec::new();
    archive
        .by_name("word/media/photo.png")
        .expect("the photo is in the package")
        .read_to_end(&mut media)
        .unwrap();
    assert_eq!(media, png);
    let parts = unzip(&bytes);
    let (types, _) = read_xml(part(&parts, "[Content_Types].xml"));
    assert!(types.iter().any(|e| e.name == "Default"
        && e.attrs.get("Extension").map(String::as_str) == Some("png")
        && e.attrs["ContentType"] == "image/png"));
    let (rels, _) = read_xml(part(&parts, "word/_rels/document.xml.rels"));
    let (body, paragraphs) = read_xml(part(&parts, "word/document.xml"));
    let blip = body.iter().find(|e| e.name == "a:blip").expect("a picture");
    let rel = rels
        .iter()
        .find(|r| r.attrs.get("Id") == Some(&blip.attrs["r:embed"]))
        .expect("its relationship");
    assert_eq!(rel.attrs["Target"], "media/photo.png");
    assert!(rel.attrs["Type"].ends_with("/image"));
    let doc_pr = body.iter().find(|e| e.name == "wp:docPr").unwrap();
    assert_eq!(doc_pr.attrs["descr"], "Ada");
    // 96 × 96 pixels: a square, 2.5 cm a side.
    let extent = body.iter().find(|e| e.name == "wp:extent").unwrap();
    assert_eq!(
        (extent.attrs["cx"].as_str(), extent.attrs["cy"].as_str()),
        ("900000", "900000")
    );
    // The name is still the title's only text, and no link points at the file.
    assert_eq!(paragraphs[0], "Ada");
    assert!(hyperlinks(&parts).is_empty());
}
