//! Every wrong value of a document, not only the first.
//!
//! serde stops at the first value it cannot read. To go on, the document is read as a plain
//! tree of values, and split into small units: each entry of a list section (`work[3]`), each
//! entry of a map section (`custom.talks`, `variants.backend`), each other top-level key.
//! Each unit is read alone; a wrong value in it is reported, then set aside (removed when it is
//! optional, else replaced by a harmless stand-in the schema allows) and the unit is read
//! again, until it reads. Units keep the cost of a repair small however long the file is.
//!
//! The tree is read back with the same YAML deserialiser as the file, so serde's messages (and
//! `work[0].startDate`, the path it puts before them) are the same for YAML and for JSON.

use super::Resume;
use super::suggest;
use serde_yaml::{Mapping, Value};

/// How often one unit is repaired before it is set aside whole.
const MAX_REPAIRS_PER_UNIT: usize = 50;

/// A wrong value: serde's message and the path of the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeError {
    pub path: String,
    pub message: String,
}

/// A document read in spite of wrong values.
#[derive(Debug)]
pub struct Recovered {
    /// The document with every wrong value set aside: fit for checks, never for output.
    pub resume: Resume,
    /// The wrong values, in the order of the units they are in.
    pub errors: Vec<TypeError>,
    /// Paths of keys no field reads.
    pub unknown: Vec<String>,
}

/// Reads `text` value by value; `None` when it is not a tree of values at all (a syntax error,
/// a repeated key, a top level that is not a mapping), where nothing more can be said.
pub fn recover(text: &str, is_json: bool) -> Option<Recovered> {
    let tree: Value = if is_json {
        serde_json::from_str(text).ok()?
    } else {
        serde_yaml::from_str(text).ok()?
    };
    let Value::Mapping(mut root) = tree else {
        return None;
    };
    let mut errors = Vec::new();
    let keys: Vec<Value> = root.keys().cloned().collect();
    for key in keys {
        let Some(name) = key.as_str().map(str::to_string) else {
            continue;
        };
        let kind = suggest::kind_at(&name);
        let Some(value) = root.get_mut(&key) else {
            continue;
        };
        match (kind, value) {
            (suggest::Kind::List, Value::Sequence(items)) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let unit = single(&name, Value::Sequence(vec![item.clone()]));
                    let (unit, found) =
                        settle(unit, &format!("{name}[0]"), &format!("{name}[{i}]"));
                    errors.extend(found);
                    match unit_value(unit, &name).and_then(|v| match v {
                        Value::Sequence(mut s) if s.len() == 1 => s.pop(),
                        _ => None,
                    }) {
                        Some(settled) => *item = settled,
                        None => *item = stand_in(&format!("{name}[{i}]")),
                    }
                }
            }
            (suggest::Kind::Map, Value::Mapping(entries)) => {
                let ids: Vec<Value> = entries.keys().cloned().collect();
                for id in ids {
                    let Some(entry) = entries.get(&id).cloned() else {
                        continue;
                    };
                    let mut one = Mapping::new();
                    one.insert(id.clone(), entry);
                    let unit = single(&name, Value::Mapping(one));
                    let (unit, found) = settle(unit, "", "");
                    errors.extend(found);
                    let settled = unit_value(unit, &name).and_then(|v| match v {
                        Value::Mapping(mut m) => m.remove(&id),
                        _ => None,
                    });
                    let path = format!("{name}.{}", id.as_str().unwrap_or("?"));
                    entries.insert(id, settled.unwrap_or_else(|| stand_in(&path)));
                }
            }
            (_, value) => {
                let unit = single(&name, value.clone());
                let (unit, found) = settle(unit, "", "");
                errors.extend(found);
                match unit_value(unit, &name) {
                    Some(settled) => *value = settled,
                    None => {
                        root.remove(&key);
                    }
                }
            }
        }
    }
    let text = serde_yaml::to_string(&Value::Mapping(root)).ok()?;
    let mut unknown = Vec::new();
    let de = serde_yaml::Deserializer::from_str(&text);
    let resume: Resume =
        serde_ignored::deserialize(de, |p| unknown.push(super::load::path_string(&p))).ok()?;
    Some(Recovered {
        resume,
        errors,
        unknown,
    })
}

/// `{name: value}`.
fn single(name: &str, value: Value) -> Value {
    let mut map = Mapping::new();
    map.insert(Value::String(name.to_string()), value);
    Value::Mapping(map)
}

/// The value of `name` in a unit, `None` when the unit lost it.
fn unit_value(unit: Value, name: &str) -> Option<Value> {
    match unit {
        Value::Mapping(mut map) => map.remove(name),
        _ => None,
    }
}

/// Reads a unit again and again, setting aside each wrong value, until it reads. Paths in the
/// unit that start with `from` are reported as starting with `to` (`work[0]` → `work[7]`).
fn settle(mut unit: Value, from: &str, to: &str) -> (Value, Vec<TypeError>) {
    let mut errors: Vec<TypeError> = Vec::new();
    // Values that got a missing field supplied, and values replaced whole.
    let mut supplied: Vec<String> = Vec::new();
    let mut replaced: Vec<String> = Vec::new();
    for _ in 0..MAX_REPAIRS_PER_UNIT {
        let Ok(text) = serde_yaml::to_string(&unit) else {
            break;
        };
        let error = match serde_yaml::from_str::<Resume>(&text) {
            Ok(_) => return (unit, errors),
            Err(e) => e,
        };
        let (path, message) = split(&error);
        // A value that still does not read once its missing field is supplied was wrong in a
        // way already reported: it is replaced whole, without a second message.
        if supplied.contains(&path) {
            if replaced.contains(&path) || !replace(&mut unit, &path) {
                break;
            }
            replaced.push(path);
            continue;
        }
        let reported = match path.strip_prefix(from) {
            Some(rest) if !from.is_empty() => format!("{to}{rest}"),
            _ => path.clone(),
        };
        let error = TypeError {
            path: reported,
            message,
        };
        // The same error twice means the repair did not take: stop before looping.
        if errors.contains(&error) || path.is_empty() {
            errors.push(error);
            break;
        }
        let repaired = repair(&mut unit, &path, &error.message);
        if error.message.starts_with("missing field `") {
            supplied.push(path);
        }
        errors.push(error);
        if !repaired {
            break;
        }
    }
    errors.dedup();
    // Still unreadable: the whole unit is set aside.
    (Value::Null, errors)
}

/// serde_yaml's `path: message at line L column C`, as path and message (the position is in
/// the unit's own text, which means nothing to the user; the path says where).
fn split(error: &serde_yaml::Error) -> (String, String) {
    let text = error.to_string();
    let text = match error
        .location()
        .map(|l| format!(" at line {} column {}", l.line(), l.column()))
    {
        Some(suffix) => text
            .strip_suffix(suffix.as_str())
            .unwrap_or(&text)
            .to_string(),
        None => text,
    };
    let (path, message) = super::load::split_path(&text);
    (path.to_string(), message.to_string())
}

enum Step {
    Key(String),
    Index(usize),
}

/// `work[0].highlights[2]` as steps; `None` for what this module never produces.
fn steps(path: &str) -> Option<Vec<Step>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let mut pieces = part.split('[');
        let key = pieces.next()?;
        if !key.is_empty() {
            out.push(Step::Key(key.to_string()));
        }
        for index in pieces {
            out.push(Step::Index(index.strip_suffix(']')?.parse().ok()?));
        }
    }
    Some(out)
}

fn get_mut<'v>(value: &'v mut Value, steps: &[Step]) -> Option<&'v mut Value> {
    let mut node = value;
    for step in steps {
        node = match (step, node) {
            (Step::Key(k), Value::Mapping(m)) => m.get_mut(k.as_str())?,
            (Step::Index(i), Value::Sequence(s)) => s.get_mut(*i)?,
            _ => return None,
        };
    }
    Some(node)
}

/// Sets aside the value at `path` that `message` is about; false when it cannot be found.
fn repair(unit: &mut Value, path: &str, message: &str) -> bool {
    let Some(steps) = steps(path) else {
        return false;
    };
    // A missing required field is supplied.
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|f| f.strip_suffix('`'))
    {
        let field_path = super::source_map::join_key(path, field);
        return match get_mut(unit, &steps) {
            Some(Value::Mapping(map)) if !map.contains_key(field) => {
                map.insert(Value::String(field.to_string()), stand_in(&field_path));
                true
            }
            _ => false,
        };
    }
    let Some((last, parent)) = steps.split_last() else {
        return false;
    };
    match (last, get_mut(unit, parent)) {
        (Step::Key(key), Some(Value::Mapping(map))) if map.contains_key(key.as_str()) => {
            if suggest::may_be_left_out(path) {
                map.remove(key.as_str());
            } else {
                map.insert(Value::String(key.clone()), stand_in(path));
            }
            true
        }
        (Step::Index(i), Some(Value::Sequence(list))) if *i < list.len() => {
            list[*i] = stand_in(path);
            true
        }
        _ => false,
    }
}

/// Replaces the value at `path` with a stand-in; false when there is no such value.
fn replace(unit: &mut Value, path: &str) -> bool {
    let Some(steps) = steps(path) else {
        return false;
    };
    match get_mut(unit, &steps) {
        Some(value) => {
            *value = stand_in(path);
            true
        }
        None => false,
    }
}

/// The smallest value the schema allows at `path`, or text, which most fields take.
fn stand_in(path: &str) -> Value {
    suggest::smallest_at(path)
        .and_then(|v| serde_yaml::to_value(v).ok())
        .unwrap_or_else(|| Value::String(STAND_IN.to_string()))
}

/// What stands in for a text: never shown, since a document with errors is not built.
pub const STAND_IN: &str = "…";

#[cfg(test)]
mod tests {
    use crate::diag::Diagnostic;
    use crate::model::{LoadOptions, load_bytes};

    /// Each problem of a file that does not load, as `line:column message`.
    fn problems(text: &str, is_json: bool) -> Vec<String> {
        let name = if is_json { "r.json" } else { "r.yaml" };
        let refused = load_bytes(
            name,
            text.as_bytes(),
            is_json,
            LoadOptions {
                strict: true,
                ..LoadOptions::default()
            },
        )
        .expect_err("refused");
        refused.0.iter().map(line).collect()
    }

    fn line(d: &Diagnostic) -> String {
        match &d.location {
            Some(l) => format!("{}:{} {}", l.line, l.column, d.message),
            None => d.message.clone(),
        }
    }

    #[test]
    fn every_wrong_value_is_reported_in_file_order() {
        let yaml = "\
basics:
  name: Ada
  email: [a, b]
work:
  - name: A
    startDate: \"2020-13\"
  - name: B
    startDate: 2019
    endDate: \"2018\"
    positon: Lead
custom:
  talks:
    entries:
      - {subtitle: no title}
variants:
  v: {pages: many, untagged: maybe}
";
        assert_eq!(
            problems(yaml, false),
            [
                "3:10 basics.email: expected text, found a list",
                "6:16 work[0].startDate: invalid month 13 in date \"2020-13\": months run from 01 to 12",
                "9:14 work[1] ends (2018) before it starts (2019)",
                "10:5 unknown field \"positon\" in work[1]; did you mean \"position\"?",
                "12:3 custom.talks: missing required field \"title\"",
                "14:10 custom.talks.entries[0]: missing required field \"title\"",
                "16:14 variants.v.pages: expected a whole number, found a string",
                "16:30 variants.v.untagged: unknown variant `maybe`, expected `keep` or `drop`",
            ]
        );
    }

    /// What stands in for a wrong value never brings a second complaint about the same place:
    /// no "no basics" for a `basics` that is text, no "empty name" for a name that is a list,
    /// no second message for a highlight that lacks its text.
    #[test]
    fn a_value_set_aside_brings_no_second_complaint() {
        assert_eq!(
            problems("basics: Ada\n", false),
            ["1:9 basics: expected a mapping (the fields of basics), found a string"]
        );
        assert_eq!(
            problems("basics:\n  name: [Ada]\n", false),
            ["2:9 basics.name: expected text, or a map from language code to text, found a list"]
        );
        assert_eq!(
            problems(
                "basics: {name: A}\nwork:\n  - highlights:\n      - {tags: [x], txt: y}\n      - ok\n",
                false
            ),
            ["4:10 work[0].highlights[0]: missing required field \"text\""]
        );
        assert_eq!(
            problems(
                "basics: {name: A}\nsettings: {order: [work, [x]], pageSize: A4}\n",
                false
            ),
            [
                "2:26 settings.order[1]: expected text, found a list",
                "2:42 settings.pageSize: unknown variant `A4`, expected `a4` or `letter`",
            ]
        );
    }

    /// A JSON file reads like the same YAML: the same paths and messages, its own positions.
    #[test]
    fn json_reads_like_yaml() {
        let json = "{\n\t\"basics\": {\"name\": \"A\", \"emial\": \"a@b.c\"},\n\t\"work\": [\n\t\t{\"startDate\": \"2020-13\"},\n\t\t{\"highlights\": \"one\"}\n\t]\n}\n";
        let yaml = "basics: {name: A, emial: a@b.c}\nwork:\n  - startDate: \"2020-13\"\n  - highlights: one\n";
        let messages = |list: Vec<String>| -> Vec<String> {
            list.into_iter()
                .map(|l| l.split_once(' ').unwrap().1.to_string())
                .collect()
        };
        let from_json = problems(json, true);
        assert_eq!(
            from_json,
            [
                "2:26 unknown field \"emial\" in basics; did you mean \"email\"?",
                "4:17 work[0].startDate: invalid month 13 in date \"2020-13\": months run from 01 to 12",
                "5:18 work[1].highlights: expected a list of highlights, found a string",
            ]
        );
        assert_eq!(messages(from_json), messages(problems(yaml, false)));
    }

    /// A syntax error stops the run: what follows it is unreliable, what comes before it is
    /// reported with it.
    #[test]
    fn a_syntax_error_stops_the_run() {
        let yaml =
            "basics: {name: A}\nwork:\n  - startDate: \"2020-13\"\nskills: [a, b\nawards: 5\n";
        let found = problems(yaml, false);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].starts_with("3:16 work[0].startDate: invalid month 13"),
            "{found:?}"
        );
        assert!(found[1].starts_with("5:7 invalid YAML: "), "{found:?}");
        let json = "{\"basics\": {\"name\": \"A\"}, \"work\": [{\"startDate\": \"2020-13\"}],\n}";
        let found = problems(json, true);
        assert_eq!(found.len(), 2, "{found:?}");
        // With no tree to read, the path comes from where serde_json stopped.
        assert!(
            found[0].starts_with("1:50 work[0].startDate: invalid month 13"),
            "{found:?}"
        );
        assert_eq!(found[1], "2:1 trailing comma");
        // A syntax error before the wrong value: the wrong value is not reached.
        let found = problems(
            "basics: {name: A\nwork:\n  - startDate: \"2020-13\"\n",
            false,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("invalid YAML"), "{found:?}");
    }

    /// A repeated key stops the reading too, but is said beside a wrong value before it.
    #[test]
    fn a_repeated_key_is_reported_beside_an_earlier_wrong_value() {
        let yaml = "basics:\n  name: A\n  label: [b]\n  name: C\n";
        assert_eq!(
            problems(yaml, false),
            [
                "3:10 basics.label: expected text, or a map from language code to text, found a list",
                "4:3 basics: the key \"name\" is given twice",
            ]
        );
    }

    /// Many wrong entries cost one small read each, not a read of the whole file each.
    #[test]
    fn many_wrong_entries_are_all_reported() {
        let mut yaml = String::from("basics: {name: A}\nwork:\n");
        for _ in 0..300 {
            yaml.push_str("  - {startDate: \"2020-13\", highlights: x}\n");
        }
        let found = problems(&yaml, false);
        assert_eq!(found.len(), 600);
        assert!(found[599].starts_with("302:"), "{}", found[599]);
        assert!(
            found[599].contains("work[299].highlights"),
            "{}",
            found[599]
        );
    }
}
