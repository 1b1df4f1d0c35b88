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
        ErrorFormat::Json => serde_json::to_string(d).map(|s| s + "\n").unwrap_or_default(),
    }
}

fn human(d: &Diagnostic) -> String {
    let kind = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    let mut out = format!("{kind}: {}\n", d.message);
    if let Some(loc) = &d.location {
        let number = loc.line.to_string();
        let pad = " ".repeat(number.len());
        // Tabs are shown as four spaces so the caret lines up.
        let shown = loc.line_text.replace('\t', "    ");
        let before: String = loc.line_text.chars().take(loc.column.saturating_sub(1)).collect();
        let caret_at = before.replace('\t', "    ").chars().count();
        out.push_str(&format!("{pad}--> {}:{}:{}\n", loc.file, loc.line, loc.column));
        out.push_str(&format!("{pad} |\n{number} | {}\n{pad} | {}^\n", shown.trim_end(), " ".repeat(caret_at)));
    }
    if let Some(hint) = &d.hint {
        out.push_str(&format!("  = hint: {hint}\n"));
    }
    out
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
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Workflow-command escaping of a property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}
