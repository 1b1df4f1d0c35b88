//! `vitae import`: a résumé written for another tool, as vitae YAML.
//!
//! RenderCV (`cv:` with `sections:`), YAMLResume (`content:`) and JSON Resume (including the
//! keys of its versions before 1.0) are read as trees and rewritten field by field. Nothing
//! is dropped silently: a value with no place in vitae's format goes to the entry's text when it
//! is text about the entry, else into the comment at the top of the file, and every such value
//! is in the [`Report`].
//!
//! An import writes only what it means to. The comment is built so that no key or value of the
//! input can end it early and become YAML ([`comment_safe`]). And the text is read back, as
//! `vitae check --strict` reads it, before it is handed out: it must read back as exactly the
//! résumé the importer built. When it does not, a value of the input that vitae cannot take (an
//! end before its start, a line break in a link) is reported at its place in the input, the
//! file the user has (see `trace`); anything else is vitae's own bug, and is called one.

mod jsonresume;
mod rendercv;
mod trace;
mod yamlresume;

use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use crate::model::load::{MAX_FILE_BYTES, json_error, path_string, yaml_error};
use crate::model::source_map::{
    MAX_HIGHLIGHTS, MAX_LIST_ITEMS, MAX_TEXT_CHARS, SourceMap, join_key,
};
use crate::model::{Date, LoadOptions, Resume, load_bytes};
use serde_yaml::{Mapping, Value};
use std::borrow::Cow;
use trace::{Input, Origins};

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
    /// The résumé `yaml` holds: what the importer built, and what reading `yaml` back gives
    /// (the import checks the two are the same).
    pub resume: Resume,
    pub report: Report,
    /// Warnings about values of the input, located in it.
    pub warnings: Vec<Diagnostic>,
}

/// Why a file cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// Problems of the file being imported, each located in it: it is not YAML or JSON, it
    /// breaks a size limit, or it holds a value vitae cannot take.
    #[error("{0}")]
    Invalid(Diagnostics),
    #[error(
        "it is not a RenderCV (`cv:`), YAMLResume (`content:`) or JSON Resume (`basics:`) file"
    )]
    Unrecognised,
    /// What vitae would write does not read back as the résumé it built, for a reason that is
    /// not in the input: vitae's own bug.
    #[error(
        "vitae import produced an invalid file: {0}. This is a bug in vitae; please report it, with the file you imported"
    )]
    Produced(String),
}

/// Converts `text`, the contents of the file called `name`.
pub fn convert(name: &str, text: &str) -> Result<Imported, ImportError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let source = SourceFile::new(name, text);
    // The same limits as any résumé: an alias bomb must not expand here either. JSON allows
    // tabs between tokens where YAML does not; a space in their place keeps every offset.
    let scanned = text.replace('\t', " ");
    let map = SourceMap::build(&scanned).map_err(|limit| {
        let at = limit.offset;
        invalid(vec![
            Diagnostic::error(limit.message).with_location(Some(Location::at(&source, at..at + 1))),
        ])
    })?;
    // JSON gets a JSON parser, as `vitae check` gives it: real-world `resume.json` files are
    // often indented with tabs, which YAML forbids. A YAML file may start with `{` too (a flow
    // mapping): what is not JSON is read as YAML, and when it is neither, JSON's error is the
    // one that says what is wrong.
    let yaml = || serde_yaml::from_str::<Value>(text);
    let parsed = if text.trim_start().starts_with('{') {
        match serde_json::from_str::<Value>(text) {
            Ok(tree) => Ok(tree),
            Err(json) => yaml().map_err(|_| json_error(&source, &map, &json)),
        }
    } else {
        yaml().map_err(|e| yaml_error(&source, &map, &e))
    };
    // serde_yaml names no position for some errors (an alias repeated past its limit): the
    // scanner's, or else the file's start, still says which file.
    let parsed = parsed.map_err(|mut d| {
        if d.location.is_none() {
            let at = map.syntax_error().map_or(0, |(at, _)| at);
            d.location = Some(Location::at(&source, at..at + 1));
        }
        invalid(vec![d])
    });
    let tree = untag(parsed?);
    let mut out = Out::default();
    out.origins.record("", "");
    let kind = {
        let root = tree.as_mapping().ok_or(ImportError::Unrecognised)?;
        if root.get("cv").is_some_and(Value::is_mapping) {
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
        }
    };
    out.finish(kind, &Input { source, map, tree })
}

fn invalid(diagnostics: Vec<Diagnostic>) -> ImportError {
    ImportError::Invalid(Diagnostics(diagnostics))
}

/// The value with its YAML tags dropped (`!foo x` is `x`): a tag names a type for the tool
/// that wrote the file, and nothing vitae reads depends on it.
fn untag(value: Value) -> Value {
    match value {
        Value::Tagged(tagged) => untag(tagged.value),
        Value::Sequence(items) => Value::Sequence(items.into_iter().map(untag).collect()),
        Value::Mapping(map) => {
            Value::Mapping(map.into_iter().map(|(k, v)| (untag(k), untag(v))).collect())
        }
        other => other,
    }
}

/// The résumé being written, the report of what had no place, and where each part came from.
#[derive(Default)]
pub(crate) struct Out {
    pub doc: Mapping,
    pub report: Report,
    pub origins: Origins,
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

    /// Records that the output's `out` (a path such as `basics` or `custom.talks`) was made
    /// from the input's `input`, so that a problem with it is reported there.
    pub fn from(&mut self, out: impl Into<String>, input: impl Into<String>) {
        self.origins.record(out, input);
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

    /// Sets `settings.<key>`, made from the input's `from`.
    pub fn setting(&mut self, key: &str, value: Value, from: &str) {
        self.settings().insert(Value::from(key), value);
        self.from(format!("settings.{key}"), from);
    }

    pub fn note(&mut self, note: impl Into<String>) {
        self.report.notes.push(note.into());
    }

    /// Appends `entry`, made from the input's `from`, to the list `section` of the output.
    /// The list as a whole comes from the list of the first entry.
    pub fn push(&mut self, section: &str, entry: Mapping, from: &str) {
        if !self.doc.contains_key(section)
            && let Some(list) = from.strip_suffix(']').and_then(|f| f.rsplit_once('['))
        {
            self.origins.record(section, list.0);
        }
        let list = self
            .doc
            .entry(Value::from(section))
            .or_insert_with(|| Value::Sequence(Vec::new()));
        if let Value::Sequence(items) = list {
            self.origins
                .record(format!("{section}[{}]", items.len()), from);
            items.push(Value::Mapping(entry));
        }
    }

    /// The YAML text, checked: it must read back as the résumé built, and a problem that
    /// keeps it from doing so is reported in the input when it comes from there.
    fn finish(self, source: Source, input: &Input) -> Result<Imported, ImportError> {
        let tree = Value::Mapping(tidy(self.doc));
        let body = serde_yaml::to_string(&tree)
            .map_err(|e| ImportError::Produced(format!("its YAML cannot be written: {e}")))?;
        let mut yaml = header(source, &input.source.name, &self.report.unmapped);
        let body_at = yaml.len();
        yaml.push_str(&body);
        let (resume, warnings) = check(&yaml, &yaml[body_at..], &tree, &self.origins, input)?;
        Ok(Imported {
            source,
            yaml,
            resume,
            report: self.report,
            warnings,
        })
    }
}

/// The comment at the top of the output: where it came from, and each value with no field.
fn header(source: Source, name: &str, unmapped: &[Unmapped]) -> String {
    let mut yaml = format!(
        "# yaml-language-server: $schema=./vitae.schema.json\n# Imported from {} ({}) by vitae import.\n",
        source.name(),
        comment_safe(name)
    );
    let comments: Vec<&Unmapped> = unmapped
        .iter()
        .filter(|u| u.kept == Kept::Comment)
        .collect();
    if !comments.is_empty() {
        yaml.push_str("# Values vitae has no field for, kept here so that nothing is lost:\n");
        for u in comments {
            yaml.push_str(&format!(
                "#   {}: {}\n",
                comment_safe(&u.path),
                comment_safe(&u.value)
            ));
        }
    }
    yaml
}

/// `text` made safe inside a `#` comment line: each character that could end the line or the
/// comment is written out as `\u{…}` text. That is every character a YAML reader may take for
/// a line break (`\n`, `\r`, and U+0085, U+2028 and U+2029, which YAML 1.1 readers and some
/// others break lines at), every other control character, the characters YAML does not allow
/// in a comment at all (U+FEFF, U+FFFE, U+FFFF), and the bidirectional controls, which can
/// make an editor show a comment as something else.
pub(crate) fn comment_safe(text: &str) -> Cow<'_, str> {
    fn unsafe_in_comment(c: char) -> bool {
        c.is_control()
            || matches!(
                c,
                '\u{2028}'
                    | '\u{2029}'
                    | '\u{feff}'
                    | '\u{fffe}'
                    | '\u{ffff}'
                    | '\u{200e}'
                    | '\u{200f}'
                    | '\u{202a}'..='\u{202e}'
                    | '\u{2066}'..='\u{2069}'
            )
    }
    if !text.chars().any(unsafe_in_comment) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.chars()
            .map(|c| {
                if unsafe_in_comment(c) {
                    c.escape_unicode().to_string()
                } else {
                    c.to_string()
                }
            })
            .collect(),
    )
}

/// Reads the converted `yaml` back as `vitae check --strict` would (but for the photo, which
/// is not beside it yet), and checks it is what the importer built: its `body` (the text after
/// the comment) reads back as exactly `tree`, and the whole file as the same résumé as the
/// body alone, so that nothing in the comment counts. Returns that résumé and the warnings,
/// located in the input.
fn check(
    yaml: &str,
    body: &str,
    tree: &Value,
    origins: &Origins,
    input: &Input,
) -> Result<(Resume, Vec<Diagnostic>), ImportError> {
    if yaml.len() as u64 > MAX_FILE_BYTES {
        // About the whole file: shown at its start.
        return Err(invalid(vec![
            Diagnostic::error(format!(
                "converted, this file is {:.1} MiB of YAML; vitae reads résumés of at most 5 MiB",
                yaml.len() as f64 / (1024.0 * 1024.0)
            ))
            .with_location(Some(Location::at(&input.source, 0..1)))
            .with_hint("YAML aliases in it are written out in full"),
        ]));
    }
    // Limits the input kept can be broken by what the importer merged: a summary with the
    // dates vitae could not read appended, nested bullets flattened into one list.
    let mut over = Vec::new();
    over_limits(tree, "", &mut over);
    if !over.is_empty() {
        let relocated: Option<Vec<Diagnostic>> = over
            .iter()
            .map(|(path, message, list)| {
                let problem = Diagnostic::error(message.clone());
                origins.at_path(&problem, path, *list, tree, input)
            })
            .collect();
        return Err(match relocated {
            Some(list) => invalid(list),
            None => ImportError::Produced(format!("{}: {}", over[0].0, over[0].1)),
        });
    }
    let produced = |why: &str| Err(ImportError::Produced(why.to_string()));
    if serde_yaml::from_str::<Value>(body).ok().as_ref() != Some(tree) {
        return produced("its YAML does not read back as the values written");
    }
    // Nothing in the comment may count, to either YAML reader vitae uses: serde_yaml (the
    // values) and yaml-rust2 (positions and limits).
    // (A body over a limit is left for the load to report.) The keys are compared as a set:
    // their order comes from positions, which yaml-rust2 miscounts after a block scalar with
    // characters of more than one byte.
    let keys = |text: &str| {
        SourceMap::build(text).map(|m| {
            let mut keys = m.key_paths();
            keys.sort_unstable();
            keys.join("\n")
        })
    };
    let other_keys = match (keys(yaml), keys(body)) {
        (Ok(whole), Ok(body)) => whole != body,
        (whole, body) => whole.is_err() && body.is_ok(),
    };
    if other_keys || serde_yaml::from_str::<Value>(yaml).ok().as_ref() != Some(tree) {
        return produced("its comment changes what the file reads as");
    }
    // The body read as a résumé, as the loader reads text (a plain `0.5` is text where text is
    // expected): a key vitae has no field for can only be the importer's doing.
    let mut unknown = Vec::new();
    let built: Result<Resume, _> =
        serde_ignored::deserialize(serde_yaml::Deserializer::from_str(body), |p| {
            unknown.push(path_string(&p))
        });
    if let Some(path) = unknown.first() {
        return produced(&format!("{path} is not a field of vitae's format"));
    }
    let options = LoadOptions {
        strict: true,
        skip_photo: true,
    };
    // The name only appears in a message of vitae's own bug, where it is replaced below.
    let read = load_bytes("(converted)", yaml.as_bytes(), false, options);
    let written = SourceMap::build(yaml).unwrap_or_default();
    let relocate = |d: &Diagnostic| origins.relocate(d, &written, tree, input);
    let loaded = match read {
        Ok(loaded) => loaded,
        Err(Diagnostics(problems)) => {
            let mut located = Vec::new();
            for d in &problems {
                match relocate(d) {
                    Some(moved) => located.push(moved),
                    // A file with nothing vitae reads as the person (no name anywhere) is the
                    // input's problem, about all of it: shown at its start.
                    None if d.is_error() && d.message.starts_with(NO_BASICS) => {
                        located.push(Diagnostic {
                            location: Some(crate::diag::Location::at(&input.source, 0..1)),
                            hint: Some("give the person's name, which every résumé needs".into()),
                            ..d.clone()
                        });
                    }
                    None if d.is_error() => return produced(&d.message),
                    None => {}
                }
            }
            located.sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
            return Err(invalid(located));
        }
    };
    match built {
        Ok(built) if built == loaded.resume => {}
        Ok(_) => return produced("its comment changes the résumé it reads as"),
        Err(e) => return produced(&e.to_string()),
    }
    let warnings = loaded
        .warnings
        .iter()
        .map(|w| {
            relocate(w).unwrap_or_else(|| Diagnostic {
                location: None,
                ..w.clone()
            })
        })
        .collect();
    Ok((loaded.resume, warnings))
}

/// How the loader's error about a résumé without `basics` begins.
const NO_BASICS: &str = "the résumé has no `basics` section";

/// Each value of the converted tree that breaks a limit every résumé is read under: its path,
/// what is wrong, and whether it is a list (shown at its key).
fn over_limits(node: &Value, path: &str, found: &mut Vec<(String, String, bool)>) {
    match node {
        Value::String(s) => {
            let chars = s.chars().count();
            if chars > MAX_TEXT_CHARS {
                found.push((
                    path.to_string(),
                    format!(
                        "this would be a text of {chars} characters once converted; vitae takes at most {MAX_TEXT_CHARS} in one text"
                    ),
                    false,
                ));
            }
        }
        Value::Sequence(items) => {
            let (limit, what, within) = if path.ends_with("highlights") {
                (MAX_HIGHLIGHTS, "highlights", "entry")
            } else {
                (MAX_LIST_ITEMS, "items", "list")
            };
            if items.len() > limit {
                found.push((
                    path.to_string(),
                    format!(
                        "this would be a list of {} {what} once converted; vitae takes at most {limit} in one {within}",
                        items.len()
                    ),
                    true,
                ));
            }
            for (i, item) in items.iter().enumerate() {
                over_limits(item, &format!("{path}[{i}]"), found);
            }
        }
        Value::Mapping(map) => {
            for (k, v) in map {
                over_limits(v, &join_key(path, &key_text(k)), found);
            }
        }
        _ => {}
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

/// A mapping's key as it is named in a path: a string as it is, any other key as one line
/// (`2020`, `[a, b]`), so that a value under a key that is not text is not reported under an
/// empty name.
pub(crate) fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null => "null".to_string(),
        other => one_line(other),
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

/// A date vitae reads (`YYYY`, `YYYY-MM`, `YYYY-MM-DD`), from what another tool wrote: the
/// same forms, or a date with an English month name (see [`month_name_date`]).
pub(crate) fn date(value: &Value) -> Option<String> {
    let t = text(value)?;
    match Date::parse(&t) {
        Ok(_) => Some(t),
        Err(_) => month_name_date(&t),
    }
}

/// A date written with an English month name, as YAMLResume's own examples and many
/// hand-written files have them: `Sep 2016`, `September 2016`, `Sep 1, 2016`, `1 Sep 2016`
/// (a full stop after an abbreviation allowed), as `2016-09` or `2016-09-01`.
fn month_name_date(text: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let month = |w: &str| {
        let w = w.strip_suffix('.').unwrap_or(w).to_ascii_lowercase();
        // Three letters at least: `Ma` could be March or May.
        (w.len() >= 3)
            .then(|| MONTHS.iter().position(|m| m.starts_with(&w)))
            .flatten()
            .map(|i| i + 1)
    };
    let digits = |w: &str, widths: std::ops::RangeInclusive<usize>| {
        (widths.contains(&w.len()) && w.bytes().all(|b| b.is_ascii_digit()))
            .then(|| w.parse::<u16>().ok())
            .flatten()
    };
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let (year, month, day) = match words[..] {
        [m, y] => (digits(y, 4..=4)?, month(m)?, None),
        [a, b, y] => {
            let year = digits(y, 4..=4)?;
            match (month(a), digits(b, 1..=2), digits(a, 1..=2), month(b)) {
                (Some(m), Some(d), _, _) | (_, _, Some(d), Some(m)) => (year, m, Some(d)),
                _ => return None,
            }
        }
        _ => return None,
    };
    let iso = match day {
        Some(d) => format!("{year:04}-{month:02}-{d:02}"),
        None => format!("{year:04}-{month:02}"),
    };
    // The day must exist in its month.
    Date::parse(&iso).ok().map(|_| iso)
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
/// An education's dates: those vitae reads go to `startDate` and `endDate` of `entry`; the
/// rest, which education has no text for, becomes one course (`Fall 2012 – Spring 2014`).
pub(crate) fn education_dates(
    out: &mut Out,
    path: &str,
    from: &Mapping,
    keys: [&str; 3],
    entry: &mut Mapping,
    courses: &mut Vec<String>,
) {
    let mut dated = Mapping::new();
    dates(out, path, from, keys, &mut dated, "courses");
    for key in ["startDate", "endDate"] {
        if let Some(v) = dated.get(key) {
            entry.insert(Value::from(key), v.clone());
        }
    }
    if let Some(t) = dated.get("courses").and_then(text) {
        courses.push(t.replace("\n\n", " – "));
    }
}

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
        for (written, read) in [
            ("Sep 2016", Some("2016-09")),
            ("September 2016", Some("2016-09")),
            ("Sept. 2016", Some("2016-09")),
            ("Sep 1, 2016", Some("2016-09-01")),
            ("1 Sep 2016", Some("2016-09-01")),
            ("Feb 29, 2023", None),
            ("Ma 2016", None),
            ("Sep 16", None),
            ("Spring 2020", None),
        ] {
            assert_eq!(date(&Value::from(written)).as_deref(), read, "{written}");
        }
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
        let Err(ImportError::Invalid(Diagnostics(problems))) = convert("bomb.yaml", bomb) else {
            panic!("the bomb is refused");
        };
        assert_eq!(
            problems.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
            ["bomb.yaml:6:13: YAML aliases expand this document to more than 200000 values"]
        );
    }

    /// Every character that a YAML reader may take for a line break, or that YAML does not
    /// allow in a comment.
    const BREAKING: [(char, &str); 9] = [
        ('\n', "\\u{a}"),
        ('\r', "\\u{d}"),
        ('\u{85}', "\\u{85}"),
        ('\u{2028}', "\\u{2028}"),
        ('\u{2029}', "\\u{2029}"),
        ('\u{0}', "\\u{0}"),
        ('\u{1b}', "\\u{1b}"),
        ('\u{feff}', "\\u{feff}"),
        ('\u{202e}', "\\u{202e}"),
    ];

    #[test]
    fn comment_text_escapes_every_line_break_and_control_character() {
        for (c, escaped) in BREAKING {
            assert_eq!(
                comment_safe(&format!("a{c}b")),
                format!("a{escaped}b"),
                "U+{:04X}",
                c as u32
            );
        }
        assert_eq!(comment_safe("tab\there"), "tab\\u{9}here");
        assert!(matches!(comment_safe("plain: é # - ---"), Cow::Borrowed(_)));
    }

    /// The lines of `yaml` before its first line that is not a comment.
    fn comment_lines(yaml: &str) -> Vec<&str> {
        yaml.split('\n')
            .take_while(|l| l.starts_with('#'))
            .collect()
    }

    /// `text` as a double-quoted YAML scalar with every character but printable ASCII escaped,
    /// so that the value read is exactly `text` (a raw U+0085 inside quotes is folded).
    fn escaped(text: &str) -> String {
        let mut out = String::from("\"");
        for c in text.chars() {
            match c {
                ' '..='~' if c != '"' && c != '\\' => out.push(c),
                _ => out.push_str(&format!("\\u{:04X}", c as u32)),
            }
        }
        out.push('"');
        out
    }

    /// Imports a RenderCV file whose only unmapped value is `key: value` under `cv`, and checks
    /// that it stays in its comment line: the comment holds no break of any kind, and the file
    /// reads as the same tree without its comment, to serde_yaml and to yaml-rust2 alike.
    fn stays_in_the_comment(key: &str, value: &str) -> String {
        let input = format!("cv:\n  name: Ada\n  {}: {}\n", escaped(key), escaped(value));
        let imported = convert("in.yaml", &input).unwrap_or_else(|e| panic!("{e}\n{input}"));
        let yaml = &imported.yaml;
        let comments = comment_lines(yaml);
        let header: usize = comments.iter().map(|l| l.len() + 1).sum();
        for line in &comments {
            assert!(
                !line.contains(['\r', '\u{85}', '\u{2028}', '\u{2029}']),
                "{line:?}"
            );
        }
        let body = &yaml[header..];
        assert!(body.starts_with("basics:"), "{yaml:?}");
        let whole: Value = serde_yaml::from_str(yaml).unwrap();
        assert_eq!(
            whole,
            serde_yaml::from_str::<Value>(body).unwrap(),
            "{yaml:?}"
        );
        let keys = |text: &str| -> Vec<String> {
            SourceMap::build(text)
                .unwrap()
                .key_paths()
                .into_iter()
                .map(str::to_string)
                .collect()
        };
        assert_eq!(keys(yaml), keys(body), "{yaml:?}");
        assert_eq!(imported.resume.basics.unwrap().name, "Ada".into());
        comments
            .iter()
            .find(|l| l.starts_with("#   cv."))
            .unwrap_or_else(|| panic!("no comment line in {yaml:?}"))
            .to_string()
    }

    #[test]
    fn no_key_can_end_its_comment() {
        for (c, escaped) in BREAKING {
            let line = stays_in_the_comment(&format!("x{c}evil: 1"), "v");
            assert_eq!(line, format!("#   cv.x{escaped}evil: 1: \"v\""));
        }
    }

    #[test]
    fn no_value_can_end_its_comment() {
        for (c, escaped) in BREAKING {
            let line = stays_in_the_comment("x", &format!("v{c}evil: 1"));
            // JSON already escapes the C0 characters in values (`\n`, `\u001b`); the others
            // are escaped for the comment.
            let json = serde_json::to_string(&format!("v{c}evil: 1")).unwrap();
            let expected = if json.contains(c) {
                format!("#   cv.x: \"v{escaped}evil: 1\"")
            } else {
                format!("#   cv.x: {json}")
            };
            assert_eq!(line, expected, "U+{:04X}", c as u32);
        }
    }

    #[test]
    fn what_does_not_read_back_as_built_is_called_vitaes_own_bug() {
        let text = "cv:\n  name: Ada\n";
        let input = Input {
            source: SourceFile::new("in.yaml", text),
            map: SourceMap::build(text).unwrap(),
            tree: serde_yaml::from_str(text).unwrap(),
        };
        let mut origins = Origins::default();
        origins.record("", "");
        origins.record("basics", "cv");
        // `comment` and `body` as the file, made of `tree`.
        let check_text = |comment: &str, body: &str, tree: &str| {
            let tree: Value = serde_yaml::from_str(tree).unwrap();
            let yaml = format!("{comment}{body}");
            check(&yaml, &yaml[comment.len()..], &tree, &origins, &input)
                .map(|(resume, _)| resume)
                .map_err(|e| e.to_string())
        };
        let bug = |why: &str| {
            format!(
                "vitae import produced an invalid file: {why}. This is a bug in vitae; please \
                 report it, with the file you imported"
            )
        };
        let unknown = "basics: {name: Ada}\neducation: [{summary: x}]\n";
        assert_eq!(
            check_text("", unknown, unknown).unwrap_err(),
            bug("education[0].summary is not a field of vitae's format")
        );
        assert_eq!(
            check_text("", "basics: {name: Eve}\n", "basics: {name: Ada}\n").unwrap_err(),
            bug("its YAML does not read back as the values written")
        );
        let ada = "basics: {name: Ada}\n";
        assert_eq!(
            check_text("# x\u{85}basics: {name: Eve}\n", ada, ada).unwrap_err(),
            bug("its comment changes what the file reads as"),
            "a comment that libyaml ends at U+0085"
        );
        let ok = check_text("# a comment\n", ada, ada);
        assert_eq!(ok.unwrap().basics.unwrap().name, "Ada".into());
    }

    #[test]
    fn the_file_name_cannot_end_its_comment() {
        let imported = convert("a\u{2028}b: c\n.yaml", "cv:\n  name: Ada\n").unwrap();
        assert_eq!(
            comment_lines(&imported.yaml)[1],
            "# Imported from RenderCV (a\\u{2028}b: c\\u{a}.yaml) by vitae import."
        );
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
