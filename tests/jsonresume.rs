//! JSON Resume export (`-f jsonresume`, `<stem>.resume.json`): valid against the official JSON
//! Resume schema (vendored in `tests/vendor/`, 1.2.1) and against a strict copy of it that
//! allows no key outside JSON Resume 1.0; a round trip of a file using every JSON Resume field;
//! vitae's extensions folded in or dropped with the warnings that say so; byte-identical
//! rebuilds.

mod common;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

const SOURCES: [&str; 3] = [
    "data/resume.yaml",
    "examples/resume.yaml",
    "tests/fixtures/jsonresume-full.json",
];

/// `vitae build FILE -f jsonresume` (plus `extra`) into `out`; the command's run.
fn build_into(file: &Path, out: &Path, extra: &[&str]) -> common::Run {
    let mut args = vec![
        "build".to_string(),
        file.display().to_string(),
        "-f".into(),
        "jsonresume".into(),
        "-o".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|a| a.to_string()));
    common::run(&args).expect_code(0)
}

/// The export of `file` (relative to the crate root or absolute), its text and the run.
fn export(file: &Path, extra: &[&str]) -> (String, common::Run) {
    let out = TempDir::new().unwrap();
    let run = build_into(file, out.path(), extra);
    let stem = file.file_stem().unwrap().to_str().unwrap();
    let text = std::fs::read_to_string(out.path().join(format!("{stem}.resume.json")))
        .expect("<stem>.resume.json written");
    (text, run)
}

fn vendored_schema() -> Value {
    let text = std::fs::read_to_string(common::root().join("tests/vendor/jsonresume-schema.json"))
        .expect("the vendored schema");
    serde_json::from_str(&text).expect("the vendored schema is JSON")
}

/// The official schema with `additionalProperties: false` on every object that has
/// `properties`; the number of objects changed.
fn strict(schema: &Value) -> (Value, usize) {
    fn walk(v: &mut Value, n: &mut usize) {
        match v {
            Value::Object(map) => {
                if map.contains_key("properties") {
                    map.insert("additionalProperties".into(), Value::Bool(false));
                    *n += 1;
                }
                for child in map.values_mut() {
                    walk(child, n);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, n)),
            _ => {}
        }
    }
    let mut copy = schema.clone();
    let mut n = 0;
    walk(&mut copy, &mut n);
    (copy, n)
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft7::options()
        .should_validate_formats(true)
        .build(schema)
        .expect("a valid draft-07 schema")
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

/// Every string value in `v`, at any depth.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| strings(i, out)),
        _ => {}
    }
}

#[test]
fn the_strict_copy_closes_every_object_of_the_schema() {
    let official = vendored_schema();
    assert_eq!(
        official["$schema"],
        "http://json-schema.org/draft-07/schema#"
    );
    let (strict, closed) = strict(&official);
    // The root, basics, location, profiles' items, meta and the items of the 11 arrays.
    assert_eq!(closed, 16);
    // An extension key passes the official schema (it allows additional properties) and fails
    // the strict copy, at the place it is written; so does a key at the top.
    let extended = json!({
        "basics": {"name": "Ada", "availability": "Open"},
        "work": [{"name": "Lantern", "tags": ["go"]}],
        "custom": {}
    });
    assert_eq!(
        errors(&validator(&official), &extended),
        Vec::<String>::new()
    );
    let mut found = errors(&validator(&strict), &extended);
    found.sort();
    assert_eq!(
        found,
        [
            "/basics: Additional properties are not allowed ('availability' was unexpected)",
            "/work/0: Additional properties are not allowed ('tags' was unexpected)",
            ": Additional properties are not allowed ('custom' was unexpected)",
        ]
    );
    // Formats are checked: a relative URL and a malformed date are refused.
    let bad = json!({"basics": {"url": "portfolio.html"}, "work": [{"startDate": "2019-3"}]});
    assert_eq!(errors(&validator(&official), &bad).len(), 2);
}

#[test]
fn exports_are_valid_json_resume_1_0() {
    let official = validator(&vendored_schema());
    let (strict_schema, _) = strict(&vendored_schema());
    let strict = validator(&strict_schema);
    for source in SOURCES {
        let (text, _) = export(Path::new(source), &[]);
        let value: Value = serde_json::from_str(&text).expect("the export is JSON");
        assert_eq!(errors(&official, &value), Vec::<String>::new(), "{source}");
        assert_eq!(errors(&strict, &value), Vec::<String>::new(), "{source}");
        assert!(
            value["basics"]["name"]
                .as_str()
                .is_some_and(|n| !n.is_empty())
        );
        assert!(
            value["work"].as_array().is_some_and(|w| !w.is_empty()),
            "{source}"
        );
    }
}

#[test]
fn the_file_is_stem_resume_json_beside_the_json_contract() {
    let out = TempDir::new().unwrap();
    build_into(
        Path::new("tests/fixtures/jsonresume-full.json"),
        out.path(),
        &["-f", "json,jsonresume"],
    );
    let names: Vec<String> = common::files_in(out.path())
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        [
            ".vitae.lock",
            "jsonresume-full.json",
            "jsonresume-full.resume.json",
            "manifest.json"
        ]
    );
    let manifest = std::fs::read_to_string(out.path().join("manifest.json")).unwrap();
    assert!(
        manifest.contains("\"format\": \"jsonresume\""),
        "{manifest}"
    );
}

#[test]
fn a_full_json_resume_survives_the_round_trip() {
    let source = common::root().join("tests/fixtures/jsonresume-full.json");
    let original: Value = serde_json::from_str(&std::fs::read_to_string(&source).unwrap()).unwrap();
    let (text, run) = export(&source, &[]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let exported: Value = serde_json::from_str(&text).unwrap();
    // Exactly the original, with the schema it follows named.
    let mut expected = original.clone();
    expected.as_object_mut().unwrap().insert(
        "$schema".into(),
        "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json".into(),
    );
    assert_eq!(exported, expected);
    let mut theirs = Vec::new();
    strings(&original, &mut theirs);
    let mut ours = Vec::new();
    strings(&exported, &mut ours);
    assert!(theirs.len() > 60, "the fixture has every field");
    for s in &theirs {
        assert!(ours.contains(s), "{s:?} is missing from the export");
    }
    // The export, loaded by vitae, builds with no warning and exports to the same bytes.
    let dir = TempDir::new().unwrap();
    let again = dir.path().join("again.json");
    std::fs::write(&again, &text).unwrap();
    let out = dir.path().join("out");
    let run = build_into(
        &again,
        &out,
        &["-f", "md,txt,jsonresume", "--deny-warnings"],
    );
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    assert_eq!(
        std::fs::read_to_string(out.join("again.resume.json")).unwrap(),
        text
    );
}

#[test]
fn rebuilds_are_byte_identical() {
    for source in SOURCES {
        let (first, _) = export(Path::new(source), &[]);
        let (second, _) = export(Path::new(source), &[]);
        assert_eq!(first, second, "{source}");
    }
}

/// A résumé written into a temporary folder.
fn resume(yaml: &str) -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("cv.yaml");
    std::fs::write(&path, yaml).unwrap();
    std::fs::copy(
        common::root().join("examples/photo.png"),
        dir.path().join("photo.png"),
    )
    .unwrap();
    (dir, path)
}

const EXTENDED: &str = r#"
basics:
  name: {en: Ada Kovač, de: Ada Kovač}
  label: {en: "**Senior** Engineer", de: Senior-Entwicklerin}
  image: photo.png
  email: not an address
  url: portfolio.html
  availability: Open to offers
  summary: |
    I build *reliable* systems.

    - Go
    - Rust
work:
  - name: Lantern
    position: Staff Engineer
    startDate: "2022-09"
    tags: [go]
    highlights:
      - Cut p99 by **40%**
      - {text: Led a team of 6, tags: [lead]}
  - name: Old Co
    position: Intern
    startDate: "2010"
    endDate: "2011-02"
    tags: [old]
education:
  - institution: Zagreb University
    studyType: MSc
    area: Computer Science
    score: "5.0"
    courses: [Logic, Compilers]
  - institution: Gymnasium
    area: Sciences
projects:
  - name: Ledger
    roles: [Author, Maintainer]
    type: application
    entity: Lantern
custom:
  talks:
    title: {en: Talks, de: Vorträge}
    entries:
      - title: Backpressure
        subtitle: GopherCon EU
        location: Berlin
        date: "2023-06"
        summary: A talk on **queues**.
        highlights: [Top five talk]
        keywords: [Go]
        url: https://example.com/talk
  mentoring:
    title: Mentoring
    entries:
      - title: Code club
        startDate: "2020"
settings:
  lang: en
  order: [work, talks, projects]
variants:
  short: {exclude: [old], sections: [work, education]}
"#;

#[test]
fn extensions_are_folded_in_or_dropped_with_warnings() {
    let (dir, path) = resume(EXTENDED);
    let (text, run) = export(&path, &[]);
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        value,
        json!({
            "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
            "basics": {
                "name": "Ada Kovač",
                "label": "Senior Engineer",
                "summary": "I build *reliable* systems.\n\n- Go\n- Rust"
            },
            "work": [
                {
                    "name": "Lantern",
                    "position": "Staff Engineer",
                    "startDate": "2022-09",
                    "highlights": ["Cut p99 by **40%**", "Led a team of 6"]
                },
                {
                    "name": "Old Co",
                    "position": "Intern",
                    "startDate": "2010",
                    "endDate": "2011-02"
                }
            ],
            "projects": [
                {
                    "name": "Backpressure",
                    "description": "GopherCon EU, Berlin\n\nA talk on **queues**.",
                    "highlights": ["Top five talk"],
                    "keywords": ["Go"],
                    "startDate": "2023-06",
                    "endDate": "2023-06",
                    "url": "https://example.com/talk"
                },
                {
                    "name": "Ledger",
                    "roles": ["Author", "Maintainer"],
                    "entity": "Lantern",
                    "type": "application"
                },
                {"name": "Code club", "startDate": "2020"}
            ],
            "education": [
                {
                    "institution": "Zagreb University",
                    "area": "Computer Science",
                    "studyType": "MSc",
                    "score": "5.0",
                    "courses": ["Logic", "Compilers"]
                },
                {"institution": "Gymnasium", "area": "Sciences"}
            ]
        })
    );
    // Top-level keys in the file in JSON Resume's order.
    let at = |key: &str| text.find(&format!("\n  \"{key}\": ")).expect(key);
    assert!(at("$schema") < at("basics") && at("basics") < at("work"));
    assert!(at("work") < at("education") && at("education") < at("projects"));
    let expected = [
        "basics.availability is not part of JSON Resume; it is left out",
        "basics.image \"photo.png\" is not an http(s) URL, which JSON Resume wants; it is left out",
        "basics.email \"not an address\" is not an e-mail address JSON Resume accepts; it is left out",
        "basics.url \"portfolio.html\" is not an absolute URL, which JSON Resume wants; it is left out",
        "custom section \"talks\" is exported as projects",
        "custom section \"mentoring\" is exported as projects",
    ];
    for warning in expected {
        assert_eq!(
            run.stderr.matches(warning).count(),
            1,
            "{warning}\n--- stderr\n{}",
            run.stderr
        );
    }
    let schema = validator(&strict(&vendored_schema()).0);
    assert_eq!(errors(&schema, &value), Vec::<String>::new());
    drop(dir);
}

#[test]
fn variants_and_languages_are_applied_first() {
    let (_dir, path) = resume(EXTENDED);
    let out = TempDir::new().unwrap();
    build_into(&path, out.path(), &["--variant", "short", "--lang", "de"]);
    let text = std::fs::read_to_string(out.path().join("cv-short.resume.json")).unwrap();
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["basics"]["label"], "Senior-Entwicklerin");
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(|k| k.as_str())
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, ["$schema", "basics", "education", "work"]);
    let names: Vec<&str> = value["work"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Lantern"]);
}

#[test]
fn urls_become_absolute_uris_and_the_rest_is_left_out_with_a_warning() {
    let (_dir, path) = resume(
        r#"
basics:
  name: Ada
  email: ada@example.com
  image: "https://example.com/my photo.jpg"
  url: "https://example.com/café/cv#top#again"
  profiles:
    - {network: Site, url: "https://[::1]:8080/a[1]%zz"}
    - {network: Mail, url: "mailto:ada@example.com"}
    - {network: Local, url: "/about"}
work:
  - name: Ancient
    startDate: "0999"
    endDate: "1001-02"
    url: "http://example.com/a b?q=ü"
custom:
  history:
    title: History
    entries:
      - {title: Founding, date: "0999"}
meta:
  canonical: resume.json
"#,
    );
    let (text, run) = export(&path, &[]);
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        value["basics"],
        json!({
            "name": "Ada",
            "image": "https://example.com/my%20photo.jpg",
            "email": "ada@example.com",
            "url": "https://example.com/caf%C3%A9/cv#top%23again",
            "profiles": [
                {"network": "Site", "url": "https://[::1]:8080/a%5B1%5D%25zz"},
                {"network": "Mail", "url": "mailto:ada@example.com"},
                {"network": "Local"}
            ]
        })
    );
    assert_eq!(
        value["work"],
        json!([{"name": "Ancient", "url": "http://example.com/a%20b?q=%C3%BC", "endDate": "1001-02"}])
    );
    assert_eq!(value.get("meta"), None);
    assert_eq!(value["projects"], json!([{"name": "Founding"}]));
    assert_eq!(
        run.stderr.matches("is outside the years").count(),
        2,
        "{}",
        run.stderr
    );
    for warning in [
        "basics.profiles[2].url \"/about\" is not an absolute URL, which JSON Resume wants; it is left out",
        "work[0].startDate \"0999\" is outside the years JSON Resume accepts (1000-2999); it is left out",
        "meta.canonical \"resume.json\" is not an absolute URL, which JSON Resume wants; it is left out",
        "custom.history.entries[0].date \"0999\" is outside the years JSON Resume accepts (1000-2999); it is left out",
        "custom section \"history\" is exported as projects",
    ] {
        assert_eq!(
            run.stderr.matches(warning).count(),
            1,
            "{warning}\n{}",
            run.stderr
        );
    }
    let schema = validator(&strict(&vendored_schema()).0);
    assert_eq!(errors(&schema, &value), Vec::<String>::new());
}
