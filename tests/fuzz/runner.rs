//! The run: the replayed inputs first, then generated cases on worker threads; a watchdog that
//! ends the process when a case hangs for good; the results tallied as they come in, with
//! progress every [`PROGRESS_EVERY`] in the long run.

use std::collections::BTreeMap;
use std::panic;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use crate::corpus::Seed;
use crate::drive::{Case, Outcome, Target, execute, install_panic_hook};
use crate::generate::generate;
use crate::journal::Journal;
use crate::shrink::write_regression;
use crate::summary::{Failure, FailureKey, Summary, tally};
use crate::{HARD_HANG, PROGRESS_EVERY, stack_size};

/// What to run, and how.
pub struct Config {
    pub name: &'static str,
    pub seed: u64,
    /// Mutated cases to run; `None`: until `until`.
    pub cases: Option<u64>,
    pub until: Option<Instant>,
    pub threads: usize,
    pub enforce: bool,
    /// A case slower than this is a hang.
    pub hang: Duration,
    pub seeds: Vec<Seed>,
    /// What generated cases are run through (replayed inputs go through everything).
    pub target: Target,
}

/// What a case running right now is, for the watchdog and the journal.
struct Running {
    started: Instant,
    case: Arc<Case>,
}

type Slots = Arc<Vec<Mutex<Option<Running>>>>;

/// [`run_here`] on a thread with the workers' stack (it replays and shrinks failing inputs).
pub fn run(config: Config) -> Summary {
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

/// The run itself: replay, generate, tally, report.
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
            // The importer's run replays through the importer; the build's run through both,
            // so that every regression is replayed every way in `cargo test`.
            target: match config.target {
                Target::Import => Target::Import,
                Target::Resume | Target::Both => Target::Both,
            },
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
        let target = config.target;
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
                            let mut c = generate(&seeds, seed, i - replayed, target);
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
        hang: config.hang,
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

    summary.finish(failures);
    summary
}

/// Ends the process when a case has run for [`HARD_HANG`], after saving its inputs.
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

/// The peak resident set of this process, in KiB (0 where `/proc` is not there).
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
