//! Reading files that a résumé or a layout names, without ever reading outside a folder.
//!
//! A résumé is untrusted: what it names (a layout, later a photo) must stay inside its own
//! folder, and a layout may read only under its own directory. Checking a path and then opening
//! it is racy: a directory can be swapped for a symbolic link in between. So the file is opened
//! first, and what was actually opened is checked: on Linux by the path the kernel reports for
//! the open descriptor (`/proc/self/fd/N`); elsewhere by comparing the opened file's identity
//! with the file its canonical path names.
//!
//! Every file vitae reads from a path, whoever named it (the résumé given on the command line,
//! `--job`, `--layout`, `vitae import`'s source, a photo, a layout's own reads), is opened by
//! [`open_regular`]: without blocking, and refused unless it is a regular file. Opening a FIFO
//! for reading would otherwise wait for a writer forever, and a device could be read without
//! end. On Unix the file is opened with `O_NONBLOCK`, so even a FIFO swapped in after a check
//! opens at once and is then refused. Other systems have no `O_NONBLOCK`; there the file is
//! opened as usual and refused the same way once open. Windows has no FIFOs in its file
//! systems (its named pipes live under `\\.\pipe\`, and opening one does not wait).

use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// Why a path was refused or could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// An absolute path, or one that climbs out with `..`, where a relative one is required.
    #[error("it is not a relative path inside the folder")]
    NotRelative,
    /// The path, once links are followed, leads outside the folder.
    #[error("it leads outside the folder")]
    Outside,
    /// Nothing is there.
    #[error("there is no such file")]
    NotFound,
    /// A directory, a pipe, a device: only regular files are read.
    #[error("{0}")]
    NotAFile(Special),
    /// Larger than the cap.
    #[error("it is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    /// Any other I/O failure, in plain words.
    #[error("{0}")]
    Io(String),
}

impl Refused {
    /// Why a path a résumé names cannot be used, in the words its messages use.
    pub fn in_folder(&self) -> String {
        match self {
            Refused::NotRelative | Refused::Outside => "it is outside the résumé's folder".into(),
            Refused::NotFound => "there is no such file in the résumé's folder".into(),
            Refused::NotAFile(special) => special.to_string(),
            _ => "it cannot be read".into(),
        }
    }
}

/// What a path names when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Special {
    #[error("it is a directory")]
    Directory,
    #[error("it is not a regular file (a FIFO)")]
    Fifo,
    #[error("it is not a regular file (a socket)")]
    Socket,
    #[error("it is not a regular file (a character device)")]
    CharDevice,
    #[error("it is not a regular file (a block device)")]
    BlockDevice,
    #[error("it is not a regular file")]
    Other,
}

impl Special {
    /// What `kind` is, or `None` for a regular file.
    pub fn of(kind: std::fs::FileType) -> Option<Special> {
        if kind.is_file() {
            return None;
        }
        if kind.is_dir() {
            return Some(Special::Directory);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_fifo() {
                return Some(Special::Fifo);
            }
            if kind.is_socket() {
                return Some(Special::Socket);
            }
            if kind.is_char_device() {
                return Some(Special::CharDevice);
            }
            if kind.is_block_device() {
                return Some(Special::BlockDevice);
            }
        }
        Some(Special::Other)
    }
}

/// Why a file named on the command line cannot be opened: the system's error (shown in its
/// words, as for any file), or that it is not a regular file.
#[derive(Debug, thiserror::Error)]
pub enum Unopened {
    #[error("{}", crate::model::load::io_reason(.0))]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    NotAFile(Special),
}

/// The canonical form of `relative` under `root`, which must stay inside `root`.
///
/// Used to validate what a résumé names before a build starts; the actual read goes through
/// [`read_inside`], which checks again what it opened.
pub fn resolve_inside(root: &Path, relative: &Path) -> Result<PathBuf, Refused> {
    let climbs = relative
        .components()
        .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir));
    if relative.as_os_str().is_empty() || climbs {
        return Err(Refused::NotRelative);
    }
    let root = canonical(root)?;
    let path = canonical(&root.join(relative))?;
    if !path.starts_with(&root) {
        return Err(Refused::Outside);
    }
    Ok(path)
}

/// [`resolve_inside`], and the path must name a regular file: a résumé that names a FIFO or a
/// device is refused when it is checked, at the spot that names it. `stat` does not open the
/// file, so this never blocks; the read itself checks again what it opened.
pub fn resolve_regular_inside(root: &Path, relative: &Path) -> Result<PathBuf, Refused> {
    let path = resolve_inside(root, relative)?;
    let meta = std::fs::metadata(&path).map_err(|e| io_refusal(&e))?;
    match Special::of(meta.file_type()) {
        Some(special) => Err(Refused::NotAFile(special)),
        None => Ok(path),
    }
}

/// Reads the regular file at `path`, which must lie inside the canonical directory `root`
/// (checked on what was opened), and be at most `limit` bytes.
pub fn read_inside(root: &Path, path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    let file = open_nonblocking(path)?;
    let opened = opened_path(&file, path)?;
    if !opened.starts_with(root) {
        return Err(Refused::Outside);
    }
    read_capped(file, limit)
}

/// Reads a regular file of at most `limit` bytes, wherever it is (for paths the user gave on
/// the command line).
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, Refused> {
    read_capped(open_nonblocking(path)?, limit)
}

fn canonical(path: &Path) -> Result<PathBuf, Refused> {
    path.canonicalize().map_err(|e| io_refusal(&e))
}

fn io_refusal(error: &std::io::Error) -> Refused {
    match error.kind() {
        std::io::ErrorKind::NotFound => Refused::NotFound,
        _ => Refused::Io(crate::model::load::io_reason(error)),
    }
}

fn open_nonblocking(path: &Path) -> Result<File, Refused> {
    open_regular(path).map_err(|e| match e {
        Unopened::Io(e) => io_refusal(&e),
        Unopened::NotAFile(special) => Refused::NotAFile(special),
    })
}

/// Opens a regular file for reading, without blocking: opening a FIFO for reading would
/// otherwise wait for a writer forever. What was opened is checked, not the path beforehand,
/// so a file swapped for a FIFO in between is refused too. Reads from the file block as usual:
/// `O_NONBLOCK` means nothing for a regular file.
pub fn open_regular(path: &Path) -> Result<File, Unopened> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    match Special::of(file.metadata()?.file_type()) {
        Some(special) => Err(Unopened::NotAFile(special)),
        None => Ok(file),
    }
}

/// The canonical path of the file that `file` is, as opened.
#[cfg(target_os = "linux")]
fn opened_path(file: &File, _asked: &Path) -> Result<PathBuf, Refused> {
    use std::os::fd::AsRawFd;
    let link = PathBuf::from(format!("/proc/self/fd/{}", file.as_raw_fd()));
    std::fs::read_link(&link).map_err(|e| io_refusal(&e))
}

/// Without `/proc`, the opened file must be the very file (device and inode) that the path's
/// canonical form names; a swap after opening then shows as a mismatch.
#[cfg(all(unix, not(target_os = "linux")))]
fn opened_path(file: &File, asked: &Path) -> Result<PathBuf, Refused> {
    use std::os::unix::fs::MetadataExt;
    let canonical = canonical(asked)?;
    let named = std::fs::metadata(&canonical).map_err(|e| io_refusal(&e))?;
    let opened = file.metadata().map_err(|e| io_refusal(&e))?;
    if (named.dev(), named.ino()) != (opened.dev(), opened.ino()) {
        return Err(Refused::Outside);
    }
    Ok(canonical)
}

#[cfg(not(unix))]
fn opened_path(_file: &File, asked: &Path) -> Result<PathBuf, Refused> {
    canonical(asked)
}

/// Reads at most `limit` bytes; a longer file is refused rather than cut. The cap holds for
/// files whose size the metadata does not tell (`/proc` files report 0).
fn read_capped(file: File, limit: u64) -> Result<Vec<u8>, Refused> {
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| io_refusal(&e))?;
    if bytes.len() as u64 > limit {
        return Err(Refused::TooLarge { limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/a.typ"), "= A").unwrap();
        dir
    }

    #[test]
    fn resolves_relative_paths_inside() {
        let dir = folder();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(
            resolve_inside(&root, Path::new("sub/a.typ")),
            Ok(root.join("sub/a.typ"))
        );
        assert_eq!(
            resolve_inside(&root, Path::new("./sub/a.typ")),
            Ok(root.join("sub/a.typ"))
        );
    }

    #[test]
    fn refuses_absolute_climbing_and_missing_paths() {
        let dir = folder();
        let root = dir.path();
        for path in ["/etc/passwd", "../x.typ", "sub/../../x.typ", ""] {
            assert_eq!(
                resolve_inside(root, Path::new(path)),
                Err(Refused::NotRelative),
                "{path}"
            );
        }
        assert_eq!(
            resolve_inside(root, Path::new("sub/none.typ")),
            Err(Refused::NotFound)
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_out_of_the_folder() {
        let dir = folder();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.typ"), "secret").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("out")).unwrap();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(
            resolve_inside(&root, Path::new("out/secret.typ")),
            Err(Refused::Outside)
        );
        assert_eq!(
            read_inside(&root, &root.join("out/secret.typ"), 100),
            Err(Refused::Outside)
        );
        assert_eq!(
            read_inside(&root, &root.join("sub/a.typ"), 100),
            Ok(b"= A".to_vec())
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = folder();
        let fifo = dir.path().join("pipe.typ");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(
            read_inside(&root, &root.join("pipe.typ"), 100),
            Err(Refused::NotAFile(Special::Fifo))
        );
        assert_eq!(
            resolve_regular_inside(&root, Path::new("pipe.typ")),
            Err(Refused::NotAFile(Special::Fifo))
        );
        assert_eq!(
            Refused::NotAFile(Special::Fifo).in_folder(),
            "it is not a regular file (a FIFO)"
        );
    }

    #[test]
    fn caps_what_it_reads() {
        let dir = folder();
        let root = dir.path().canonicalize().unwrap();
        assert_eq!(
            read_inside(&root, &root.join("sub/a.typ"), 2),
            Err(Refused::TooLarge { limit: 2 })
        );
        #[cfg(target_os = "linux")]
        assert_eq!(
            read_file(Path::new("/proc/self/status"), 10),
            Err(Refused::TooLarge { limit: 10 }),
            "a file whose metadata says 0 bytes is still capped"
        );
    }

    #[test]
    fn devices_are_not_files() {
        #[cfg(unix)]
        assert_eq!(
            read_file(Path::new("/dev/zero"), 10),
            Err(Refused::NotAFile(Special::CharDevice))
        );
        let dir = folder();
        assert_eq!(
            resolve_regular_inside(dir.path(), Path::new("sub")),
            Err(Refused::NotAFile(Special::Directory))
        );
    }
}
