//! Fuzzing on stable Rust, with no extra dependencies.
//!
//! Every fixture (`tests/fixtures/**.{yaml,json}`, `examples/resume.yaml`, `data/resume.yaml`)
//! and every saved failure (`tests/fuzz/regressions/*`) is a seed. A case takes one seed and
//! applies 1–4 structural mutations chosen by a seeded PRNG: lines deleted, duplicated, swapped,
//! moved, re-indented or spliced from another seed; truncation (sometimes mid-character);
//! invalid UTF-8; YAML tokens; anchors and aliases; hostile scalar values; and, for JSON seeds,
//! the same at the JSON token level. The case then goes through load + validate, the targets of
//! the full résumé and of every variant, resolve + select, and the Markdown, plain-text (80 and
//! 20 columns) and JSON exporters; a mutated string also goes through `markup::parse_inline` and
//! `markup::parse_blocks`. The PDF exporter is left out: Typst is too slow for this many cases.
//!
//! - `cargo test --test fuzz`: [`fuzz_fixed_seed`], the saved regressions plus 10,000 cases
//!   from a fixed seed (`VITAE_FUZZ_CASES` changes the count).
//! - `VITAE_FUZZ_SECONDS=3600 cargo test --test fuzz fuzz_long -- --ignored --nocapture`:
//!   [`fuzz_long`], until the time is up, from `VITAE_FUZZ_SEED` (decimal or `0x…`) or a seed
//!   taken from the clock; progress every minute.
//!
//! A panic, or a case slower than 1 s (a hang), fails the run. Its input is first written to
//! `tests/fuzz/regressions/<kind>-<hash>.{yaml,json}` (shrunk while it fails the same way), so
//! it is replayed, unmutated, on every later run (and mutated like any other seed, except saved
//! crashes and hangs). A case still running after 10 s is saved the same way and the process
//! exits. An input whose case killed the process (a stack overflow, an abort) is found in the
//! journal at the next start, replayed first, and kept as `crash-<hash>` if it kills that run too.
//!
//! Output invariants ([`Invariant`]) are counted and printed; they fail the run only when
//! [`ENFORCE_INVARIANTS`] is true or `VITAE_FUZZ_INVARIANTS=1`.
//!
//! Options that are not in the file (strict mode, `--lang`, ad-hoc tags) are derived from a hash
//! of the input bytes, so a saved input replays exactly as it failed. Cases run on
//! `VITAE_FUZZ_THREADS` threads (default: the cores, at most 4) of 2 MiB stack
//! (`VITAE_FUZZ_STACK_KIB`); each case's inputs depend only on the seed, its number and the
//! corpus.

use std::backtrace::Backtrace;
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use vitae::build::{self, BuildOptions};
use vitae::export::Renderer;
use vitae::export::json::Json;
use vitae::export::markdown::{self, Markdown};
use vitae::export::text::{self, PlainText};
use vitae::markup;
use vitae::model::{LoadOptions, load_bytes};

/// The seed of the run in `cargo test`.
const FIXED_SEED: u64 = 0x7174_AE00_F022_0001;
/// Mutated cases in `cargo test` (the saved regressions run on top of these).
const FIXED_CASES: u64 = 10_000;
/// A case slower than this is a hang.
const HANG: Duration = Duration::from_secs(1);
/// A case still running after this is saved and the process exits.
const HARD_HANG: Duration = Duration::from_secs(10);
/// Fail on output-invariant violations (no dangerous live link, no raw HTML, no control
/// characters in the Markdown and text exports). `VITAE_FUZZ_INVARIANTS=1` forces it on.
const ENFORCE_INVARIANTS: bool = true;
/// How often the long run reports.
const PROGRESS_EVERY: Duration = Duration::from_secs(60);
/// The stack of the fuzzing threads: std's default for spawned threads, which rayon's pool
/// threads also get, and the CLI resolves and renders on those when it builds several targets.
/// `VITAE_FUZZ_STACK_KIB` overrides it (to look past a known stack overflow).
const DEFAULT_STACK: usize = 2 << 20;

/// `cargo test`: the saved regressions, then 10,000 mutated cases from [`FIXED_SEED`].
#[test]
fn fuzz_fixed_seed() {
    let seeds = corpus();
    // Same seed, same inputs: generate the first 100 cases twice.
    let first = inputs_digest(&seeds, FIXED_SEED, 100);
    assert_eq!(
        first,
        inputs_digest(&seeds, FIXED_SEED, 100),
        "the case generator is not deterministic"
    );
    let cases = env_u64("VITAE_FUZZ_CASES").unwrap_or(FIXED_CASES);
    let summary = run(Config {
        name: "fuzz",
        seed: FIXED_SEED,
        cases: Some(cases),
        until: None,
        threads: threads(),
        enforce: enforce_invariants(),
        seeds,
    });
    summary.assert_clean();
}

/// The long run: `VITAE_FUZZ_SECONDS` (default 3600) of cases from `VITAE_FUZZ_SEED` (default:
/// from the clock, printed).
#[test]
#[ignore = "long: VITAE_FUZZ_SECONDS=3600 cargo test --test fuzz fuzz_long -- --ignored --nocapture"]
fn fuzz_long() {
    let seconds = env_u64("VITAE_FUZZ_SECONDS").unwrap_or(3600);
    let seed = env_u64("VITAE_FUZZ_SEED").unwrap_or_else(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Rng::new(now.as_nanos() as u64 ^ u64::from(std::process::id())).next()
    });
    let summary = run(Config {
        name: "fuzz_long",
        seed,
        cases: None,
        until: Some(Instant::now() + Duration::from_secs(seconds)),
        threads: threads(),
        enforce: enforce_invariants(),
        seeds: corpus(),
    });
    summary.assert_clean();
}

// ---------------------------------------------------------------------------------------------
// Output invariants.

/// A property every output must have. Counted on every run; enforced only when switched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Invariant {
    /// Markdown has no live link (inline, reference, autolink, image, or an attribute of raw
    /// HTML) whose target is `javascript:`, `vbscript:`, `data:` or `file:`, read as a browser
    /// reads it: case-insensitively, leading spaces and control characters ignored, tabs and line
    /// breaks dropped anywhere. Links are found by parsing the output with comrak as GitHub would
    /// (GFM autolinks included), so escaped brackets and code spans are not links.
    MarkdownUnsafeLink,
    /// Markdown has no raw HTML: the exporter escapes `<`, so an HTML node is user text that got
    /// out of its escaping.
    MarkdownRawHtml,
    /// Markdown has no C0 control character other than `\n` and `\t`.
    MarkdownControlChar,
    /// Plain text (80 and 20 columns) has no C0 control character other than `\n` and `\t`.
    TextControlChar,
    /// The JSON export parses as JSON.
    JsonValid,
}

impl Invariant {
    const ALL: [Invariant; 5] = [
        Invariant::MarkdownUnsafeLink,
        Invariant::MarkdownRawHtml,
        Invariant::MarkdownControlChar,
        Invariant::TextControlChar,
        Invariant::JsonValid,
    ];

    fn name(self) -> &'static str {
        match self {
            Invariant::MarkdownUnsafeLink => "md-unsafe-link",
            Invariant::MarkdownRawHtml => "md-raw-html",
            Invariant::MarkdownControlChar => "md-control-char",
            Invariant::TextControlChar => "text-control-char",
            Invariant::JsonValid => "json-valid",
        }
    }
}

fn enforce_invariants() -> bool {
    ENFORCE_INVARIANTS || std::env::var("VITAE_FUZZ_INVARIANTS").is_ok_and(|v| v == "1")
}

const UNSAFE_SCHEMES: [&str; 4] = ["javascript:", "vbscript:", "data:", "file:"];

fn unsafe_target(url: &str) -> bool {
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    UNSAFE_SCHEMES.iter().any(|s| url.starts_with(s))
}

/// Problems of Markdown as a reader's renderer sees it: the first live link with an unsafe
/// target, and the first raw HTML.
fn markdown_problems(md: &str) -> (Option<String>, Option<String>) {
    use comrak::nodes::NodeValue;
    let arena = comrak::Arena::new();
    let mut options = comrak::Options::default();
    options.extension.autolink = true;
    options.extension.strikethrough = true;
    options.extension.table = true;
    let root = comrak::parse_document(&arena, md, &options);
    let (mut link, mut html) = (None, None);
    for node in root.descendants() {
        let raw = match &node.data().value {
            NodeValue::Link(l) | NodeValue::Image(l) => {
                if link.is_none() && unsafe_target(&l.url) {
                    link = Some(l.url.clone());
                }
                continue;
            }
            NodeValue::HtmlInline(raw) => raw.clone(),
            NodeValue::HtmlBlock(block) => block.literal.clone(),
            _ => continue,
        };
        // An attribute value such as `href="javascript:…"`.
        let attribute = raw
            .split('=')
            .skip(1)
            .any(|value| unsafe_target(value.trim_start().trim_start_matches(['"', '\'', '`'])));
        if link.is_none() && attribute {
            link = Some(raw.clone());
        }
        html.get_or_insert(raw);
    }
    (link, html)
}

/// The first C0 control character other than `\n` and `\t`, with some context.
fn control_char(text: &str) -> Option<String> {
    let (at, c) = text
        .char_indices()
        .find(|&(_, c)| c < ' ' && c != '\n' && c != '\t')?;
    let from = floor_char(text, at.saturating_sub(20));
    let to = floor_char(text, (at + 20).min(text.len()));
    Some(format!("U+{:04X} in {:?}", c as u32, &text[from..to]))
}

fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

// ---------------------------------------------------------------------------------------------
// Running one case.

/// One input: a résumé file and a string for the markup parser.
#[derive(Debug, Clone)]
struct Case {
    /// `case 123` or `regression panic-….yaml`.
    id: String,
    /// Order of the case in the run (for deterministic reports).
    index: u64,
    /// The seed file and the mutations applied.
    origin: String,
    bytes: Vec<u8>,
    json: bool,
    markup: String,
}

/// Choices that are not in the file, derived from its bytes so that a saved file replays them.
#[derive(Debug, Clone)]
struct RunOptions {
    strict: bool,
    lang: Option<String>,
    tags: Vec<String>,
    exclude: Vec<String>,
}

fn run_options(bytes: &[u8]) -> RunOptions {
    let mut rng = Rng::new(fnv1a(bytes));
    let strict = rng.chance(10);
    let lang = match rng.below(8) {
        0 => Some("de".to_string()),
        1 => Some("fr".to_string()),
        2 => Some("zz".to_string()),
        3 => Some(String::new()),
        _ => None,
    };
    let mut tags = Vec::new();
    let mut exclude = Vec::new();
    if rng.chance(35) {
        let words = words(bytes);
        if !words.is_empty() {
            for _ in 0..rng.range(1, 2) {
                tags.push(rng.pick(&words).clone());
            }
            if rng.chance(40) {
                exclude.push(rng.pick(&words).clone());
            }
        }
    }
    RunOptions {
        strict,
        lang,
        tags,
        exclude,
    }
}

/// Lower-case words of the input, candidates for `--tags`.
fn words(bytes: &[u8]) -> Vec<String> {
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(16 * 1024)]);
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .filter(|w| (2..=16).contains(&w.len()))
        .map(str::to_ascii_lowercase)
        .collect();
    words.sort();
    words.dedup();
    words
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Source {
    /// The résumé file, through load, targets, documents and exporters.
    File,
    /// The markup string, through `parse_inline` and `parse_blocks`.
    Markup,
}

#[derive(Debug)]
struct Panicked {
    source: Source,
    phase: &'static str,
    message: String,
    location: String,
    backtrace: Option<Backtrace>,
}

#[derive(Debug, Clone)]
struct Violation {
    invariant: Invariant,
    source: Source,
    detail: String,
}

#[derive(Debug, Default)]
struct Outcome {
    elapsed: Duration,
    /// Of which the file's part.
    file_elapsed: Duration,
    /// The phase that took longest, and how long.
    slowest_phase: (&'static str, Duration),
    loaded: bool,
    documents: u64,
    render_errors: u64,
    panics: Vec<Panicked>,
    violations: Vec<Violation>,
}

thread_local! {
    static PHASE: Cell<&'static str> = const { Cell::new("") };
    /// When the current phase started, and the slowest phase of the case so far.
    static PHASE_START: Cell<Option<Instant>> = const { Cell::new(None) };
    static SLOWEST_PHASE: Cell<(&'static str, Duration)> = const { Cell::new(("", Duration::ZERO)) };
    static CAPTURING: Cell<bool> = const { Cell::new(false) };
    static CAUGHT: RefCell<Option<(String, String, Backtrace)>> = const { RefCell::new(None) };
}

fn phase(name: &'static str) {
    let now = Instant::now();
    if let Some(start) = PHASE_START.replace(Some(now)) {
        let took = now - start;
        if took > SLOWEST_PHASE.get().1 {
            SLOWEST_PHASE.set((PHASE.get(), took));
        }
    }
    PHASE.set(name);
}

/// Panics on fuzzing threads are recorded, not printed; everything else goes to the old hook.
fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if CAPTURING.get() {
                let payload = info.payload();
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(non-string panic payload)".into());
                let location = info
                    .location()
                    .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                    .unwrap_or_default();
                let backtrace = Backtrace::force_capture();
                CAUGHT.with(|c| *c.borrow_mut() = Some((message, location, backtrace)));
            } else {
                previous(info);
            }
        }));
    });
}

fn guarded(source: Source, outcome: &mut Outcome, f: impl FnOnce(&mut Outcome)) {
    CAPTURING.with(|c| c.set(true));
    let result = panic::catch_unwind(AssertUnwindSafe(|| f(&mut *outcome)));
    CAPTURING.with(|c| c.set(false));
    if result.is_err() {
        let (message, location, backtrace) = CAUGHT
            .with(|c| c.borrow_mut().take())
            .map(|(m, l, b)| (m, l, Some(b)))
            .unwrap_or_else(|| ("(panic not seen by the hook)".into(), String::new(), None));
        outcome.panics.push(Panicked {
            source,
            phase: PHASE.get(),
            message,
            location,
            backtrace,
        });
    }
}

fn execute(case: &Case) -> Outcome {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    PHASE_START.set(None);
    SLOWEST_PHASE.set(("", Duration::ZERO));
    guarded(Source::File, &mut outcome, |o| drive_file(case, o));
    phase("");
    outcome.file_elapsed = start.elapsed();
    guarded(Source::Markup, &mut outcome, |o| {
        drive_markup(&case.markup, o)
    });
    phase("");
    outcome.elapsed = start.elapsed();
    outcome.slowest_phase = SLOWEST_PHASE.get();
    outcome
}

#[allow(clippy::needless_update)] // the options structs may gain fields
fn drive_file(case: &Case, outcome: &mut Outcome) {
    let options = run_options(&case.bytes);
    phase("load");
    let name = if case.json { "fuzz.json" } else { "fuzz.yaml" };
    let load = LoadOptions {
        strict: options.strict,
        ..LoadOptions::default()
    };
    let loaded = match load_bytes(name, &case.bytes, case.json, load) {
        Ok(loaded) => loaded,
        Err(diagnostics) => {
            phase("diagnostics");
            std::hint::black_box(diagnostics.to_string());
            for d in &diagnostics.0 {
                std::hint::black_box(d.to_string());
            }
            return;
        }
    };
    outcome.loaded = true;
    phase("warnings");
    for w in &loaded.warnings {
        std::hint::black_box(w.to_string());
    }

    phase("targets");
    let full = BuildOptions {
        lang: options.lang.clone(),
        tags: options.tags.clone(),
        exclude: options.exclude.clone(),
        ..BuildOptions::default()
    };
    let mut targets = match build::targets(&loaded, &full) {
        Ok(t) => t,
        Err(e) => {
            std::hint::black_box(e.to_string());
            Vec::new()
        }
    };
    if !loaded.resume.variants.is_empty() {
        let every = BuildOptions {
            all_variants: true,
            lang: options.lang.clone(),
            ..BuildOptions::default()
        };
        match build::targets(&loaded, &every) {
            Ok(t) => targets.extend(t),
            Err(e) => {
                std::hint::black_box(e.to_string());
            }
        }
    }

    for target in &targets {
        phase("document");
        let (doc, warnings) = build::document(&loaded, target);
        for w in &warnings {
            std::hint::black_box(w.to_string());
        }
        outcome.documents += 1;

        phase("markdown");
        let md = render(&Markdown, &doc, outcome);
        phase("text-80");
        let t80 = render(
            &PlainText {
                width: 80,
                ..PlainText::default()
            },
            &doc,
            outcome,
        );
        phase("text-20");
        let t20 = render(
            &PlainText {
                width: 20,
                ..PlainText::default()
            },
            &doc,
            outcome,
        );
        phase("json");
        let json = render(&Json, &doc, outcome);

        phase("invariants");
        let mut violate = |invariant, detail: Option<String>| {
            if let Some(detail) = detail {
                outcome.violations.push(Violation {
                    invariant,
                    source: Source::File,
                    detail,
                });
            }
        };
        let (link, html) = markdown_problems(&md);
        violate(Invariant::MarkdownUnsafeLink, link);
        violate(Invariant::MarkdownRawHtml, html);
        violate(Invariant::MarkdownControlChar, control_char(&md));
        violate(
            Invariant::TextControlChar,
            control_char(&t80).or_else(|| control_char(&t20)),
        );
        // serde_json stops reading at 128 levels; a document that deep is not invalid.
        violate(
            Invariant::JsonValid,
            serde_json::from_str::<serde_json::Value>(&json)
                .err()
                .map(|e| e.to_string())
                .filter(|e| !e.contains("recursion limit exceeded")),
        );
    }
}

fn render(renderer: &dyn Renderer, doc: &vitae::Document, outcome: &mut Outcome) -> String {
    match renderer.render(doc) {
        Ok(rendered) => rendered
            .files
            .into_iter()
            .map(|bytes| String::from_utf8(bytes).expect("a text exporter wrote invalid UTF-8"))
            .collect(),
        Err(e) => {
            outcome.render_errors += 1;
            std::hint::black_box(e.to_string());
            String::new()
        }
    }
}

fn drive_markup(text: &str, outcome: &mut Outcome) {
    phase("parse_inline");
    let inline = markup::parse_inline(text);
    phase("inline-exports");
    let md = markdown::inline(&inline);
    let txt = text::inline(&inline);
    std::hint::black_box(inline.plain());
    phase("parse_blocks");
    let blocks = markup::parse_blocks(text);
    std::hint::black_box(blocks.len());
    std::hint::black_box(txt);
    // Control characters are checked in documents only: they may be refused when loading,
    // which the raw markup parser never sees.
    phase("invariants");
    let (link, html) = markdown_problems(&md);
    for (invariant, detail) in [
        (Invariant::MarkdownUnsafeLink, link),
        (Invariant::MarkdownRawHtml, html),
    ] {
        if let Some(detail) = detail {
            outcome.violations.push(Violation {
                invariant,
                source: Source::Markup,
                detail,
            });
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The run: workers, watchdog, journal, failures, summary.

struct Config {
    name: &'static str,
    seed: u64,
    /// Mutated cases to run; `None`: until `until`.
    cases: Option<u64>,
    until: Option<Instant>,
    threads: usize,
    enforce: bool,
    seeds: Vec<Seed>,
}

fn stack_size() -> usize {
    env_u64("VITAE_FUZZ_STACK_KIB").map_or(DEFAULT_STACK, |kib| kib as usize * 1024)
}

fn threads() -> usize {
    env_u64("VITAE_FUZZ_THREADS")
        .map(|n| n.max(1) as usize)
        .unwrap_or_else(|| {
            std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1)
                .min(4)
        })
}

/// What a case running right now is, for the watchdog and the journal.
struct Running {
    started: Instant,
    case: Arc<Case>,
}

type Slots = Arc<Vec<Mutex<Option<Running>>>>;

/// A failure, as reported and saved.
#[derive(Debug)]
struct Failure {
    /// `panic`, `hang` or an invariant's name.
    kind: String,
    case: Arc<Case>,
    source: Source,
    phase: &'static str,
    message: String,
    /// Where it happened: the panic's location, the hung phase, or the invariant.
    location: String,
    /// The innermost `vitae::` frame of the backtrace, when there is one.
    frame: Option<String>,
    backtrace: Option<Backtrace>,
    count: u64,
    saved: Option<PathBuf>,
}

/// Failures are told apart by kind, input and place; one of each is kept and saved, and one
/// more when the first was a saved regression (so a new input failing at the same place is not
/// lost behind it).
type FailureKey = (String, Source, String, bool);

impl Failure {
    fn key(&self) -> FailureKey {
        (
            self.kind.clone(),
            self.source,
            self.location.clone(),
            self.case.replayed(),
        )
    }
}

impl Case {
    /// A saved regression or an input from the journal, replayed as it is.
    fn replayed(&self) -> bool {
        self.id.starts_with("regression ") || self.id.starts_with("journal ")
    }
}

#[derive(Debug, Default)]
struct Summary {
    name: &'static str,
    seed: u64,
    cases: u64,
    loaded: u64,
    documents: u64,
    render_errors: u64,
    panics: u64,
    hangs: u64,
    slowest: Duration,
    slowest_case: String,
    elapsed: Duration,
    /// Peak RSS of the run in KiB (before backtraces are symbolised, which takes memory).
    peak_rss_kib: u64,
    violations: BTreeMap<Invariant, u64>,
    enforce: bool,
    failures: Vec<Failure>,
}

impl Summary {
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
            "; {} loaded, {} documents, peak RSS {} MiB, seed {:#x}",
            self.loaded,
            self.documents,
            self.peak_rss_kib / 1024,
            self.seed
        );
        line
    }

    fn assert_clean(&self) {
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
                "- {} ×{} in {} ({:?} input, phase {}): {} at {}{}\n  input: {}\n  saved: {}",
                f.kind,
                f.count,
                f.case.id,
                f.source,
                f.phase,
                one_line(&f.message, 200),
                f.location,
                f.frame
                    .as_deref()
                    .map(|fr| format!(" [{fr}]"))
                    .unwrap_or_default(),
                f.case.origin,
                f.saved
                    .as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "(already a regression)".into()),
            );
        }
        panic!("{report}");
    }
}

/// [`run_here`] on a thread with the workers' stack (it replays and shrinks failing inputs).
fn run(config: Config) -> Summary {
    let runner = std::thread::Builder::new()
        .name(config.name.into())
        .stack_size(stack_size())
        .spawn(move || run_here(config))
        .expect("spawn the fuzz runner");
    match runner.join() {
        Ok(summary) => summary,
        Err(panic) => panic::resume_unwind(panic),
    }
}

fn run_here(config: Config) -> Summary {
    install_panic_hook();
    let seeds = Arc::new(config.seeds);
    let started = Instant::now();
    let journal = Journal::new();
    let adopted = journal.adopt();

    // Replayed first, unmutated: inputs adopted from a run that died, then saved regressions.
    let mut fixed: Vec<Case> = adopted;
    for s in seeds.iter().filter(|s| s.regression) {
        fixed.push(Case {
            id: format!("regression {}", s.name),
            index: 0,
            origin: s.name.clone(),
            bytes: s.bytes.clone(),
            json: s.json,
            markup: String::from_utf8_lossy(&s.bytes).into_owned(),
        });
    }
    for (i, c) in fixed.iter_mut().enumerate() {
        c.index = i as u64;
    }
    let fixed = Arc::new(fixed);
    let replayed = fixed.len() as u64;
    let total = config.cases.map(|n| n + replayed);
    eprintln!(
        "{}: seed {:#x}, {} seeds ({} regressions replayed), {} threads of {} KiB stack, {}",
        config.name,
        config.seed,
        seeds.len(),
        replayed,
        config.threads,
        stack_size() / 1024,
        match (total, config.until) {
            (Some(n), _) => format!("{n} cases"),
            (None, Some(until)) => format!("{} s", (until - Instant::now()).as_secs()),
            (None, None) => "no limit".into(),
        }
    );

    eprintln!(
        "{}: if this process dies (a stack overflow, an abort), the next run replays the input it \
         was running, from {}",
        config.name,
        journal.dir.display()
    );
    let slots: Slots = Arc::new(
        (0..config.threads)
            .map(|_| Mutex::new(None))
            .collect::<Vec<_>>(),
    );
    let next = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel::<(Arc<Case>, Outcome)>();

    let watchdog = {
        let slots = Arc::clone(&slots);
        let stop = Arc::clone(&stop);
        let journal = journal.clone();
        std::thread::spawn(move || watchdog(&slots, &stop, &journal))
    };
    let mut workers = Vec::new();
    for w in 0..config.threads {
        let (seeds, fixed, slots, next, stop, tx, journal) = (
            Arc::clone(&seeds),
            Arc::clone(&fixed),
            Arc::clone(&slots),
            Arc::clone(&next),
            Arc::clone(&stop),
            tx.clone(),
            journal.clone(),
        );
        let seed = config.seed;
        let until = config.until;
        let worker = std::thread::Builder::new()
            .name(format!("fuzz-{w}"))
            .stack_size(stack_size())
            .spawn(move || {
                loop {
                    if stop.load(Ordering::Relaxed) || until.is_some_and(|u| Instant::now() >= u) {
                        break;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if total.is_some_and(|t| i >= t) {
                        break;
                    }
                    let case = Arc::new(match fixed.get(i as usize) {
                        Some(c) => c.clone(),
                        None => {
                            let mut c = generate(&seeds, seed, i - replayed);
                            c.index = i;
                            c
                        }
                    });
                    journal.write(w, &case);
                    *slots[w].lock().unwrap() = Some(Running {
                        started: Instant::now(),
                        case: Arc::clone(&case),
                    });
                    let outcome = execute(&case);
                    *slots[w].lock().unwrap() = None;
                    if tx.send((case, outcome)).is_err() {
                        break;
                    }
                }
                journal.clear(w);
            })
            .expect("spawn a fuzz worker");
        workers.push(worker);
    }
    drop(tx);

    let mut summary = Summary {
        name: config.name,
        seed: config.seed,
        enforce: config.enforce,
        ..Summary::default()
    };
    let mut failures: BTreeMap<FailureKey, Failure> = BTreeMap::new();
    let mut last_progress = Instant::now();
    let long = config.until.is_some();
    loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok((case, outcome)) => {
                tally(&mut summary, &mut failures, case, outcome, long);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if long && last_progress.elapsed() >= PROGRESS_EVERY {
            last_progress = Instant::now();
            let secs = started.elapsed().as_secs();
            eprintln!(
                "{}: {}m{:02}s, {} cases ({:.0}/s), {} panics, {} hangs, slowest {} ms, peak RSS {} MiB",
                config.name,
                secs / 60,
                secs % 60,
                summary.cases,
                summary.cases as f64 / started.elapsed().as_secs_f64(),
                summary.panics,
                summary.hangs,
                summary.slowest.as_millis(),
                peak_rss_kib() / 1024,
            );
        }
    }
    for worker in workers {
        worker.join().expect("a fuzz worker died");
    }
    stop.store(true, Ordering::Relaxed);
    watchdog.join().expect("the watchdog died");
    summary.elapsed = started.elapsed();
    summary.peak_rss_kib = peak_rss_kib();

    // Save what failed (in case order, so a fixed-seed run saves the same files every time).
    for failure in failures.values_mut() {
        if failure.saved.is_none() && must_save(failure, config.enforce) {
            save_failure(failure);
        }
        failure.frame = failure.backtrace.as_ref().and_then(vitae_frame);
    }
    let mut failures: Vec<Failure> = failures.into_values().collect();
    failures.sort_by_key(|f| f.case.index);
    for f in &failures {
        if f.kind == "panic" || f.kind == "hang" {
            eprintln!(
                "{}: {} ×{} in {} ({:?}, phase {}): {} at {}{}\n    saved: {}",
                config.name,
                f.kind,
                f.count,
                f.case.id,
                f.source,
                f.phase,
                one_line(&f.message, 160),
                f.location,
                f.frame
                    .as_deref()
                    .map(|fr| format!(" [{fr}]"))
                    .unwrap_or_default(),
                f.saved
                    .as_deref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "(already a regression)".into()),
            );
        } else {
            eprintln!(
                "{}: invariant {} ({:?} input) first in {}: {}",
                config.name,
                f.kind,
                f.source,
                f.case.id,
                one_line(&f.message, 160),
            );
        }
    }
    eprintln!(
        "{}: slowest case ({} ms): {}",
        config.name,
        summary.slowest.as_millis(),
        one_line(&summary.slowest_case, 300)
    );
    summary.failures = failures;
    eprintln!("{}", summary.line());
    summary
}

fn tally(
    summary: &mut Summary,
    failures: &mut BTreeMap<FailureKey, Failure>,
    case: Arc<Case>,
    outcome: Outcome,
    save_now: bool,
) {
    summary.cases += 1;
    summary.loaded += u64::from(outcome.loaded);
    summary.documents += outcome.documents;
    summary.render_errors += outcome.render_errors;
    if outcome.elapsed > summary.slowest {
        summary.slowest = outcome.elapsed;
        summary.slowest_case = format!("{}: {}", case.id, case.origin);
    }
    let mut found: Vec<Failure> = Vec::new();
    for p in outcome.panics {
        summary.panics += 1;
        found.push(Failure {
            kind: "panic".into(),
            case: Arc::clone(&case),
            source: p.source,
            phase: p.phase,
            message: p.message,
            location: p.location,
            frame: None,
            backtrace: p.backtrace,
            count: 1,
            saved: None,
        });
    }
    if outcome.elapsed > HANG {
        summary.hangs += 1;
        let markup_elapsed = outcome.elapsed - outcome.file_elapsed;
        let source = if outcome.file_elapsed >= markup_elapsed {
            Source::File
        } else {
            Source::Markup
        };
        let (phase, took) = outcome.slowest_phase;
        found.push(Failure {
            kind: "hang".into(),
            case: Arc::clone(&case),
            source,
            phase,
            message: format!(
                "the case took {} ms (file {} ms, markup {} ms; {phase} {} ms)",
                outcome.elapsed.as_millis(),
                outcome.file_elapsed.as_millis(),
                markup_elapsed.as_millis(),
                took.as_millis()
            ),
            location: format!("hang in {phase}"),
            frame: None,
            backtrace: None,
            count: 1,
            saved: None,
        });
    }
    let mut seen: Vec<Invariant> = Vec::new();
    for v in outcome.violations {
        if !seen.contains(&v.invariant) {
            seen.push(v.invariant);
            *summary.violations.entry(v.invariant).or_default() += 1;
        }
        found.push(Failure {
            kind: v.invariant.name().into(),
            case: Arc::clone(&case),
            source: v.source,
            phase: "invariants",
            message: v.detail,
            location: v.invariant.name().into(),
            frame: None,
            backtrace: None,
            count: 1,
            saved: None,
        });
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

fn must_save(failure: &Failure, enforce: bool) -> bool {
    // A saved regression that still fails is already saved.
    !failure.case.replayed() && (failure.kind == "panic" || failure.kind == "hang" || enforce)
}

/// Shrinks the failing input while it fails the same way, then writes it.
fn save_failure(failure: &mut Failure) {
    let (bytes, json) = match failure.source {
        Source::File => (failure.case.bytes.clone(), failure.case.json),
        Source::Markup => (failure.case.markup.clone().into_bytes(), false),
    };
    let bytes = if failure.kind == "hang" {
        bytes // each try would take a second or more
    } else {
        shrink(&bytes, json, failure)
    };
    failure.saved = Some(write_regression(&failure.kind, &bytes, json));
}

/// Whether `bytes` still fails like `failure`.
fn reproduces(bytes: &[u8], json: bool, failure: &Failure) -> bool {
    let mut case = Case {
        id: "shrink".into(),
        index: 0,
        origin: String::new(),
        bytes: Vec::new(),
        json,
        markup: String::new(),
    };
    match failure.source {
        Source::File => case.bytes = bytes.to_vec(),
        Source::Markup => case.markup = String::from_utf8_lossy(bytes).into_owned(),
    }
    let outcome = execute(&case);
    if failure.kind == "panic" {
        outcome
            .panics
            .iter()
            .any(|p| p.source == failure.source && p.location == failure.location)
    } else {
        outcome
            .violations
            .iter()
            .any(|v| v.source == failure.source && v.invariant.name() == failure.kind)
    }
}

/// Shrinks an input while it fails the same way: whole indented blocks first (with their
/// closing bracket), then runs of lines, then, for short inputs, characters.
fn shrink(bytes: &[u8], json: bool, failure: &Failure) -> Vec<u8> {
    const BUDGET: usize = 600;
    if !reproduces(bytes, json, failure) {
        return bytes.to_vec(); // flaky: keep it as it was
    }
    let mut tries = 0;

    let mut lines = split_lines(bytes);
    let mut i = 0;
    while i < lines.len() && tries < BUDGET {
        let mut block = block_at(&lines, i);
        let closes = lines.get(block.end).is_some_and(|l| {
            indent_of(l) == indent_of(&lines[i]) && matches!(l.get(indent_of(l)), Some(b'}' | b']'))
        });
        if closes {
            block.end += 1;
        }
        let mut candidate = lines.clone();
        candidate.drain(block);
        if json {
            drop_dangling_commas(&mut candidate);
        }
        tries += 1;
        if reproduces(&join_lines(&candidate), json, failure) {
            lines = candidate;
        } else {
            i += 1;
        }
    }

    let pass = |units: &mut Vec<Vec<u8>>, tries: &mut usize| {
        let mut chunk = (units.len() / 2).max(1);
        while *tries < BUDGET && units.len() > 1 {
            let mut at = 0;
            let mut progressed = false;
            while at < units.len() && *tries < BUDGET {
                let mut candidate = units.clone();
                candidate.drain(at..(at + chunk).min(units.len()));
                *tries += 1;
                if reproduces(&candidate.concat(), json, failure) {
                    *units = candidate;
                    progressed = true;
                } else {
                    at += chunk;
                }
            }
            if !progressed {
                if chunk == 1 {
                    break;
                }
                chunk /= 2;
            }
        }
    };
    let joined = join_lines(&lines);
    let mut units: Vec<Vec<u8>> = joined
        .split_inclusive(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    pass(&mut units, &mut tries);
    let shrunk = units.concat();
    match String::from_utf8(shrunk) {
        Ok(text) if text.len() <= 2000 => {
            let mut chars: Vec<Vec<u8>> =
                text.chars().map(|c| c.to_string().into_bytes()).collect();
            pass(&mut chars, &mut tries);
            chars.concat()
        }
        Ok(text) => text.into_bytes(),
        Err(e) => e.into_bytes(),
    }
}

/// Removes a comma that ends a line when the next line closes its object or array.
fn drop_dangling_commas(lines: &mut [Vec<u8>]) {
    for i in 0..lines.len().saturating_sub(1) {
        let next = &lines[i + 1];
        let closes = matches!(next.get(indent_of(next)), Some(b'}' | b']'));
        let line = &mut lines[i];
        while line.last().is_some_and(u8::is_ascii_whitespace) {
            line.pop();
        }
        if closes && line.last() == Some(&b',') {
            line.pop();
        }
    }
}

fn regressions_dir() -> PathBuf {
    root().join("tests/fuzz/regressions")
}

fn regression_path(kind: &str, bytes: &[u8], json: bool) -> PathBuf {
    let ext = if json { "json" } else { "yaml" };
    regressions_dir().join(format!("{kind}-{:012x}.{ext}", fnv1a(bytes) >> 16))
}

/// Writes a failing input (unless it is there already); returns its path from the crate root.
fn write_regression(kind: &str, bytes: &[u8], json: bool) -> PathBuf {
    std::fs::create_dir_all(regressions_dir()).expect("create tests/fuzz/regressions");
    let path = regression_path(kind, bytes, json);
    if !path.exists() {
        std::fs::write(&path, bytes).expect("write a regression input");
    }
    path.strip_prefix(root())
        .map(Path::to_path_buf)
        .unwrap_or(path)
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

fn watchdog(slots: &Slots, stop: &AtomicBool, journal: &Journal) {
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(250));
        for slot in slots.iter() {
            let guard = slot.lock().unwrap();
            let Some(running) = guard.as_ref() else {
                continue;
            };
            if running.started.elapsed() < HARD_HANG {
                continue;
            }
            let case = &running.case;
            let mut saved = vec![write_regression("hang", &case.bytes, case.json)];
            if !case.markup.is_empty() {
                saved.push(write_regression("hang", case.markup.as_bytes(), false));
            }
            eprintln!(
                "fuzz: HANG: {} ({}) has run for more than {} s; its inputs are saved as {}",
                case.id,
                case.origin,
                HARD_HANG.as_secs(),
                saved
                    .iter()
                    .map(|p| p.display().to_string())
                    .collect::<Vec<_>>()
                    .join(" and "),
            );
            journal.clear_all();
            std::process::exit(101);
        }
    }
}

/// Each worker's current input, on disk: if a case kills the process (stack overflow, abort),
/// the next run finds it and replays it first.
#[derive(Clone)]
struct Journal {
    dir: PathBuf,
}

impl Journal {
    fn new() -> Journal {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-journal");
        let _ = std::fs::create_dir_all(&dir);
        Journal { dir }
    }

    fn path(&self, worker: usize) -> PathBuf {
        self.dir
            .join(format!("{}-{worker}.journal", std::process::id()))
    }

    fn write(&self, worker: usize, case: &Case) {
        let mut data = format!(
            "vitae-fuzz json={} markup={} {}: {}\n",
            u8::from(case.json),
            case.markup.len(),
            case.id,
            one_line(&case.origin, 300)
        )
        .into_bytes();
        data.extend_from_slice(case.markup.as_bytes());
        data.extend_from_slice(&case.bytes);
        let _ = std::fs::write(self.path(worker), data);
    }

    fn clear(&self, worker: usize) {
        let _ = std::fs::remove_file(self.path(worker));
    }

    fn clear_all(&self) {
        let prefix = format!("{}-", std::process::id());
        for entry in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Inputs left by runs that died: saved as `crash-…` regressions and returned for replay.
    /// If the replay passes (the run was merely interrupted), the file is removed again.
    fn adopt(&self) -> Vec<Case> {
        let mut cases = Vec::new();
        let mut entries: Vec<PathBuf> = std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let pid = name.split('-').next().unwrap_or("");
            if pid == std::process::id().to_string() || Path::new("/proc").join(pid).exists() {
                continue; // ours, or a run still going
            }
            let Ok(data) = std::fs::read(&path) else {
                continue;
            };
            let _ = std::fs::remove_file(&path);
            let Some(newline) = data.iter().position(|&b| b == b'\n') else {
                continue;
            };
            let header = String::from_utf8_lossy(&data[..newline]).into_owned();
            let field = |key: &str| -> Option<usize> {
                header
                    .split_whitespace()
                    .find_map(|f| f.strip_prefix(key))
                    .and_then(|v| v.parse().ok())
            };
            let (Some(json), Some(markup_len)) = (field("json="), field("markup=")) else {
                continue;
            };
            let body = &data[newline + 1..];
            let Some(markup) = body.get(..markup_len) else {
                continue;
            };
            let case = Case {
                id: format!("journal {name}"),
                index: 0,
                origin: header.splitn(4, ' ').nth(3).unwrap_or("a case").to_string(),
                bytes: body[markup_len..].to_vec(),
                json: json == 1,
                markup: String::from_utf8_lossy(markup).into_owned(),
            };
            // Both inputs, unless the markup is the file's own text (a replayed regression).
            let mut inputs = vec![(case.bytes.as_slice(), case.json)];
            if !case.markup.is_empty() && case.markup.as_bytes() != case.bytes.as_slice() {
                inputs.push((case.markup.as_bytes(), false));
            }
            let mut created = Vec::new();
            for (bytes, json) in inputs {
                let path = regression_path("crash", bytes, json);
                if !path.exists() {
                    created.push(write_regression("crash", bytes, json));
                }
            }
            let kept = if created.is_empty() {
                "it is a saved regression already".to_string()
            } else {
                let names: Vec<String> = created.iter().map(|p| p.display().to_string()).collect();
                format!("kept as {} if this run dies too", names.join(" and "))
            };
            eprintln!(
                "fuzz: process {pid} died while running {}; replaying its input first ({kept})",
                case.origin
            );
            let outcome = execute(&case);
            if outcome.panics.is_empty() && outcome.elapsed <= HANG {
                for path in created {
                    let _ = std::fs::remove_file(root().join(path));
                }
                eprintln!("fuzz: it ran fine: the process was interrupted, not crashed");
            } else {
                cases.push(case);
            }
        }
        cases
    }
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

fn one_line(text: &str, max: usize) -> String {
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

fn env_u64(name: &str) -> Option<u64> {
    let value = std::env::var(name).ok()?;
    let value = value.trim().replace('_', "");
    match value
        .strip_prefix("0x")
        .or_else(|| value.strip_prefix("0X"))
    {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => value.parse().ok(),
    }
}

// ---------------------------------------------------------------------------------------------
// Seeds.

#[derive(Debug, Clone)]
struct Seed {
    /// Relative to the crate root.
    name: String,
    bytes: Vec<u8>,
    json: bool,
    regression: bool,
    /// A fixture that is meant to load (not under `tests/fixtures/bad/`, not a regression).
    good: bool,
    /// Used as the base of mutated cases (not a saved crash or hang).
    mutable: bool,
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every fixture, both example résumés and every saved regression, in a stable order.
fn corpus() -> Vec<Seed> {
    let mut files = Vec::new();
    collect_files(&root().join("tests/fixtures"), &mut files);
    files.push(root().join("examples/resume.yaml"));
    files.push(root().join("data/resume.yaml"));
    collect_files(&regressions_dir(), &mut files);
    let mut seeds: Vec<Seed> = files
        .into_iter()
        .filter_map(|path| {
            let ext = path.extension()?.to_str()?.to_ascii_lowercase();
            if !matches!(ext.as_str(), "yaml" | "yml" | "json") {
                return None;
            }
            let name = path
                .strip_prefix(root())
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let regression = name.starts_with("tests/fuzz/regressions/");
            let file = name.rsplit('/').next().unwrap_or("");
            Some(Seed {
                mutable: !(file.starts_with("crash-") || file.starts_with("hang-")),
                good: !regression && !name.starts_with("tests/fixtures/bad/"),
                regression,
                bytes: std::fs::read(&path).ok()?,
                json: ext == "json",
                name,
            })
        })
        .collect();
    seeds.sort_by(|a, b| a.name.cmp(&b.name));
    assert!(
        seeds.iter().filter(|s| !s.regression).count() >= 10,
        "the fuzz corpus lost its fixtures"
    );
    seeds
}

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The generator.

/// splitmix64: small, fast and good enough to choose mutations.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// In `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    /// In `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        if hi <= lo {
            lo
        } else {
            lo + self.below(hi - lo + 1)
        }
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// A hash of the first `n` generated inputs.
fn inputs_digest(seeds: &[Seed], seed: u64, n: u64) -> u64 {
    (0..n).fold(0, |h, i| {
        let case = generate(seeds, seed, i);
        h.rotate_left(7)
            ^ fnv1a(&case.bytes)
            ^ fnv1a(case.markup.as_bytes()).rotate_left(1)
            ^ u64::from(case.json)
    })
}

/// Case `n` of the run from `seed`: a function of both (and of the corpus) only.
fn generate(seeds: &[Seed], seed: u64, n: u64) -> Case {
    let mut rng = Rng::new(Rng::new(seed ^ n.wrapping_mul(0xD1B5_4A32_D192_ED03)).next());
    // Mostly seeds that load as they are: their mutants get past loading into resolve and the
    // exporters; the broken fixtures exercise the error paths. Saved crashes and hangs are
    // replayed as they are but neither mutated nor spliced from: their mutants would mostly crash
    // or hang the same way, slowly.
    let good: Vec<&Seed> = seeds.iter().filter(|s| s.good).collect();
    let pool: Vec<&Seed> = seeds.iter().filter(|s| s.mutable).collect();
    let base = if !good.is_empty() && rng.chance(80) {
        *rng.pick(&good)
    } else {
        *rng.pick(&pool)
    };
    let mut bytes = base.bytes.clone();
    let mut applied: Vec<String> = Vec::new();
    // Gentle cases keep the file well-formed more often than not; rough ones break anything.
    let gentle = rng.chance(65);
    // Large seeds are usually cut down first: it keeps 10,000 cases well inside the time budget,
    // and the cut is a structural mutation too.
    if !base.json && bytes.len() > 6000 && rng.chance(75) {
        applied.push(crop(&mut rng, &mut bytes, gentle).into());
    }
    for _ in 0..rng.range(1, 4) {
        let op = if base.json && (gentle || rng.chance(60)) {
            mutate_json(&mut rng, &mut bytes, gentle)
        } else {
            mutate_lines(&mut rng, &pool, &mut bytes, gentle)
        };
        applied.push(format!("{op:?}"));
    }
    let markup = markup_input(&mut rng, &pool);
    Case {
        id: format!("case {n}"),
        index: n,
        origin: format!(
            "{} {} [{}]",
            base.name,
            if gentle { "gentle" } else { "rough" },
            applied.join(", ")
        ),
        bytes,
        json: base.json,
        markup,
    }
}

/// Keeps the lines before the first top-level key other than `basics`, then a run of lines
/// that usually starts at a top-level key.
fn crop(rng: &mut Rng, bytes: &mut Vec<u8>, gentle: bool) -> &'static str {
    let lines = split_lines(bytes);
    let n = lines.len();
    let top = |l: &Vec<u8>| l.first().is_some_and(u8::is_ascii_alphabetic);
    let head = lines
        .iter()
        .position(|l| top(l) && !l.starts_with(b"basics"))
        .unwrap_or(n);
    let keys: Vec<usize> = (head..n).filter(|&i| top(&lines[i])).collect();
    let from = if !keys.is_empty() && (gentle || rng.chance(70)) {
        *rng.pick(&keys)
    } else {
        rng.range(head, n.saturating_sub(1)).min(n)
    };
    let len = rng.range(20, 120);
    let mut kept: Vec<Vec<u8>> = lines[..head].to_vec();
    kept.extend_from_slice(&lines[from..(from + len).min(n)]);
    *bytes = join_lines(&kept);
    "crop"
}

fn split_lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
}

fn join_lines(lines: &[Vec<u8>]) -> Vec<u8> {
    lines.join(&b'\n')
}

/// Indentation to add, at most this much.
const SPACES: &[u8] = b"                                                                ";

fn indent_of(line: &[u8]) -> usize {
    line.iter().take_while(|&&b| b == b' ').count()
}

fn blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where the scalar value of a `key: value` or `- value` line starts.
fn value_start(line: &[u8]) -> Option<usize> {
    let indent = indent_of(line);
    let rest = &line[indent..];
    if rest.is_empty() || rest.starts_with(b"#") {
        return None;
    }
    let mut at = indent;
    if rest.starts_with(b"- ") {
        at += 2;
    }
    if let Some(i) = find(&line[at..], b": ") {
        return Some(at + i + 2);
    }
    (at > indent && at < line.len()).then_some(at)
}

/// Lines that start a block-sequence item (`- …`).
fn item_starts(lines: &[Vec<u8>]) -> Vec<usize> {
    (0..lines.len())
        .filter(|&i| lines[i][indent_of(&lines[i])..].starts_with(b"- "))
        .collect()
}

/// The line at `at` and every following line indented more deeply (or blank).
fn block_at(lines: &[Vec<u8>], at: usize) -> std::ops::Range<usize> {
    let indent = indent_of(&lines[at]);
    let mut end = at + 1;
    while end < lines.len() && (blank(&lines[end]) || indent_of(&lines[end]) > indent) {
        end += 1;
    }
    at..end
}

#[rustfmt::skip]
const YAML_TOKENS: &[&str] = &[
    "&a ", "*a", "<<: *a", "---", "...", "[", "{", "]", "}", ": ", "- ", "? ", "!!binary ",
    "!!str ", "%YAML 1.1", "|", ">-", "\t", "#", "!!int ", "!!null ", "!!map ", "!!seq ", "'",
    "\"", "!", "%TAG ! tag:x,2000:", "@", "`", "*", "|+", ">2", ",", "&", "!<tag:x> ", "~",
    "\r", "\u{feff}", "- - - ", "? - ", "{a: [", "]}", "*missing", "&a &b ",
];

/// Whole lines of YAML, inserted as lines of their own.
#[rustfmt::skip]
const YAML_LINES: &[&str] = &[
    "---", "...", "%YAML 1.1", "%YAML 1.2\n---", "? complex", ": value", "<<: *a", "- item",
    "x-extra: &a {name: Anchored, highlights: [a, b]}", "x-list: &a [one, two]", "basics: *a",
    "  <<: *a", "#", "\t", "---\nbasics: {name: Second}",
    "variants: {v: {tags: [x], sections: [work, nope], limits: {highlights: 0}}}",
    "variants: {v: {limits: {entries: {work: -1}, highlights: 18446744073709551615}}}",
    "settings: {lang: \"\", layout: '', pageSize: nope}",
    "work: ~", "work: []", "work: {}", "work: [[]]", "work: [{}]", "skills: [~]",
    "work: [{startDate: '2020-13', endDate: '2019'}]", "basics: {name: ''}",
];

/// Characters inserted one at a time.
const ODD_CHARS: &[char] = &[
    '\0', '\u{1b}', '\u{7}', '\r', '\u{feff}', '\u{2028}', '\u{85}', '\u{200d}', '\u{fffd}', '"',
    '\'', '\\', '%', '@', '`', '|', '>', '*', '&', '!',
];

/// Keys whose values become links.
const LINK_KEYS: &[&str] = &[
    "url", "email", "image", "website", "network", "username", "phone",
];

#[rustfmt::skip]
const HOSTILE: &[&str] = &[
    // Link targets that must never be live.
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "java\tscript:alert(1)", "java\nscript:alert(1)", "\u{1}javascript:alert(1)",
    "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
    "[x](javascript:alert(1))", "[x]( javascript:alert(1) )", "[x](<javascript:alert(1)>)",
    "[x](JAVASCRIPT:alert(1) \"t\")", "![i](javascript:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)", "<javascript:x>", "<JavaScript:alert(1)>",
    "<vbscript:x>", "<data:text/html,x>", "[d](data:text/html,<script>)",
    "[f](file:///etc/passwd)", "<file:///etc/passwd>", "<a href=\"javascript:alert(1)\">x</a>",
    "[x](&#106;avascript:alert(1))", "[x](javascript&#58;alert(1))",
    "x) [y](javascript:alert(1)", "x)[y](javascript:alert(1))", "a> <javascript:alert(1)>",
    "https://example.com/a)b(c", "https://example.com/<x>", "https://example.com/a b",
    "mailto:a@b.c", "a@b.c)(javascript:alert(1)", "a@b.c>[x](javascript:alert(1))",
    // Line breaks and control characters.
    "a\nb", "a\r\nb", "a\rb", "\u{1b}[31mred\u{1b}[0m", "bell\u{7}", "nul\u{0}byte",
    "\u{8}\u{8}back", "\u{7f}del", "\u{85}nel",
    "\u{1b}]8;;javascript:alert(1)\u{1b}\\x\u{1b}]8;;\u{1b}\\",
    // Typst and Markdown syntax.
    "#eval(\"1\")", "#read(\"/etc/passwd\")", "]", ")", "*", "_", "`", "``", "```", "\\",
    "\\\\", "](", "[", "**", "**a", "*a**", "~~x~~", "<b>x</b>", "&amp;", "&#0;",
    "|a|b|\n|-|-|", "- a\n- b", "1. a\n2. b", "# h", "> q", "    code", "---",
    // Numbers, dates and YAML's special words.
    "99999999999999999999999999", "-1", "1e999", ".nan", "0x1F", "0o17", "2020-13", "2020-00",
    "2020-02-30", "2020-1", "0000-01", "9999-12-31", "2020-01-01T00:00:00Z", "present",
    "Present", "~", "null", "", " ", "true", "no",
    // Scripts, combining marks, invisible and special characters.
    "שלום עולם مرحبا بالعالم", "履歴書 이력서 简历", "👩🏽‍💻🚀🇭🇷", "e\u{301}\u{301}\u{301}\u{301}",
    "\u{feff}bom", "line\u{2028}sep\u{2029}para", "\u{202e}override", "\u{200b}\u{200d}",
    "\u{fffd}", "\u{10ffff}", "a\u{0}",
];

/// Units repeated to about 10,000 bytes.
const LONG_UNITS: &[&str] = &[
    "a", "word ", "[", "*", "_a", "`", "**a ", "é", "\\", "](", "<", "&#", "- ", "\n",
];

fn hostile(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => {
            let unit = *rng.pick(LONG_UNITS);
            unit.repeat(10_000 / unit.len())
        }
        1 => format!("https://example.com/{}", "a".repeat(10_000)),
        2 => {
            let depth = *rng.pick(&[10, 63, 64, 65, 200, 5000]);
            if rng.chance(50) {
                "[".repeat(depth)
            } else {
                format!("{}x{}", "[".repeat(depth), "]".repeat(depth))
            }
        }
        3 => format!("{}{}", rng.pick(HOSTILE), rng.pick(HOSTILE)),
        _ => rng.pick(HOSTILE).to_string(),
    }
}

/// `value` as a YAML scalar in one of several styles (a plain scalar may break the file, which
/// is fine).
fn yaml_scalar(rng: &mut Rng, value: &str, indent: usize, gentle: bool) -> String {
    let style = match rng.below(20) {
        _ if gentle && value.chars().any(char::is_control) => 0,
        13..=16 if gentle => rng.below(13),
        style => style,
    };
    match style {
        0..=8 => {
            let mut out = String::from("\"");
            for c in value.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\u{feff}' => out.push_str("\\uFEFF"),
                    c if c.is_control() => {
                        let _ = write!(out, "\\x{:02X}", c as u32);
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        9..=12 => format!("'{}'", value.replace('\'', "''")),
        13..=16 => value.to_string(),
        _ => {
            let mut out = rng.pick(&["|", "|-", ">-", "|+", ">"]).to_string();
            let pad = " ".repeat(indent + 4);
            for line in value.split('\n') {
                out.push('\n');
                out.push_str(&pad);
                out.push_str(line);
            }
            out
        }
    }
}

/// A mutation of a file's lines (or bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Truncate,
    InvalidUtf8,
    DeleteLines,
    DuplicateLines,
    SwapLines,
    MoveLines,
    Reindent,
    Splice,
    YamlToken,
    YamlLine,
    AnchorAlias,
    InsertChar,
    HostileValue,
    DuplicateItem,
    DeleteBlock,
    MoveItem,
    SwapValues,
    Json(JsonOp),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum JsonOp {
    Hostile,
    Replace,
    Deep,
    Delete,
    Duplicate,
    Swap,
    Insert,
}

/// Mutations that usually keep a file loadable, with weights.
const GENTLE_OPS: &[(Op, u64)] = &[
    (Op::HostileValue, 10),
    (Op::DuplicateItem, 3),
    (Op::DeleteBlock, 3),
    (Op::MoveItem, 2),
    (Op::AnchorAlias, 1),
    (Op::Splice, 1),
];

/// Every mutation, with weights.
const ROUGH_OPS: &[(Op, u64)] = &[
    (Op::Truncate, 2),
    (Op::InvalidUtf8, 1),
    (Op::DeleteLines, 3),
    (Op::DuplicateLines, 2),
    (Op::SwapLines, 2),
    (Op::MoveLines, 2),
    (Op::Reindent, 3),
    (Op::Splice, 2),
    (Op::YamlToken, 3),
    (Op::YamlLine, 2),
    (Op::AnchorAlias, 2),
    (Op::InsertChar, 2),
    (Op::HostileValue, 4),
    (Op::DuplicateItem, 1),
    (Op::DeleteBlock, 1),
    (Op::MoveItem, 1),
    (Op::SwapValues, 2),
];

const GENTLE_JSON_OPS: &[(Op, u64)] = &[
    (Op::Json(JsonOp::Hostile), 8),
    (Op::Json(JsonOp::Replace), 2),
];

const ROUGH_JSON_OPS: &[(Op, u64)] = &[
    (Op::Json(JsonOp::Hostile), 3),
    (Op::Json(JsonOp::Replace), 1),
    (Op::Json(JsonOp::Deep), 1),
    (Op::Json(JsonOp::Delete), 1),
    (Op::Json(JsonOp::Duplicate), 1),
    (Op::Json(JsonOp::Swap), 1),
    (Op::Json(JsonOp::Insert), 1),
];

fn choose(rng: &mut Rng, table: &[(Op, u64)]) -> Op {
    let total: u64 = table.iter().map(|(_, w)| w).sum();
    let mut roll = rng.next() % total;
    for &(op, weight) in table {
        if roll < weight {
            return op;
        }
        roll -= weight;
    }
    table[0].0
}

fn mutate_lines(rng: &mut Rng, seeds: &[&Seed], bytes: &mut Vec<u8>, gentle: bool) -> Op {
    let op = choose(rng, if gentle { GENTLE_OPS } else { ROUGH_OPS });
    match op {
        Op::Truncate => {
            let mut at = rng.below(bytes.len() + 1);
            if rng.chance(70) {
                while at > 0 && at < bytes.len() && bytes[at] & 0xC0 == 0x80 {
                    at -= 1;
                }
            }
            bytes.truncate(at);
            return op;
        }
        Op::InvalidUtf8 => {
            const JUNK: &[&[u8]] = &[
                &[0xFF],
                &[0xC3],
                &[0x80],
                &[0xED, 0xA0, 0x80],
                &[0xF4, 0x90, 0x80, 0x80],
                &[0xC0, 0xAF],
                &[0xFE, 0xFF],
                &[0x00],
            ];
            let junk = *rng.pick(JUNK);
            let at = rng.below(bytes.len() + 1);
            *bytes = [&bytes[..at], junk, &bytes[at..]].concat();
            return op;
        }
        _ => {}
    }
    let mut lines = split_lines(bytes);
    let n = lines.len(); // at least 1: splitting "" gives [""]
    let values: Vec<usize> = (0..n)
        .filter(|&i| value_start(&lines[i]).is_some())
        .collect();
    let items = item_starts(&lines);
    match op {
        Op::DeleteLines => {
            let len = if rng.chance(10) {
                rng.range(1, n)
            } else {
                rng.range(1, 4)
            };
            let at = rng.below(n);
            lines.drain(at..(at + len).min(n));
        }
        Op::DuplicateLines => {
            let at = rng.below(n);
            let block: Vec<Vec<u8>> = lines[at..(at + rng.range(1, 8)).min(n)].to_vec();
            let to = if rng.chance(50) {
                at + block.len()
            } else {
                rng.below(n + 1)
            };
            lines.splice(to..to, block);
        }
        Op::SwapLines => {
            let (a, b) = (rng.below(n), rng.below(n));
            lines.swap(a, b);
        }
        Op::MoveLines => {
            let at = rng.below(n);
            let len = rng.range(1, 6);
            let block: Vec<Vec<u8>> = lines.drain(at..(at + len).min(n)).collect();
            let to = rng.below(lines.len() + 1);
            lines.splice(to..to, block);
        }
        Op::Reindent => {
            let at = rng.below(n);
            let len = if rng.chance(70) { 1 } else { rng.range(2, 6) };
            let how = rng.below(5);
            let k = rng.range(1, 4);
            for line in lines.iter_mut().skip(at).take(len) {
                let indent = indent_of(line);
                let (remove, add): (usize, &[u8]) = match how {
                    0 => (0, &SPACES[..k]),
                    1 => (indent.min(k), b""),
                    2 => (indent, b""),
                    3 => (0, b"\t"),
                    _ => (0, &SPACES[..indent.min(SPACES.len())]),
                };
                *line = [add, &line[remove..]].concat();
            }
        }
        Op::Splice => {
            // Lines of another seed; gently, whole items re-indented to fit a list here.
            let yaml: Vec<&Seed> = seeds.iter().copied().filter(|s| !s.json).collect();
            let other = if gentle && !yaml.is_empty() {
                rng.pick(&yaml).bytes.as_slice()
            } else {
                rng.pick(seeds).bytes.as_slice()
            };
            let other = split_lines(other);
            let other_items = item_starts(&other);
            let (mut block, to) = if gentle && !items.is_empty() && !other_items.is_empty() {
                let from = block_at(&other, *rng.pick(&other_items));
                (other[from].to_vec(), *rng.pick(&items))
            } else {
                let from = rng.below(other.len());
                let len = rng.range(1, 12);
                let block = other[from..(from + len).min(other.len())].to_vec();
                (block, rng.below(n + 1))
            };
            if gentle || rng.chance(50) {
                let target = lines.get(to).map(|l| indent_of(l)).unwrap_or(0);
                let least = block
                    .iter()
                    .filter(|l| !blank(l))
                    .map(|l| indent_of(l))
                    .min()
                    .unwrap_or(0);
                for line in &mut block {
                    let cut = least.min(indent_of(line));
                    *line = [&SPACES[..target.min(SPACES.len())], &line[cut..]].concat();
                }
            }
            lines.splice(to..to, block);
        }
        Op::YamlToken => {
            let line = &mut lines[rng.below(n)];
            let token = *rng.pick(YAML_TOKENS);
            let at = match rng.below(4) {
                0 => indent_of(line),
                1 => line.len(),
                2 => value_start(line).unwrap_or(line.len()),
                _ => rng.below(line.len() + 1),
            };
            *line = [&line[..at], token.as_bytes(), &line[at..]].concat();
        }
        Op::YamlLine => {
            let at = rng.below(n + 1);
            let indent = if rng.chance(50) {
                lines.get(at).map(|l| indent_of(l)).unwrap_or(0)
            } else {
                0
            };
            let text = format!("{}{}", " ".repeat(indent), rng.pick(YAML_LINES));
            lines.insert(at, text.into_bytes());
        }
        Op::AnchorAlias => {
            // An anchor on one value (or item), an alias or a merge in place of another.
            let targets: Vec<usize> = values.iter().chain(&items).copied().collect();
            let a = targets.get(rng.below(targets.len())).copied().unwrap_or(n);
            let later: Vec<usize> = values.iter().copied().filter(|&b| b > a).collect();
            if !later.is_empty() {
                let b = *rng.pick(&later);
                let at = value_start(&lines[a]).unwrap_or(lines[a].len());
                lines[a] = [&lines[a][..at], b"&a ", &lines[a][at..]].concat();
                let body = block_at(&lines, b);
                lines.drain(b + 1..body.end);
                let at = value_start(&lines[b]).unwrap_or(lines[b].len());
                lines[b].truncate(at);
                lines[b].extend_from_slice(if rng.chance(70) { b"*a" } else { b"{<<: *a}" });
            }
        }
        Op::InsertChar => {
            let at = rng.below(n);
            let mut text = String::from_utf8_lossy(&lines[at]).into_owned();
            let cut = floor_char(&text, rng.below(text.len() + 1));
            text.insert(cut, *rng.pick(ODD_CHARS));
            lines[at] = text.into_bytes();
        }
        Op::HostileValue => {
            // A hostile value in place of a scalar, often of a key whose value becomes a link.
            let linky: Vec<usize> = values
                .iter()
                .copied()
                .filter(|&i| {
                    let line = String::from_utf8_lossy(&lines[i]).to_ascii_lowercase();
                    LINK_KEYS.iter().any(|k| line.contains(k))
                })
                .collect();
            let pool = if !linky.is_empty() && rng.chance(35) {
                &linky
            } else {
                &values
            };
            if !pool.is_empty() {
                let at = *rng.pick(pool);
                let start = value_start(&lines[at]).unwrap_or(0);
                let value = hostile(rng);
                let scalar = yaml_scalar(rng, &value, indent_of(&lines[at]), gentle);
                // The old value's continuation lines (a block scalar's body) go too.
                let body = block_at(&lines, at);
                if gentle || rng.chance(50) {
                    lines.drain(at + 1..body.end);
                }
                lines[at].truncate(start);
                lines[at].extend_from_slice(scalar.as_bytes());
            }
        }
        Op::DuplicateItem => {
            if !items.is_empty() {
                let item = block_at(&lines, *rng.pick(&items));
                let copy: Vec<Vec<u8>> = lines[item.clone()].to_vec();
                for _ in 0..if rng.chance(10) { 30 } else { 1 } {
                    lines.splice(item.end..item.end, copy.iter().cloned());
                }
            }
        }
        Op::DeleteBlock => {
            let starts: Vec<usize> = (0..n).filter(|&i| !blank(&lines[i])).collect();
            if !starts.is_empty() {
                let block = block_at(&lines, *rng.pick(&starts));
                lines.drain(block);
            }
        }
        Op::MoveItem => {
            if items.len() >= 2 {
                let from = block_at(&lines, *rng.pick(&items));
                let to = *rng.pick(&items);
                if !from.contains(&to) {
                    let indent = indent_of(&lines[to]);
                    let shift = indent as isize - indent_of(&lines[from.start]) as isize;
                    let block: Vec<Vec<u8>> = lines[from.clone()]
                        .iter()
                        .map(|l| {
                            let keep = indent_of(l) as isize + shift;
                            let keep = keep.clamp(0, SPACES.len() as isize) as usize;
                            [&SPACES[..keep], &l[indent_of(l)..]].concat()
                        })
                        .collect();
                    let len = block.len();
                    lines.splice(to..to, block);
                    let from = if to < from.start {
                        from.start + len..from.end + len
                    } else {
                        from
                    };
                    lines.drain(from);
                }
            }
        }
        Op::SwapValues => {
            if values.len() >= 2 {
                let (a, b) = (*rng.pick(&values), *rng.pick(&values));
                let va = lines[a][value_start(&lines[a]).unwrap_or(0)..].to_vec();
                let vb = lines[b][value_start(&lines[b]).unwrap_or(0)..].to_vec();
                let at = value_start(&lines[a]).unwrap_or(0);
                lines[a].truncate(at);
                lines[a].extend_from_slice(&vb);
                let at = value_start(&lines[b]).unwrap_or(0);
                lines[b].truncate(at);
                lines[b].extend_from_slice(&va);
            }
        }
        Op::Truncate | Op::InvalidUtf8 | Op::Json(_) => {}
    }
    *bytes = join_lines(&lines);
    op
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Space,
    Str,
    Num,
    Word,
    Punct,
}

fn json_tokens(bytes: &[u8]) -> Vec<(Tok, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let kind = if b.is_ascii_whitespace() {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            Tok::Space
        } else if b == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(bytes.len());
            Tok::Str
        } else if b == b'-' || b.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_digit() || b"+-.eE".contains(&bytes[i])) {
                i += 1;
            }
            Tok::Num
        } else if b.is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            Tok::Word
        } else {
            i += 1;
            Tok::Punct
        };
        out.push((kind, bytes[start..i].to_vec()));
    }
    out
}

#[rustfmt::skip]
const JSON_VALUES: &[&str] = &[
    "1e999", "-0", "99999999999999999999999", "-1", "0.5", "null", "true", "[]", "{}", "\"\"",
    "\"2020-13\"", "\"present\"", "[\"x\", 1, null, {}]",
];

#[rustfmt::skip]
const JSON_TOKENS: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "\"\"", "null", "\"k\":", "\"basics\": {}", "//", "/*", "\t",
    "\u{feff}", "\"\\u0000\"", "\"\\ud800\"", "\"\\u001b[31m\"", "'x'", "NaN", "Infinity",
];

fn mutate_json(rng: &mut Rng, bytes: &mut Vec<u8>, gentle: bool) -> Op {
    let op = choose(
        rng,
        if gentle {
            GENTLE_JSON_OPS
        } else {
            ROUGH_JSON_OPS
        },
    );
    let Op::Json(json_op) = op else {
        return op;
    };
    let mut toks = json_tokens(bytes);
    let solid: Vec<usize> = (0..toks.len())
        .filter(|&i| toks[i].0 != Tok::Space)
        .collect();
    if solid.is_empty() {
        bytes.push(b'{');
        return Op::Json(JsonOp::Insert);
    }
    let is_key = |i: usize| {
        toks[i + 1..]
            .iter()
            .find(|t| t.0 != Tok::Space)
            .is_some_and(|t| t.1 == b":")
    };
    let values: Vec<usize> = solid
        .iter()
        .copied()
        .filter(|&i| matches!(toks[i].0, Tok::Str | Tok::Num | Tok::Word) && !is_key(i))
        .collect();
    let strings: Vec<usize> = values
        .iter()
        .copied()
        .filter(|&i| toks[i].0 == Tok::Str)
        .collect();
    match json_op {
        JsonOp::Hostile => {
            if !strings.is_empty() {
                let at = *rng.pick(&strings);
                let value = hostile(rng);
                toks[at].1 = serde_json::to_string(&value)
                    .unwrap_or_default()
                    .into_bytes();
            }
        }
        JsonOp::Replace => {
            let at = *rng.pick(if values.is_empty() { &solid } else { &values });
            toks[at] = (Tok::Word, rng.pick(JSON_VALUES).as_bytes().to_vec());
        }
        JsonOp::Deep => {
            let at = *rng.pick(&solid);
            let depth = *rng.pick(&[10, 63, 65, 300, 3000]);
            let (open, close) = *rng.pick(&[("[", "]"), ("{\"a\":", "}")]);
            let value = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            toks[at] = (Tok::Word, value.into_bytes());
        }
        JsonOp::Delete => {
            let at = *rng.pick(&solid);
            let len = rng.range(1, 4);
            toks.drain(at..(at + len).min(toks.len()));
        }
        JsonOp::Duplicate => {
            let at = *rng.pick(&solid);
            let len = rng.range(1, 12);
            let block: Vec<(Tok, Vec<u8>)> = toks[at..(at + len).min(toks.len())].to_vec();
            let to = if rng.chance(50) {
                at + block.len()
            } else {
                *rng.pick(&solid)
            };
            toks.splice(to..to, block);
        }
        JsonOp::Swap => {
            let (a, b) = (*rng.pick(&solid), *rng.pick(&solid));
            toks.swap(a, b);
        }
        JsonOp::Insert => {
            let at = rng.below(toks.len() + 1);
            toks.insert(at, (Tok::Punct, rng.pick(JSON_TOKENS).as_bytes().to_vec()));
        }
    }
    *bytes = toks.iter().flat_map(|(_, b)| b.iter().copied()).collect();
    op
}

#[rustfmt::skip]
const MARKDOWN_TOKENS: &[&str] = &[
    "**", "*", "_", "__", "`", "``", "[", "]", "(", ")", "](", "<", ">", "\\", "\n", "\n\n",
    "- ", "1. ", "# ", "> ", "|", "~~", "![", "http://", "www.", "javascript:", "<a href=\"x\">",
    "&#", "&amp;", "    ", "\t", "\u{1b}", " ", "[^1]", "* * *", "```\n", "<!--", "-->", "\r",
    "\u{0}", "[x]: javascript:y\n", "<javascript:x>", "2. ", "+ ", "===\n", "---\n",
];

/// A string for the markup parser: a hostile value or the value of a seed's line, with Markdown
/// tokens inserted.
fn markup_input(rng: &mut Rng, seeds: &[&Seed]) -> String {
    let mut text = if rng.chance(50) {
        hostile(rng)
    } else {
        let lines = split_lines(&rng.pick(seeds).bytes);
        let line: &Vec<u8> = rng.pick(&lines);
        let line = String::from_utf8_lossy(line).into_owned();
        match line.split_once(": ") {
            Some((_, value)) => value.to_string(),
            None => line,
        }
    };
    for _ in 0..rng.range(1, 4) {
        let at = floor_char(&text, rng.below(text.len() + 1));
        let token = if rng.chance(15) {
            hostile(rng)
        } else {
            rng.pick(MARKDOWN_TOKENS).to_string()
        };
        text.insert_str(at, &token);
    }
    text
}
