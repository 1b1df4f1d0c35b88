//! JSON Resume, 1.0 and the versions before it, as tidy vitae YAML: the keys older versions
//! used are renamed, empty strings dropped, and anything else kept for the top comment.

use super::{Out, key_text, text};
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
        let key = key_text(key);
        match key.as_str() {
            "$schema" => {}
            "basics" if value.is_mapping() || empty(value) => {
                if let Some(map) = value.as_mapping() {
                    let basics = fields(out, "basics", map, &BASICS);
                    out.doc
                        .insert(Value::from("basics"), Value::Mapping(basics));
                    out.from("basics", "basics");
                }
            }
            "meta" if value.is_mapping() || empty(value) => {
                if let Some(map) = value.as_mapping() {
                    let mut meta = Mapping::new();
                    for (k, v) in map {
                        let name = key_text(k);
                        if ["canonical", "version", "lastModified"].contains(&name.as_str())
                            && !empty(v)
                        {
                            meta.insert(Value::from(name), v.clone());
                        } else if !empty(v) {
                            out.unmapped(&format!("meta.{name}"), v);
                        }
                    }
                    if !meta.is_empty() {
                        out.doc.insert(Value::from("meta"), Value::Mapping(meta));
                        out.from("meta", "meta");
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
                                out.push(other, entry, &path);
                            }
                            None if item.is_null() => {}
                            None => out.unmapped(&path, item),
                        }
                    }
                }
                _ if empty(value) => {}
                _ => out.unmapped(other, value),
            },
        }
    }
}

/// The 1.0 fields of one object, old names renamed and empty values dropped; the rest reported.
fn fields(out: &mut Out, path: &str, map: &Mapping, f: &Fields) -> Mapping {
    let mut entry = Mapping::new();
    for (k, v) in map {
        let key = key_text(k);
        let name = key.as_str();
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
        let at = format!("{path}.{name}");
        if !f.keys.contains(&name) || entry.contains_key(name) {
            out.unmapped(&at, v);
            continue;
        }
        let value = match (path, name) {
            ("basics", "location") => nested(out, &at, v, LOCATION),
            ("basics", "profiles") => match v.as_sequence() {
                Some(items) => Some(Value::Sequence(
                    items
                        .iter()
                        .enumerate()
                        .filter(|(_, item)| !empty(item))
                        .filter_map(|(i, item)| nested(out, &format!("{at}[{i}]"), item, PROFILE))
                        .collect(),
                )),
                None => Some(tidy_value(v)),
            },
            _ => Some(tidy_value(v)),
        };
        if let Some(value) = value.filter(|v| !empty(v)) {
            entry.insert(Value::from(name), value);
        }
    }
    entry
}

/// The keys of `basics.location` and of each profile: the only ones vitae reads there.
const LOCATION: &[&str] = &["address", "postalCode", "city", "countryCode", "region"];
const PROFILE: &[&str] = &["network", "username", "url"];

/// A mapping (at `path`) with only the `keys` vitae reads; the others are reported. A value
/// that is not a mapping is left for the check to refuse where it is.
fn nested(out: &mut Out, path: &str, value: &Value, keys: &[&str]) -> Option<Value> {
    let Some(map) = value.as_mapping() else {
        return Some(tidy_value(value));
    };
    let mut kept = Mapping::new();
    for (k, v) in map {
        let mut name = key_text(k);
        if empty(v) {
            continue;
        }
        // The one key of a nested object that JSON Resume renamed in 1.0.
        if keys == LOCATION && name == "state" && !map.contains_key("region") {
            out.note(format!("{path}.state is {path}.region in JSON Resume 1.0"));
            name = "region".to_string();
        }
        if keys.contains(&name.as_str()) {
            kept.insert(Value::from(name), tidy_value(v));
        } else {
            out.unmapped(&format!("{path}.{name}"), v);
        }
    }
    Some(Value::Mapping(kept))
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
