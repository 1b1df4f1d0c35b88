//! Reading a résumé file into [`Resume`], with every problem located.
//!
//! A well-formed file reports all its problems at once, in file order: wrong values (found
//! value by value, see `recover`), unknown keys, and the checks made after reading. A file that
//! is not a tree of values (a syntax error) stops at the first, since what follows is
//! unreliable. This module and `recover` are the only ones that know which YAML crate is used.

use super::Resume;
use super::source_map::{SourceMap, join_key};
use super::suggest;
use crate::diag::{Diagnostic, Diagnostics, Location, SourceFile};
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest résumé vitae reads. Real ones are a few KiB; this keeps a stray file from
/// exhausting memory.
pub const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// How strictly to read.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadOptions {
    /// Unknown keys are errors instead of warnings.
    pub strict: bool,
    /// Leaves the photo `basics.image` names unread (and unchecked): for text that is checked
    /// before it is put where its photo would be, as `vitae import` checks what it writes.
    pub skip_photo: bool,
}

/// A parsed résumé with what is needed to point at its lines later.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub resume: Resume,
    pub source: SourceFile,
    pub map: SourceMap,
    /// The canonical folder the résumé was read from, which is all that files it names (a
    /// layout) may come from; `None` when it was read from memory or standard input, which may
    /// name built-in layouts only.
    pub dir: Option<PathBuf>,
    /// The photo `basics.image` names, read when the résumé was loaded.
    pub photo: Option<super::photo::Photo>,
    /// Problems that did not stop loading.
    pub warnings: Vec<Diagnostic>,
}

impl Loaded {
    /// The location of the value at `path`, if the path exists in the file under its name or,
    /// in a file written before JSON Resume 1.0, under the old name vitae read it by
    /// (`basics.website` for `basics.url`).
    pub fn locate(&self, path: &str) -> Option<Location> {
        let at = self
            .map
            .value(path)
            .or_else(|| old_names(path).find_map(|old| self.map.value(&old)))?;
        Some(Location::at(&self.source, at..at + 1))
    }

    /// The location of the value at `path`, or of the list item it was derived from (`work[0]`
    /// for `work[0].Courses`, a fact vitae made of `courses`). A path outside any item, such as
    /// a heading the locale gave (`work.title`), has none.
    pub fn locate_nearest(&self, path: &str) -> Option<Location> {
        let path = path.split('#').next().unwrap_or(path);
        self.locate(path).or_else(|| {
            let item = &path[..path.rfind(']')? + 1];
            self.locate(item)
        })
    }

    /// Gives `diagnostic` the location of the field it names, if it has none yet.
    pub fn locate_field(&self, mut diagnostic: Diagnostic) -> Diagnostic {
        if diagnostic.location.is_none()
            && let Some(field) = &diagnostic.field
        {
            diagnostic.location = self.locate_nearest(field);
        }
        diagnostic
    }

    /// The location of the key at `path` (or of its value when it has no key).
    pub fn locate_key(&self, path: &str) -> Option<Location> {
        self.map
            .key(path)
            .map(|at| Location::at(&self.source, at..at + 1))
    }

    /// For an error about the value at `path`: its location or, where the two YAML readers
    /// disagree about the text (a quoted scalar over several lines, a line break only one of
    /// them honours), that of the nearest value around it that both read, so that no error
    /// about the file goes without a place in it.
    ///
    /// Where the position map has nothing around it either (a text only one reader breaks
    /// lines in), the key is looked for as text, and failing that the error is placed at the
    /// start of the file: it is about this file, and never left without a place.
    pub fn locate_within(&self, path: &str) -> Location {
        let mut within = path;
        loop {
            if let Some(location) = self.locate(within).or_else(|| self.locate_key(within)) {
                return location;
            }
            match within.rfind(['.', '[']) {
                Some(at) => within = &within[..at],
                None => break,
            }
        }
        let key = path.rsplit(['.', ']']).next().unwrap_or(path);
        let at = key_in_text(&self.source.text, key).unwrap_or(0);
        Location::at(&self.source, at..(at + 1).min(self.source.text.len()))
    }
}

/// Reads and parses a résumé file. Only a regular file is read: a FIFO, a device or a
/// directory is refused at once (see [`crate::confine::open_regular`]); standard input is read
/// by the caller, with [`load_bytes_in`].
pub fn load_file(path: &Path, options: LoadOptions) -> Result<Loaded, Diagnostics> {
    let name = path.display().to_string();
    let fail = |message: String| Diagnostics(vec![Diagnostic::error(message)]);
    let cannot = |e: std::io::Error| fail(format!("cannot read {name}: {}", io_reason(&e)));
    let file =
        crate::confine::open_regular(path).map_err(|e| fail(format!("cannot read {name}: {e}")))?;
    if let Ok(meta) = file.metadata()
        && meta.len() > MAX_FILE_BYTES
    {
        return Err(fail(format!(
            "{name} is {:.1} MiB; vitae reads résumés of at most 5 MiB",
            meta.len() as f64 / (1024.0 * 1024.0)
        )));
    }
    // The cap holds for what the metadata cannot size (/proc files), and a file that grows.
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(fail(format!(
            "{name} is larger than 5 MiB; vitae reads résumés of at most 5 MiB"
        )));
    }
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let dir = path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .and_then(|p| p.canonicalize().ok());
    load_bytes_in(&name, &bytes, is_json, dir, options)
}

/// `No such file or directory`, without Rust's `(os error 2)`.
pub(crate) fn io_reason(error: &std::io::Error) -> String {
    let text = error.to_string();
    match text.find(" (os error") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Parses a résumé from memory. `name` is used in messages; JSON gets a JSON parser because
/// real-world `resume.json` files are often indented with tabs, which YAML forbids.
pub fn load_bytes(
    name: &str,
    bytes: &[u8],
    is_json: bool,
    options: LoadOptions,
) -> Result<Loaded, Diagnostics> {
    load_bytes_in(name, bytes, is_json, None, options)
}

/// [`load_bytes`] for a résumé that lives in the folder `dir` (canonical), so that it may name
/// a layout file inside that folder.
pub fn load_bytes_in(
    name: &str,
    bytes: &[u8],
    is_json: bool,
    dir: Option<PathBuf>,
    options: LoadOptions,
) -> Result<Loaded, Diagnostics> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Diagnostics(vec![Diagnostic::error(format!(
            "{name} is larger than 5 MiB; vitae reads résumés of at most 5 MiB"
        ))]));
    }
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => return Err(Diagnostics(vec![not_utf8(name, bytes, e)])),
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let source = SourceFile::new(name, text);
    if is_blank(text) {
        return Err(Diagnostics(vec![
            Diagnostic::error("the file is empty: a résumé needs at least `basics` with a `name`")
                .with_location(Some(Location::at_line_col(&source, 1, 1))),
        ]));
    }

    // Positions and size limits first: the limits must hold before anything expands aliases.
    // JSON is read by the same YAML scanner, so that its limits and positions come from one
    // place; JSON allows tabs between tokens where YAML does not, and a space in their place
    // keeps every offset.
    let scanned = if is_json {
        std::borrow::Cow::Owned(text.replace('\t', " "))
    } else {
        std::borrow::Cow::Borrowed(text)
    };
    let map = SourceMap::build(&scanned).map_err(|limit| {
        let at = limit.offset;
        Diagnostics(vec![
            Diagnostic::error(limit.message).with_location(Some(Location::at(&source, at..at + 1))),
        ])
    })?;
    let mut unknown: Vec<String> = Vec::new();
    let parsed = if is_json {
        let de = &mut serde_json::Deserializer::from_str(text);
        serde_ignored::deserialize(de, |p| unknown.push(path_string(&p)))
            .map_err(|e| json_error(&source, &map, &e))
    } else {
        let de = serde_yaml::Deserializer::from_str(text);
        serde_ignored::deserialize(de, |p| unknown.push(path_string(&p)))
            .map_err(|e| yaml_error(&source, &map, &e))
    };
    // serde stops at the first wrong value. When the document is well-formed, each wrong value
    // is set aside in turn so that every one of them is reported; a document that is not even a
    // tree of values (a syntax error, a repeated key) stops here, since what follows is
    // unreliable.
    let (resume, mut problems, repaired): (Resume, Vec<Diagnostic>, Vec<usize>) = match parsed {
        Ok(resume) => (resume, Vec::new(), Vec::new()),
        Err(first) => match super::recover::recover(text, is_json) {
            Some(recovered) => {
                unknown = recovered.unknown;
                let problems = recovered
                    .errors
                    .iter()
                    .map(|e| {
                        // A missing field is missed by the entry, which its key names.
                        let at = if e.message.starts_with("missing field") {
                            map.key(&e.path)
                        } else {
                            None
                        };
                        let location = at
                            .or_else(|| map.nearest(&e.path, false))
                            .map(|at| Location::at(&source, at..at + 1));
                        Diagnostic::error(humanize(&e.message, &e.path)).with_location(location)
                    })
                    .collect::<Vec<_>>();
                let repaired = problems
                    .iter()
                    .filter_map(|d| d.location.as_ref().map(|l| l.range.start))
                    .collect();
                (recovered.resume, problems, repaired)
            }
            None => {
                let mut problems = vec![first];
                if let Some(stop) = not_a_tree(text, is_json, &source, &map)
                    && stop.location != problems[0].location
                {
                    problems.push(stop);
                }
                sort_by_position(&mut problems);
                return Err(Diagnostics(problems));
            }
        },
    };

    let mut loaded = Loaded {
        resume,
        source,
        map,
        dir,
        photo: None,
        warnings: Vec::new(),
    };
    problems.extend(
        unknown
            .iter()
            .filter(|path| path.as_str() != "$schema")
            .map(|path| unknown_key(&loaded, path, options.strict)),
    );
    // A value set aside for being wrong is not judged again: what stands in for it could only
    // add a second complaint about the same spot.
    let follows_from_repair = |d: &Diagnostic| {
        d.location
            .as_ref()
            .is_some_and(|l| repaired.contains(&l.range.start))
    };
    problems.extend(
        super::validate::check(&loaded)
            .into_iter()
            .filter(|d| !follows_from_repair(d)),
    );
    // An empty value that is already an error (a blank name) needs no second word.
    let judged: Vec<usize> = problems
        .iter()
        .filter_map(|d| d.location.as_ref().map(|l| l.range.start))
        .collect();
    problems.extend(super::legacy::warnings(&loaded).into_iter().filter(|d| {
        d.location
            .as_ref()
            .is_none_or(|l| !judged.contains(&l.range.start))
    }));
    if !options.skip_photo {
        match super::photo::read(&loaded) {
            Ok(photo) => loaded.photo = photo,
            Err(problem) if !follows_from_repair(&problem) => problems.push(*problem),
            Err(_) => {}
        }
    }
    sort_by_position(&mut problems);
    if problems.iter().any(Diagnostic::is_error) {
        return Err(Diagnostics(problems));
    }
    loaded.warnings = problems;
    Ok(loaded)
}

/// `"text"`, `12.5`, `true`: one JSON scalar, nothing around it.
fn is_json_scalar(token: &str) -> bool {
    let quoted = token.len() >= 2
        && token.starts_with('"')
        && token.ends_with('"')
        && !token[1..token.len() - 1].contains(['\n', '"']);
    let bare = !token.is_empty()
        && token
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    quoted || bare
}

/// What keeps a document from being read value by value (a syntax error, a key given twice),
/// said beside the first wrong value, which may come before it.
fn not_a_tree(
    text: &str,
    is_json: bool,
    source: &SourceFile,
    map: &SourceMap,
) -> Option<Diagnostic> {
    if is_json {
        let error = serde_json::from_str::<serde_yaml::Value>(text).err()?;
        return Some(json_error(source, map, &error));
    }
    let error = serde_yaml::from_str::<serde_yaml::Value>(text).err()?;
    repeated_key(&error, source, map).or_else(|| Some(yaml_error(source, map, &error)))
}

/// serde_yaml's words for a key given twice in a plain tree of values, as serde's for a field.
fn repeated_key(
    error: &serde_yaml::Error,
    source: &SourceFile,
    map: &SourceMap,
) -> Option<Diagnostic> {
    let text = error.to_string();
    let text = match error.location() {
        Some(l) => {
            let suffix = format!(" at line {} column {}", l.line(), l.column());
            text.strip_suffix(suffix.as_str())
                .unwrap_or(&text)
                .to_string()
        }
        None => text,
    };
    let (path, message) = split_path(&text);
    let key = message
        .strip_prefix("duplicate entry with key \"")?
        .strip_suffix('"')?;
    let at = map.key(&join_key(path, key))?;
    Some(
        Diagnostic::error(humanize(&format!("duplicate field `{key}`"), path))
            .with_location(Some(Location::at(source, at..at + 1))),
    )
}

/// In file order: unlocated problems (about the whole file) first, then by line and column;
/// problems at the same place keep the order they were found in.
fn sort_by_position(problems: &mut [Diagnostic]) {
    problems.sort_by_key(|d| d.location.as_ref().map(|l| (l.line, l.column)));
}

fn is_blank(text: &str) -> bool {
    text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---" || l == "..."
    })
}

fn not_utf8(name: &str, bytes: &[u8], error: std::str::Utf8Error) -> Diagnostic {
    let lossy = String::from_utf8_lossy(bytes);
    let valid = &bytes[..error.valid_up_to()];
    // The valid prefix decodes identically in the lossy text, so its length is an offset there.
    let at = String::from_utf8_lossy(valid).len();
    let source = SourceFile::new(name, lossy.as_ref());
    let byte = bytes[error.valid_up_to()];
    Diagnostic::error(format!("the file is not valid UTF-8 (byte 0x{byte:02X})"))
        .with_location(Some(Location::at(&source, at..at + '\u{fffd}'.len_utf8())))
        .with_hint("save the file as UTF-8")
}

/// `work[0].highlights[2]` from serde_ignored's path.
pub(crate) fn path_string(path: &serde_ignored::Path) -> String {
    use serde_ignored::Path as P;
    match path {
        P::Root => String::new(),
        P::Seq { parent, index } => format!("{}[{index}]", path_string(parent)),
        P::Map { parent, key } => join_key(&path_string(parent), key),
        P::Some { parent } | P::NewtypeStruct { parent } | P::NewtypeVariant { parent } => {
            path_string(parent)
        }
    }
}

fn unknown_key(loaded: &Loaded, path: &str, strict: bool) -> Diagnostic {
    let (parent, key) = match path.rfind('.') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    };
    let known = suggest::fields_at(parent);
    let mut message = if parent.is_empty() {
        format!("unknown section \"{key}\"")
    } else {
        format!("unknown field \"{key}\" in {parent}")
    };
    let suggestion = suggest::closest(key, &known);
    if let Some(best) = suggestion {
        message.push_str(&format!("; did you mean \"{best}\"?"));
    }
    let diagnostic = if strict {
        Diagnostic::error(message)
    } else {
        Diagnostic::warning(message)
    };
    let diagnostic = diagnostic.with_location(Some(
        loaded
            .locate_key(path)
            .unwrap_or_else(|| loaded.locate_within(path)),
    ));
    if parent.is_empty() && suggestion.is_none() {
        diagnostic.with_hint(
            "vitae ignores it; to show it, move its entries under `custom:` with a title",
        )
    } else if strict {
        diagnostic
    } else {
        diagnostic.with_hint("vitae ignores it; `--strict` makes this an error")
    }
}

pub(crate) fn json_error(
    source: &SourceFile,
    map: &SourceMap,
    error: &serde_json::Error,
) -> Diagnostic {
    let text = error.to_string();
    let message = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    let location = (error.line() > 0)
        .then(|| Location::at_line_col(source, error.line(), error.column().max(1)));
    // serde_json names no path, and places a wrong scalar's error on its last character: when
    // the text up to there is one whole scalar, its path is known.
    if error.classify() == serde_json::error::Category::Data
        && let Some(loc) = &location
        && let Some((path, at)) = map.value_before(loc.range.start)
        && source
            .text
            .get(at..loc.range.end)
            .is_some_and(is_json_scalar)
    {
        return Diagnostic::error(humanize(message, path))
            .with_location(Some(Location::at(source, at..at + 1)));
    }
    Diagnostic::error(humanize(message, "")).with_location(location)
}

pub(crate) fn yaml_error(
    source: &SourceFile,
    map: &SourceMap,
    error: &serde_yaml::Error,
) -> Diagnostic {
    let text = error.to_string();
    let mut location = error
        .location()
        .map(|l| Location::at_line_col(source, l.line(), l.column()));
    // serde_yaml appends the location to its own errors ("path: message at line L column C");
    // it is shown separately. A libyaml message also names a second position, which stays.
    let suffix = error
        .location()
        .map(|l| format!(" at line {} column {}", l.line(), l.column()));
    let without_location = match &suffix {
        Some(suffix) => text.strip_suffix(suffix.as_str()).unwrap_or(&text),
        None => &text,
    };
    let (path, message) = split_path(without_location);
    // libyaml reads some broken text (`&a &a`) as the start of a second document, and serde_yaml
    // then says so without a position; the scanner knows where the text stopped being YAML.
    // A document libyaml gave up on for its alias budget or a second document may also be
    // broken text the scanner stopped at first: that is the mistake to show.
    if (message.contains("more than one document") || message.contains("repetition limit"))
        && let Some((at, why)) = map.syntax_error()
    {
        return Diagnostic::error(format!("invalid YAML: {why}"))
            .with_location(Some(Location::at(source, at..at + 1)));
    }
    // libyaml (YAML 1.1) breaks lines at U+0085, U+2028 and U+2029, which the scanner (YAML
    // 1.2) reads as text: what follows one can start a second document only for libyaml.
    if message.contains("more than one document")
        && let Some(at) = source.text.find(['\u{85}', '\u{2028}', '\u{2029}'])
    {
        let c = source.text[at..].chars().next().unwrap_or('\u{85}');
        return Diagnostic::error(format!(
            "a second YAML document starts after this line break ({}), which some YAML readers honour and others do not; a résumé file holds one document",
            crate::link::escape_char(c)
        ))
        .with_location(Some(Location::at(source, at..at + c.len_utf8())))
        .with_hint("remove the character, or write an ordinary line break");
    }
    // Otherwise a document marker the scanner read as text, or else the file as a whole.
    if message.contains("more than one document") && location.is_none() {
        let at = source
            .text
            .match_indices("\n---")
            .chain(source.text.match_indices("\n..."))
            .map(|(at, _)| at + 1)
            .min()
            .unwrap_or(0);
        location = Some(Location::at(source, at..(at + 1).min(source.text.len())));
    }
    if message.contains("repetition limit")
        && let Some(at) = map.first_alias()
    {
        location = Some(Location::at(source, at..at + 1));
    }
    // libyaml names no position for some syntax errors; the scanner stopped at the same text.
    if location.is_none()
        && (message.contains("while parsing") || message.contains("while scanning"))
        && let Some((at, _)) = map.syntax_error()
    {
        location = Some(Location::at(source, at..at + 1));
    }
    // serde reports a repeated key at its mapping; the source map knows the repeat itself.
    if let Some(key) = message
        .strip_prefix("duplicate field `")
        .and_then(|k| k.strip_suffix('`'))
        && let Some(at) = map.key(&join_key(path, key))
    {
        location = Some(Location::at(source, at..at + 1));
    }
    let mut diagnostic = Diagnostic::error(humanize(message, path)).with_location(location.clone());
    if let Some(loc) = &location
        && loc.line_text.trim_start_matches(' ').starts_with('\t')
    {
        diagnostic =
            diagnostic.with_hint("YAML does not allow tabs for indentation; indent with spaces");
    }
    diagnostic
}

/// serde_yaml prefixes errors inside the document with the path, e.g. `work[0].highlights: `.
pub(super) fn split_path(text: &str) -> (&str, &str) {
    if let Some(i) = text.find(": ") {
        let head = &text[..i];
        let looks_like_path = !head.contains(' ')
            && head
                .chars()
                .all(|c| c.is_alphanumeric() || "[]._$-".contains(c));
        if looks_like_path && !head.is_empty() {
            return (head, &text[i + 2..]);
        }
    }
    ("", text)
}

/// Rewrites serde's messages in plain words, prefixed with the path where there is one.
pub(super) fn humanize(message: &str, path: &str) -> String {
    let field = path
        .rsplit('.')
        .next()
        .unwrap_or("")
        .split('[')
        .next()
        .unwrap_or("");
    let at = |text: String| {
        if path.is_empty() {
            text
        } else {
            format!("{path}: {text}")
        }
    };
    if let Some(rest) = message.strip_prefix("invalid type: ")
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        let found = describe_found(found);
        if path.is_empty() && expected.starts_with("struct Resume") {
            return format!(
                "expected a mapping of résumé sections at the top level, found {found}"
            );
        }
        return at(format!(
            "expected {}, found {found}",
            describe_expected(expected, field)
        ));
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        return at(format!(
            "missing required field \"{}\"",
            rest.trim_matches('`')
        ));
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        return at(format!(
            "the key \"{}\" is given twice",
            rest.trim_matches('`')
        ));
    }
    if let Some(rest) = message.strip_prefix("invalid value: integer `") {
        let value = rest.split('`').next().unwrap_or("");
        return at(format!(
            "expected a whole number of at least 0, found {value}"
        ));
    }
    if message.contains("more than one document") {
        return "a second YAML document starts in this file; a résumé file holds one document"
            .to_string();
    }
    if message.contains("recursion limit exceeded") {
        return "the document is nested too deeply (vitae allows 128 levels)".to_string();
    }
    if message.contains("repetition limit exceeded") {
        return "YAML aliases expand to too much data; vitae refuses documents that blow up when \
                aliases are expanded"
            .to_string();
    }
    if message.contains("while scanning") || message.contains("while parsing") {
        return format!("invalid YAML: {}", strip_positions(message));
    }
    at(message.to_string())
}

/// libyaml writes "problem at line L column C, while parsing X at line L2 column C2". The first
/// position is the diagnostic's own location; the second says where the unfinished construct
/// began, which is often where the mistake is (an unclosed `[`).
fn strip_positions(message: &str) -> String {
    let mut parts = message.splitn(2, ", while ");
    let problem = parts.next().unwrap_or(message);
    let problem = problem.split(" at line ").next().unwrap_or(problem);
    match parts.next() {
        Some(context) => match context.split_once(" at line ") {
            Some((what, at)) => {
                let (line, column) = at.split_once(" column ").unwrap_or((at, ""));
                let column = column.trim_end_matches(|c: char| !c.is_ascii_digit());
                format!("{problem}, while {what} that starts at line {line}, column {column}")
            }
            None => format!("{problem}, while {context}"),
        },
        None => problem.to_string(),
    }
}

fn describe_found(found: &str) -> String {
    let kind = found.split(' ').next().unwrap_or(found);
    match kind {
        "string" => "a string".to_string(),
        "integer" | "floating" => match found.split('`').nth(1) {
            Some(number) => format!("the number {number}"),
            None => "a number".to_string(),
        },
        "boolean" => "true/false".to_string(),
        "sequence" => "a list".to_string(),
        "map" => "a mapping".to_string(),
        "unit" | "null" => "nothing (null)".to_string(),
        _ => found.to_string(),
    }
}

fn describe_expected(expected: &str, field: &str) -> String {
    match expected {
        "a sequence" if !field.is_empty() => format!("a list of {}", plural_words(field)),
        "a sequence" => "a list".to_string(),
        "a map" => "a mapping".to_string(),
        "a string" => "text".to_string(),
        "u32" | "u64" => "a whole number".to_string(),
        other if other.starts_with("struct ") => {
            format!("a mapping (the fields of {})", plural_words(field))
        }
        other => other.to_string(),
    }
}

/// `highlights` → `highlights`, `postalCode` → `postal code`.
fn plural_words(field: &str) -> String {
    let mut out = String::new();
    for c in field.chars() {
        if c.is_uppercase() {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `path` with each key renamed by JSON Resume 1.0 put back to its old name, one at a time:
/// `bio.website` for `basics.url` is reached through `bio.url` and `basics.website`.
fn old_names(path: &str) -> impl Iterator<Item = String> + '_ {
    let mut out = Vec::new();
    let mut pending = vec![path.to_string()];
    while let Some(current) = pending.pop() {
        for (section, _, old, new) in super::legacy::ALIASES {
            // Where `new` sits: at the top, or as a key of `section`'s entries or object.
            let candidates: Vec<String> = if section.is_empty() {
                current
                    .strip_prefix(new)
                    .filter(|rest| rest.is_empty() || rest.starts_with(['.', '[']))
                    .map(|rest| format!("{old}{rest}"))
                    .into_iter()
                    .collect()
            } else {
                let mut found = Vec::new();
                let prefix_dot = format!("{section}.{new}");
                if let Some(rest) = current.strip_prefix(&prefix_dot)
                    && (rest.is_empty() || rest.starts_with(['.', '[']))
                {
                    found.push(format!("{section}.{old}{rest}"));
                }
                if let Some(rest) = current.strip_prefix(&format!("{section}["))
                    && let Some((index, tail)) = rest.split_once("].")
                    && let Some(after) = tail.strip_prefix(new)
                    && (after.is_empty() || after.starts_with(['.', '[']))
                {
                    found.push(format!("{section}[{index}].{old}{after}"));
                }
                found
            };
            for candidate in candidates {
                if !out.contains(&candidate) && out.len() < 16 {
                    out.push(candidate.clone());
                    pending.push(candidate);
                }
            }
        }
    }
    out.into_iter()
}

/// Where `key` is written as a mapping key in `text` (at the start of a line or after `{`, `,`
/// or `- `, then `:`), for errors the position map cannot place.
fn key_in_text(text: &str, key: &str) -> Option<usize> {
    if key.is_empty() {
        return None;
    }
    text.match_indices(key).map(|(at, _)| at).find(|&at| {
        let before = text[..at].trim_end_matches([' ', '\t', '"', '\'']);
        let after = text[at + key.len()..].trim_start_matches(['"', '\'', ' ']);
        after.starts_with(':')
            && (before.is_empty()
                || before.ends_with(['\n', '\r', '{', ','])
                || before.ends_with("- "))
    })
}
