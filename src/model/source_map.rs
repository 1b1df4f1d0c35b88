//! Where each key and value of a YAML document starts, by path (`work[0].startDate`).
//!
//! serde tells what is wrong but, once a value is deserialised, no longer where it was. A second,
//! cheap pass over the parser's events records positions so that warnings and checks made after
//! deserialising (unknown keys, an end before its start) can point at the right line.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::TScalarStyle;

/// How deeply collections may nest. Real résumés nest about six levels.
pub const MAX_DEPTH: usize = 64;

/// How many values a document may hold once its aliases are expanded. A "billion laughs"
/// document is a few hundred bytes that expand to hundreds of millions of values. A long
/// résumé holds a few thousand; at this many, checking and building stay under 200 MiB.
pub const MAX_EXPANDED_NODES: usize = 200_000;

/// How many bytes of text a document may hold once its aliases are expanded: one long string
/// aliased a hundred times is few values but much memory. Twice the largest file vitae reads.
pub const MAX_EXPANDED_BYTES: usize = 10 * 1024 * 1024;

/// The longest text one value may hold, in characters: a long summary is about 2,000.
pub const MAX_TEXT_CHARS: usize = 20_000;

/// The most items one list may hold: entries of a section, keywords, courses …
pub const MAX_LIST_ITEMS: usize = 500;

/// The most highlights one entry may hold.
pub const MAX_HIGHLIGHTS: usize = 100;

/// Byte offsets of keys and values, by path.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    values: HashMap<String, usize>,
    keys: HashMap<String, usize>,
    /// Plain (unquoted) scalars as written, by path: `4.0` stays `4.0`, where serde sees 4.
    plain_scalars: HashMap<String, String>,
    /// Where the scanner first failed, and why: serde_yaml reports some syntax errors without
    /// a position ("more than one document" for `&a &a`).
    syntax_error: Option<(usize, String)>,
    /// The path of each anchored node, by anchor id.
    anchors: HashMap<usize, String>,
    /// Where an alias stands, the path of the node it repeats: a value reached through
    /// `*a` is found where `&a` wrote it.
    aliases: HashMap<String, String>,
    /// Where the first alias stands.
    first_alias: Option<usize>,
}

/// A document that breaks a size limit, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitExceeded {
    pub message: String,
    pub offset: usize,
}

enum Frame {
    Seq {
        path: String,
        next: usize,
    },
    Map {
        path: String,
        key: Option<String>,
        first: bool,
    },
}

impl SourceMap {
    /// Records positions in the document of `text`, and checks every limit on the way, before
    /// anything expands aliases or builds values: nesting, expanded size, the length of texts
    /// and lists, and that the file holds one document. A document that does not parse yields
    /// whatever was seen before the error; callers only use positions of documents serde
    /// accepted.
    pub fn build(text: &str) -> Result<SourceMap, LimitExceeded> {
        let mut map = SourceMap::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut parser = Parser::new_from_str(text);
        let mut count = Counter::default();
        let mut bytes = CharToByte::new(text);
        let mut documents = 0;
        loop {
            let (event, mark) = match parser.next_token() {
                Ok(next) => next,
                // The scanner has a flow-nesting limit of its own; it reads ahead of the
                // events, so deep `[[[…` trips it before the depth count below sees them.
                Err(e) if e.info().contains("recursion limit") => {
                    return Err(LimitExceeded {
                        message: format!(
                            "the document is nested more than {MAX_DEPTH} levels deep"
                        ),
                        offset: bytes.offset(e.marker().line(), e.marker().col()),
                    });
                }
                Err(e) => {
                    map.syntax_error = Some((
                        bytes.offset(e.marker().line(), e.marker().col()),
                        e.info().to_string(),
                    ));
                    break;
                }
            };
            let offset = bytes.offset(mark.line(), mark.col());
            count.event(&event, stack.len(), offset)?;
            match event {
                Event::StreamEnd => break,
                Event::DocumentStart => {
                    documents += 1;
                    if documents > 1 {
                        return Err(LimitExceeded {
                            message: "a second YAML document starts here; a résumé file holds \
                                      one document"
                                .to_string(),
                            offset: document_marker(text, offset),
                        });
                    }
                }
                Event::Scalar(ref value, ..) if value.chars().nth(MAX_TEXT_CHARS).is_some() => {
                    return Err(LimitExceeded {
                        message: format!(
                            "this text is {} characters long; vitae takes at most \
                             {MAX_TEXT_CHARS} in one text",
                            value.chars().count()
                        ),
                        offset,
                    });
                }
                Event::Scalar(value, style, anchor, _) => {
                    if let Some(Frame::Map {
                        path,
                        key: key @ None,
                        first,
                    }) = stack.last_mut()
                    {
                        // A block mapping's own marker is the colon after its first key; it
                        // starts where that key does.
                        if std::mem::take(first) {
                            map.values.insert(path.clone(), offset);
                        }
                        // A repeated key keeps its last position: that is the one in error.
                        map.keys.insert(join_key(path, &value), offset);
                        *key = Some(value);
                        continue;
                    }
                    check_list_length(&stack, offset)?;
                    let path = child_path(&mut stack);
                    map.values.insert(path.clone(), offset);
                    if anchor > 0 {
                        map.anchors.insert(anchor, path.clone());
                    }
                    if style == TScalarStyle::Plain {
                        map.plain_scalars.insert(path, value);
                    }
                    finish_value(&mut stack);
                }
                Event::Alias(anchor) => {
                    check_list_length(&stack, offset)?;
                    let path = child_path(&mut stack);
                    map.values.insert(path.clone(), offset);
                    if let Some(target) = map.anchors.get(&anchor).cloned() {
                        map.aliases.insert(path, target);
                    }
                    map.first_alias.get_or_insert(offset);
                    finish_value(&mut stack);
                }
                Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                    check_list_length(&stack, item_start(text, offset))?;
                    let path = child_path(&mut stack);
                    map.values.insert(path.clone(), offset);
                    if anchor > 0 {
                        map.anchors.insert(anchor, path.clone());
                    }
                    stack.push(match event {
                        Event::SequenceStart(..) => Frame::Seq { path, next: 0 },
                        _ => Frame::Map {
                            path,
                            key: None,
                            first: true,
                        },
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                    finish_value(&mut stack);
                }
                _ => {}
            }
        }
        Ok(map)
    }

    /// Where the value (or, with `key`, the key) at `path` starts, or else the nearest
    /// enclosing value the file has, the document itself at last.
    pub fn nearest(&self, path: &str, key: bool) -> Option<usize> {
        let mut path = path;
        loop {
            let at = if key {
                self.key(path)
            } else {
                self.value(path)
            };
            if at.is_some() {
                return at;
            }
            if path.is_empty() {
                return None;
            }
            path = match path.rfind(['.', '[']) {
                Some(i) => &path[..i],
                None => "",
            };
        }
    }

    /// Where the first alias (`*a`) stands.
    pub fn first_alias(&self) -> Option<usize> {
        self.first_alias
    }

    /// Where the scanner found the text not to be YAML, and its words for why.
    pub fn syntax_error(&self) -> Option<(usize, &str)> {
        self.syntax_error
            .as_ref()
            .map(|(at, why)| (*at, why.as_str()))
    }

    /// Where the value at `path` starts; inside a node an alias repeats, where the anchored
    /// node wrote it.
    pub fn value(&self, path: &str) -> Option<usize> {
        let mut path = std::borrow::Cow::Borrowed(path);
        // Each step replaces an alias by what it names, which comes before it in the file, so
        // this ends; the bound keeps a pathological file cheap.
        for _ in 0..16 {
            if let Some(at) = self.values.get(path.as_ref()) {
                return Some(*at);
            }
            let (alias, target) = self.aliases.iter().find(|(alias, _)| {
                path.strip_prefix(alias.as_str())
                    .is_some_and(|rest| rest.starts_with(['.', '[']))
            })?;
            path = std::borrow::Cow::Owned(format!("{target}{}", &path[alias.len()..]));
        }
        None
    }

    /// The value that starts last at or before `offset`, with its path and where it starts.
    pub fn value_before(&self, offset: usize) -> Option<(&str, usize)> {
        self.values
            .iter()
            .filter(|(_, at)| **at <= offset)
            .max_by_key(|(path, at)| (**at, path.len()))
            .map(|(path, at)| (path.as_str(), *at))
    }

    /// Every path that has a key, in file order.
    pub fn key_paths(&self) -> Vec<&str> {
        let mut paths: Vec<(&str, usize)> =
            self.keys.iter().map(|(p, at)| (p.as_str(), *at)).collect();
        paths.sort_by_key(|(p, at)| (*at, p.len()));
        paths.into_iter().map(|(p, _)| p).collect()
    }

    /// Every path that has a value, in file order.
    pub fn value_paths(&self) -> Vec<&str> {
        let mut paths: Vec<(&str, usize)> = self
            .values
            .iter()
            .map(|(p, at)| (p.as_str(), *at))
            .collect();
        paths.sort_by_key(|(p, at)| (*at, p.len()));
        paths.into_iter().map(|(p, _)| p).collect()
    }

    /// An unquoted scalar at `path` exactly as written.
    pub fn plain_scalar(&self, path: &str) -> Option<&str> {
        self.plain_scalars.get(path).map(String::as_str)
    }

    /// Where the key of `path` starts (for a mapping entry), else where its value starts.
    pub fn key(&self, path: &str) -> Option<usize> {
        self.keys
            .get(path)
            .copied()
            .or_else(|| self.value(path))
            .or_else(|| self.key_read_differently(path))
    }

    /// A key this scanner (YAML 1.2) read with a character around it that libyaml (YAML 1.1,
    /// which serde_yaml uses) reads as a line break or space: `\u{85}setng` for `setng`.
    fn key_read_differently(&self, path: &str) -> Option<usize> {
        let trim = |k: &str| {
            k.trim_matches(|c: char| c.is_whitespace() || matches!(c, '\u{85}' | '\u{feff}'))
                .to_string()
        };
        let wanted = trim(path);
        self.keys
            .iter()
            .filter(|(key, _)| trim(key) == wanted)
            .map(|(_, at)| *at)
            .min()
    }
}

/// Refuses the item about to be added to a list that is full already.
fn check_list_length(stack: &[Frame], offset: usize) -> Result<(), LimitExceeded> {
    let Some(Frame::Seq { path, next }) = stack.last() else {
        return Ok(());
    };
    let highlights = path.ends_with("highlights");
    let limit = if highlights {
        MAX_HIGHLIGHTS
    } else {
        MAX_LIST_ITEMS
    };
    if *next < limit {
        return Ok(());
    }
    let what = if highlights {
        format!("{path} has more than {limit} highlights; vitae takes at most {limit} in one entry")
    } else {
        format!("{path} has more than {limit} items; vitae takes at most {limit} in one list")
    };
    Err(LimitExceeded {
        message: what,
        offset,
    })
}

/// Where a list item that is a block mapping starts: its marker is the colon after its first
/// key, so step back to that key (past indentation and `- `). Flow collections start at their
/// marker already.
fn item_start(text: &str, offset: usize) -> usize {
    let offset = offset.min(text.len());
    if !text[offset..].starts_with(':') {
        return offset;
    }
    let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..offset];
    let key = line.trim_start_matches([' ', '-']);
    offset - key.len()
}

/// Where the `---` of a document starts, at or before the parser's mark for it; a document
/// without a marker starts at the mark.
fn document_marker(text: &str, offset: usize) -> usize {
    let before = &text[..offset.min(text.len())];
    match before.rfind("---") {
        Some(at) if before[at..].trim_start_matches('-').trim().is_empty() => at,
        _ => offset,
    }
}

/// yaml-rust2's markers count characters; diagnostics need byte offsets. Their `index` cannot be
/// trusted: inside a block scalar (`|`, `>`) yaml-rust2 0.13 advances it by bytes, so after one
/// holding `é` every later index is too far. Their line and column are right (the column starts
/// again on every line), so those are converted. Events arrive in document order, so a cursor
/// that mostly moves forward keeps this linear even for a file that is one long line.
struct CharToByte<'a> {
    text: &'a str,
    /// Where each line starts, as yaml-rust2 counts lines (`\n`, `\r\n` or `\r` end one).
    line_starts: Vec<usize>,
    /// The last position converted: its line (1-based), column and byte offset.
    line: usize,
    col: usize,
    byte: usize,
}

impl<'a> CharToByte<'a> {
    fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes[i] {
                b'\r' if bytes.get(i + 1) == Some(&b'\n') => {
                    line_starts.push(i + 2);
                    i += 2;
                    continue;
                }
                b'\r' | b'\n' => line_starts.push(i + 1),
                _ => {}
            }
            i += 1;
        }
        CharToByte {
            text,
            line_starts,
            line: 1,
            col: 0,
            byte: 0,
        }
    }

    /// The byte offset of a marker at `line` (1-based) and `col` (characters from its start).
    fn offset(&mut self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.saturating_sub(1)) else {
            return self.text.len();
        };
        if line != self.line || col < self.col {
            // Another line, or back on this one (a block mapping's marker, its first colon,
            // comes before the marker of its first key): from the start of the line.
            self.line = line;
            self.col = 0;
            self.byte = start;
        }
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.text.len());
        for c in self.text[self.byte..end].chars().take(col - self.col) {
            self.byte += c.len_utf8();
            self.col += 1;
        }
        self.col = col;
        self.byte
    }
}

/// Counts values and bytes of text as if aliases were expanded, and tracks depth.
#[derive(Default)]
struct Counter {
    /// Values and text bytes so far, with aliases expanded.
    expanded: Size,
    /// The expanded size of each anchored node, by anchor id.
    anchored: HashMap<usize, Size>,
    /// For each open collection: its anchor id (0 = none) and the size when it opened.
    open: Vec<(usize, Size)>,
}

/// What a node expands to: values, and bytes of text.
#[derive(Debug, Default, Clone, Copy)]
struct Size {
    values: usize,
    bytes: usize,
}

impl Size {
    fn add(&mut self, other: Size) {
        self.values = self.values.saturating_add(other.values);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }

    fn since(self, start: Size) -> Size {
        Size {
            values: self.values - start.values,
            bytes: self.bytes - start.bytes,
        }
    }
}

impl Counter {
    fn event(&mut self, event: &Event, depth: usize, offset: usize) -> Result<(), LimitExceeded> {
        match event {
            Event::Scalar(value, _, anchor, _) => {
                let size = Size {
                    values: 1,
                    bytes: value.len(),
                };
                self.expanded.add(size);
                if *anchor > 0 {
                    self.anchored.insert(*anchor, size);
                }
            }
            Event::Alias(anchor) => {
                let size = self.anchored.get(anchor).copied().unwrap_or(Size {
                    values: 1,
                    bytes: 0,
                });
                self.expanded.add(size);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if depth >= MAX_DEPTH {
                    return Err(LimitExceeded {
                        message: format!(
                            "the document is nested more than {MAX_DEPTH} levels deep"
                        ),
                        offset,
                    });
                }
                self.open.push((*anchor, self.expanded));
                self.expanded.values += 1;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, start)) = self.open.pop()
                    && anchor > 0
                {
                    self.anchored.insert(anchor, self.expanded.since(start));
                }
            }
            _ => {}
        }
        let aliased = !self.anchored.is_empty();
        if self.expanded.values > MAX_EXPANDED_NODES {
            let message = if aliased {
                format!(
                    "YAML aliases expand this document to more than {MAX_EXPANDED_NODES} values"
                )
            } else {
                format!("the document holds more than {MAX_EXPANDED_NODES} values")
            };
            return Err(LimitExceeded { message, offset });
        }
        if self.expanded.bytes > MAX_EXPANDED_BYTES {
            let mib = MAX_EXPANDED_BYTES / (1024 * 1024);
            let message = if aliased {
                format!("YAML aliases expand this document to more than {mib} MiB of text")
            } else {
                format!("the document holds more than {mib} MiB of text")
            };
            return Err(LimitExceeded { message, offset });
        }
        Ok(())
    }
}

/// The path of the node about to start, advancing the parent sequence's index.
fn child_path(stack: &mut [Frame]) -> String {
    match stack.last_mut() {
        None => String::new(),
        Some(Frame::Seq { path, next }) => {
            *next += 1;
            format!("{path}[{}]", *next - 1)
        }
        // A complex (non-scalar) key: its contents get a path nobody asks for.
        Some(Frame::Map {
            path, key: None, ..
        }) => format!("{path}.?"),
        Some(Frame::Map {
            path,
            key: Some(key),
            ..
        }) => join_key(path, key),
    }
}

fn finish_value(stack: &mut [Frame]) {
    if let Some(Frame::Map { key, .. }) = stack.last_mut() {
        *key = None;
    }
}

/// `work[0]` + `position` → `work[0].position`; at the root just `position`.
pub fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keys_and_values_by_path() {
        let text = "basics:\n  name: Ada\nwork:\n  - name: X\n    highlights: [a, \"ü\", c]\n";
        let map = SourceMap::build(text).unwrap();
        assert_eq!(map.value("basics.name"), text.find("Ada"));
        assert_eq!(map.key("basics.name"), text.find("name"));
        assert_eq!(map.key("work[0].highlights"), text.find("highlights"));
        assert_eq!(map.value("work[0].highlights[2]"), text.rfind('c'));
        assert_eq!(
            map.value("work[0]"),
            text.find("name: X"),
            "a block mapping starts at its first key"
        );
    }

    #[test]
    fn positions_after_a_block_scalar_of_multibyte_text_are_right() {
        for (text, path, expected) in [
            ("a: |\n  éééééééééé\nb: 1\n", "b", "b: 1"),
            (
                "a: >\n  日本語の文\n  もう一行\nb:\n  c: x\n",
                "b.c",
                "c: x",
            ),
            ("a: |\r\n  ü\r\nb: 1\r\n", "b", "b: 1"),
            ("{\"a\": \"ééé\", \"b\": [1, \"ü\", 3]}", "b[2]", "3]}"),
        ] {
            let map = SourceMap::build(text).expect("builds");
            let at = map.key(path).expect(path);
            assert_eq!(
                &text[at..],
                &text[text.find(expected).expect(expected)..],
                "{text:?}"
            );
        }
    }

    #[test]
    fn values_through_an_alias_are_found_where_the_anchor_wrote_them() {
        let text = "k: &a [x, y]\nv:\n  s: *a\n";
        let map = SourceMap::build(text).expect("builds");
        assert_eq!(map.value("v.s[1]"), text.find("y]"));
        assert_eq!(map.value("v.s"), text.find("*a"));
        assert_eq!(map.value("v.t"), None);
    }

    #[test]
    fn refuses_alias_bombs_and_deep_nesting() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g"])
        {
            bomb.push_str(&format!(
                "{name}: &{name} [{}]\n",
                vec![format!("*{prev}"); 10].join(", ")
            ));
        }
        let err = SourceMap::build(&bomb).unwrap_err();
        assert!(err.message.starts_with("YAML aliases expand"), "{err:?}");
        // The first alias of `e` (111,111 values) in `f` pushes the count past the limit.
        assert_eq!(&bomb[err.offset..err.offset + 2], "*e");

        let deep = format!("x: {}{}", "[".repeat(100), "]".repeat(100));
        let err = SourceMap::build(&deep).unwrap_err();
        assert_eq!(
            err.message,
            "the document is nested more than 64 levels deep"
        );
        assert_eq!(err.offset, 3 + 63);
    }
}
