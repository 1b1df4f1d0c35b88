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
//! `markup::parse_blocks`. Typst is too slow for this many cases, so the PDF is left out unless
//! `VITAE_FUZZ_PDF=N`: then one case in N also lays its first target out as a PDF (such a case
//! is held to the build's own compile deadline instead of the hang bound).
//!
//! - `cargo test --test fuzz`: [`fuzz_fixed_seed`], the saved regressions plus 10,000 cases
//!   from a fixed seed (`VITAE_FUZZ_CASES` changes the count).
//! - `VITAE_FUZZ_SECONDS=3600 cargo test --test fuzz fuzz_long -- --ignored --nocapture`:
//!   [`fuzz_long`], until the time is up, from `VITAE_FUZZ_SEED` (decimal or `0x…`) or a seed
//!   taken from the clock; progress every minute.
//!
//! The importer has a run of its own, [`fuzz_import_fixed_seed`] (in `cargo test`, 3,000 cases;
//! `VITAE_FUZZ_IMPORT_CASES` changes the count) and [`fuzz_import_long`]
//! (`VITAE_FUZZ_SECONDS=3600 cargo test --test fuzz fuzz_import_long -- --ignored --nocapture`).
//! Its cases start from the files written for other tools (`tests/imports/`) and the JSON
//! Resume fixtures, most with a hostile key or value added (line breaks of every kind, `#`,
//! `: `, `- `, `---`, quotes, tabs, anchors, very long text), and go through `vitae import`:
//! whenever an import succeeds, what it wrote must read back as exactly the résumé it returned,
//! and its comment must add nothing to the document; whenever one fails for a problem of the
//! file, each error must be located in that file. Replayed regressions go through both.
//!
//! A panic, or a case slower than 1 s (a hang), fails the run. Its input is first written to
//! `tests/fuzz/regressions/<kind>-<hash>.{yaml,json}` (shrunk while it fails the same way), so
//! it is replayed, unmutated, on every later run (and mutated like any other seed, except saved
//! crashes and hangs). A case still running after 10 s is saved the same way and the process
//! exits. An input whose case killed the process (a stack overflow, an abort) is found in the
//! journal at the next start, replayed first, and kept as `crash-<hash>` if it kills that run too.
//!
//! Output invariants ([`Invariant`](invariants::Invariant)) are counted and printed; they fail
//! the run only when [`ENFORCE_INVARIANTS`] is true or `VITAE_FUZZ_INVARIANTS=1`.
//!
//! Options that are not in the file (strict mode, `--lang`, ad-hoc tags) are derived from a hash
//! of the input bytes, so a saved input replays exactly as it failed. Cases run on
//! `VITAE_FUZZ_THREADS` threads (default: the cores, at most 4) of 2 MiB stack
//! (`VITAE_FUZZ_STACK_KIB`); each case's inputs depend only on the seed, its number and the
//! corpus.
//!
//! The harness, one module per job:
//!
//! - `main.rs` (here): the two tests, the constants to tune and their environment overrides;
//! - [`corpus`]: the seed files; [`generate`]: the PRNG and case `n` of a seed; [`mutate`]: the
//!   mutation operators; [`tokens`]: the tokens and hostile values they insert; [`lines`]: the
//!   line helpers they (and the shrinker) share;
//! - [`drive`]: one case through the library; [`invariants`]: what its outputs must satisfy;
//! - [`runner`]: workers, watchdog and progress; [`summary`]: failures, counts and the report;
//!   [`journal`]: the input each worker is running, on disk; [`shrink`]: shrinking and saving
//!   failing inputs as regressions.

mod corpus;
mod drive;
mod generate;
mod invariants;
mod journal;
// Shared with the other test files, which use the rest of it.
mod lines;
#[allow(dead_code)]
#[path = "../common/links.rs"]
mod links;
mod mutate;
mod runner;
mod shrink;
mod summary;
mod tokens;

use std::time::{Duration, Instant};

use corpus::{corpus, import_corpus};
use drive::Target;
use generate::{Rng, inputs_digest};
use runner::{Config, run};

/// The seed of the run in `cargo test`.
const FIXED_SEED: u64 = 0x7174_AE00_F022_0001;
/// Mutated cases in `cargo test` (the saved regressions run on top of these).
const FIXED_CASES: u64 = 10_000;
/// The seed of the importer's run in `cargo test`.
const IMPORT_FIXED_SEED: u64 = 0x1A90_127F_0C0A_0003;
/// The importer's cases in `cargo test`: each is a conversion and two reads of small files,
/// a few seconds in all.
const IMPORT_FIXED_CASES: u64 = 3_000;
/// A case slower than this is a hang in the long run, which reports it.
const HANG: Duration = Duration::from_secs(1);
/// The same bound in `cargo test`: there a busy two-core machine (a build, other test binaries)
/// can stall a 50 ms case past a second, and a flaky test helps nobody. A real loop still trips
/// it, and the long run holds every case to [`HANG`].
const TEST_HANG: Duration = Duration::from_secs(5);
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
    let first = inputs_digest(&seeds, FIXED_SEED, 100, Target::Resume);
    assert_eq!(
        first,
        inputs_digest(&seeds, FIXED_SEED, 100, Target::Resume),
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
        hang: TEST_HANG,
        seeds,
        target: Target::Resume,
    });
    summary.assert_clean();
}

/// The long run: `VITAE_FUZZ_SECONDS` (default 3600) of cases from `VITAE_FUZZ_SEED` (default:
/// from the clock, printed).
#[test]
#[ignore = "long: VITAE_FUZZ_SECONDS=3600 cargo test --test fuzz fuzz_long -- --ignored --nocapture"]
fn fuzz_long() {
    let (seed, until) = long_run();
    if std::env::var_os("VITAE_FUZZ_PDF").is_some() {
        drive::warm_up();
    }
    let summary = run(Config {
        name: "fuzz_long",
        seed,
        cases: None,
        until: Some(until),
        threads: threads(),
        enforce: enforce_invariants(),
        hang: HANG,
        seeds: corpus(),
        target: Target::Resume,
    });
    summary.assert_clean();
}

/// A long run's seed, `VITAE_FUZZ_SEED` or one from the clock, and when it ends,
/// `VITAE_FUZZ_SECONDS` (default 3600) from now.
fn long_run() -> (u64, Instant) {
    let seconds = env_u64("VITAE_FUZZ_SECONDS").unwrap_or(3600);
    let seed = env_u64("VITAE_FUZZ_SEED").unwrap_or_else(|| {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        Rng::new(now.as_nanos() as u64 ^ u64::from(std::process::id())).next()
    });
    (seed, Instant::now() + Duration::from_secs(seconds))
}

/// `cargo test`: the saved regressions, then 3,000 importer cases from [`IMPORT_FIXED_SEED`].
#[test]
fn fuzz_import_fixed_seed() {
    let seeds = import_corpus();
    let first = inputs_digest(&seeds, IMPORT_FIXED_SEED, 100, Target::Import);
    assert_eq!(
        first,
        inputs_digest(&seeds, IMPORT_FIXED_SEED, 100, Target::Import),
        "the case generator is not deterministic"
    );
    let summary = run(Config {
        name: "fuzz_import",
        seed: IMPORT_FIXED_SEED,
        cases: Some(env_u64("VITAE_FUZZ_IMPORT_CASES").unwrap_or(IMPORT_FIXED_CASES)),
        until: None,
        threads: threads(),
        enforce: enforce_invariants(),
        hang: TEST_HANG,
        seeds,
        target: Target::Import,
    });
    summary.assert_clean();
}

/// The importer's long run: `VITAE_FUZZ_SECONDS` (default 3600) of cases from
/// `VITAE_FUZZ_SEED` (default: from the clock, printed).
#[test]
#[ignore = "long: VITAE_FUZZ_SECONDS=3600 cargo test --test fuzz fuzz_import_long -- --ignored --nocapture"]
fn fuzz_import_long() {
    let (seed, until) = long_run();
    let summary = run(Config {
        name: "fuzz_import_long",
        seed,
        cases: None,
        until: Some(until),
        threads: threads(),
        enforce: enforce_invariants(),
        hang: HANG,
        seeds: import_corpus(),
        target: Target::Import,
    });
    summary.assert_clean();
}

// ---------------------------------------------------------------------------------------------
// Environment overrides of the constants above.

/// [`ENFORCE_INVARIANTS`], or `VITAE_FUZZ_INVARIANTS=1`.
fn enforce_invariants() -> bool {
    ENFORCE_INVARIANTS || std::env::var("VITAE_FUZZ_INVARIANTS").is_ok_and(|v| v == "1")
}

/// [`DEFAULT_STACK`], or `VITAE_FUZZ_STACK_KIB`.
fn stack_size() -> usize {
    env_u64("VITAE_FUZZ_STACK_KIB").map_or(DEFAULT_STACK, |kib| kib as usize * 1024)
}

/// `VITAE_FUZZ_THREADS`, or the cores (at most 4).
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

/// A variable as a number, decimal or `0x…`, `_` allowed.
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
