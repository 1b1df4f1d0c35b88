//! Printing diagnostics for people, for GitHub Actions, or as JSON lines.

use super::args::ErrorFormat;
use vitae::diag::{Diagnostic, Severity};

/// Prints diagnostics to standard error in the chosen format.
pub fn emit(diagnostics: &[Diagnostic], format: ErrorFormat) {
    for d in diagnostics {
        eprint!("{}", render(d, format));
    }
}

/// One diagnostic as text, ending in a newline.
pub fn render(d: &Diagnostic, format: ErrorFormat) -> String {
    match format {
        ErrorFormat::Human => human(&visible(d)),
        ErrorFormat::Github => github(&visible(d)),
        ErrorFormat::Json => serde_json::to_string(d)
            .map(|s| s + "\n")
            .unwrap_or_default(),
    }
}

/// The diagnostic with control characters shown escaped (`\\u{1b}`): a résumé's ESC or BEL
/// bytes must not reach the terminal. JSON output escapes them already.
fn visible(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    d.message = escape_controls(&d.message);
    d.hint = d.hint.as_deref().map(escape_controls);
    if let Some(loc) = &mut d.location {
        loc.file = escape_controls(&loc.file);
    }
    d
}

/// Escapes every control character but the tab, which [`excerpt`] expands.
fn escape_controls(text: &str) -> String {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return text.to_string();
    }
    text.chars()
        .map(|c| match c {
            '\t' => c.to_string(),
            c if c.is_control() => vitae::link::escape_char(c),
            c => c.to_string(),
        })
        .collect()
}

fn human(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("{kind}: {}\n", d.message);
    let mut pad = " ".to_string();
    if let Some(loc) = &d.location {
        let number = loc.line.to_string();
        pad = " ".repeat(number.len());
        let (shown, caret_at) = excerpt(&loc.line_text, loc.column);
        out.push_str(&format!(
            "{pad}--> {}:{}:{}\n",
            loc.file, loc.line, loc.column
        ));
        out.push_str(&format!(
            "{pad} |\n{number} | {}\n{pad} | {}^\n",
            shown.trim_end(),
            " ".repeat(caret_at)
        ));
    }
    if let Some(hint) = &d.hint {
        out.push_str(&format!("{pad} = hint: {hint}\n"));
    }
    out
}

/// The line as shown, and the caret's position in it. Tabs become four spaces so the caret
/// lines up; a very long line is cut to a window around the column.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    const WINDOW: usize = 60;
    // Each character as shown: a tab as four spaces, a control character escaped.
    let cells: Vec<String> = line
        .chars()
        .map(|c| match c {
            '\t' => "    ".to_string(),
            c if c.is_control() => vitae::link::escape_char(c),
            c => c.to_string(),
        })
        .collect();
    let before = column.saturating_sub(1).min(cells.len());
    let caret: usize = cells[..before].iter().map(|s| s.chars().count()).sum();
    let chars: Vec<char> = cells.concat().chars().collect();
    if chars.len() <= 2 * WINDOW {
        return (chars.into_iter().collect(), caret);
    }
    let start = caret.saturating_sub(WINDOW / 2);
    let end = (start + WINDOW).min(chars.len());
    let mut shown: String = chars[start..end].iter().collect();
    let mut at = caret - start;
    if start > 0 {
        shown.insert(0, '…');
        at += 1;
    }
    if end < chars.len() {
        shown.push('…');
    }
    (shown, at)
}

fn github(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut message = d.message.clone();
    if let Some(hint) = &d.hint {
        message.push_str(&format!(" (hint: {hint})"));
    }
    match &d.location {
        Some(loc) => format!(
            "::{kind} file={},line={},col={}::{}\n",
            escape_property(&loc.file),
            loc.line,
            loc.column,
            escape_data(&message)
        ),
        None => format!("::{kind}::{}\n", escape_data(&message)),
    }
}

/// Workflow-command escaping of a message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Workflow-command escaping of a property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
