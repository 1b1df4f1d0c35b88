//! What JSON Resume files written before 1.0, or for its themes, contain: keys that 1.0 renamed
//! (read under their new names, with a warning), empty strings for "none" (read as absent, with
//! a warning), and `meta.theme`.

use super::load::Loaded;
use crate::diag::Diagnostic;
use serde_json::{Value, json};

/// Keys of JSON Resume before 1.0 that vitae reads as their 1.0 names: the section, the schema
/// definition of its entries, the old key and the new one. The `#[serde(alias)]` attributes in
/// `resume.rs` accept them; this table names them in warnings and the schema
/// (`every_alias_is_read_as_its_new_name` checks the two agree).
pub const ALIASES: &[(&str, &str, &str, &str)] = &[
    ("", "", "bio", "basics"),
    ("", "", "hobbies", "interests"),
    ("basics", "", "website", "url"),
    ("basics", "", "picture", "image"),
    ("work", "Work", "company", "name"),
    ("work", "Work", "website", "url"),
    ("volunteer", "Volunteer", "website", "url"),
    ("education", "Education", "gpa", "score"),
    ("publications", "Publication", "website", "url"),
    ("awards", "Award", "awardDate", "date"),
    ("basics.location", "Location", "state", "region"),
];

/// A warning for each old key and each empty value in the file.
pub fn warnings(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for path in loaded.map.key_paths() {
        let (parent, key) = path.rsplit_once('.').unwrap_or(("", path));
        let section = parent.split('[').next().unwrap_or(parent);
        let is_entry = parent == section || parent[section.len()..].starts_with('[');
        if let Some((_, _, old, new)) = ALIASES
            .iter()
            .find(|(s, _, old, _)| *s == section && *old == key && is_entry)
        {
            out.push(
                Diagnostic::warning(format!(
                    "{path} is the name JSON Resume used before 1.0; it is read as {}, which is what to call it",
                    if parent.is_empty() { new.to_string() } else { format!("{parent}.{new}") }
                ))
                .with_location(loaded.locate_key(path))
                .with_hint(format!("rename `{old}` to `{new}`")),
            );
        }
    }
    for path in loaded.map.value_paths() {
        if is_empty_string(loaded, path) && !is_required(path) {
            out.push(
                Diagnostic::warning(format!("{path} is empty, so it counts as absent"))
                    .with_location(loaded.locate(path))
                    .with_hint("leave the key out"),
            );
        }
    }
    out
}

/// The texts a résumé must have, where an empty one is a choice (an untitled custom entry) or
/// an error of its own (a blank name), never "absent".
fn is_required(path: &str) -> bool {
    path == "basics.name" || (path.starts_with("custom.") && path.ends_with(".title"))
}

/// Whether the value at `path` is written as `""` or `''`.
fn is_empty_string(loaded: &Loaded, path: &str) -> bool {
    let Some(at) = loaded.map.value(path) else {
        return false;
    };
    let rest = loaded.source.text.get(at..).unwrap_or("");
    rest.starts_with("\"\"") || rest.starts_with("''")
}

/// The schema allows the old keys (marked deprecated) and empty dates, as the parser does.
pub fn extend_schema(schema: &mut Value) {
    for (section, definition, old, new) in ALIASES {
        // The top level and `basics` are described in place; the sections' entries by
        // definitions.
        let at = if section.is_empty() {
            "/properties".to_string()
        } else if *section == "basics" {
            "/properties/basics/properties".to_string()
        } else {
            format!("/definitions/{definition}/properties")
        };
        let Some(properties) = schema.pointer_mut(&at).and_then(Value::as_object_mut) else {
            continue;
        };
        if let Some(mut property) = properties.get(*new).cloned() {
            if let Some(p) = property.as_object_mut() {
                p.insert("deprecated".into(), Value::Bool(true));
                p.insert(
                    "description".into(),
                    json!(format!("JSON Resume before 1.0; `{new}` in 1.0.")),
                );
            }
            properties.insert((*old).to_string(), property);
        }
    }
    // `basics` is required; `bio`, its name before 1.0, does as well.
    if let Some(root) = schema.as_object_mut()
        && let Some(Value::Array(required)) = root.remove("required")
    {
        let mut alternatives = vec![json!({ "required": required.clone() })];
        for (_, _, old, new) in ALIASES.iter().filter(|a| a.0.is_empty()) {
            if required.iter().any(|r| r == new) {
                let renamed: Vec<Value> = required
                    .iter()
                    .map(|r| if r == new { json!(old) } else { r.clone() })
                    .collect();
                alternatives.push(json!({ "required": renamed }));
            }
        }
        root.insert("anyOf".into(), Value::Array(alternatives));
    }
    allow_empty_dates(schema, false);
}

/// Every reference to a date outside the date definitions also takes `""`.
fn allow_empty_dates(node: &mut Value, inside_date: bool) {
    match node {
        Value::Object(map) => {
            let is_date = map
                .get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| r == "#/definitions/Date" || r == "#/definitions/EndDate");
            if is_date && !inside_date {
                let reference = Value::Object(std::mem::take(map));
                map.insert(
                    "anyOf".into(),
                    json!([reference, { "const": "", "description": "Empty: the same as leaving the key out." }]),
                );
                return;
            }
            for (key, value) in map.iter_mut() {
                let inside = inside_date || key == "Date" || key == "EndDate";
                allow_empty_dates(value, inside);
            }
        }
        Value::Array(list) => list
            .iter_mut()
            .for_each(|v| allow_empty_dates(v, inside_date)),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LoadOptions, load_bytes};

    fn load(json: &str) -> Loaded {
        load_bytes(
            "r.json",
            json.as_bytes(),
            true,
            LoadOptions {
                strict: true,
                ..LoadOptions::default()
            },
        )
        .expect("loads")
    }

    #[test]
    fn every_alias_is_read_as_its_new_name() {
        for (section, _, old, new) in ALIASES {
            let value = match *old {
                "gpa" => "\"4.0\"",
                "awardDate" => "\"2020-01\"",
                "state" => "\"Texas\"",
                "bio" => "{\"name\": \"A\"}",
                "hobbies" => "[{\"name\": \"Chess\"}]",
                _ => "\"https://x.example\"",
            };
            let body = match *section {
                "" => format!("{{\"basics\": {{\"name\": \"A\"}}, \"{old}\": {value}}}")
                    .replace("{\"basics\": {\"name\": \"A\"}, \"bio\"", "{\"bio\""),
                "basics" => format!("{{\"basics\": {{\"name\": \"A\", \"{old}\": {value}}}}}"),
                "basics.location" => format!(
                    "{{\"basics\": {{\"name\": \"A\", \"location\": {{\"{old}\": {value}}}}}}}"
                ),
                _ => format!(
                    "{{\"basics\": {{\"name\": \"A\"}}, \"{section}\": [{{\"{old}\": {value}}}]}}"
                ),
            };
            let loaded = load(&body);
            let resume = serde_json::to_value(&loaded.resume).expect("serialises");
            let at = match *section {
                "" => format!("/{new}"),
                "basics" => format!("/basics/{new}"),
                "basics.location" => format!("/basics/location/{new}"),
                _ => format!("/{section}/0/{new}"),
            };
            assert!(
                resume.pointer(&at).is_some(),
                "{section}.{old} → {new}: {resume}"
            );
            let w = warnings(&loaded);
            assert_eq!(w.len(), 1, "{section}.{old}: {w:?}");
        }
    }

    #[test]
    fn the_schema_allows_every_old_key() {
        let schema = serde_json::Value::from(crate::model::json_schema());
        for (section, definition, old, _) in ALIASES {
            let at = match *section {
                "" => format!("/properties/{old}/deprecated"),
                "basics" => format!("/properties/basics/properties/{old}/deprecated"),
                _ => format!("/definitions/{definition}/properties/{old}/deprecated"),
            };
            assert_eq!(schema.pointer(&at), Some(&Value::Bool(true)), "{at}");
        }
    }

    #[test]
    fn a_required_text_left_empty_is_not_called_absent() {
        let loaded = load(
            r#"{"basics": {"name": "A"}, "custom": {"notes": {"title": "Notes", "entries": [{"title": "", "summary": "x"}]}}}"#,
        );
        assert!(warnings(&loaded).is_empty(), "{:?}", warnings(&loaded));
    }

    #[test]
    fn empty_strings_count_as_absent_with_a_warning() {
        let loaded = load(
            r#"{"basics": {"name": "A", "email": ""}, "work": [{"name": "X", "startDate": "2019-01", "endDate": ""}]}"#,
        );
        assert!(loaded.resume.work[0].end_date.is_none());
        let messages: Vec<String> = warnings(&loaded).into_iter().map(|d| d.message).collect();
        assert_eq!(
            messages,
            [
                "basics.email is empty, so it counts as absent",
                "work[0].endDate is empty, so it counts as absent"
            ]
        );
    }
}
