//! Where each key and value of a YAML document starts, by path (`work[0].startDate`).
//!
//! serde tells what is wrong but, once a value is deserialised, no longer where it was. A second,
//! cheap pass over the parser's events records positions so that warnings and checks made after
//! deserialising (unknown keys, an end before its start) can point at the right line.

use std::collections::HashMap;
use yaml_rust2::parser::{Event, Parser};

/// Byte offsets of keys and values, by path.
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    values: HashMap<String, usize>,
    keys: HashMap<String, usize>,
}

enum Frame {
    Seq { path: String, next: usize },
    Map { path: String, key: Option<String> },
}

impl SourceMap {
    /// Records positions in the first document of `text`. A document that does not parse yields
    /// whatever was seen before the error; callers only use this on documents serde accepted.
    pub fn build(text: &str) -> SourceMap {
        let mut map = SourceMap::default();
        let mut stack: Vec<Frame> = Vec::new();
        let mut parser = Parser::new_from_str(text);
        while let Ok((event, mark)) = parser.next_token() {
            let offset = mark.index();
            match event {
                Event::StreamEnd | Event::DocumentEnd => break,
                Event::Scalar(value, ..) => {
                    if let Some(Frame::Map { path, key: key @ None }) = stack.last_mut() {
                        map.keys.insert(join_key(path, &value), offset);
                        *key = Some(value);
                        continue;
                    }
                    let path = child_path(&mut stack);
                    map.values.insert(path, offset);
                    finish_value(&mut stack);
                }
                Event::Alias(_) => {
                    let path = child_path(&mut stack);
                    map.values.insert(path, offset);
                    finish_value(&mut stack);
                }
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    let path = child_path(&mut stack);
                    map.values.insert(path.clone(), offset);
                    stack.push(match event {
                        Event::SequenceStart(..) => Frame::Seq { path, next: 0 },
                        _ => Frame::Map { path, key: None },
                    });
                }
                Event::SequenceEnd | Event::MappingEnd => {
                    stack.pop();
                    finish_value(&mut stack);
                }
                _ => {}
            }
        }
        map
    }

    /// Where the value at `path` starts.
    pub fn value(&self, path: &str) -> Option<usize> {
        self.values.get(path).copied()
    }

    /// Where the key of `path` starts (for a mapping entry), else where its value starts.
    pub fn key(&self, path: &str) -> Option<usize> {
        self.keys.get(path).copied().or_else(|| self.value(path))
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
        Some(Frame::Map { path, key: None }) => format!("{path}.?"),
        Some(Frame::Map { path, key: Some(key) }) => join_key(path, key),
    }
}

fn finish_value(stack: &mut [Frame]) {
    if let Some(Frame::Map { key, .. }) = stack.last_mut() {
        *key = None;
    }
}

/// `work[0]` + `position` → `work[0].position`; at the root just `position`.
pub fn join_key(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keys_and_values_by_path() {
        let text = "basics:\n  name: Ada\nwork:\n  - name: X\n    highlights: [a, \"ü\", c]\n";
        let map = SourceMap::build(text);
        assert_eq!(map.value("basics.name"), text.find("Ada"));
        assert_eq!(map.key("basics.name"), text.find("name"));
        assert_eq!(map.key("work[0].highlights"), text.find("highlights"));
        assert_eq!(map.value("work[0].highlights[2]"), text.find('c'));
    }
}
