//! Diagnostics: problems found in a résumé or a layout, with where they are.
//!
//! The library only collects these; the CLI decides how to show them (human, GitHub, JSON).

use serde::Serialize;
use std::fmt;
use std::sync::Arc;

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot go on.
    Error,
    /// The build goes on; `--strict` or `--deny-warnings` may turn it into an error.
    Warning,
}

/// A file that diagnostics point into, kept whole so the offending line can be shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// The name shown to people: the path as the user gave it.
    pub name: String,
    /// The file's text (lossily decoded when it was not valid UTF-8).
    pub text: Arc<str>,
    /// The byte offset where each line starts, so that locating thousands of problems in a
    /// large file stays linear.
    line_starts: Arc<[usize]>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<Arc<str>>) -> Self {
        let text: Arc<str> = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            name: name.into(),
            text,
            line_starts,
        }
    }

    /// The 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = self.line_starts[line - 1];
        let col = self.text[line_start..offset].chars().count() + 1;
        (line, col)
    }

    /// The byte offset of a 1-based line and column (in characters), clamped to the text.
    pub fn offset(&self, line: usize, col: usize) -> usize {
        let Some(&start) = self.line_starts.get(line.max(1) - 1) else {
            return self.text.len();
        };
        let line_text = self.text[start..].split('\n').next().unwrap_or("");
        let within: usize = line_text
            .chars()
            .take(col.saturating_sub(1))
            .map(char::len_utf8)
            .sum();
        start + within
    }

    /// The text of a 1-based line, without its line break.
    pub fn line_text(&self, line: usize) -> &str {
        let Some(&start) = self.line_starts.get(line.max(1) - 1) else {
            return "";
        };
        let text = self.text[start..].split('\n').next().unwrap_or("");
        text.strip_suffix('\r').unwrap_or(text)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A place in a source file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The file, as named by the user.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
    /// Byte range in the file, for underlining.
    #[serde(skip)]
    pub range: std::ops::Range<usize>,
    /// The whole source line, for showing it with a caret.
    #[serde(skip)]
    pub line_text: String,
}

impl Location {
    /// The location of a byte range in a file.
    pub fn at(source: &SourceFile, range: std::ops::Range<usize>) -> Self {
        let (line, column) = source.line_col(range.start);
        Self {
            file: source.name.clone(),
            line,
            column,
            line_text: source.line_text(line).to_string(),
            range,
        }
    }

    /// The location of a 1-based line and column.
    pub fn at_line_col(source: &SourceFile, line: usize, column: usize) -> Self {
        let start = source.offset(line, column);
        let end = source.text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
        Self::at(source, start..end)
    }
}

/// One problem, with an optional location and hint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// What is wrong, in plain words.
    pub message: String,
    /// Where, when it is known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// How to fix it, when there is something useful to say.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hint: Option<String>,
    /// The résumé field it is about (`basics.location.city`), when the step that found it knows
    /// the field but not the file: the build locates it in the file.
    #[serde(skip)]
    pub field: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            location: None,
            hint: None,
            field: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            message: message.into(),
            location: None,
            hint: None,
            field: None,
        }
    }

    pub fn with_location(mut self, location: Option<Location>) -> Self {
        self.location = location;
        self
    }

    /// Names the résumé field the diagnostic is about, for [`crate::build`] to locate.
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    /// One line: `file:line:col: message`. The CLI has richer forms.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(loc) = &self.location {
            write!(f, "{}:{}:{}: ", loc.file, loc.line, loc.column)?;
        }
        f.write_str(&self.message)
    }
}

/// Diagnostics that stopped a step, with any warnings found before it stopped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", summary(.0))]
pub struct Diagnostics(pub Vec<Diagnostic>);

fn summary(diagnostics: &[Diagnostic]) -> String {
    let first = diagnostics
        .iter()
        .find(|d| d.is_error())
        .or(diagnostics.first());
    match first {
        Some(d) => d.to_string(),
        None => "no diagnostics".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_columns_round_trip() {
        let source = SourceFile::new("f", "ab\nçd\n\nlast");
        assert_eq!(source.line_col(0), (1, 1));
        assert_eq!(source.line_col(3), (2, 1));
        assert_eq!(
            source.line_col(5),
            (2, 2),
            "ç is one character of two bytes"
        );
        assert_eq!(source.line_col(7), (3, 1));
        assert_eq!(source.line_col(99), (4, 5), "clamped to the end");
        assert_eq!(source.offset(2, 2), 5);
        assert_eq!(source.offset(9, 1), source.text.len());
        assert_eq!(source.line_text(2), "çd");
        assert_eq!(source.line_text(3), "");
        assert_eq!(source.line_text(4), "last");
        assert_eq!(source.line_text(5), "");
    }
}
