//! What the command line prints besides its data: diagnostics for people (coloured on a
//! terminal), for GitHub Actions or as JSON lines; the files written; stage times; and the
//! count or summary at the end.

use super::args::{ColorChoice, ErrorFormat};
use serde::Serialize;
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};
use vitae::diag::{Diagnostic, Severity};

/// Everything a run prints about itself goes through here, so that `--quiet`, `--verbose`,
/// `--color` and `--error-format` hold everywhere and the final count is right.
pub struct Reporter {
    format: ErrorFormat,
    palette: Palette,
    quiet: bool,
    verbose: bool,
    started: Instant,
    errors: usize,
    warnings: usize,
    /// Whether any diagnostic pointed at a line.
    located: bool,
    files: usize,
    /// Under `--quiet`, what would have gone to standard error, printed only if the run fails.
    held: Vec<String>,
    /// Set when `--deny-warnings` failed the run.
    denied: bool,
    /// Whether the command reports a summary (JSON) at the end: the commands whose standard
    /// output is messages rather than data.
    summary: bool,
    /// JSON records go to standard error, because standard output carries a document.
    records_to_stderr: bool,
}

impl Reporter {
    pub fn new(format: ErrorFormat, color: ColorChoice, quiet: bool, verbose: bool) -> Self {
        let colored = format == ErrorFormat::Human && use_color(color, &|k| std::env::var_os(k));
        Reporter {
            format,
            palette: if colored {
                Palette::ANSI
            } else {
                Palette::PLAIN
            },
            quiet,
            verbose,
            started: Instant::now(),
            errors: 0,
            warnings: 0,
            located: false,
            files: 0,
            held: Vec::new(),
            denied: false,
            summary: false,
            records_to_stderr: false,
        }
    }

    /// The command's standard output is messages, so a JSON run ends with a summary record.
    pub fn with_summary(&mut self) {
        self.summary = true;
    }

    /// Standard output carries a document: JSON records go to standard error.
    pub fn records_to_stderr(&mut self) {
        self.records_to_stderr = true;
    }

    /// Prints diagnostics to standard error in the chosen format, and counts them.
    pub fn emit(&mut self, diagnostics: &[Diagnostic]) {
        for d in diagnostics {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
            self.located |= d.location.is_some();
            let text = render(d, self.format, &self.palette);
            self.stderr(text);
        }
    }

    /// Something worth knowing that is not a problem (a system font used): `note: …` for
    /// people, a notice for GitHub, a record in JSON; nothing under `--quiet`. Control
    /// characters are shown escaped, as in diagnostics: a note can name a key of the user's
    /// file (`vitae import`), and a line break there must not start a line of its own.
    pub fn note(&mut self, message: &str) {
        if self.quiet {
            return;
        }
        match self.format {
            ErrorFormat::Human => {
                let p = &self.palette;
                eprintln!("{}note{}: {}", p.gutter, p.reset, escape_controls(message));
            }
            ErrorFormat::Github => eprintln!("::notice::{}", escape_controls(message)),
            ErrorFormat::Json => self.record(&NoteRecord {
                kind: "note",
                message,
            }),
        }
    }

    /// Lines that add to the last diagnostic for people only (what fitting a page tried).
    pub fn detail(&mut self, line: &str) {
        if self.format == ErrorFormat::Human {
            self.stderr(format!("{line}\n"));
        }
    }

    /// A status line on standard output (`fit …`, `… ok`): for people only, and not under
    /// `--quiet`.
    pub fn status(&mut self, line: &str) {
        if !self.quiet && self.format != ErrorFormat::Json {
            println!("{line}");
        }
    }

    /// A file written: `wrote PATH (SIZE, N pages)`, or a JSON record.
    pub fn file(&mut self, path: &Path, bytes: usize, pages: Option<usize>, note: &str) {
        self.files += 1;
        if self.quiet {
            return;
        }
        if self.format == ErrorFormat::Json {
            let record = FileRecord {
                kind: "file",
                path: &path.display().to_string(),
                bytes,
                pages,
            };
            self.record(&record);
            return;
        }
        if self.records_to_stderr {
            // Standard output is the document itself.
            return;
        }
        let pages = pages
            .map(|p| format!(", {p} page{}", if p == 1 { "" } else { "s" }))
            .unwrap_or_default();
        self.status(&format!(
            "wrote {} ({}{pages}){note}",
            path.display(),
            human_bytes(bytes)
        ));
    }

    /// Under `--verbose`, how long a stage took, on standard error.
    pub fn stage(&mut self, stage: &str, detail: &str, took: Duration) {
        if !self.verbose {
            return;
        }
        if self.format == ErrorFormat::Json {
            let record = StageRecord {
                kind: "stage",
                stage,
                detail,
                ms: round_ms(took),
            };
            if let Ok(line) = serde_json::to_string(&record) {
                eprintln!("{line}");
            }
            return;
        }
        let p = &self.palette;
        let verb = match stage {
            "load" => "Loaded",
            "check" => "Checked",
            "build" => "Built",
            "render" => "Rendered",
            "write" => "Wrote",
            other => other,
        };
        let detail = if detail.is_empty() {
            String::new()
        } else {
            format!(" {}", escape_controls(detail))
        };
        eprintln!(
            "{}{verb:>12}{}{detail} in {}",
            p.stage,
            p.reset,
            duration(took)
        );
    }

    /// `--deny-warnings` failed the run.
    pub fn deny(&mut self) {
        self.denied = true;
    }

    /// Ends the run: what `--quiet` held back if it failed, then the count of diagnostics
    /// (`2 errors, 1 warning`) or the JSON summary, and under `--verbose` the total time.
    /// A lone error that points at no line (a missing file, a folder that cannot be written)
    /// is its own summary, and gets no count.
    pub fn finish(&mut self, success: bool) {
        if !success {
            self.quiet = false;
            for text in std::mem::take(&mut self.held) {
                eprint!("{text}");
            }
        }
        let p = &self.palette;
        match self.format {
            ErrorFormat::Human => {
                if self.denied {
                    eprintln!(
                        "{}error{}{}: {}{}",
                        p.error,
                        p.reset,
                        p.bold,
                        denied_message(self.warnings),
                        p.reset
                    );
                } else if let Some(count) = count(self.errors, self.warnings)
                    && !self.quiet
                    && (self.located || self.errors + self.warnings > 1)
                {
                    eprintln!("{}{count}{}", p.bold, p.reset);
                }
            }
            ErrorFormat::Github => {
                if self.denied {
                    eprintln!("::error::{}", denied_message(self.warnings));
                }
            }
            ErrorFormat::Json => {
                if self.summary && !self.quiet {
                    let record = Summary {
                        kind: "summary",
                        success,
                        errors: self.errors,
                        warnings: self.warnings,
                        denied: self.denied,
                        files: self.files,
                    };
                    self.record(&record);
                }
            }
        }
        if self.format != ErrorFormat::Json {
            let took = self.started.elapsed();
            self.stage("Finished", "", took);
        }
    }

    /// Text for standard error, held back under `--quiet` until the run is known to fail.
    fn stderr(&mut self, text: String) {
        if self.quiet {
            self.held.push(text);
        } else {
            eprint!("{text}");
        }
    }

    /// One JSON record, on standard output unless that carries a document.
    fn record(&mut self, record: &impl Serialize) {
        let Ok(line) = serde_json::to_string(record) else {
            return;
        };
        if self.records_to_stderr {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
}

#[derive(Serialize)]
struct NoteRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    message: &'a str,
}

#[derive(Serialize)]
struct FileRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    path: &'a str,
    bytes: usize,
    pages: Option<usize>,
}

#[derive(Serialize)]
struct StageRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    stage: &'a str,
    detail: &'a str,
    ms: f64,
}

#[derive(Serialize)]
struct Summary {
    #[serde(rename = "type")]
    kind: &'static str,
    success: bool,
    errors: usize,
    warnings: usize,
    denied: bool,
    files: usize,
}

#[derive(Serialize)]
struct DiagnosticRecord<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    diagnostic: &'a Diagnostic,
}

/// `error: 2 warnings, denied by --deny-warnings`, without the `error: `.
fn denied_message(warnings: usize) -> String {
    format!("{}, denied by --deny-warnings", plural(warnings, "warning"))
}

/// `3 errors, 1 warning`; `None` when there is nothing to count.
pub fn count(errors: usize, warnings: usize) -> Option<String> {
    let parts: Vec<String> = [(errors, "error"), (warnings, "warning")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, word)| plural(n, word))
        .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

pub fn human_bytes(n: usize) -> String {
    if n < 1024 {
        format!("{n} B")
    } else {
        format!("{:.1} KiB", n as f64 / 1024.0)
    }
}

fn duration(took: Duration) -> String {
    let ms = took.as_secs_f64() * 1000.0;
    if ms < 1000.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{:.2} s", ms / 1000.0)
    }
}

fn round_ms(took: Duration) -> f64 {
    (took.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

/// Whether diagnostics on standard error are coloured. `--color always|never` decides; under
/// `auto` a set `NO_COLOR` turns colour off, then a set `CLICOLOR_FORCE` turns it on, then
/// `CLICOLOR=0` turns it off, and otherwise it is on when standard error is a terminal that is
/// not `TERM=dumb` (the conventions of no-color.org and bixense.com/clicolors, as cargo reads
/// them).
fn use_color(choice: ColorChoice, env: &dyn Fn(&str) -> Option<std::ffi::OsString>) -> bool {
    let set = |key: &str| env(key).is_some_and(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if set("NO_COLOR") {
                false
            } else if set("CLICOLOR_FORCE") && env("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                true
            } else if env("CLICOLOR").is_some_and(|v| v == "0")
                || env("TERM").is_some_and(|v| v == "dumb")
            {
                false
            } else {
                std::io::stderr().is_terminal()
            }
        }
    }
}

/// The escape sequences of each part of a diagnostic, in the colours of rustc and cargo; all
/// empty when colour is off.
struct Palette {
    error: &'static str,
    warning: &'static str,
    /// The message after `error: `.
    bold: &'static str,
    /// `-->`, the line number, the gutter's `|` and `=`.
    gutter: &'static str,
    /// The verbs of `--verbose`.
    stage: &'static str,
    reset: &'static str,
}

impl Palette {
    const PLAIN: Palette = Palette {
        error: "",
        warning: "",
        bold: "",
        gutter: "",
        stage: "",
        reset: "",
    };
    const ANSI: Palette = Palette {
        error: "\x1b[1;31m",
        warning: "\x1b[1;33m",
        bold: "\x1b[1m",
        gutter: "\x1b[1;34m",
        stage: "\x1b[1;32m",
        reset: "\x1b[0m",
    };
}

/// One diagnostic as text, ending in a newline.
fn render(d: &Diagnostic, format: ErrorFormat, palette: &Palette) -> String {
    match format {
        ErrorFormat::Human => human(&visible(d), palette),
        ErrorFormat::Github => github(&visible(d)),
        ErrorFormat::Json => serde_json::to_string(&DiagnosticRecord {
            kind: "diagnostic",
            diagnostic: d,
        })
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
pub fn escape_controls(text: &str) -> String {
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

fn human(d: &Diagnostic, p: &Palette) -> String {
    let (kind, color) = match d.severity {
        Severity::Error => ("error", p.error),
        Severity::Warning => ("warning", p.warning),
    };
    let reset = p.reset;
    let gutter = p.gutter;
    let mut out = format!("{color}{kind}{reset}{}: {}{reset}\n", p.bold, d.message);
    let mut pad = " ".to_string();
    if let Some(loc) = &d.location {
        let number = loc.line.to_string();
        pad = " ".repeat(number.len());
        let (shown, caret_at) = excerpt(&loc.line_text, loc.column);
        out.push_str(&format!(
            "{pad}{gutter}-->{reset} {}:{}:{}\n",
            loc.file, loc.line, loc.column
        ));
        out.push_str(&format!(
            "{pad} {gutter}|{reset}\n{gutter}{number} |{reset} {}\n{pad} {gutter}|{reset} {}{color}^{reset}\n",
            shown.trim_end(),
            " ".repeat(caret_at)
        ));
    }
    if let Some(hint) = &d.hint {
        out.push_str(&format!(
            "{pad} {gutter}={reset} {}hint{reset}: {hint}\n",
            p.bold
        ));
    }
    out
}

/// The line as shown, and the caret's position in it. Tabs become four spaces so the caret
/// lines up; a very long line is cut to a window around the column.
fn excerpt(line: &str, column: usize) -> (String, usize) {
    // A line of megabytes (a job posting without line breaks) is first cut to the characters
    // around the column, so that it is not expanded whole. Twice the window on each side is
    // more than the window shows, and keeps a cut line longer than the window, so what is
    // shown is the same as for the whole line.
    let reach = 2 * WINDOW;
    if line.len() <= 8 * reach {
        return window(line, column);
    }
    let from = column.saturating_sub(1 + reach);
    let near: String = line.chars().skip(from).take(2 * reach + 1).collect();
    window(&near, column - from)
}

/// How many characters of a long line are shown around the column.
const WINDOW: usize = 60;

/// [`excerpt`] of a line of any length, expanded whole.
fn window(line: &str, column: usize) -> (String, usize) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsString;

    #[test]
    fn a_very_long_line_shows_the_same_window_as_a_short_one() {
        // What `excerpt` showed before it cut long lines first: the whole line expanded.
        let whole = |line: &str, column: usize| {
            let cells: Vec<char> = line.chars().collect();
            let caret = column - 1;
            let start = caret.saturating_sub(30);
            let end = (start + 60).min(cells.len());
            let mut shown: String = cells[start..end].iter().collect();
            let mut at = caret - start;
            if start > 0 {
                shown.insert(0, '…');
                at += 1;
            }
            if end < cells.len() {
                shown.push('…');
            }
            (shown, at)
        };
        let line: String = (0..100_000).map(|i| format!("w{i} ")).collect();
        for column in [1, 2, 30, 31, 32, 150, 241, 242, 5000, 588_889, 588_890] {
            assert_eq!(excerpt(&line, column), whole(&line, column), "{column}");
        }
        let short = "let x = 1;";
        assert_eq!(excerpt(short, 5), (short.to_string(), 4));
    }

    #[test]
    fn counts_read_as_words() {
        assert_eq!(count(0, 0), None);
        assert_eq!(count(1, 0).as_deref(), Some("1 error"));
        assert_eq!(count(0, 2).as_deref(), Some("2 warnings"));
        assert_eq!(count(3, 1).as_deref(), Some("3 errors, 1 warning"));
        assert_eq!(denied_message(1), "1 warning, denied by --deny-warnings");
    }

    #[test]
    fn colour_choice_follows_flag_then_environment() {
        let with = |vars: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                vars.iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| OsString::from(v))
            }
        };
        let no_color = with(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")]);
        assert!(use_color(ColorChoice::Always, &no_color));
        assert!(!use_color(ColorChoice::Auto, &no_color));
        assert!(!use_color(
            ColorChoice::Never,
            &with(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(use_color(
            ColorChoice::Auto,
            &with(&[("CLICOLOR_FORCE", "1")])
        ));
        assert!(use_color(
            ColorChoice::Auto,
            &with(&[("NO_COLOR", ""), ("CLICOLOR_FORCE", "1")])
        ));
        // Off whatever standard error is.
        assert!(!use_color(ColorChoice::Auto, &with(&[("CLICOLOR", "0")])));
        assert!(!use_color(ColorChoice::Auto, &with(&[("TERM", "dumb")])));
    }
}
