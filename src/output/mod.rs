//! Writing outputs so that readers, later builds and the person who ran the build never see a
//! mixture of two builds.
//!
//! A build's files are one set: the documents, any stale page images to delete, and
//! `manifest.json` last, because the manifest vouches for the files listed before it.
//! [`OutputSet`] replaces a whole set or none of it:
//!
//! 1. The output folder is locked (`.vitae.lock`, an advisory `flock`), checked, and tidied
//!    before anything is rendered, so an unwritable folder fails in a second rather than after a
//!    minute of typesetting, and two builds into one folder take turns instead of interleaving
//!    their files and manifests. The lock file is never deleted: a process waiting on it would
//!    keep waiting on the deleted file while a third created a new one and went ahead.
//! 2. Every file is written in full to a temporary file in the output folder itself (the same
//!    filesystem, so that a rename is atomic) and flushed to disk. A full disk or a failed write
//!    fails here, while every earlier output is still in place.
//! 3. A journal listing the swaps is written and flushed before the first rename. Each earlier
//!    file is renamed aside to a backup before its replacement is renamed in; a file to delete is
//!    only renamed aside. If a step fails, the journal is replayed backwards: backups return and
//!    files that did not exist before are removed, so a failed build leaves every earlier output
//!    byte-identical.
//! 4. Deleting the journal is the moment the new set becomes the set; backups are removed after
//!    it. A build killed at any point before (`kill -9`, power loss) leaves the journal behind,
//!    and the next build replays it from its backups, restoring the older complete set, before it
//!    does anything else. A build killed after only leaves backups, which are no longer needed.
//!
//! Temporary files and backups carry recognisable names (`.vitae-tmp-<pid>-<n>-<name>`,
//! `.vitae-bak-<pid>-<n>-<name>`); whatever a killed build left of them is removed by the next
//! build, once it holds the lock and has replayed any journal.

mod journal;
mod lock;
mod set;
#[cfg(test)]
mod tests;

pub use set::OutputSet;

use crate::Error;
use std::ffi::{OsStr, OsString};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The lock file in an output folder.
pub const LOCK_NAME: &str = ".vitae.lock";
/// The journal of a set being swapped in; its presence means the swap did not finish.
pub const JOURNAL_NAME: &str = ".vitae-journal";
/// How long a build waits for another build into the same folder.
pub const LOCK_WAIT: Duration = Duration::from_secs(60);

const TMP_PREFIX: &str = ".vitae-tmp-";
const BAK_PREFIX: &str = ".vitae-bak-";

/// Writes `bytes` to `path` atomically, creating the parent directory if needed: the file is
/// written beside its target, flushed, then renamed over it. One rename needs no journal; the
/// folder's lock is honoured only where a build created one, so that `vitae new` leaves no
/// lock file beside a résumé, yet never races a build's clean-up of temporary files.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let fail = |e: std::io::Error| write_error(path, &e);
    let Some(name) = path.file_name() else {
        return Err(Error::Write {
            path: path.to_path_buf(),
            reason: "not a file name".into(),
        });
    };
    let dir = parent_of(path);
    std::fs::create_dir_all(dir).map_err(fail)?;
    let _lock = lock::acquire_existing(dir, LOCK_WAIT)?;
    let temp = stage_in(dir, name, bytes).map_err(fail)?;
    if let Err(e) = std::fs::rename(&temp, path) {
        let _ = std::fs::remove_file(&temp);
        return Err(fail(e));
    }
    sync_dir(dir).map_err(fail)
}

/// The folder a path is in; `.` for a bare file name.
fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

fn write_error(path: &Path, error: &std::io::Error) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        reason: crate::model::load::io_reason(error),
    }
}

/// Whether a name in an output folder is vitae's own bookkeeping rather than an output.
fn is_reserved(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name == LOCK_NAME
        || name == JOURNAL_NAME
        || name.starts_with(TMP_PREFIX)
        || name.starts_with(BAK_PREFIX)
}

/// Whether a name is left over from an interrupted build (never the lock or the journal).
fn is_scratch(name: &OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with(TMP_PREFIX) || name.starts_with(BAK_PREFIX)
}

/// A fresh name `<prefix><pid>-<n>-<name>`; the final name is kept (shortened) so that a person
/// finding one knows what it was, and the pid and counter keep two writers apart.
fn scratch_name(prefix: &str, name: &OsStr) -> OsString {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let name = name.to_string_lossy();
    // Leaves room for the prefix within the usual 255-byte limit on a file name.
    let mut end = name.len().min(160);
    while !name.is_char_boundary(end) {
        end -= 1;
    }
    format!("{prefix}{}-{n}-{}", std::process::id(), &name[..end]).into()
}

/// Creates a new file that readers may share: outputs end up on web servers and in CI
/// artifacts, so they get a plain file's mode rather than a temporary file's private one.
fn create_new(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o644);
    }
    options.open(path)
}

/// Writes `bytes` to a new temporary file in `dir` and flushes it to disk; returns its path.
/// Nothing is left behind on failure.
fn stage_in(dir: &Path, name: &OsStr, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let mut attempts = 0;
    let (path, mut file) = loop {
        let path = dir.join(scratch_name(TMP_PREFIX, name));
        match create_new(&path) {
            Ok(file) => break (path, file),
            // A file of an earlier process that had the same pid; take the next number.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 32 => {
                attempts += 1;
            }
            Err(e) => return Err(e),
        }
    };
    let written = file.write_all(bytes).and_then(|()| file.sync_all());
    drop(file);
    match written {
        Ok(()) => Ok(path),
        Err(e) => {
            let _ = std::fs::remove_file(&path);
            Err(e)
        }
    }
}

/// Makes renames and removals in `dir` durable: without it, a power loss after the build
/// reported success could bring back the old names.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}
