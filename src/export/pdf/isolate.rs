//! A user's layout is code from the résumé's folder, and a résumé is untrusted input: a layout
//! can loop or allocate without end, and Typst can be neither interrupted nor limited in
//! memory. So a user layout is first laid out in a separate process of vitae's own program,
//! which is killed at the deadline and, on Linux, cannot take more than a memory budget. Only
//! a layout that finished there (with a result or with errors) is then laid out in this
//! process, where the same inputs make the same compiles: Typst is deterministic, and the
//! world has a fixed date and no other input. A killed probe leaves nothing running.

use super::render::Typesetter;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::PageSize;
use crate::model::document::Document;
use crate::model::photo::{ImageFormat, Photo, Pixels};
use base64::Engine as _;
use serde::{Deserialize, Serialize};
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use typst::foundations::Datetime;

/// The hidden command of vitae's program that lays a user layout out for [`probe`].
pub const COMMAND: &str = "__typeset";

/// How much memory a layout process may take by default. A résumé in a built-in layout takes
/// under 200 MiB; a layout needing five times that is broken or hostile.
pub const DEFAULT_MEMORY: u64 = 1024 * 1024 * 1024;

/// The most of a layout process's error output kept for a message.
const MAX_STDERR: u64 = 64 * 1024;

/// Where and under what limits user layouts run first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Isolation {
    /// vitae's program, which answers [`COMMAND`].
    pub program: PathBuf,
    /// The most memory (bytes of data) the layout process may take. Enforced on Linux; macOS
    /// and Windows keep the deadline only.
    pub memory: u64,
}

impl Isolation {
    /// The running program, with the default memory budget: what the `vitae` command uses.
    pub fn this_program() -> Option<Isolation> {
        let program = std::env::current_exe().ok()?;
        Some(Isolation {
            program,
            memory: DEFAULT_MEMORY,
        })
    }
}

/// A photo's format, bytes (base64), and width and height.
type WirePhoto = (ImageFormat, String, Option<(u32, u32)>);

/// Everything a layout process needs to lay out what this process is about to.
#[derive(Serialize, Deserialize)]
struct Request {
    layout: PathBuf,
    root: PathBuf,
    doc: Document,
    photo: Option<WirePhoto>,
    page: PageSize,
    accent: String,
    /// Year, month, day, hour, minute, second.
    date: Option<(i32, u8, u8, u8, u8, u8)>,
    budget: Option<usize>,
    relevance: Option<crate::tailor::fit::Relevance>,
    font_dirs: Vec<PathBuf>,
    system_fonts: bool,
    deadline_ms: u64,
}

/// Lays `doc` out with the typesetter's user layout in a layout process first. `Ok` when the
/// layout finished there, with a result or with errors (which laying it out here then gives
/// again); an error when it ran out of time or memory.
pub(crate) fn probe(
    typesetter: &Typesetter<'_>,
    doc: &Document,
    isolation: &Isolation,
) -> Result<(), Diagnostics> {
    let Some((layout, root)) = typesetter.layout.user_file() else {
        return Ok(());
    };
    let engine = typesetter.engine;
    let request = Request {
        layout,
        root,
        doc: doc.clone(),
        photo: doc.photo.as_ref().map(|p| {
            (
                p.format,
                base64::engine::general_purpose::STANDARD.encode(&p.bytes),
                p.pixels.map(|px| (px.width, px.height)),
            )
        }),
        page: typesetter.style.page,
        accent: typesetter.style.accent.clone(),
        date: typesetter.date.as_ref().and_then(|d| {
            Some((
                d.year()?,
                d.month()?,
                d.day()?,
                d.hour().unwrap_or(0),
                d.minute().unwrap_or(0),
                d.second().unwrap_or(0),
            ))
        }),
        budget: typesetter.budget,
        relevance: typesetter.relevance.clone(),
        font_dirs: engine.font_dirs.clone(),
        system_fonts: engine.system_fonts,
        deadline_ms: engine.deadline.as_millis() as u64,
    };
    let input = serde_json::to_vec(&request).map_err(|e| internal(e.to_string()))?;
    let name = typesetter.layout.name();
    match run(isolation, &input, engine.deadline)? {
        Outcome::Finished => Ok(()),
        Outcome::TimedOut => Err(super::timed_out(name, engine.deadline)),
        Outcome::OutOfMemory => Err(Diagnostics(vec![
            Diagnostic::error(format!(
                "layout {name} needed more than {} MiB of memory; vitae stopped it",
                isolation.memory / (1024 * 1024)
            ))
            .with_hint(
                "a layout that builds huge arrays or strings never fits a résumé; fix or remove it",
            ),
        ])),
        Outcome::Crashed(how) => Err(internal(format!(
            "the process laying out layout {name} stopped: {how}"
        ))),
    }
}

enum Outcome {
    Finished,
    TimedOut,
    OutOfMemory,
    Crashed(String),
}

fn run(isolation: &Isolation, input: &[u8], deadline: Duration) -> Result<Outcome, Diagnostics> {
    let mut command = Command::new(&isolation.program);
    command
        .arg(COMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    limit_memory(&mut command, isolation.memory);
    let mut child = command
        .spawn()
        .map_err(|e| internal(format!("cannot start a layout process: {e}")))?;
    let stdin = child.stdin.take();
    let input = input.to_vec();
    // Written from a thread, so that a child that stops reading cannot block this one.
    let writer = std::thread::spawn(move || {
        if let Some(mut stdin) = stdin {
            let _ = stdin.write_all(&input);
        }
    });
    let stderr = child.stderr.take();
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(stderr) = stderr {
            let _ = stderr.take(MAX_STDERR).read_to_string(&mut text);
        }
        text
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() >= deadline => break None,
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(e) => return Err(internal(format!("cannot wait for a layout process: {e}"))),
        }
    };
    let Some(status) = status else {
        let _ = child.kill();
        let _ = child.wait();
        let _ = writer.join();
        let _ = reader.join();
        return Ok(Outcome::TimedOut);
    };
    let _ = writer.join();
    let stderr = reader.join().unwrap_or_default();
    if matches!(status.code(), Some(0 | 1)) {
        return Ok(Outcome::Finished);
    }
    if stderr.contains("memory allocation of") || stderr.contains("out of memory") {
        return Ok(Outcome::OutOfMemory);
    }
    let first = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Ok(Outcome::Crashed(format!("{status}: {first}")))
}

/// Caps the child's data (heap and private mappings), so that an allocation past the budget
/// fails in the child instead of taking the machine's memory.
#[cfg(target_os = "linux")]
fn limit_memory(command: &mut Command, bytes: u64) {
    use std::os::unix::process::CommandExt;
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit is async-signal-safe, and `limit` is a plain value copied into the
    // closure; nothing is allocated between fork and exec.
    unsafe {
        command.pre_exec(move || {
            if libc::setrlimit(libc::RLIMIT_DATA, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn limit_memory(_: &mut Command, _: u64) {}

/// The layout process: reads a [`Request`] from `input` and lays it out. Exits 0 when the
/// layout gave a result and 1 when it gave errors; running out of memory aborts it.
pub fn serve(mut input: impl Read) -> std::process::ExitCode {
    let mut bytes = Vec::new();
    if input.read_to_end(&mut bytes).is_err() {
        return std::process::ExitCode::from(2);
    }
    let Ok(request) = serde_json::from_slice::<Request>(&bytes) else {
        return std::process::ExitCode::from(2);
    };
    match lay_out(request) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(_) => std::process::ExitCode::from(1),
    }
}

fn lay_out(request: Request) -> Result<(), crate::Error> {
    let engine = super::Engine::new(&request.font_dirs)?
        // The parent enforces the deadline; here a compile may take as long as it is allowed.
        .with_deadline(Duration::from_millis(request.deadline_ms).saturating_mul(2))
        .with_system_fonts(request.system_fonts);
    let layout =
        super::Layout::from_path(&request.layout, Some(&request.root)).map_err(|reason| {
            crate::Error::Layout {
                layout: request.layout.display().to_string(),
                reason,
            }
        })?;
    let mut doc = request.doc;
    doc.photo = request.photo.and_then(|(format, data, pixels)| {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(data)
            .ok()?;
        Some(Photo {
            bytes: bytes.into(),
            format,
            pixels: pixels.map(|(width, height)| Pixels { width, height }),
        })
    });
    let date = request
        .date
        .and_then(|(y, m, d, h, min, s)| Datetime::from_ymd_hms(y, m, d, h, min, s));
    let typesetter = Typesetter {
        engine: &engine,
        layout,
        style: super::Style {
            page: request.page,
            accent: request.accent,
        },
        date,
        budget: request.budget,
        relevance: request.relevance,
    };
    typesetter.typeset_here(&doc).map(|_| ())
}

fn internal(message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(message)])
}
