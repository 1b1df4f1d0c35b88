//! [`OutputSet`]: the files of one build, replaced together or not at all.

use super::journal::{self, Step};
use super::lock::{self, DirLock};
use super::{
    BAK_PREFIX, JOURNAL_NAME, LOCK_WAIT, is_reserved, is_scratch, parent_of, scratch_name,
    stage_in, sync_dir, write_error,
};
use crate::Error;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The outputs of one build into one folder, written aside first and then swapped in together;
/// see the [module documentation](super) for how a failure or a crash is undone.
///
/// Opening a set locks and checks the folder, so it is done before rendering; then every file is
/// [staged](OutputSet::stage), stale files are [marked for removal](OutputSet::remove), and
/// [`commit`](OutputSet::commit) swaps them in. Dropping a set without committing it removes
/// what was staged and leaves the folder as it was.
#[derive(Debug)]
pub struct OutputSet {
    dir: PathBuf,
    staged: Vec<Staged>,
    removals: Vec<OsString>,
    pub(super) ops: Ops,
    // Declared last, so that it is released after `Drop` has cleaned up.
    _lock: DirLock,
}

/// A file written to its temporary name, waiting to be swapped in.
#[derive(Debug)]
struct Staged {
    name: OsString,
    temp: PathBuf,
}

impl OutputSet {
    /// Opens `dir` for a build, waiting up to [`LOCK_WAIT`] for another build into it.
    pub fn open(dir: &Path) -> Result<OutputSet, Error> {
        OutputSet::open_with_wait(dir, LOCK_WAIT)
    }

    /// Opens `dir` for a build: creates it, locks it (waiting up to `wait` for another build),
    /// rolls back a set an interrupted build left half-swapped, removes stale temporary files
    /// and backups, and checks that a file can be created in it.
    pub fn open_with_wait(dir: &Path, wait: Duration) -> Result<OutputSet, Error> {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        match std::fs::metadata(dir) {
            Ok(meta) if !meta.is_dir() => {
                return Err(Error::Write {
                    path: dir.to_path_buf(),
                    reason: "Not a directory".into(),
                });
            }
            Ok(_) => {}
            Err(_) => std::fs::create_dir_all(dir).map_err(|e| write_error(dir, &e))?,
        }
        let lock = lock::acquire(dir, wait)?;
        let mut set = OutputSet {
            dir: dir.to_path_buf(),
            staged: Vec::new(),
            removals: Vec::new(),
            ops: Ops::default(),
            _lock: lock,
        };
        journal::recover(&set.dir, &mut set.ops)?;
        set.remove_scratch();
        let probe =
            stage_in(&set.dir, OsStr::new("probe"), b"").map_err(|e| write_error(&set.dir, &e))?;
        std::fs::remove_file(&probe).map_err(|e| write_error(&set.dir, &e))?;
        Ok(set)
    }

    /// The output folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Checks, before anything is rendered, that files can be written at these paths: each is
    /// directly in the output folder and is not a directory.
    pub fn check_targets<I, P>(&self, paths: I) -> Result<(), Error>
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        for path in paths {
            let path = path.as_ref();
            self.name_of(path)?;
            not_a_directory(path)?;
        }
        Ok(())
    }

    /// Writes `bytes` to a temporary file that [`commit`](OutputSet::commit) will rename to
    /// `path`, which must be directly in the output folder. Staging a path again replaces what
    /// was staged for it.
    pub fn stage(&mut self, path: &Path, bytes: &[u8]) -> Result<(), Error> {
        let name = self.name_of(path)?;
        not_a_directory(path)?;
        #[cfg(test)]
        self.ops.stage_fault().map_err(|e| write_error(path, &e))?;
        let temp = stage_in(&self.dir, &name, bytes).map_err(|e| write_error(path, &e))?;
        self.removals.retain(|r| *r != name);
        match self.staged.iter_mut().find(|s| s.name == name) {
            Some(staged) => {
                let _ = std::fs::remove_file(&staged.temp);
                staged.temp = temp;
            }
            None => self.staged.push(Staged { name, temp }),
        }
        Ok(())
    }

    /// Marks `path` (directly in the output folder) for removal with the set: it is moved
    /// aside when the set is swapped in, and back if the swap fails. A path that does not exist
    /// at commit, or that is also staged, is left alone.
    pub fn remove(&mut self, path: &Path) -> Result<(), Error> {
        let name = self.name_of(path)?;
        if !self.staged.iter().any(|s| s.name == name) && !self.removals.contains(&name) {
            self.removals.push(name);
        }
        Ok(())
    }

    /// Swaps the set in: removals first, then the staged files in the order they were staged,
    /// so the last one staged (the manifest) appears last. On failure every earlier output is
    /// back as it was, and the error says what failed.
    pub fn commit(mut self) -> Result<(), Error> {
        let steps = self.plan()?;
        if steps.is_empty() {
            return Ok(());
        }
        let journal_path = self.dir.join(JOURNAL_NAME);
        let recorded: Vec<Step> = steps.iter().map(|(step, _)| step.clone()).collect();
        if let Err(e) = journal::write(&self.dir, &recorded, &mut self.ops) {
            if !self.ops.crashed() {
                // Nothing was renamed yet; a journal that made it to disk describes no change.
                let _ = journal::remove(&self.dir, &mut self.ops);
            }
            return Err(write_error(&journal_path, &e));
        }
        let result = self.swap(&steps).and_then(|()| {
            // The commit point: from here on the new set is the set.
            journal::remove(&self.dir, &mut self.ops).map_err(|e| write_error(&journal_path, &e))
        });
        match result {
            Ok(()) => {
                for step in &recorded {
                    if let Some(backup) = &step.backup {
                        // Left over only if this fails; the next build removes it.
                        let _ = self.ops.remove(&self.dir.join(backup));
                    }
                }
                self.staged.clear();
                Ok(())
            }
            Err(error) if self.ops.crashed() => Err(error),
            Err(error) => Err(self.roll_back(&recorded, error)),
        }
    }

    /// What the swap will do, decided before the journal is written: which targets have an
    /// earlier file to move aside.
    fn plan(&self) -> Result<Vec<(Step, Option<PathBuf>)>, Error> {
        let mut steps = Vec::new();
        for name in &self.removals {
            let target = self.dir.join(name);
            match std::fs::symlink_metadata(&target) {
                // A directory by that name was never an output; it stays.
                Ok(meta) if !meta.is_dir() => steps.push((self.step(name, true), None)),
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(write_error(&target, &e)),
            }
        }
        for staged in &self.staged {
            let target = self.dir.join(&staged.name);
            let existed = match std::fs::symlink_metadata(&target) {
                Ok(meta) if meta.is_dir() => return Err(is_a_directory(&target)),
                Ok(_) => true,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
                Err(e) => return Err(write_error(&target, &e)),
            };
            steps.push((self.step(&staged.name, existed), Some(staged.temp.clone())));
        }
        Ok(steps)
    }

    fn step(&self, name: &OsStr, existed: bool) -> Step {
        Step {
            // `name_of` admitted only UTF-8 names.
            target: name.to_string_lossy().into_owned(),
            backup: existed.then(|| {
                scratch_name(BAK_PREFIX, name)
                    .to_string_lossy()
                    .into_owned()
            }),
        }
    }

    /// Moves each earlier file aside and its replacement in; stops at the first failure.
    fn swap(&mut self, steps: &[(Step, Option<PathBuf>)]) -> Result<(), Error> {
        for (step, temp) in steps {
            let target = self.dir.join(&step.target);
            if let Some(backup) = &step.backup {
                self.ops
                    .rename(&target, &self.dir.join(backup))
                    .map_err(|e| write_error(&target, &e))?;
            }
            if let Some(temp) = temp {
                self.ops
                    .rename(temp, &target)
                    .map_err(|e| write_error(&target, &e))?;
            }
        }
        sync_dir(&self.dir).map_err(|e| write_error(&self.dir, &e))
    }

    /// Puts the earlier set back after `error`; returns the error to report.
    fn roll_back(&mut self, steps: &[Step], error: Error) -> Error {
        match journal::replay(&self.dir, steps, &mut self.ops) {
            Ok(()) => {
                // Should this fail, the next build replays the journal again, which is harmless.
                let _ = journal::remove(&self.dir, &mut self.ops);
                error
            }
            // The journal stays, so the next build finishes the job.
            Err(reason) => Error::Rollback {
                error: Box::new(error),
                dir: self.dir.clone(),
                reason,
            },
        }
    }

    /// Removes temporary files and backups of interrupted builds. Only called with the lock held
    /// and any journal replayed, so none of them belongs to a live build or is still needed.
    fn remove_scratch(&mut self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        let mut removed = false;
        for entry in entries.flatten() {
            let name = entry.file_name();
            if is_scratch(&name) && entry.file_type().is_ok_and(|t| !t.is_dir()) {
                removed |= std::fs::remove_file(entry.path()).is_ok();
            }
        }
        if removed {
            let _ = sync_dir(&self.dir);
        }
    }

    /// The name of `path` in the output folder, if it may be an output there.
    fn name_of(&self, path: &Path) -> Result<OsString, Error> {
        let refuse = |reason: String| Error::Write {
            path: path.to_path_buf(),
            reason,
        };
        let Some(name) = path.file_name() else {
            return Err(refuse("not a file name".into()));
        };
        if parent_of(path) != self.dir {
            return Err(refuse(format!(
                "it is not directly in the output folder {}",
                self.dir.display()
            )));
        }
        if is_reserved(name) {
            return Err(refuse("the name is reserved for vitae's own files".into()));
        }
        if name.to_str().is_none() {
            return Err(refuse("the file name is not valid UTF-8".into()));
        }
        Ok(name.to_os_string())
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if self.ops.crashed() {
            return;
        }
        for staged in &self.staged {
            let _ = std::fs::remove_file(&staged.temp);
        }
    }
}

fn is_a_directory(path: &Path) -> Error {
    Error::Write {
        path: path.to_path_buf(),
        reason: "Is a directory".into(),
    }
}

/// A directory where a file should go would make the final rename fail, after others succeeded.
fn not_a_directory(path: &Path) -> Result<(), Error> {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => Err(is_a_directory(path)),
        _ => Ok(()),
    }
}

/// The renames and removals of a swap and its rollback, in one place so that tests can make any
/// one of them fail, or stop the "process" there as `kill -9` would.
#[derive(Debug, Default)]
pub(super) struct Ops {
    #[cfg(test)]
    pub(super) faults: Faults,
}

/// Failures a test injects; operations (renames and removals) are counted from 0.
#[cfg(test)]
#[derive(Debug, Default)]
pub(super) struct Faults {
    /// These operations fail.
    pub fail: Vec<usize>,
    /// This operation and every later one fail.
    pub fail_from: Option<usize>,
    /// The process dies before this operation: nothing more is done, not even clean-up.
    pub crash_at: Option<usize>,
    /// This call to `stage` (counted from 0) fails, as on a full disk.
    pub fail_stage: Option<usize>,
    /// Operations so far.
    pub count: usize,
    pub crashed: bool,
    /// Calls to `stage` so far.
    pub stages: usize,
}

impl Ops {
    pub(super) fn rename(&mut self, from: &Path, to: &Path) -> std::io::Result<()> {
        self.fault()?;
        std::fs::rename(from, to)
    }

    pub(super) fn remove(&mut self, path: &Path) -> std::io::Result<()> {
        self.fault()?;
        std::fs::remove_file(path)
    }

    #[cfg(not(test))]
    fn fault(&mut self) -> std::io::Result<()> {
        Ok(())
    }

    #[cfg(not(test))]
    fn crashed(&self) -> bool {
        false
    }

    #[cfg(test)]
    fn fault(&mut self) -> std::io::Result<()> {
        let f = &mut self.faults;
        let n = f.count;
        f.count += 1;
        if f.crash_at == Some(n) {
            f.crashed = true;
        }
        if f.crashed {
            return Err(std::io::Error::other("the process was killed"));
        }
        if f.fail.contains(&n) || f.fail_from.is_some_and(|from| n >= from) {
            return Err(std::io::Error::other("injected failure"));
        }
        Ok(())
    }

    #[cfg(test)]
    fn crashed(&self) -> bool {
        self.faults.crashed
    }

    #[cfg(test)]
    fn stage_fault(&mut self) -> std::io::Result<()> {
        let f = &mut self.faults;
        let n = f.stages;
        f.stages += 1;
        if f.fail_stage == Some(n) {
            return Err(std::io::Error::other("No space left on device"));
        }
        Ok(())
    }
}
