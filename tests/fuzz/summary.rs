//! What a run found: the failures (one per kind, input and place, with a count), the counts of
//! cases, documents and invariant violations, and the report printed at the end and by
//! [`Summary::assert_clean`].

use std::backtrace::Backtrace;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::drive::{Case, Outcome, Source, Target};
use crate::invariants::Invariant;
use crate::shrink::{must_save, save_failure};

/// A failure, as reported and saved.
#[derive(Debug)]
pub struct Failure {
    /// `panic`, `hang` or an invariant's name.
    pub kind: String,
    pub case: Arc<Case>,
    pub source: Source,
    pub phase: &'static str,
    pub message: String,
    /// Where it happened: the panic's location, the hung phase, or the invariant.
    pub location: String,
    /// The innermost `vitae::` frame of the backtrace, when there is one.
    pub frame: Option<String>,
    pub backtrace: Option<Backtrace>,
    pub count: u64,
    pub saved: Option<PathBuf>,
}

/// Failures are told apart by kind, input and place; one of each is kept and saved, and one
/// more when the first was a saved regression (so a new input failing at the same place is not
/// lost behind it).
pub type FailureKey = (String, Source, String, bool);

impl Failure {
    /// A failure of `case`, seen once and not saved yet; `location` is where it happened (see
    /// [`Failure::location`]).
    fn new(
        kind: &str,
        case: &Arc<Case>,
        source: Source,
        phase: &'static str,
        message: String,
        location: String,
    ) -> Failure {
        Failure {
            kind: kind.into(),
            case: Arc::clone(case),
            source,
            phase,
            message,
            location,
            frame: None,
            backtrace: None,
            count: 1,
            saved: None,
        }
    }

    /// `kind ×count in case (source, phase …): message at location [frame]`, with the message
    /// cut to `max` characters and `source_note` after the source.
    fn headline(&self, source_note: &str, max: usize) -> String {
        let frame = self
            .frame
            .as_deref()
            .map(|fr| format!(" [{fr}]"))
            .unwrap_or_default();
        format!(
            "{} ×{} in {} ({:?}{source_note}, phase {}): {} at {}{frame}",
            self.kind,
            self.count,
            self.case.id,
            self.source,
            self.phase,
            one_line(&self.message, max),
            self.location,
        )
    }

    /// Where the input was saved, if this run saved it.
    fn saved_note(&self) -> String {
        self.saved
            .as_deref()
            .map(|p| p.display().to_string())
            .unwrap_or_else(|| "(already a regression)".into())
    }

    fn key(&self) -> FailureKey {
        (
            self.kind.clone(),
            self.source,
            self.location.clone(),
            self.case.replayed(),
        )
    }
}

/// The counts and failures of a run.
#[derive(Debug, Default)]
pub struct Summary {
    pub name: &'static str,
    pub seed: u64,
    pub cases: u64,
    pub loaded: u64,
    pub imported: u64,
    pub documents: u64,
    pub pdfs: u64,
    pub render_errors: u64,
    pub panics: u64,
    pub hangs: u64,
    /// A case slower than this is a hang.
    pub hang: Duration,
    pub slowest: Duration,
    pub slowest_case: String,
    pub elapsed: Duration,
    /// Peak RSS of the run in KiB (before backtraces are symbolised, which takes memory).
    pub peak_rss_kib: u64,
    pub violations: BTreeMap<Invariant, u64>,
    pub enforce: bool,
    pub failures: Vec<Failure>,
}

impl Summary {
    /// The one line every run ends with.
    fn line(&self) -> String {
        let mut line = format!(
            "{}: {} cases in {:.1} s, {} panics, {} hangs (slowest {} ms)",
            self.name,
            self.cases,
            self.elapsed.as_secs_f64(),
            self.panics,
            self.hangs,
            self.slowest.as_millis(),
        );
        let _ = write!(
            line,
            "; invariant violations{}: ",
            if self.enforce { "" } else { " (reported only)" }
        );
        let counts: Vec<String> = Invariant::ALL
            .iter()
            .map(|i| format!("{} {}", i.name(), self.violations.get(i).unwrap_or(&0)))
            .collect();
        line.push_str(&counts.join(", "));
        let _ = write!(
            line,
            "; {} loaded, {} imported, {} documents, {} PDFs, peak RSS {} MiB, seed {:#x}",
            self.loaded,
            self.imported,
            self.documents,
            self.pdfs,
            self.peak_rss_kib / 1024,
            self.seed
        );
        line
    }

    /// Ends the run: saves what failed and is not saved yet, then prints every failure, the
    /// slowest case and the summary line.
    pub fn finish(&mut self, mut failures: BTreeMap<FailureKey, Failure>) {
        // Save what failed (in case order, so a fixed-seed run saves the same files every time).
        for failure in failures.values_mut() {
            if failure.saved.is_none() && must_save(failure, self.enforce) {
                save_failure(failure);
            }
            failure.frame = failure.backtrace.as_ref().and_then(vitae_frame);
        }
        let mut failures: Vec<Failure> = failures.into_values().collect();
        failures.sort_by_key(|f| f.case.index);
        for f in &failures {
            if f.kind == "panic" || f.kind == "hang" {
                eprintln!(
                    "{}: {}\n    saved: {}",
                    self.name,
                    f.headline("", 160),
                    f.saved_note(),
                );
            } else {
                eprintln!(
                    "{}: invariant {} ({:?} input) first in {}: {}",
                    self.name,
                    f.kind,
                    f.source,
                    f.case.id,
                    one_line(&f.message, 160),
                );
            }
        }
        eprintln!(
            "{}: slowest case ({} ms): {}",
            self.name,
            self.slowest.as_millis(),
            one_line(&self.slowest_case, 300)
        );
        self.failures = failures;
        eprintln!("{}", self.line());
    }

    /// Panics with a report of the failures that fail the run, if there are any.
    pub fn assert_clean(&self) {
        let failing: Vec<&Failure> = self
            .failures
            .iter()
            .filter(|f| f.kind == "panic" || f.kind == "hang" || self.enforce)
            .collect();
        if failing.is_empty() {
            return;
        }
        let mut report = format!("{} failure(s) (seed {:#x}):\n", failing.len(), self.seed);
        for f in failing {
            let _ = writeln!(
                report,
                "- {}\n  input: {}\n  saved: {}",
                f.headline(" input", 200),
                f.case.origin,
                f.saved_note(),
            );
        }
        panic!("{report}");
    }
}

/// Counts one case and keeps its failures; in the long run (`save_now`) a new failure is saved
/// at once, so it is not lost if the process dies later.
pub fn tally(
    summary: &mut Summary,
    failures: &mut BTreeMap<FailureKey, Failure>,
    case: Arc<Case>,
    outcome: Outcome,
    save_now: bool,
) {
    summary.cases += 1;
    summary.loaded += u64::from(outcome.loaded);
    summary.imported += u64::from(outcome.imported);
    summary.documents += outcome.documents;
    summary.pdfs += outcome.pdfs;
    summary.render_errors += outcome.render_errors;
    if outcome.elapsed > summary.slowest {
        summary.slowest = outcome.elapsed;
        summary.slowest_case = format!("{}: {}", case.id, case.origin);
    }
    let mut found: Vec<Failure> = Vec::new();
    for p in outcome.panics {
        summary.panics += 1;
        found.push(Failure {
            backtrace: p.backtrace,
            ..Failure::new("panic", &case, p.source, p.phase, p.message, p.location)
        });
    }
    // Laying a document out in Typst may take seconds in a test build (a name of 5,000
    // backslashes, each a place to break a line, takes 7 s), and the build's own deadline
    // bounds it: that is the hang bound of such a case. The rest of a case has the run's.
    let hang = if outcome.typeset {
        vitae::export::pdf::DEFAULT_DEADLINE.max(summary.hang)
    } else {
        summary.hang
    };
    if outcome.elapsed > hang {
        summary.hangs += 1;
        let markup_elapsed = outcome.elapsed - outcome.file_elapsed;
        let source = if case.target == Target::Import {
            Source::Import
        } else if outcome.file_elapsed >= markup_elapsed {
            Source::File
        } else {
            Source::Markup
        };
        let (phase, took) = outcome.slowest_phase;
        let message = format!(
            "the case took {} ms (file {} ms, markup {} ms; {phase} {} ms)",
            outcome.elapsed.as_millis(),
            outcome.file_elapsed.as_millis(),
            markup_elapsed.as_millis(),
            took.as_millis()
        );
        let location = format!("hang in {phase}");
        let hang = Failure::new("hang", &case, source, phase, message, location);
        found.push(hang);
    }
    let mut seen: Vec<Invariant> = Vec::new();
    for v in outcome.violations {
        if !seen.contains(&v.invariant) {
            seen.push(v.invariant);
            *summary.violations.entry(v.invariant).or_default() += 1;
        }
        let name = v.invariant.name();
        // Each kind of unlocated error is its own failure, so a run lists every kind.
        let location = match v.invariant {
            Invariant::ErrorLocated => format!("{name}: {}", message_class(&v.detail)),
            _ => name.into(),
        };
        let violation = Failure::new(name, &case, v.source, "invariants", v.detail, location);
        found.push(violation);
    }
    for f in found {
        match failures.entry(f.key()) {
            std::collections::btree_map::Entry::Occupied(mut e) => {
                let kept = e.get_mut();
                kept.count += 1;
                if f.case.index < kept.case.index && kept.saved.is_none() {
                    let count = kept.count;
                    *kept = f;
                    kept.count = count;
                }
            }
            std::collections::btree_map::Entry::Vacant(e) => {
                let kept = e.insert(f);
                if save_now && must_save(kept, summary.enforce) {
                    save_failure(kept);
                }
            }
        }
    }
}

/// The innermost frame of vitae's own code, e.g. `vitae::model::date::parse (src/model/date.rs:42)`.
fn vitae_frame(backtrace: &Backtrace) -> Option<String> {
    let text = backtrace.to_string();
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some((_, function)) = line.trim().split_once(": ") else {
            continue;
        };
        if function.starts_with("vitae::") || function.starts_with("<vitae::") {
            let at = lines
                .get(i + 1)
                .map(|l| l.trim())
                .filter(|l| l.starts_with("at "))
                .and_then(|l| l.find("/src/").map(|p| &l[p + 1..]))
                .unwrap_or("");
            return Some(format!("{function} ({at})"));
        }
    }
    None
}

/// `text` on one line (control characters as spaces), cut to `max` characters.
pub fn one_line(text: &str, max: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if flat.chars().count() > max {
        format!("{}…", flat.chars().take(max).collect::<String>())
    } else {
        flat
    }
}

/// A message with what varies between cases taken out: quoted text and numbers.
fn message_class(message: &str) -> String {
    let mut out = String::new();
    let mut quoted = false;
    for c in message.chars() {
        match c {
            '"' | '`' => {
                quoted = !quoted;
                if quoted {
                    out.push_str("\"…\"");
                }
            }
            _ if quoted => {}
            c if c.is_ascii_digit() => {
                if !out.ends_with('N') {
                    out.push('N');
                }
            }
            c => out.push(c),
        }
    }
    out.chars().take(70).collect()
}
