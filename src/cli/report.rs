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
        ErrorFormat::Human => human(d),
        ErrorFormat::Github => github(d),
        ErrorFormat::Json => serde_json::to_string(d)
            .map(|s| s + "\n")
            .unwrap_or_default(),
    }
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
    let chars: Vec<char> = line.replace('\t', "    ").chars().collect();
    let before: String = line.chars().take(column.saturating_sub(1)).collect();
    let caret = before.replace('\t', "    ").chars().count();
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
