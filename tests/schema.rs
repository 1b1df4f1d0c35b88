//! `vitae schema`: a draft-07 JSON Schema for editors that rejects what `vitae check --strict`
//! rejects, as far as a schema can say it, and nothing else.

mod common;

use common::{files_in, root, run};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use tempfile::TempDir;

fn schema_text() -> String {
    let r = run(["schema"]).expect_code(0);
    assert_eq!(r.stderr, "");
    r.stdout
}

fn schema() -> Value {
    serde_json::from_str(&schema_text()).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the schema is a valid JSON Schema")
}

/// A résumé file as JSON, the way an editor's schema validation reads it; `Err` when it cannot
/// be read as one value at all (not UTF-8, not YAML, an alias bomb, too deep).
fn read(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_str(&text).map_err(|e| e.to_string())
    }
}

/// Each complaint of the schema as `instance path: message`.
fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn schema_is_a_draft_07_schema_of_the_format() {
    let schema = schema();
    assert_eq!(schema["$schema"], "http://json-schema.org/draft-07/schema#");
    assert!(schema.get("definitions").is_some() && schema.get("$defs").is_none());
    assert!(
        !schema_text().contains("#/$defs/"),
        "references point into definitions"
    );
    assert_eq!(schema["type"], "object");
    // `basics`, or `bio`, its name before JSON Resume 1.0.
    assert_eq!(
        schema["anyOf"],
        json!([{ "required": ["basics"] }, { "required": ["bio"] }])
    );
    let properties = schema["properties"].as_object().unwrap();
    for key in [
        "basics", "work", "projects", "custom", "settings", "variants", "meta", "$schema",
    ] {
        assert!(properties.contains_key(key), "no property {key}");
    }
    jsonschema::meta::validate(&schema).expect("valid against its meta-schema");
}

/// Every group of named fields refuses other keys: the parser warns about them all.
#[test]
fn every_group_of_fields_refuses_unknown_keys() {
    fn walk(node: &Value, at: &str, groups: &mut usize) {
        match node {
            Value::Object(map) => {
                if map.contains_key("properties") {
                    *groups += 1;
                    assert_eq!(map.get("additionalProperties"), Some(&json!(false)), "{at}");
                }
                for (key, value) in map {
                    walk(value, &format!("{at}/{key}"), groups);
                }
            }
            Value::Array(list) => {
                for (i, value) in list.iter().enumerate() {
                    walk(value, &format!("{at}/{i}"), groups);
                }
            }
            _ => {}
        }
    }
    let mut groups = 0;
    walk(&schema(), "", &mut groups);
    // The résumé, its sections' entries, settings, variants, labels …
    assert!(groups > 20, "{groups}");
}

/// Layouts are built-in names or `.typ` files; page sizes are an enum.
#[test]
fn layouts_and_page_sizes_are_enumerated() {
    let schema = schema();
    let layout = &schema["definitions"]["Settings"]["properties"]["layout"]["anyOf"];
    let layouts = run(["layouts"]).expect_code(0).stdout;
    let names: Vec<&str> = layouts
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(layout[0]["enum"], json!(names));
    assert_eq!(layout[1]["pattern"], "\\.typ$");
    assert_eq!(
        schema["definitions"]["Variant"]["properties"]["layout"]["anyOf"],
        *layout
    );
    assert_eq!(
        schema["definitions"]["PageSize"]["enum"],
        json!(["a4", "letter"])
    );

    let validator = validator();
    let settings = |value: Value| json!({"basics": {"name": "A"}, "settings": value});
    for ok in [
        json!({"layout": "modern", "pageSize": "letter"}),
        json!({"layout": "mine.typ"}),
        json!({"layout": "layouts/mine.typ"}),
    ] {
        assert!(validator.is_valid(&settings(ok.clone())), "{ok}");
    }
    for bad in [
        json!({"layout": "fancy"}),
        json!({"layout": "Classic"}),
        json!({"layout": "layouts/mine"}),
        json!({"pageSize": "A4"}),
        json!({"pageSize": "legal"}),
    ] {
        assert!(!validator.is_valid(&settings(bad.clone())), "{bad}");
    }
}

/// The date patterns accept exactly what the date parser accepts, day of the month and leap
/// years included.
#[test]
fn date_patterns_agree_with_the_date_parser() {
    let schema = schema();
    let date = jsonschema::validator_for(&schema["definitions"]["Date"]).unwrap();
    let end = jsonschema::validator_for(&schema["definitions"]["EndDate"]).unwrap();
    let mut texts: Vec<String> = Vec::new();
    for year in [
        "0000", "0100", "0400", "1900", "1999", "2000", "2023", "2024", "2100",
    ] {
        texts.push(year.to_string());
        for month in 0..=13 {
            texts.push(format!("{year}-{month:02}"));
            for day in 0..=32 {
                texts.push(format!("{year}-{month:02}-{day:02}"));
            }
        }
    }
    texts.extend(
        [
            " 2020-05 ",
            "2020-5",
            "20-01",
            "12345",
            "2020-01-1",
            "March 2020",
            "2020/01",
            "2020-01-01T00:00",
            "",
            " ",
            "-2020",
            "+2020",
            "٢٠٢٠",
            "present",
            "Present",
            " PRESENT ",
            "presently",
            "now",
        ]
        .map(String::from),
    );
    let mut accepted = 0;
    for text in &texts {
        let parsed = vitae::model::Date::parse(text).is_ok();
        accepted += usize::from(parsed);
        assert_eq!(date.is_valid(&json!(text)), parsed, "Date {text:?}");
        let parsed_end =
            serde_yaml::from_str::<vitae::model::EndDate>(&format!("{text:?}")).is_ok();
        assert_eq!(end.is_valid(&json!(text)), parsed_end, "EndDate {text:?}");
    }
    assert!(accepted > 3000, "{accepted}");
    // Unquoted years are numbers in YAML.
    for year in [999, 1000, 2024, 9999, 10000] {
        let parsed = serde_yaml::from_str::<vitae::model::Date>(&year.to_string()).is_ok();
        assert_eq!(date.is_valid(&json!(year)), parsed, "{year}");
        assert_eq!(end.is_valid(&json!(year)), parsed, "{year}");
    }
}

/// Rejections of `check --strict` that a schema cannot express, each with why. These files are
/// exempt from "check rejects ⇒ the schema rejects"; the test below also makes sure that each
/// of them needs its exemption (check rejects it, the schema does not or cannot read it).
const NOT_EXPRESSIBLE: &[(&str, &str)] = &[
    // Size limit: its aliases expand past 200,000 values (and past what a reader should expand).
    ("tests/fixtures/bad/alias-bomb.yaml", "expanded size"),
    // Size limit: nested more than 64 levels.
    ("tests/fixtures/bad/deep-nesting.yaml", "nesting depth"),
    // A key given twice: a JSON value (what a schema sees) holds each key once.
    ("tests/fixtures/bad/duplicate-key.yaml", "duplicate key"),
    // Compares two values: an end before its start.
    (
        "tests/fixtures/bad/end-before-start.yaml",
        "end before start",
    ),
    // Not text: bytes that are not UTF-8.
    ("tests/fixtures/bad/not-utf8.yaml", "encoding"),
    // YAML syntax: an unclosed flow sequence.
    ("tests/fixtures/bad/syntax.yaml", "syntax"),
    // YAML syntax: a tab in indentation.
    ("tests/fixtures/bad/tab-indent.yaml", "syntax"),
];

/// Every résumé the project has: the examples, the starter and every fixture, bad ones too.
fn every_input() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for path in files_in(dir) {
            if path.is_dir() {
                walk(&path, out);
            } else if path
                .extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
            {
                out.push(path);
            }
        }
    }
    let mut files = vec![
        root().join("data/resume.yaml"),
        root().join("examples/resume.yaml"),
        root().join("data/starter.yaml"),
    ];
    walk(&root().join("tests/fixtures"), &mut files);
    files
}

/// The schema and `vitae check --strict` agree on every input: what the schema rejects, check
/// rejects; what check rejects, the schema rejects, but for the exempt files above.
#[test]
fn schema_and_strict_check_agree_on_every_input() {
    let validator = validator();
    let files = every_input();
    assert!(files.len() >= 40, "{files:?}");
    let mut rejected_by_both = Vec::new();
    for file in &files {
        let name = file.strip_prefix(root()).unwrap().to_str().unwrap();
        let check = run(["check", "--strict", name]);
        let check_rejects = check.code != 0;
        let schema_errors = read(file).map(|instance| errors(&validator, &instance));
        let exempt = NOT_EXPRESSIBLE.iter().any(|(n, _)| *n == name);
        match &schema_errors {
            Ok(problems) if !problems.is_empty() => {
                assert!(
                    check_rejects,
                    "the schema rejects {name}, check --strict accepts it: {problems:#?}"
                );
                assert!(!exempt, "{name} is exempt, but the schema rejects it");
                rejected_by_both.push(name.to_string());
            }
            Ok(_) => assert!(
                !check_rejects || exempt,
                "check --strict rejects {name}, the schema accepts it:\n{}",
                check.stderr
            ),
            Err(why) => assert!(exempt, "{name} cannot be read as JSON ({why})"),
        }
        if exempt {
            assert!(check_rejects, "{name} is exempt, but check accepts it");
        }
    }
    for (name, _) in NOT_EXPRESSIBLE {
        assert!(
            files.iter().any(|f| f.ends_with(name)),
            "{name} is listed but missing"
        );
    }
    for must in [
        "tests/fixtures/bad/unknown-key.yaml",
        "tests/fixtures/bad/bad-month.yaml",
        "tests/fixtures/bad/unknown-layout.yaml",
        "tests/fixtures/bad/bad-day.yaml",
        "tests/fixtures/bad/missing-name.yaml",
        "tests/fixtures/bad/no-basics.yaml",
        "tests/fixtures/bad/bad-variant.yaml",
        "tests/fixtures/bad/json-errors.json",
    ] {
        assert!(rejected_by_both.iter().any(|n| n == must), "{must}");
    }
}

/// The schema rejects the bad fixtures for the reason check gives, at the same place.
#[test]
fn the_schema_points_where_check_does() {
    let validator = validator();
    for (name, at) in [
        ("unknown-key.yaml", "/work/0"),
        ("bad-month.yaml", "/work/0/startDate"),
        ("bad-day.yaml", "/work/0/startDate"),
        ("unknown-layout.yaml", "/settings/layout"),
        ("bad-variant.yaml", "/variants/backend/pages"),
        ("missing-name.yaml", "/basics/name"),
        ("wrong-type.yaml", "/work/0/highlights"),
        ("bad-date-format.yaml", "/work/0/startDate"),
        ("top-level-list.yaml", ""),
        ("bad-highlight.yaml", "/work/0/highlights/1"),
    ] {
        let instance = read(&root().join("tests/fixtures/bad").join(name)).unwrap();
        let problems = errors(&validator, &instance);
        assert!(
            problems.iter().any(|p| p.starts_with(&format!("{at}: "))),
            "{name}: {problems:#?}"
        );
    }
    let instance = read(&root().join("tests/fixtures/bad/unknown-key.yaml")).unwrap();
    assert!(
        errors(&validator, &instance)
            .iter()
            .any(|p| p.contains("positon")),
        "the misspelt key is named"
    );
}

/// Small documents at the edge of each rule the schema states, as JSON files: the schema and
/// `check --strict` take or refuse each alike.
#[test]
fn schema_and_strict_check_agree_at_the_edges_of_each_rule() {
    let validator = validator();
    let tmp = TempDir::new().unwrap();
    let with = |extra: Value| {
        let mut doc = json!({"basics": {"name": "Ada"}});
        for (key, value) in extra.as_object().unwrap() {
            doc[key] = value.clone();
        }
        doc
    };
    let cases = [
        (
            json!({"basics": {"name": "Ada", "url": "https://a.example/x"}}),
            true,
        ),
        (
            json!({"basics": {"name": "Ada", "url": "https://a.example/\nx"}}),
            false,
        ),
        (
            json!({"basics": {"name": "Ada", "email": "a@b.c\u{7}"}}),
            false,
        ),
        (json!({"basics": {"name": "  "}}), false),
        (json!({"basics": {"name": {"en": "", "de": " "}}}), false),
        (json!({"basics": {"name": {"en": "Ada", "de": ""}}}), true),
        (json!({"basics": {"name": {"EN": "Ada"}}}), false),
        (json!({"basics": {"name": 42}}), true),
        (json!({"basics": null}), false),
        (
            with(json!({"settings": {"accent": "#1f4e79", "lang": "pt-BR"}})),
            true,
        ),
        (with(json!({"settings": {"accent": "#1f4e7"}})), false),
        (with(json!({"settings": {"lang": "EN"}})), false),
        (with(json!({"settings": {"layout": "fancy"}})), false),
        (
            with(json!({"settings": {"labels": {"date": "{month}"}}})),
            false,
        ),
        (
            with(json!({"settings": {"labels": {"date": "{year}/{month}"}}})),
            true,
        ),
        (
            with(json!({"settings": {"labels": {"months": {"short": ["a", "b"]}}}})),
            false,
        ),
        (with(json!({"variants": {"v": {"pages": 0}}})), false),
        (
            with(json!({"variants": {"v": {"pages": 1, "untagged": "drop"}}})),
            true,
        ),
        (
            with(json!({"variants": {"v": {"untagged": "maybe"}}})),
            false,
        ),
        (
            with(json!({"work": [{"startDate": "2024-02-29", "endDate": "present"}]})),
            true,
        ),
        (with(json!({"work": [{"startDate": "2023-02-29"}]})), false),
        (
            with(json!({"work": [{"highlights": [true, 4, {"text": "x", "tags": []}]}]})),
            true,
        ),
        (
            with(json!({"work": [{"highlights": [{"text": "x", "de": "y"}]}]})),
            false,
        ),
        (
            with(json!({"custom": {"talks": {"entries": [{"title": "T"}]}}})),
            false,
        ),
        (
            with(json!({"custom": {"talks": {"title": "Talks", "entries": []}}})),
            true,
        ),
    ];
    for (i, (doc, ok)) in cases.iter().enumerate() {
        let file = tmp.path().join(format!("case-{i}.json"));
        std::fs::write(&file, doc.to_string()).unwrap();
        let check = run(["check", "--strict", file.to_str().unwrap()]);
        assert_eq!(
            check.code == 0,
            *ok,
            "check --strict on {doc}:\n{}",
            check.stderr
        );
        assert_eq!(
            validator.is_valid(doc),
            *ok,
            "the schema on {doc}: {:#?}",
            errors(&validator, doc)
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

/// `vitae new` writes the same schema beside the starter, which it accepts.
#[test]
fn new_writes_this_schema_beside_the_file() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("cv.yaml");
    run(["new", "Ada Lovelace", "-o", file.to_str().unwrap()]).expect_code(0);
    let written = std::fs::read_to_string(tmp.path().join("vitae.schema.json")).unwrap();
    assert_eq!(written, schema_text());
    let starter = read(&file).unwrap();
    assert_eq!(errors(&validator(), &starter), Vec::<String>::new());
}

/// The format lets any text field be a map of translations, and the schema says a highlight may
/// be such a map; the parser must accept what the schema accepts.
#[test]
fn translated_highlight_is_accepted_like_the_schema_says() {
    let tmp = TempDir::new().unwrap();
    let file = tmp.path().join("resume.yaml");
    let yaml = "basics:\n  name: Jana\nwork:\n  - name: X\n    highlights:\n      - {en: Shipped it, de: Geliefert}\n      - true\n";
    std::fs::write(&file, yaml).unwrap();
    assert_eq!(
        errors(&validator(), &read(&file).unwrap()),
        Vec::<String>::new(),
        "the schema accepts it"
    );
    let r = run(["check", "--strict", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}
