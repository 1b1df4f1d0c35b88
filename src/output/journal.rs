//! The journal of a swap in progress, and putting the earlier set back from it.
//!
//! Replaying looks at what is on disk rather than at how far the swap got, so one routine serves
//! a rollback within the build and recovery after a crash at any point, and replaying twice (a
//! crash during recovery) is harmless.

use super::set::Ops;
use super::{BAK_PREFIX, JOURNAL_NAME, is_reserved, stage_in, sync_dir};
use crate::Error;
use serde::{Deserialize, Serialize};
use std::ffi::OsStr;
use std::path::{Component, Path};

const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize)]
struct Journal {
    version: u32,
    steps: Vec<Step>,
}

/// One output of the set.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct Step {
    /// The output's name in the folder.
    pub target: String,
    /// Where the earlier file was moved aside to; `None` when there was no earlier file, so
    /// that whatever is at `target` is the new one and goes on rollback.
    pub backup: Option<String>,
}

/// Writes the journal and flushes it and its name to disk before any rename it describes.
pub(super) fn write(dir: &Path, steps: &[Step], ops: &mut Ops) -> std::io::Result<()> {
    let journal = Journal {
        version: VERSION,
        steps: steps.to_vec(),
    };
    let mut bytes = serde_json::to_vec_pretty(&journal).map_err(std::io::Error::other)?;
    bytes.push(b'\n');
    let temp = stage_in(dir, OsStr::new(JOURNAL_NAME), &bytes)?;
    if let Err(e) = ops.rename(&temp, &dir.join(JOURNAL_NAME)) {
        let _ = std::fs::remove_file(&temp);
        return Err(e);
    }
    sync_dir(dir)
}

/// Deletes the journal: the set it describes is now final, or rolled back.
pub(super) fn remove(dir: &Path, ops: &mut Ops) -> std::io::Result<()> {
    ops.remove(&dir.join(JOURNAL_NAME))?;
    sync_dir(dir)
}

/// Puts the earlier set back: each backup returns to its name, and a file that had no earlier
/// version is removed. A step that fails does not stop the others, so that as much as possible
/// is back at once; returns why the first failed, in words.
pub(super) fn replay(dir: &Path, steps: &[Step], ops: &mut Ops) -> Result<(), String> {
    let reason =
        |what: String, e: std::io::Error| format!("{what}: {}", crate::model::load::io_reason(&e));
    let mut first_failure = None;
    for step in steps.iter().rev() {
        let target = dir.join(&step.target);
        let undone = match &step.backup {
            // No backup: this step never moved the earlier file aside, or a replay already put
            // it back.
            Some(backup) => match dir.join(backup) {
                backup if std::fs::symlink_metadata(&backup).is_ok() => {
                    ops.rename(&backup, &target).map_err(|e| {
                        let what = format!(
                            "cannot move {} back to {}",
                            backup.display(),
                            target.display()
                        );
                        reason(what, e)
                    })
                }
                _ => Ok(()),
            },
            None => match std::fs::symlink_metadata(&target) {
                Ok(meta) if !meta.is_dir() => ops
                    .remove(&target)
                    .map_err(|e| reason(format!("cannot remove {}", target.display()), e)),
                _ => Ok(()),
            },
        };
        if let Err(why) = undone {
            first_failure.get_or_insert(why);
        }
    }
    if let Err(e) = sync_dir(dir) {
        first_failure.get_or_insert(reason(format!("cannot flush {}", dir.display()), e));
    }
    first_failure.map_or(Ok(()), Err)
}

/// Finishes what an interrupted build left: if its journal is there, the set it was swapping
/// in is rolled back and the journal deleted.
pub(super) fn recover(dir: &Path, ops: &mut Ops) -> Result<(), Error> {
    let path = dir.join(JOURNAL_NAME);
    let fail = |reason: String| Error::Recover {
        dir: dir.to_path_buf(),
        reason,
    };
    let bytes = match std::fs::read(&path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(e) => {
            return Err(fail(format!(
                "cannot read {}: {}",
                path.display(),
                crate::model::load::io_reason(&e)
            )));
        }
    };
    let steps = parse(&bytes).map_err(|why| {
        fail(format!(
            "{} is not a journal vitae wrote ({why}); earlier outputs may be in its \
             {BAK_PREFIX}* files; delete {} to build anyway",
            path.display(),
            path.display()
        ))
    })?;
    replay(dir, &steps, ops).map_err(fail)?;
    remove(dir, ops).map_err(|e| {
        fail(format!(
            "cannot remove {}: {}",
            path.display(),
            crate::model::load::io_reason(&e)
        ))
    })
}

/// Reads a journal, refusing any name that is not a plain name in the folder: a journal is
/// data on disk, and replaying it must never move files elsewhere.
fn parse(bytes: &[u8]) -> Result<Vec<Step>, String> {
    let journal: Journal = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if journal.version != VERSION {
        return Err(format!("unknown version {}", journal.version));
    }
    for step in &journal.steps {
        if !plain_name(&step.target) || is_reserved(OsStr::new(&step.target)) {
            return Err(format!("bad output name {:?}", step.target));
        }
        if let Some(backup) = &step.backup
            && !(plain_name(backup) && backup.starts_with(BAK_PREFIX))
        {
            return Err(format!("bad backup name {backup:?}"));
        }
    }
    Ok(journal.steps)
}

/// A single ordinary component: no separators, no `..`, no root.
fn plain_name(name: &str) -> bool {
    let mut components = Path::new(name).components();
    matches!(components.next(), Some(Component::Normal(n)) if n == OsStr::new(name))
        && components.next().is_none()
}
