//! The data contract of layouts: what `/resume.json` holds and `vitae build -f json` writes
//! (`src/export/contract.rs`, `layouts/README.md`). It is versioned, camelCase and free of
//! internal fields, it carries every string the document shows, and its shape for the bundled
//! example is pinned by a snapshot: a change to that snapshot is a change every user layout sees.

mod common;

use common::run;
use serde_json::Value;
use std::collections::BTreeSet;
use tempfile::TempDir;
use vitae::build::{self, BuildOptions};
use vitae::export::contract::{VERSION, contract};
use vitae::model::document::Document;
use vitae::model::{LoadOptions, load_file};

/// Keys that are internal to vitae and must never reach a layout.
const FORBIDDEN: [&str; 2] = ["source", "tags"];

/// What `vitae build FILE -f json` wrote, as text.
fn json_export(file: &str) -> String {
    let tmp = TempDir::new().unwrap();
    let out = tmp.path().to_str().unwrap();
    let r = run(["build", file, "-f", "json", "-o", out]).expect_code(0);
    assert_eq!(r.stderr, "", "{file}");
    let stem = std::path::Path::new(file).file_stem().unwrap();
    let name = format!("{}.json", stem.to_str().unwrap());
    std::fs::read_to_string(tmp.path().join(name)).expect("the JSON file is written")
}

/// The document a default build of `file` renders, through the library's build pipeline.
fn document(file: &str) -> Document {
    let loaded = load_file(&common::root().join(file), LoadOptions::default()).expect("loads");
    let targets = build::targets(&loaded, &BuildOptions::default()).expect("targets");
    assert_eq!(targets.len(), 1, "{file}: one default target");
    build::document(&loaded, &targets[0]).0
}

/// Every object key anywhere in `value`, with the path to it.
fn keys(value: &Value, path: &str, out: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                out.push((path.to_string(), k.clone()));
                keys(v, &format!("{path}.{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                keys(v, &format!("{path}[{i}]"), out);
            }
        }
        _ => {}
    }
}

/// A key is camelCase: starts lower-case, ASCII letters and digits only (no `_`, no `-`).
fn is_camel_case(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.chars().all(|c| c.is_ascii_alphanumeric())
}

/// The three promises of the contract, checked on a whole export.
fn assert_contract(file: &str, json: &Value) {
    assert_eq!(json["version"], 1, "{file}: no \"version\": 1");
    assert_eq!(json["version"], VERSION, "{file}");
    let mut all = Vec::new();
    keys(json, "", &mut all);
    assert!(all.len() > 20, "{file}: {all:?}");
    for (path, key) in &all {
        assert!(
            !FORBIDDEN.contains(&key.as_str()),
            "{file}: internal key \"{key}\" at {path}"
        );
        assert!(
            is_camel_case(key),
            "{file}: key \"{key}\" at {path} is not camelCase"
        );
    }
    // Highlights are inline text, the same shape as a list item of a summary.
    for section in json["sections"].as_array().unwrap() {
        for entry in section["entries"].as_array().unwrap() {
            for h in entry["highlights"].as_array().unwrap() {
                assert!(is_inline(h), "{file}: a highlight is not inline text: {h}");
            }
        }
    }
}

/// An inline tree: a list of spans, each an object with one of the span keys.
fn is_inline(value: &Value) -> bool {
    value.as_array().is_some_and(|spans| {
        !spans.is_empty()
            && spans.iter().all(|s| {
                s.as_object().is_some_and(|o| {
                    o.len() == 1
                        && ["text", "strong", "emph", "code", "link"]
                            .iter()
                            .any(|k| o.contains_key(*k))
                })
            })
    })
}

/// The plain text of an inline tree, as `Inline::plain` computes it.
fn plain(value: &Value) -> String {
    let mut out = String::new();
    for span in value.as_array().unwrap() {
        let (key, inner) = span.as_object().unwrap().iter().next().unwrap();
        match key.as_str() {
            "text" | "code" => out.push_str(inner.as_str().unwrap()),
            "strong" | "emph" => out.push_str(&plain(inner)),
            "link" => out.push_str(&plain(&inner["body"])),
            other => panic!("unknown span {other}"),
        }
    }
    out
}

/// Every string a layout could print from `value`: plain strings, and inline trees as their
/// plain text.
fn strings(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::String(s) => {
            out.insert(s.clone());
        }
        v if is_inline(v) => {
            out.insert(plain(v));
        }
        Value::Array(items) => items.iter().for_each(|v| strings(v, out)),
        Value::Object(map) => map.values().for_each(|v| strings(v, out)),
        _ => {}
    }
}

#[test]
fn the_example_contract_is_pinned() {
    let text = json_export("examples/resume.yaml");
    assert!(text.ends_with("}\n"), "pretty JSON with a trailing newline");
    let json: Value = serde_json::from_str(&text).expect("the JSON export parses");
    assert_contract("examples/resume.yaml", &json);
    let mut top: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    top.sort_unstable();
    assert_eq!(top, ["basics", "lang", "meta", "sections", "version"]);
    // The version comes first, where a reader of the file sees it.
    assert!(
        text.starts_with("{\n  \"version\": 1,\n"),
        "{}",
        &text[..40]
    );
    insta::assert_snapshot!("example_resume_json", text);
}

#[test]
fn every_export_keeps_the_contract_and_every_string_it_shows() {
    for file in [
        "examples/resume.yaml",
        "data/resume.yaml",
        "tests/fixtures/jsonresume-full.json",
    ] {
        let json: Value = serde_json::from_str(&json_export(file)).expect("parses");
        assert_contract(file, &json);

        // The export is the contract of the document the build renders …
        let doc = document(file);
        assert_eq!(
            json,
            serde_json::to_value(contract(&doc)).unwrap(),
            "{file}: the export is not the contract of the built document"
        );
        // … and the contract loses nothing the document shows.
        let mut shown = BTreeSet::new();
        strings(&json, &mut shown);
        for (path, text) in doc.texts() {
            assert!(
                shown.contains(&text),
                "{file}: {path} ({text:?}) is not in the contract"
            );
        }
    }
}

/// The keys that were renamed from the internal model's snake_case, and the fields the
/// contract leaves out, on a résumé that has all of them.
#[test]
fn renamed_and_internal_fields() {
    let json: Value =
        serde_json::from_str(&json_export("tests/fixtures/jsonresume-full.json")).expect("parses");
    let location = json["basics"]["location"].as_object().unwrap();
    let mut location_keys: Vec<&str> = location.keys().map(String::as_str).collect();
    location_keys.sort_unstable();
    assert_eq!(
        location_keys,
        [
            "address",
            "city",
            "countryCode",
            "postalCode",
            "region",
            "text"
        ]
    );
    assert!(json["basics"]["location"]["postalCode"].is_string());
    assert!(json["basics"]["location"]["countryCode"].is_string());
    assert!(json["meta"]["lastModified"].is_string());
    let entry = json["sections"][0]["entries"][0].as_object().unwrap();
    let mut entry_keys: Vec<&str> = entry.keys().map(String::as_str).collect();
    entry_keys.sort_unstable();
    assert_eq!(
        entry_keys,
        [
            "continues",
            "dates",
            "description",
            "facts",
            "highlights",
            "keywords",
            "level",
            "location",
            "organization",
            "summary",
            "title",
            "url"
        ]
    );
}

/// Tags used for tailoring exist in the source but never reach the export.
#[test]
fn tags_never_reach_the_export() {
    let doc = document("tests/fixtures/tags.yaml");
    assert!(
        doc.sections
            .iter()
            .flat_map(|s| &s.entries)
            .any(|e| !e.tags.is_empty() || e.highlights.iter().any(|h| !h.tags.is_empty())),
        "the fixture has tags to leave out"
    );
    let json: Value = serde_json::from_str(&json_export("tests/fixtures/tags.yaml")).unwrap();
    assert_contract("tests/fixtures/tags.yaml", &json);
}
