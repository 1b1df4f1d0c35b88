//! `vitae schema`: the JSON Schema of the format accepts every valid résumé and rejects the
//! documents whose types are wrong.

mod common;

use common::{files_in, root, run};
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

fn schema_text() -> String {
    let r = run(["schema"]).expect_code(0);
    assert_eq!(r.stderr, "");
    r.stdout
}

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(&schema_text()).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema is a valid JSON Schema")
}

/// A résumé file as JSON, the way an editor's schema validation reads it.
fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).unwrap()
    } else {
        serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }
}

fn errors(validator: &jsonschema::Validator, path: &Path) -> Vec<String> {
    let instance = read(path);
    validator
        .iter_errors(&instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn schema_is_a_2020_12_schema_of_the_format() {
    let schema: Value = serde_json::from_str(&schema_text()).unwrap();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["type"], "object");
    let properties = schema["properties"].as_object().unwrap();
    for key in [
        "basics", "work", "projects", "custom", "settings", "variants", "meta", "$schema",
    ] {
        assert!(properties.contains_key(key), "no property {key}");
    }
    jsonschema::meta::validate(&schema).expect("valid against its meta-schema");
}

#[test]
fn every_valid_resume_is_valid_against_the_schema() {
    let validator = validator();
    let mut files = vec![
        root().join("data/resume.yaml"),
        root().join("examples/resume.yaml"),
        root().join("data/starter.yaml"),
    ];
    files.extend(
        files_in(&root().join("tests/fixtures"))
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json")),
    );
    assert!(files.len() >= 10, "{files:?}");
    for file in &files {
        // Each of them is also accepted by vitae itself.
        let relative = file.strip_prefix(root()).unwrap().to_str().unwrap();
        run(["check", relative]).expect_code(0);
        let problems = errors(&validator, file);
        assert!(
            problems.is_empty(),
            "{relative} is invalid against the schema: {problems:#?}"
        );
    }
}

#[test]
fn type_errors_are_invalid_against_the_schema() {
    let validator = validator();
    for (name, at) in [
        ("wrong-type.yaml", "/work/0/highlights"),
        ("bad-date-format.yaml", "/work/0/startDate"),
        ("top-level-list.yaml", ""),
        ("bad-highlight.yaml", "/work/0/highlights/1"),
    ] {
        let problems = errors(&validator, &root().join("tests/fixtures/bad").join(name));
        assert!(!problems.is_empty(), "{name} is valid against the schema");
        assert!(
            problems.iter().any(|p| p.starts_with(&format!("{at}: "))),
            "{name}: {problems:#?}"
        );
    }
}

#[test]
fn schema_output_file_matches_stdout() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("sub/vitae.schema.json");
    let r = run(["schema", "-o", file.to_str().unwrap()]).expect_code(0);
    assert_eq!(r.stderr, "");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), schema_text());
    assert!(schema_text().ends_with("}\n"));
}

/// The format lets any text field be a map of translations, and the schema says a highlight may
/// be such a map; the parser must accept what the schema accepts.
#[test]
fn translated_highlight_is_accepted_like_the_schema_says() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("resume.yaml");
    let yaml = "basics:\n  name: Jana\nwork:\n  - name: X\n    highlights:\n      - {en: Shipped it, de: Geliefert}\n";
    std::fs::write(&file, yaml).unwrap();
    assert!(
        errors(&validator(), &file).is_empty(),
        "the schema accepts it"
    );
    let r = run(["check", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}
