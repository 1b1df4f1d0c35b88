//! Where each part of a converted résumé came from in the file being imported, so that a
//! problem with a value is reported at its place in the file the user has, never in the one
//! vitae wrote (which the user may not even have seen: `vitae import` checks it before writing).
//!
//! Importers record origins for what they create as a whole: the `basics`, each entry, each
//! custom section, each setting ([`Origins::record`]). A field inside one of those is found in
//! the input by walking both trees from there: a key of the same name, else the one key whose
//! value is the same text (`company` became `name`), else a list item at the same index when
//! both lists are as long. Where the walk stops, the nearest enclosing value is pointed at.

use super::text;
use crate::diag::{Diagnostic, Location, SourceFile};
use crate::model::source_map::{SourceMap, join_key};
use serde_yaml::Value;

/// The file being imported: its text (for locations), positions and tree.
pub(crate) struct Input {
    pub source: SourceFile,
    pub map: SourceMap,
    pub tree: Value,
}

/// Output paths (`work[2]`, `settings.layout`) and the input paths they were made from
/// (`cv.sections.experience[2]`, `design.theme`).
#[derive(Debug, Default)]
pub(crate) struct Origins(Vec<(String, String)>);

/// How far a path of the output was followed into the input: each output path on the way
/// (from the recorded origin down) with the input path it came from, deepest last.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Traced(Vec<(String, String)>);

impl Traced {
    /// The deepest input path reached.
    fn input(&self) -> &str {
        self.0.last().map_or("", |(_, input)| input.as_str())
    }
}

impl Origins {
    /// Records that the output's `out` was made from the input's `input`.
    pub fn record(&mut self, out: impl Into<String>, input: impl Into<String>) {
        self.0.push((out.into(), input.into()));
    }

    /// The input path the output path `out` came from, as far as it can be followed. The
    /// root's origin (the input's root) accounts for the root only: a part of the output with
    /// no origin of its own was made by vitae, and a problem there is vitae's.
    fn trace(&self, out: &str, out_tree: &Value, in_tree: &Value) -> Option<Traced> {
        let (mut out_at, mut in_at) = self
            .0
            .iter()
            .filter(|(o, _)| is_under(out, o) && (!o.is_empty() || out.is_empty()))
            .max_by_key(|(o, _)| o.len())
            .cloned()?;
        let mut steps = vec![(out_at.clone(), in_at.clone())];
        let (Some(mut out_node), Some(mut in_node)) =
            (node_at(out_tree, &out_at), node_at(in_tree, &in_at))
        else {
            return Some(Traced(steps));
        };
        while out_at != out {
            let Some((out_next, step, out_child)) = children(out_node, &out_at)
                .into_iter()
                .find(|(p, _, _)| is_under(out, p))
            else {
                break;
            };
            let Some((in_next, in_child)) =
                counterpart(&step, out_node, out_child, in_node, &in_at)
            else {
                break;
            };
            (out_at, out_node, in_at, in_node) = (out_next, out_child, in_next, in_child);
            steps.push((out_at.clone(), in_at.clone()));
        }
        Some(Traced(steps))
    }

    /// `diagnostic`, found in the converted text (`written` holds its positions), as a problem
    /// of the input: located there, its message naming the input's paths, and a hint naming
    /// the path vitae writes. `None` when it cannot be traced to the input: a problem of vitae's
    /// own making.
    pub fn relocate(
        &self,
        diagnostic: &Diagnostic,
        written: &SourceMap,
        out_tree: &Value,
        input: &Input,
    ) -> Option<Diagnostic> {
        let at = diagnostic.location.as_ref()?.range.start;
        let out_path = path_at(written, at, &diagnostic.message)?;
        // A problem at a key (a missing field is said at the key of what misses it) is shown
        // at the input's key too.
        let on_key = written.key(&out_path) == Some(at) && written.value(&out_path) != Some(at);
        self.moved(diagnostic, &out_path, on_key, out_tree, input)
    }

    /// `diagnostic`, about the output's value at `out_path`, as a problem of the input, shown
    /// at the input's key when `on_key`, else at its value.
    pub fn at_path(
        &self,
        diagnostic: &Diagnostic,
        out_path: &str,
        on_key: bool,
        out_tree: &Value,
        input: &Input,
    ) -> Option<Diagnostic> {
        self.moved(diagnostic, out_path, on_key, out_tree, input)
    }

    fn moved(
        &self,
        diagnostic: &Diagnostic,
        out_path: &str,
        on_key: bool,
        out_tree: &Value,
        input: &Input,
    ) -> Option<Diagnostic> {
        let traced = self.trace(out_path, out_tree, &input.tree)?;
        let at = input.map.nearest(traced.input(), on_key)?;
        // The message names the output's path, or one that encloses it (`work[0] ends before
        // it starts`, said of `work[0].endDate`): the deepest one it names is renamed.
        let mut message = diagnostic.message.clone();
        if let Some((out, input)) = traced
            .0
            .iter()
            .rev()
            .find(|(out, _)| !out.is_empty() && mentions(&message, out))
        {
            message = replace_path(&message, out, input);
        }
        let mut moved = Diagnostic {
            severity: diagnostic.severity,
            message,
            location: Some(Location::at(&input.source, at..at + 1)),
            hint: None,
            field: None,
        };
        // The output's own hints ("rename `website` to `url`") are about a file the user
        // does not edit; which vitae field the value became is what helps.
        if !out_path.is_empty() && out_path != traced.input() {
            moved = moved.with_hint(format!("vitae import writes this as {out_path}"));
        }
        Some(moved)
    }
}

/// Whether `path` is `prefix` or inside it (`work[0].url` is inside `work[0]` and `work`, not
/// inside `wor`).
fn is_under(path: &str, prefix: &str) -> bool {
    prefix.is_empty()
        || path == prefix
        || (path.starts_with(prefix) && matches!(path.as_bytes()[prefix.len()], b'.' | b'['))
}

/// One step down a tree: a key of a mapping or an index of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    Index(usize),
}

/// The children of `node` (at `path`) with their paths, as the source map spells them.
fn children<'v>(node: &'v Value, path: &str) -> Vec<(String, Step, &'v Value)> {
    match node {
        Value::Mapping(m) => m
            .iter()
            .map(|(k, v)| {
                let key = super::key_text(k);
                (join_key(path, &key), Step::Key(key), v)
            })
            .collect(),
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("{path}[{i}]"), Step::Index(i), v))
            .collect(),
        _ => Vec::new(),
    }
}

/// The value at `path` of a tree.
fn node_at<'v>(root: &'v Value, path: &str) -> Option<&'v Value> {
    let (mut node, mut at) = (root, String::new());
    while at != path {
        let (next, _, child) = children(node, &at)
            .into_iter()
            .find(|(p, _, _)| is_under(path, p))?;
        (node, at) = (child, next);
    }
    Some(node)
}

/// The input's counterpart of the output's child `out_child` (reached from `out_node` by
/// `step`), under the input's `in_node` at `in_path`.
fn counterpart<'v>(
    step: &Step,
    out_node: &Value,
    out_child: &Value,
    in_node: &'v Value,
    in_path: &str,
) -> Option<(String, &'v Value)> {
    let found = children(in_node, in_path);
    match step {
        Step::Key(key) => {
            if let Some((p, _, v)) = found
                .iter()
                .find(|(_, s, _)| matches!(s, Step::Key(k) if k == key))
            {
                return Some((p.clone(), v));
            }
            // A renamed key: the one input value with the same text. Two with the same text
            // could be either, so neither is chosen.
            let want = text(out_child)?;
            let mut same = found
                .iter()
                .filter(|(_, s, v)| matches!(s, Step::Key(_)) && text(v).as_ref() == Some(&want));
            match (same.next(), same.next()) {
                (Some((p, _, v)), None) => Some((p.clone(), v)),
                _ => None,
            }
        }
        // The same index means the same item only when no item was added, dropped or split.
        Step::Index(i) => match (out_node, in_node) {
            (Value::Sequence(out), Value::Sequence(input)) if out.len() == input.len() => {
                found.into_iter().nth(*i).map(|(p, _, v)| (p, v))
            }
            _ => None,
        },
    }
}

/// The path a diagnostic at `offset` of the converted text is about: of the values and keys
/// that start there (a block mapping starts where its first key does), the one its message
/// names, else the deepest value, else the key; else the value that starts last before it.
fn path_at(written: &SourceMap, offset: usize, message: &str) -> Option<String> {
    let values: Vec<&str> = written
        .value_paths()
        .into_iter()
        .filter(|p| written.value(p) == Some(offset))
        .collect();
    let keys: Vec<&str> = written
        .key_paths()
        .into_iter()
        .filter(|p| written.key(p) == Some(offset))
        .collect();
    let named = values
        .iter()
        .chain(&keys)
        .filter(|p| !p.is_empty() && mentions(message, p))
        .max_by_key(|p| p.len());
    named
        .or(values.iter().max_by_key(|p| p.len()))
        .or(keys.first())
        .copied()
        .or_else(|| written.value_before(offset).map(|(p, _)| p))
        .map(str::to_string)
}

/// Whether `message` names the path `path` itself (not a longer path that starts with it).
fn mentions(message: &str, path: &str) -> bool {
    replace_path(message, path, "") != message
}

/// `message` with each whole mention of the path `from` (not a longer path that starts with
/// it) replaced by `to`.
fn replace_path(message: &str, from: &str, to: &str) -> String {
    if from.is_empty() {
        return message.to_string();
    }
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(from) {
        let tail = &rest[i + from.len()..];
        let extends = rest[..i]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '$' | '.'));
        let continues = tail
            .starts_with(|c: char| c.is_alphanumeric() || matches!(c, '_' | '-' | '$' | '['))
            || (tail.starts_with('.') && tail[1..].starts_with(char::is_alphanumeric));
        out.push_str(&rest[..i]);
        out.push_str(if extends || continues { from } else { to });
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(yaml: &str) -> Value {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn paths_are_under_their_prefixes_only() {
        assert!(is_under("work[0].url", "work[0]"));
        assert!(is_under("work[0].url", "work"));
        assert!(is_under("work[0].url", ""));
        assert!(is_under("work", "work"));
        assert!(!is_under("workshop", "work"));
        assert!(!is_under("work", "work[0]"));
    }

    #[test]
    fn fields_are_followed_by_name_by_text_and_by_index() {
        let input = tree(
            "cv:\n  sections:\n    jobs:\n      - company: Acme\n        end_date: 2019-01\n        highlights: [a, b]\n",
        );
        let output = tree("work:\n  - name: Acme\n    endDate: 2019-01\n    highlights: [a, b]\n");
        let mut origins = Origins::default();
        origins.record("work[0]", "cv.sections.jobs[0]");
        let trace = |p: &str| {
            origins
                .trace(p, &output, &input)
                .map(|t| t.input().to_string())
        };
        assert_eq!(trace("work[0]").as_deref(), Some("cv.sections.jobs[0]"));
        assert_eq!(
            trace("work[0].name").as_deref(),
            Some("cv.sections.jobs[0].company")
        );
        assert_eq!(
            trace("work[0].endDate").as_deref(),
            Some("cv.sections.jobs[0].end_date")
        );
        assert_eq!(
            trace("work[0].highlights[1]").as_deref(),
            Some("cv.sections.jobs[0].highlights[1]")
        );
        assert_eq!(trace("basics"), None, "no origin recorded");
        let mut root = Origins::default();
        root.record("", "");
        let traced = |p: &str| {
            root.trace(p, &output, &input)
                .map(|t| t.input().to_string())
        };
        assert_eq!(traced("").as_deref(), Some(""));
        assert_eq!(traced("work"), None, "the root's origin is the root's only");
    }

    #[test]
    fn a_list_that_changed_length_is_not_followed_by_index() {
        let input = tree("e:\n  - highlights: [\"a\\n- b\", c]\n");
        let output = tree("work:\n  - highlights: [a, b, c]\n");
        let mut origins = Origins::default();
        origins.record("work[0]", "e[0]");
        let traced = origins.trace("work[0].highlights[2]", &output, &input);
        assert_eq!(
            traced,
            Some(Traced(vec![
                ("work[0]".into(), "e[0]".into()),
                ("work[0].highlights".into(), "e[0].highlights".into())
            ]))
        );
    }

    #[test]
    fn only_whole_paths_are_renamed_in_messages() {
        assert_eq!(
            replace_path(
                "work[0] ends (2019) before it starts (2020)",
                "work[0]",
                "cv.x[0]"
            ),
            "cv.x[0] ends (2019) before it starts (2020)"
        );
        assert_eq!(
            replace_path("work[0].url holds", "work[0]", "cv.x[0]"),
            "work[0].url holds"
        );
        assert_eq!(
            replace_path("homework[0] and work[0]: x", "work[0]", "y"),
            "homework[0] and y: x"
        );
    }
}
