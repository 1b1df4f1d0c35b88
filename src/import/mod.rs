//! `vitae import`: a résumé written for another tool, as vitae YAML.
//!
//! RenderCV (`cv:` with `sections:`), YAMLResume (`content:`) and JSON Resume (including the
//! keys of its versions before 1.0) are read as YAML trees and rewritten field by field. Nothing
//! is dropped silently: a value with no place in vitae's format goes to the entry's text when it
//! is text about the entry, else into the comment at the top of the file, and every such value
//! is in the [`Report`].

mod jsonresume;
mod rendercv;
mod yamlresume;

use crate::model::Date;
use crate::model::source_map::SourceMap;
use serde_yaml::{Mapping, Value};

/// The formats `vitae import` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    RenderCv,
    YamlResume,
    JsonResume,
}

impl Source {
    pub fn name(self) -> &'static str {
        match self {
            Source::RenderCv => "RenderCV",
            Source::YamlResume => "YAMLResume",
            Source::JsonResume => "JSON Resume",
        }
    }
}

/// A value of the input that vitae's format has no field for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Unmapped {
    /// Where it was in the input, e.g. `cv.sections.talks[0].venue`.
    pub path: String,
    /// The value, as one line of YAML.
    pub value: String,
    /// Where it went.
    pub kept: Kept,
}

/// Where an unmapped value was kept.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase", tag = "in", content = "at")]
pub enum Kept {
    /// In the comment at the top of the output.
    Comment,
    /// Appended to a text field of the output, named by its path.
    Field(String),
}

/// What an import changed besides moving values to their vitae names.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Report {
    /// Values with no vitae field.
    pub unmapped: Vec<Unmapped>,
    /// Conversions worth knowing of: a theme mapped to a layout, nested bullets flattened.
    pub notes: Vec<String>,
}

/// A converted résumé.
#[derive(Debug, Clone)]
pub struct Imported {
    pub source: Source,
    /// The vitae YAML, with a comment at the top holding what had no place.
    pub yaml: String,
    pub report: Report,
}

/// Why a file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Limit(String),
    #[error("it is not YAML or JSON: {0}")]
    Syntax(String),
    #[error(
        "it is not a RenderCV (`cv:`), YAMLResume (`content:`) or JSON Resume (`basics:`) file"
    )]
    Unrecognised,
}

/// Converts `text`, the contents of the file called `name`.
pub fn convert(name: &str, text: &str) -> Result<Imported, ImportError> {
    // The same limits as any résumé: an alias bomb must not expand here either.
    let scanned = text.replace('\t', " ");
    SourceMap::build(&scanned).map_err(|e| ImportError::Limit(e.message))?;
    let value: Value =
        serde_yaml::from_str(text).map_err(|e| ImportError::Syntax(e.to_string()))?;
    let root = value.as_mapping().ok_or(ImportError::Unrecognised)?;
    let mut out = Out::default();
    let source = if root.get("cv").is_some_and(Value::is_mapping) {
        rendercv::convert(root, &mut out);
        Source::RenderCv
    } else if root.get("content").is_some_and(Value::is_mapping) {
        yamlresume::convert(root, &mut out);
        Source::YamlResume
    } else if root.get("basics").is_some_and(Value::is_mapping)
        || ["work", "education", "skills"]
            .iter()
            .any(|k| root.get(*k).is_some_and(Value::is_sequence))
    {
        jsonresume::convert(root, &mut out);
        Source::JsonResume
    } else {
        return Err(ImportError::Unrecognised);
    };
    Ok(out.finish(source, name))
}

/// The résumé being written and the report of what had no place.
#[derive(Default)]
pub(crate) struct Out {
    pub doc: Mapping,
    pub report: Report,
}

impl Out {
    /// Records a value with no place, kept in the top comment.
    pub fn unmapped(&mut self, path: &str, value: &Value) {
        self.report.unmapped.push(Unmapped {
            path: path.to_string(),
            value: one_line(value),
            kept: Kept::Comment,
        });
    }

    /// Records a value appended to a text field.
    pub fn kept_in(&mut self, path: &str, value: &Value, field: &str) {
        self.report.unmapped.push(Unmapped {
            path: path.to_string(),
            value: one_line(value),
            kept: Kept::Field(field.to_string()),
        });
    }

    /// The output's `settings`, made on first use.
    pub fn settings(&mut self) -> &mut Mapping {
        let entry = self
            .doc
            .entry(Value::from("settings"))
            .or_insert_with(|| Value::Mapping(Mapping::new()));
        if !entry.is_mapping() {
            *entry = Value::Mapping(Mapping::new());
        }
        match entry {
            Value::Mapping(m) => m,
            _ => unreachable!("made a mapping just above"),
        }
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.report.notes.push(note.into());
    }

    /// Appends `entry` to the list `section` of the output.
    pub fn push(&mut self, section: &str, entry: Mapping) {
        let list = self
            .doc
            .entry(Value::from(section))
            .or_insert_with(|| Value::Sequence(Vec::new()));
        if let Value::Sequence(items) = list {
            items.push(Value::Mapping(entry));
        }
    }

    fn finish(self, source: Source, name: &str) -> Imported {
        let body = serde_yaml::to_string(&Value::Mapping(tidy(self.doc))).unwrap_or_default();
        let mut yaml = format!(
            "# yaml-language-server: $schema=./vitae.schema.json\n# Imported from {} ({name}) by vitae import.\n",
            source.name()
        );
        let comments: Vec<&Unmapped> = self
            .report
            .unmapped
            .iter()
            .filter(|u| u.kept == Kept::Comment)
            .collect();
        if !comments.is_empty() {
            yaml.push_str("# Values vitae has no field for, kept here so that nothing is lost:\n");
            for u in comments {
                yaml.push_str(&format!("#   {}: {}\n", u.path, u.value.replace('\n', " ")));
            }
        }
        yaml.push_str(&body);
        Imported {
            source,
            yaml,
            report: self.report,
        }
    }
}

/// The sections in vitae's own order, then anything else as it came.
fn tidy(doc: Mapping) -> Mapping {
    const ORDER: [&str; 15] = [
        "basics",
        "work",
        "projects",
        "education",
        "certificates",
        "awards",
        "publications",
        "volunteer",
        "skills",
        "languages",
        "interests",
        "references",
        "custom",
        "meta",
        "settings",
    ];
    let mut out = Mapping::new();
    for key in ORDER {
        if let Some(v) = doc.get(key) {
            out.insert(Value::from(key), v.clone());
        }
    }
    for (k, v) in doc {
        if !out.contains_key(&k) {
            out.insert(k, v);
        }
    }
    out
}

/// A value as one line of YAML (flow style), for reports and comments.
pub(crate) fn one_line(value: &Value) -> String {
    match value {
        Value::String(s) => serde_json::to_string(s).unwrap_or_default(),
        other => serde_json::to_string(other).unwrap_or_else(|_| format!("{other:?}")),
    }
}

/// A scalar as text: strings as they are, numbers and booleans written out.
pub(crate) fn text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A date vitae reads (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`), from what another tool wrote.
pub(crate) fn date(value: &Value) -> Option<String> {
    let t = text(value)?;
    Date::parse(&t).ok().map(|_| t)
}

/// Whether an end date means "ongoing".
pub(crate) fn is_present(value: &Value) -> bool {
    text(value).is_some_and(|t| {
        ["present", "now", "current", "ongoing"].contains(&t.to_ascii_lowercase().as_str())
    })
}

/// A list of strings, from a list or a single string.
pub(crate) fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Sequence(items) => items.iter().filter_map(text).collect(),
        other => text(other).into_iter().collect(),
    }
}

/// Inserts `key: value` when the value is there.
pub(crate) fn set(map: &mut Mapping, key: &str, value: Option<String>) {
    if let Some(v) = value {
        map.insert(Value::from(key), Value::from(v));
    }
}

/// Inserts a list when it is not empty.
pub(crate) fn set_list(map: &mut Mapping, key: &str, values: Vec<String>) {
    if !values.is_empty() {
        map.insert(
            Value::from(key),
            Value::Sequence(values.into_iter().map(Value::from).collect()),
        );
    }
}

/// Appends a sentence to a text field of `map` (creating it), for a value that belongs to the
/// entry but has no field of its own.
pub(crate) fn append(map: &mut Mapping, key: &str, sentence: &str) {
    let merged = match map.get(key).and_then(text) {
        Some(existing) => format!("{existing}\n\n{sentence}"),
        None => sentence.to_string(),
    };
    map.insert(Value::from(key), Value::from(merged));
}

/// Start and end dates, or a single date, in vitae's keys. A date vitae cannot read is kept as
/// text in `fallback` of the entry, and reported.
pub(crate) fn dates(
    out: &mut Out,
    path: &str,
    from: &Mapping,
    keys: [&str; 3],
    entry: &mut Mapping,
    fallback: &str,
) {
    let [single, start, end] = keys;
    let mut carry = |entry: &mut Mapping, key: &str, value: &Value, target: &str| match date(value)
    {
        Some(d) => {
            entry.insert(Value::from(target), Value::from(d));
        }
        None if target == "endDate" && is_present(value) => {
            entry.insert(Value::from("endDate"), Value::from("present"));
        }
        None => {
            if let Some(t) = text(value) {
                append(entry, fallback, &t);
                out.kept_in(&format!("{path}.{key}"), value, fallback);
            }
        }
    };
    if let Some(v) = from.get(start) {
        carry(entry, start, v, "startDate");
    }
    if let Some(v) = from.get(end) {
        carry(entry, end, v, "endDate");
    }
    if let Some(v) = from.get(single) {
        if from.get(start).is_some() {
            // Both: the range is the date; the single one was a display override.
            if let Some(t) = text(v) {
                out.kept_in(&format!("{path}.{single}"), v, fallback);
                append(entry, fallback, &t);
            }
        } else {
            carry(entry, single, v, "startDate");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_ongoing_ends_are_read_as_vitae_writes_them() {
        assert_eq!(date(&Value::from("2020-09")), Some("2020-09".into()));
        assert_eq!(date(&Value::from(2020)), Some("2020".into()));
        assert_eq!(date(&Value::from("Fall 2020")), None);
        assert!(is_present(&Value::from("Present")));
        assert!(!is_present(&Value::from("2020")));
    }

    #[test]
    fn other_files_are_refused_and_alias_bombs_are_bounded() {
        assert_eq!(
            convert("x.yaml", "name: Ada\n").err(),
            Some(ImportError::Unrecognised)
        );
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\ncv: {name: [*e, *e, *e]}\n";
        assert!(matches!(
            convert("bomb.yaml", bomb),
            Err(ImportError::Limit(_))
        ));
    }

    #[test]
    fn an_unreadable_date_is_kept_as_text_and_reported() {
        let mut out = Out::default();
        let from: Mapping = serde_yaml::from_str("date: Fall 2020\nend_date: present\n").unwrap();
        let mut entry = Mapping::new();
        dates(
            &mut out,
            "cv.x[0]",
            &from,
            ["date", "start_date", "end_date"],
            &mut entry,
            "description",
        );
        assert_eq!(
            entry.get("description").and_then(text),
            Some("Fall 2020".into())
        );
        assert_eq!(entry.get("endDate").and_then(text), Some("present".into()));
        assert_eq!(out.report.unmapped[0].path, "cv.x[0].date");
        assert_eq!(
            out.report.unmapped[0].kept,
            Kept::Field("description".into())
        );
    }
}
