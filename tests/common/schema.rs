//! A résumé generated from vitae's own JSON Schema, with a chosen text in every string field:
//! tests that must hold "for every field" use it, so fields added later are covered without
//! anyone listing them. Each field's text carries a mark `Q<n>Q` naming the field.
#![allow(dead_code)] // Each test binary uses a different subset.

use serde_json::{Map, Value, json};
use std::path::Path;
use std::time::Duration;

/// The mark of field `n`, which every payload must contain.
pub fn mark(n: usize) -> String {
    format!("Q{n}Q")
}

/// The field numbers whose marks appear in `text`.
pub fn marks_in(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find('Q') {
        rest = &rest[at + 1..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest[digits..].starts_with('Q') {
            out.extend(rest[..digits].parse::<usize>().ok());
            rest = &rest[digits + 1..];
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Builds a value for `schema`, numbering every string field and recording its path.
struct Generator<'a> {
    defs: &'a Map<String, Value>,
    fields: Vec<String>,
    payload: &'a dyn Fn(usize) -> String,
}

impl<'a> Generator<'a> {
    fn resolve(&self, schema: &'a Value) -> &'a Value {
        let defs: &'a Map<String, Value> = self.defs;
        match schema.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let name = r.rsplit('/').next().unwrap_or(r);
                self.resolve(&defs[name])
            }
            None => schema,
        }
    }

    fn value(&mut self, schema: &'a Value, path: &str, depth: usize) -> Option<Value> {
        let schema = self.resolve(schema);
        if depth > 16 {
            return None;
        }
        let typed = schema.get("type").is_some() || schema.get("properties").is_some();
        for key in ["anyOf", "oneOf"] {
            if let Some(branches) = schema.get(key).and_then(Value::as_array).filter(|_| !typed) {
                // The richest branch that is not null: an object with properties over a string
                // over the rest.
                let rank = |s: &Value| {
                    let s = self.resolve(s);
                    let kind = match s.get("type") {
                        Some(Value::String(t)) => t.as_str(),
                        Some(Value::Array(t)) => t.first().and_then(Value::as_str).unwrap_or(""),
                        _ => "",
                    };
                    match kind {
                        "object" if s.get("properties").is_some() => 0,
                        "string" => 1,
                        "null" => 9,
                        _ if s.get("anyOf").is_some() || s.get("$ref").is_some() => 2,
                        _ => 5,
                    }
                };
                let best = branches.iter().min_by_key(|b| rank(b))?;
                return self.value(best, path, depth + 1);
            }
        }
        if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
            return self.value(all.first()?, path, depth + 1);
        }
        if let Some(options) = schema.get("enum").and_then(Value::as_array) {
            return options.iter().find(|o| !o.is_null()).cloned();
        }
        if let Some(c) = schema.get("const") {
            return Some(c.clone());
        }
        let kind = match schema.get("type") {
            Some(Value::String(t)) => t.as_str(),
            Some(Value::Array(types)) => types
                .iter()
                .filter_map(Value::as_str)
                .find(|t| *t != "null")
                .unwrap_or("null"),
            _ if schema.get("properties").is_some() => "object",
            _ => return None,
        };
        match kind {
            "object" => {
                let mut out = Map::new();
                if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                    // A deprecated key is an old name of another: both at once is an error.
                    let current = props
                        .iter()
                        .filter(|(_, sub)| sub.get("deprecated").is_none());
                    for (key, sub) in current {
                        if let Some(v) = self.value(sub, &format!("{path}.{key}"), depth + 1) {
                            out.insert(key.clone(), v);
                        }
                    }
                }
                // A map with keys of the user's choosing (custom sections, titles): one key.
                if let Some(extra) = schema.get("additionalProperties").filter(|a| a.is_object())
                    && let Some(v) = self.value(extra, &format!("{path}.extra"), depth + 1)
                {
                    out.insert("extra".into(), v);
                }
                Some(Value::Object(out))
            }
            "array" => {
                let item = schema.get("items")?;
                let v = self.value(item, &format!("{path}[0]"), depth + 1)?;
                Some(json!([v]))
            }
            "string" => {
                self.fields.push(path.trim_start_matches('.').to_string());
                Some(Value::String((self.payload)(self.fields.len() - 1)))
            }
            "boolean" => schema.get("default").cloned().or(Some(json!(false))),
            "integer" | "number" => schema.get("default").cloned().or(Some(json!(1))),
            _ => None,
        }
    }
}

/// `value` as indented JSON, one key or item a line, with the JSON pointer of what starts on
/// each line: an error's line then names the value it is about.
fn pretty(value: &Value) -> (String, Vec<String>) {
    fn write(value: &Value, indent: usize, pointer: &str, out: &mut String, at: &mut Vec<String>) {
        let pad = "  ".repeat(indent + 1);
        let entries: Vec<(String, &Value)> = match value {
            Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v)).collect(),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            scalar => {
                out.push_str(&scalar.to_string());
                return;
            }
        };
        let (open, close) = if value.is_object() {
            ('{', '}')
        } else {
            ('[', ']')
        };
        out.push(open);
        for (i, (key, v)) in entries.iter().enumerate() {
            out.push('\n');
            let child = format!("{pointer}/{}", key.replace('~', "~0").replace('/', "~1"));
            at.push(child.clone());
            out.push_str(&pad);
            if value.is_object() {
                out.push_str(&Value::String(key.clone()).to_string());
                out.push_str(": ");
            }
            write(v, indent + 1, &child, out, at);
            if i + 1 < entries.len() {
                out.push(',');
            }
        }
        out.push('\n');
        at.push(String::new());
        out.push_str(&"  ".repeat(indent));
        out.push(close);
    }
    let mut out = String::new();
    let mut at = vec![String::new()];
    write(value, 0, "", &mut out, &mut at);
    out.push('\n');
    (out, at)
}

/// The JSON pointers of the values `stderr`'s errors point at in `resume.json`.
fn refused_pointers(stderr: &str, at: &[String]) -> Vec<String> {
    let mut out: Vec<String> = stderr
        .lines()
        .filter_map(|line| {
            let n: usize = line
                .split("resume.json:")
                .nth(1)?
                .split(':')
                .next()?
                .parse()
                .ok()?;
            at.get(n.checked_sub(1)?).filter(|p| !p.is_empty()).cloned()
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// Removes the value at `pointer`.
fn remove(value: &mut Value, pointer: &str) {
    let Some((parent, key)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = key.replace("~1", "/").replace("~0", "~");
    match value.pointer_mut(parent) {
        Some(Value::Object(map)) => {
            map.remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>()
                && i < items.len()
            {
                items.remove(i);
            }
        }
        _ => {}
    }
}

/// Builds `dir/resume.json` into `formats` under `dir/out`, and returns the error output; the
/// build must succeed.
#[track_caller]
pub fn build(dir: &Path, formats: &str) -> String {
    let out = super::common::vitae()
        .current_dir(dir)
        .args([
            "build",
            "resume.json",
            "-f",
            formats,
            "-o",
            "out",
            "--color",
            "never",
        ])
        .timeout(Duration::from_secs(120))
        .output()
        .expect("vitae runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    stderr
}

fn check(dir: &Path) -> (bool, String) {
    let out = super::common::vitae()
        .current_dir(dir)
        .args(["check", "resume.json", "--color", "never"])
        .timeout(Duration::from_secs(60))
        .output()
        .expect("vitae runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// What [`resume_with`] made.
pub struct Generated {
    /// The résumé, as written to `resume.json`.
    pub resume: Value,
    /// The path of every string field of the schema, by number.
    pub fields: Vec<String>,
    /// The fields still in the résumé.
    pub kept: Vec<String>,
    /// The fields validation refused with the payload, and that were taken out.
    pub dropped: Vec<String>,
}

/// The string fields of the schema, with the résumé made of them.
pub fn generate(payload: &dyn Fn(usize) -> String) -> (Value, Vec<String>) {
    let schema = Value::from(vitae::model::json_schema());
    let empty = Map::new();
    let defs = schema
        .get("definitions")
        .and_then(Value::as_object)
        .unwrap_or(&empty);
    let mut generator = Generator {
        defs,
        fields: Vec::new(),
        payload,
    };
    let resume = generator.value(&schema, "", 0).expect("a résumé");
    (resume, generator.fields)
}

/// The schema's résumé with `payload(n)` in string field `n`, written to `dir/resume.json`,
/// less the fields validation refuses with it (a date, a language code, a file name): those
/// never reach an exporter.
pub fn resume_with(dir: &Path, payload: &dyn Fn(usize) -> String) -> Generated {
    let (mut resume, fields) = generate(payload);
    for _ in 0..fields.len() {
        let (text, at) = pretty(&resume);
        std::fs::write(dir.join("resume.json"), &text).expect("write");
        let (ok, stderr) = check(dir);
        if ok {
            break;
        }
        let refused = refused_pointers(&stderr, &at);
        assert!(!refused.is_empty(), "an error names no value:\n{stderr}");
        // Deepest first, so that removing one does not shift another's index.
        for pointer in refused.iter().rev() {
            remove(&mut resume, pointer);
        }
    }
    let (text, _) = pretty(&resume);
    let dropped = fields
        .iter()
        .enumerate()
        .filter(|(n, _)| !text.contains(&mark(*n)))
        .map(|(_, f)| f.clone())
        .collect();
    let kept = fields
        .iter()
        .enumerate()
        .filter(|(n, _)| text.contains(&mark(*n)))
        .map(|(_, f)| f.clone())
        .collect();
    std::fs::write(dir.join("resume.json"), &text).expect("write");
    Generated {
        resume,
        fields,
        kept,
        dropped,
    }
}
