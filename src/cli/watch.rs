//! `vitae watch FILE [build options] [--serve [ADDR]]`: rebuilds on every change, through the
//! library's [`Session`], and optionally serves a live preview.
//!
//! File events come from notify, debounced, on the folders of the files the résumé depends on
//! (an editor that saves by renaming a new file over the old one replaces the file, which a
//! watch on the file itself would lose). Ctrl-C sets a flag that the loop checks between
//! events, so the process stops between rebuilds, never in the middle of writing outputs.

use super::args::{ColorChoice, ErrorFormat, WatchArgs};
use super::report::Reporter;
use super::{Outcome, fallback_note, is_stdio, usage};
use notify::event::{AccessKind, AccessMode};
use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};
use vitae::Error;
use vitae::diag::Diagnostic;
use vitae::model::LoadOptions;
use vitae::watch::server::Server;
use vitae::watch::{self as session, Rebuild, Session, Watched};

/// How long the files must stay quiet before a rebuild: long enough to take an editor's
/// write-rename-chmod as one save, short enough not to be noticed.
const DEBOUNCE: Duration = Duration::from_millis(40);

/// How often the loop looks at the Ctrl-C flag when no file changes.
const POLL: Duration = Duration::from_millis(100);

/// A stream of events that never pauses (a program rewriting the file in a loop) still gets a
/// rebuild this often.
const MAX_BATCH: Duration = Duration::from_millis(500);

/// Set by the SIGINT handler; read by the loop.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// How the command line asked for messages: error format, colour, quiet, verbose.
pub type ReportStyle = (ErrorFormat, ColorChoice, bool, bool);

pub fn watch(a: WatchArgs, rep: &mut Reporter, style: ReportStyle) -> Outcome {
    use clap::error::ErrorKind;
    let b = a.build;
    if is_stdio(&b.file) {
        usage(
            "watch",
            ErrorKind::InvalidValue,
            "vitae watch needs a file to watch, not standard input",
        );
    }
    if is_stdio(&b.out_dir) {
        usage(
            "watch",
            ErrorKind::InvalidValue,
            "vitae watch writes files; `-o -` is for `vitae build`",
        );
    }
    let options = b.options(super::posting(&b)?);
    let mut session = Session::new(b.file, options)
        .with_load_options(LoadOptions {
            strict: b.strict,
            ..LoadOptions::default()
        })
        .with_preview(a.serve.is_some());

    let mut server = match a.serve {
        Some(addr) => {
            ignore_broken_pipes();
            let server = Server::start(addr)?;
            // Printed whatever --quiet says: without it the preview cannot be found.
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "serving the preview at {}", server.url());
            let _ = out.flush();
            Some(server)
        }
        None => None,
    };
    catch_interrupt();

    let (send, events) = std::sync::mpsc::channel::<notify::Result<Event>>();
    let mut watcher = notify::recommended_watcher(send)
        .map_err(|e| Error::Other(format!("cannot watch files: {e}")))?;
    let mut printer = Printer {
        style,
        last_warnings: Vec::new(),
        first: true,
    };

    // The résumé's folder is watched before the first build, so that a save made while it
    // runs, or right after its line is printed, is seen; what the résumé names (a layout, a
    // photo) is known only once it has loaded, and is watched after.
    let mut watching = Watched::default();
    let failed = rewatch(&mut watcher, &mut watching, session.watched());
    if !failed.is_empty() {
        // Without a watch on the résumé's folder nothing would ever be rebuilt.
        return Err(Error::Other(format!("cannot watch {}", failed.join("; "))).into());
    }
    // The server first, then the line: whoever reads the line finds the preview current.
    let first = session.build();
    if let Some(server) = &server {
        server.update(&first);
    }
    printer.print(&first, rep);
    warn_unwatched(rewatch(&mut watcher, &mut watching, session.watched()), rep);
    rep.status(&format!(
        "watching {} for changes (Ctrl-C stops)",
        session.file().display()
    ));

    while !INTERRUPTED.load(Ordering::SeqCst) {
        let changed = match next_changes(&events, rep) {
            Next::Changed(paths) => paths,
            Next::Idle => continue,
            Next::Closed => break,
        };
        let rebuild = session.rebuild(&changed);
        if matches!(rebuild.outcome, session::Outcome::Unaffected) {
            continue;
        }
        if let Some(server) = &server {
            server.update(&rebuild);
        }
        printer.print(&rebuild, rep);
        warn_unwatched(rewatch(&mut watcher, &mut watching, session.watched()), rep);
    }
    if let Some(server) = &mut server {
        server.stop();
    }
    rep.status("stopped");
    Ok(())
}

/// What the file events of one wait amount to.
enum Next {
    /// These paths changed, and then nothing for [`DEBOUNCE`].
    Changed(Vec<PathBuf>),
    /// Nothing changed for [`POLL`].
    Idle,
    /// The watcher is gone.
    Closed,
}

/// Waits for a change, then gathers the changes that follow it until the files have been
/// quiet for [`DEBOUNCE`]: an editor's save is several events, and makes one rebuild.
fn next_changes(events: &Receiver<notify::Result<Event>>, rep: &mut Reporter) -> Next {
    let mut changed: Vec<PathBuf> = Vec::new();
    let mut first: Option<Instant> = None;
    let started = Instant::now();
    loop {
        let wait = if first.is_some() { DEBOUNCE } else { POLL };
        match events.recv_timeout(wait) {
            Ok(Ok(event)) if is_change(&event.kind) => {
                first.get_or_insert_with(Instant::now);
                for path in event.paths {
                    if !changed.contains(&path) {
                        changed.push(path);
                    }
                }
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => rep.emit(&[Diagnostic::warning(format!("watching files: {e}"))]),
            Err(RecvTimeoutError::Timeout) if changed.is_empty() => return Next::Idle,
            Err(RecvTimeoutError::Timeout) => return Next::Changed(changed),
            Err(RecvTimeoutError::Disconnected) => return Next::Closed,
        }
        if first.is_some_and(|t| t.elapsed() >= MAX_BATCH) {
            return Next::Changed(changed);
        }
        // Only reads, for a while: look at the Ctrl-C flag.
        if first.is_none() && started.elapsed() >= POLL {
            return Next::Idle;
        }
    }
}

/// Whether an event can change what a file holds. Opening and reading are reported too (on
/// Linux), and every build reads the résumé: those would rebuild forever.
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// Watches what the session now depends on, and stops watching what it no longer does.
/// Returns the folders that could not be watched, with why.
fn rewatch(watcher: &mut dyn Watcher, current: &mut Watched, wanted: &Watched) -> Vec<String> {
    if current == wanted {
        return Vec::new();
    }
    let (old_folders, new_folders) = (current.folders(), wanted.folders());
    for folder in old_folders.iter().filter(|f| !new_folders.contains(f)) {
        let _ = watcher.unwatch(folder);
    }
    for dir in current.dirs.iter().filter(|d| !wanted.dirs.contains(d)) {
        let _ = watcher.unwatch(dir);
    }
    let mut failed = Vec::new();
    for folder in new_folders.iter().filter(|f| !old_folders.contains(f)) {
        if let Err(e) = watcher.watch(folder, RecursiveMode::NonRecursive) {
            failed.push(format!("{}: {e}", folder.display()));
        }
    }
    for dir in wanted.dirs.iter().filter(|d| !current.dirs.contains(d)) {
        if let Err(e) = watcher.watch(dir, RecursiveMode::Recursive) {
            failed.push(format!("{}: {e}", dir.display()));
        }
    }
    *current = wanted.clone();
    failed
}

/// Folders a layout, photo or font lives in that cannot be watched: said, and the session goes
/// on without them.
fn warn_unwatched(failed: Vec<String>, rep: &mut Reporter) {
    for failure in failed {
        rep.emit(&[Diagnostic::warning(format!(
            "cannot watch {failure}; changes there are not seen"
        ))]);
    }
}

/// Prints what each rebuild did, one line when it worked.
struct Printer {
    style: ReportStyle,
    /// Warnings are printed when they change, not again on every save.
    last_warnings: Vec<Diagnostic>,
    first: bool,
}

impl Printer {
    fn print(&mut self, rebuild: &Rebuild, rep: &mut Reporter) {
        let verb = if self.first { "built" } else { "rebuilt" };
        self.first = false;
        match &rebuild.outcome {
            session::Outcome::Built(built) => {
                let report = &built.report;
                if report.warnings != self.last_warnings {
                    rep.emit(&report.warnings);
                    for font in &report.fallback_fonts {
                        rep.note(&fallback_note(font));
                    }
                    self.last_warnings = report.warnings.clone();
                }
                let files: Vec<String> = report
                    .files
                    .iter()
                    .map(|f| match f.pages {
                        Some(n) => format!(
                            "{} ({n} page{})",
                            f.path.display(),
                            if n == 1 { "" } else { "s" }
                        ),
                        None => f.path.display().to_string(),
                    })
                    .collect();
                rep.status(&format!(
                    "{verb} {} in {:.1} ms",
                    files.join(", "),
                    rebuild.took.as_secs_f64() * 1000.0
                ));
                if self.style.0 == ErrorFormat::Json {
                    for f in &report.files {
                        rep.file(&f.path, f.bytes, f.pages, "");
                    }
                }
                if let Some(problems) = &built.preview_error {
                    self.failure(problems);
                }
            }
            session::Outcome::Failed(failed) => {
                self.failure(&failed.diagnostics);
                rep.status("the last good outputs are unchanged; waiting for the next save");
            }
            session::Outcome::Unaffected => {}
        }
    }

    /// The located problems of one failed rebuild, as `vitae build` prints them, with their
    /// count: a reporter of their own, as each rebuild is a build of its own.
    fn failure(&self, diagnostics: &[Diagnostic]) {
        let (format, color, quiet, verbose) = self.style;
        let mut rep = Reporter::new(format, color, quiet, verbose);
        rep.emit(diagnostics);
        rep.finish(false);
    }
}

/// Ctrl-C sets [`INTERRUPTED`]; a second one, while stopping, ends the process at once.
fn catch_interrupt() {
    #[cfg(unix)]
    {
        extern "C" fn on_interrupt(_: libc::c_int) {
            INTERRUPTED.store(true, Ordering::SeqCst);
            // SAFETY: `signal` is async-signal-safe; this restores the default action, so that
            // a second Ctrl-C stops a process that is slow to stop.
            unsafe {
                libc::signal(libc::SIGINT, libc::SIG_DFL);
            }
        }
        let handler = on_interrupt as extern "C" fn(libc::c_int);
        // SAFETY: the handler only stores to an atomic and resets the signal's action, both
        // allowed in a signal handler.
        unsafe {
            libc::signal(libc::SIGINT, handler as libc::sighandler_t);
        }
    }
}

/// `main` restores the default SIGPIPE so that `vitae … | head` ends quietly; a server must
/// not die when a browser closes a connection it is writing to.
fn ignore_broken_pipes() {
    #[cfg(unix)]
    // SAFETY: only changes how the process reacts to a signal.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_IGN);
    }
}
