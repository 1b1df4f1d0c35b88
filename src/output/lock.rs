//! The output folder's lock: one build at a time writes into a folder.

use super::{LOCK_NAME, write_error};
use crate::Error;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

/// Held while a build owns its output folder; closing the file releases the lock.
#[derive(Debug)]
pub(super) struct DirLock {
    _file: File,
}

/// Locks `dir`, creating its lock file if needed; waits up to `wait` for another holder.
pub(super) fn acquire(dir: &Path, wait: Duration) -> Result<DirLock, Error> {
    let path = dir.join(LOCK_NAME);
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o644);
    }
    let file = match options.open(&path) {
        Ok(file) => file,
        // Another user's lock file works as well read-only: flock needs no write access.
        Err(e) => File::open(&path).map_err(|_| write_error(dir, &e))?,
    };
    wait_for(file, dir, &path, wait)
}

/// Locks `dir` only if a build has made it an output folder (it has a lock file).
pub(super) fn acquire_existing(dir: &Path, wait: Duration) -> Result<Option<DirLock>, Error> {
    let path = dir.join(LOCK_NAME);
    match File::open(&path) {
        Ok(file) => wait_for(file, dir, &path, wait).map(Some),
        Err(_) => Ok(None),
    }
}

fn wait_for(file: File, dir: &Path, path: &Path, wait: Duration) -> Result<DirLock, Error> {
    let start = Instant::now();
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(DirLock { _file: file }),
            Err(TryLockError::WouldBlock) => {
                let waited = start.elapsed();
                if waited >= wait {
                    return Err(Error::Locked {
                        dir: dir.to_path_buf(),
                        lock: path.to_path_buf(),
                        waited: wait,
                    });
                }
                std::thread::sleep((wait - waited).min(Duration::from_millis(50)));
            }
            Err(TryLockError::Error(e)) => return Err(write_error(path, &e)),
        }
    }
}
