//! JSON Resume, 1.0 and the versions before it, as tidy vitae YAML: the keys older versions
//! used are renamed, empty strings dropped, and anything else kept for the top comment.

use super::{Out, text};
use serde_yaml::{Mapping, Value};

/// A section's 1.0 keys, and the names older versions gave some of them.
struct Fields {
    keys: &'static [&'static str],
    renames: &'static [(&'static str, &'static str)],
}

const BASICS: Fields = Fields {
    keys: &[
        "name", "label", "image", "email", "phone", "url", "summary", "location", "profiles",
    ],
    renames: &[("website", "url"), ("picture", "image")],
};

fn section(name: &str) -> Option<Fields> {
    let (keys, renames): (&'static [&'static str], &'static [(&str, &str)]) = match name {
        "work" => (
            &[
                "name",
                "location",
                "description",
                "position",
                "url",
                "startDate",
                "endDate",
                "summary",
                "highlights",
            ],
            &[("company", "name"), ("website", "url")],
        ),
        "volunteer" => (
            &[
                "organization",
                "position",
                "url",
                "startDate",
                "endDate",
                "summary",
                "highlights",
            ],
            &[("website", "url")],
        ),
        "education" => (
            &[
                "institution",
                "url",
                "area",
                "studyType",
                "startDate",
                "endDate",
                "score",
                "courses",
            ],
            &[("gpa", "score"), ("website", "url")],
        ),
        "awards" => (&["title", "date", "awarder", "summary"], &[]),
        "certificates" => (&["name", "date", "url", "issuer"], &[("website", "url")]),
        "publications" => (
            &["name", "publisher", "releaseDate", "url", "summary"],
            &[("website", "url")],
        ),
        "skills" => (&["name", "level", "keywords"], &[]),
        "languages" => (&["language", "fluency"], &[]),
        "interests" => (&["name", "keywords"], &[]),
        "references" => (&["name", "reference"], &[]),
        "projects" => (
            &[
                "name",
                "description",
                "highlights",
                "keywords",
                "startDate",
                "endDate",
                "url",
                "roles",
                "entity",
                "type",
            ],
            &[("website", "url")],
        ),
        _ => return None,
    };
    Some(Fields { keys, renames })
}

pub(super) fn convert(root: &Mapping, out: &mut Out) {
    for (key, value) in root {
        let Some(key) = key.as_str() else { continue };
        match key {
            "$schema" => {}
            "basics" => {
                if let Some(map) = value.as_mapping() {
                    let basics = fields(out, "basics", map, &BASICS);
                    out.doc
                        .insert(Value::from("basics"), Value::Mapping(basics));
                }
            }
            "meta" => {
                if let Some(map) = value.as_mapping() {
                    let mut meta = Mapping::new();
                    for (k, v) in map {
                        let name = k.as_str().unwrap_or("");
                        if ["canonical", "version", "lastModified"].contains(&name) && !empty(v) {
                            meta.insert(k.clone(), v.clone());
                        } else if !empty(v) {
                            out.unmapped(&format!("meta.{name}"), v);
                        }
                    }
                    if !meta.is_empty() {
                        out.doc.insert(Value::from("meta"), Value::Mapping(meta));
                    }
                }
            }
            other => match (section(other), value.as_sequence()) {
                (Some(f), Some(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let path = format!("{other}[{i}]");
                        match item.as_mapping() {
                            Some(map) => {
                                let entry = fields(out, &path, map, &f);
                                out.push(other, entry);
                            }
                            None => out.unmapped(&path, item),
                        }
                    }
                }
                _ => out.unmapped(other, value),
            },
        }
    }
}

/// The 1.0 fields of one object, old names renamed and empty values dropped; the rest reported.
fn fields(out: &mut Out, path: &str, map: &Mapping, f: &Fields) -> Mapping {
    let mut entry = Mapping::new();
    for (k, v) in map {
        let Some(name) = k.as_str() else { continue };
        let name = f
            .renames
            .iter()
            .find(|(old, _)| *old == name)
            .map(|(old, new)| {
                out.note(format!("{path}.{old} is {path}.{new} in JSON Resume 1.0"));
                *new
            })
            .unwrap_or(name);
        if empty(v) {
            continue;
        }
        if f.keys.contains(&name) && !entry.contains_key(name) {
            entry.insert(Value::from(name), tidy_value(v));
        } else {
            out.unmapped(&format!("{path}.{name}"), v);
        }
    }
    entry
}

/// Empty strings, lists and maps are what themes' fixtures write for "absent".
fn empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Sequence(s) => s.is_empty(),
        Value::Mapping(m) => m.is_empty(),
        _ => false,
    }
}

/// Drops empty strings inside nested values too (a location's empty `region`).
fn tidy_value(v: &Value) -> Value {
    match v {
        Value::Mapping(m) => Value::Mapping(
            m.iter()
                .filter(|(_, v)| !empty(v))
                .map(|(k, v)| (k.clone(), tidy_value(v)))
                .collect(),
        ),
        Value::Sequence(s) => {
            Value::Sequence(s.iter().filter(|v| !empty(v)).map(tidy_value).collect())
        }
        Value::String(s) => text(v)
            .map(Value::from)
            .unwrap_or_else(|| Value::from(s.clone())),
        other => other.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::convert as import;

    #[test]
    fn older_keys_are_renamed_and_empty_values_dropped() {
        let json = r#"{"basics": {"name": "Ada", "website": "https://ada.example", "picture": "me.jpg"},
            "work": [{"company": "Acme", "website": "https://acme.example", "position": "Dev",
                      "startDate": "2019-01", "endDate": ""}],
            "meta": {"theme": "elegant"}}"#;
        let imported = import("resume.json", json).expect("imports");
        assert!(
            imported.yaml.contains("url: https://ada.example"),
            "{}",
            imported.yaml
        );
        assert!(imported.yaml.contains("image: me.jpg"), "{}", imported.yaml);
        assert!(imported.yaml.contains("- name: Acme"), "{}", imported.yaml);
        assert!(!imported.yaml.contains("endDate"), "{}", imported.yaml);
        assert!(
            imported.yaml.contains("#   meta.theme: \"elegant\""),
            "{}",
            imported.yaml
        );
        assert!(
            imported
                .report
                .notes
                .contains(&"work[0].company is work[0].name in JSON Resume 1.0".to_string())
        );
    }
}
