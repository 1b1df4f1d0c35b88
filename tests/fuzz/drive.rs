//! Running one case against the library: the file through load, targets, documents and the
//! text exporters, the markup string through the markup parser, and (for the importer's run
//! and replayed regressions) the file through `vitae import`; panics are caught and recorded
//! with the phase they happened in, and the outputs are checked against the invariants.

use std::backtrace::Backtrace;
use std::cell::{Cell, RefCell};
use std::panic::{self, AssertUnwindSafe};
use std::time::{Duration, Instant};

use vitae::build::{self, BuildOptions};
use vitae::export::Renderer;
use vitae::export::json::Json;
use vitae::export::markdown::{self, Markdown};
use vitae::export::text::{self, PlainText};
use vitae::import::{ImportError, convert};
use vitae::markup;
use vitae::model::{LoadOptions, load_bytes};

use crate::generate::{Rng, fnv1a};
use crate::invariants::{self, Invariant};

/// One input: a résumé file and a string for the markup parser.
#[derive(Debug, Clone)]
pub struct Case {
    /// `case 123` or `regression panic-….yaml`.
    pub id: String,
    /// Order of the case in the run (for deterministic reports).
    pub index: u64,
    /// The seed file and the mutations applied.
    pub origin: String,
    pub bytes: Vec<u8>,
    pub json: bool,
    pub markup: String,
    /// What the case is run through.
    pub target: Target,
}

/// What a case's file is run through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// As a résumé: load, targets, documents, exporters (and the markup string, parsed).
    Resume,
    /// Through `vitae import`, and the file it writes read back.
    Import,
    /// Both: regressions replayed in the build's run, which may have failed either way.
    Both,
}

impl Target {
    fn resume(self) -> bool {
        matches!(self, Target::Resume | Target::Both)
    }

    fn import(self) -> bool {
        matches!(self, Target::Import | Target::Both)
    }
}

impl Case {
    /// A saved regression or an input from the journal, replayed as it is.
    pub fn replayed(&self) -> bool {
        self.id.starts_with("regression ") || self.id.starts_with("journal ")
    }
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
pub enum Source {
    /// The résumé file, through load, targets, documents and exporters.
    File,
    /// The markup string, through `parse_inline` and `parse_blocks`.
    Markup,
    /// The file, through `vitae import`.
    Import,
}

#[derive(Debug)]
pub struct Panicked {
    pub source: Source,
    pub phase: &'static str,
    pub message: String,
    pub location: String,
    pub backtrace: Option<Backtrace>,
}

#[derive(Debug, Clone)]
pub struct Violation {
    pub invariant: Invariant,
    pub source: Source,
    pub detail: String,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub elapsed: Duration,
    /// Of which the file's part.
    pub file_elapsed: Duration,
    /// The phase that took longest, and how long.
    pub slowest_phase: (&'static str, Duration),
    pub loaded: bool,
    /// The file was imported (and read back).
    pub imported: bool,
    pub documents: u64,
    /// PDFs written (see `VITAE_FUZZ_PDF`).
    pub pdfs: u64,
    /// The case went through Typst, which may take longer than a hang (see `summary::tally`).
    pub typeset: bool,
    pub render_errors: u64,
    pub panics: Vec<Panicked>,
    pub violations: Vec<Violation>,
}

impl Outcome {
    /// Records the invariants that `checks` found broken (those with a detail).
    /// An error of a build step, which must be located like a loading error.
    fn located(&mut self, error: &vitae::Error) {
        if let vitae::Error::Invalid(diagnostics) = error {
            self.violate(
                Source::File,
                [(
                    Invariant::ErrorLocated,
                    invariants::unlocated(&diagnostics.0),
                )],
            );
        }
    }

    fn violate(
        &mut self,
        source: Source,
        checks: impl IntoIterator<Item = (Invariant, Option<String>)>,
    ) {
        for (invariant, detail) in checks {
            if let Some(detail) = detail {
                self.violations.push(Violation {
                    invariant,
                    source,
                    detail,
                });
            }
        }
    }
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
pub fn install_panic_hook() {
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

/// Runs `case`: the file (as a résumé, through the importer, or both), then the markup
/// string, each under its own panic guard.
pub fn execute(case: &Case) -> Outcome {
    let start = Instant::now();
    let mut outcome = Outcome::default();
    PHASE_START.set(None);
    SLOWEST_PHASE.set(("", Duration::ZERO));
    if case.target.resume() {
        guarded(Source::File, &mut outcome, |o| drive_file(case, o));
    }
    if case.target.import() {
        guarded(Source::Import, &mut outcome, |o| drive_import(case, o));
    }
    phase("");
    outcome.file_elapsed = start.elapsed();
    if case.target.resume() {
        guarded(Source::Markup, &mut outcome, |o| {
            drive_markup(&case.markup, o)
        });
    }
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
            outcome.violate(
                Source::File,
                [(
                    Invariant::ErrorLocated,
                    invariants::unlocated(&diagnostics.0),
                )],
            );
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
            outcome.located(&e);
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
                outcome.located(&e);
                std::hint::black_box(e.to_string());
            }
        }
    }

    // One case in `VITAE_FUZZ_PDF` also goes through Typst, as the first target's PDF: too slow
    // for every case, and off in `cargo test`.
    let pdf_every = std::env::var("VITAE_FUZZ_PDF")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .filter(|n| *n > 0);
    if let (Some(every), Some(target)) = (pdf_every, targets.first())
        && fnv1a(&case.bytes).is_multiple_of(every)
    {
        phase("pdf");
        drive_pdf(&loaded, target, &full, outcome);
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
        let t80 = render(&plain_text(80), &doc, outcome);
        phase("text-20");
        let t20 = render(&plain_text(20), &doc, outcome);
        phase("json");
        let json = render(&Json, &doc, outcome);
        phase("html");
        let html = render(&vitae::export::html::Html::default(), &doc, outcome);
        phase("docx");
        std::hint::black_box(render_bytes(
            &vitae::export::docx::Docx::default(),
            &doc,
            outcome,
        ));
        outcome.violate(
            Source::File,
            [(
                Invariant::HtmlUnsafeLink,
                invariants::html_unsafe_link(&html),
            )],
        );

        phase("invariants");
        outcome.violate(Source::File, invariants::document(&md, &t80, &t20, &json));
    }
}

/// Loads the PDF cases' engine before the clock runs, so the first such case is not a hang.
pub fn warm_up() {
    engine();
}

/// The engine every PDF case shares, as `vitae watch` shares one: fonts load once.
fn engine() -> Option<&'static vitae::export::pdf::Engine> {
    static ENGINE: std::sync::OnceLock<Option<vitae::export::pdf::Engine>> =
        std::sync::OnceLock::new();
    ENGINE
        .get_or_init(|| vitae::export::pdf::Engine::new(&[]).ok())
        .as_ref()
}

/// The PDF of `target` through the build's typesetter: its errors must be located and its links
/// safe.
fn drive_pdf(
    loaded: &vitae::model::Loaded,
    target: &build::Target,
    options: &BuildOptions,
    outcome: &mut Outcome,
) {
    let Some(engine) = engine() else {
        return;
    };
    outcome.typeset = true;
    let typesetter = match build::typesetter(loaded, target, options, engine) {
        Ok(t) => t,
        Err(e) => {
            outcome.located(&e);
            return;
        }
    };
    let (doc, _) = build::document(loaded, target);
    let pdf = vitae::export::pdf::Pdf {
        typesetter: &typesetter,
        standard: Default::default(),
        ident: "fuzz".into(),
    };
    let rendered = pdf.render(&doc);
    // A long run lays out thousands of documents, as a long `vitae watch` session does.
    vitae::export::pdf::Engine::forget_unused_layouts();
    match rendered {
        Ok(rendered) => {
            let bytes: Vec<u8> = rendered.files.concat();
            outcome.pdfs += 1;
            outcome.violate(
                Source::File,
                [(
                    Invariant::PdfUnsafeLink,
                    invariants::pdf_unsafe_link(&bytes),
                )],
            );
        }
        Err(e) => {
            outcome.render_errors += 1;
            outcome.located(&e);
        }
    }
}

/// The file through `vitae import`. The CLI reads the file as UTF-8 text first (and refuses
/// anything else), so other bytes are not imported. Whenever the import succeeds, what it wrote
/// must read back exactly as the résumé it built, with nothing from its comment; whenever it
/// fails, it must be for a problem of the file, located in the file.
fn drive_import(case: &Case, outcome: &mut Outcome) {
    let Ok(text) = std::str::from_utf8(&case.bytes) else {
        return;
    };
    phase("import");
    let name = if case.json { "fuzz.json" } else { "fuzz.yaml" };
    let imported = match convert(name, text) {
        Ok(imported) => imported,
        Err(ImportError::Produced(message)) => {
            outcome.violate(
                Source::Import,
                [(Invariant::ImportOutputReads, Some(message))],
            );
            return;
        }
        Err(ImportError::Invalid(problems)) => {
            phase("import-errors");
            outcome.violate(Source::Import, [invariants::import_errors(name, &problems)]);
            return;
        }
        Err(ImportError::Unrecognised) => return,
    };
    outcome.imported = true;
    phase("import-reread");
    outcome.violate(Source::Import, invariants::imported(&imported));
}

/// The plain-text exporter at `width` columns.
#[allow(clippy::needless_update)] // the options struct may gain fields
fn plain_text(width: usize) -> PlainText {
    PlainText {
        width,
        ..PlainText::default()
    }
}

/// The files of a binary format, or nothing when it failed.
fn render_bytes(renderer: &dyn Renderer, doc: &vitae::Document, outcome: &mut Outcome) -> usize {
    match renderer.render(doc) {
        Ok(rendered) => rendered.files.iter().map(Vec::len).sum(),
        Err(e) => {
            outcome.render_errors += 1;
            outcome.located(&e);
            0
        }
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
    phase("invariants");
    outcome.violate(Source::Markup, invariants::markup(&md));
}
