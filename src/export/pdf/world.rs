//! vitae's Typst world: the sandbox every layout is compiled in.
//!
//! - The résumé and build settings are virtual JSON files (`/resume.json`, `/settings.json`);
//!   the helper library is `/vitae.typ`.
//! - Built-in layouts see nothing else. A user layout sees the regular files under its own
//!   directory, and nothing outside it: `..`, absolute paths and symbolic links out of it are
//!   refused, on what was actually opened (see [`crate::confine`]), so swapping a folder for a
//!   link mid-build does not help. Each file read is capped, and pipes and devices are refused.
//! - Only `.typ` files and vitae's own JSON are ever quoted in a message: a layout that reads a
//!   data file it cannot parse gets the message without the file's lines.
//! - Packages are never downloaded; `@preview/…` imports fail with a clear error.
//! - `today()` is a fixed date, so output does not depend on when it is built.

use super::fonts::FontSet;
use super::layouts::{self, Builtin};
use crate::confine::{self, Refused, Special};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use typst::diag::{FileError, FileResult, PackageError};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, World};

/// A file id in the project root. Only called with paths written in this module.
pub fn project_file(path: &str) -> FileId {
    let vpath =
        VirtualPath::new(path).unwrap_or_else(|_| unreachable!("static virtual path {path}"));
    RootedPath::new(VirtualRoot::Project, vpath).intern()
}

pub fn resume_id() -> FileId {
    static ID: OnceLock<FileId> = OnceLock::new();
    *ID.get_or_init(|| project_file("/resume.json"))
}

pub fn settings_id() -> FileId {
    static ID: OnceLock<FileId> = OnceLock::new();
    *ID.get_or_init(|| project_file("/settings.json"))
}

fn helper_id() -> FileId {
    static ID: OnceLock<FileId> = OnceLock::new();
    *ID.get_or_init(|| project_file("/vitae.typ"))
}

/// Where a layout's files come from.
#[derive(Debug)]
enum Origin {
    Builtin(&'static Builtin),
    /// A user layout: the canonical directory it may read from.
    Directory(PathBuf),
}

/// The most a layout may read from one file (an import, `read`, `json`, `image`): far more than
/// any layout, photo or font needs, and little enough that no file can exhaust memory.
pub const MAX_LAYOUT_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// A layout ready to compile, with the files it has read so far. Cloning is cheap and shares
/// what was read.
#[derive(Debug, Clone)]
pub struct Layout(Arc<LayoutFiles>);

#[derive(Debug)]
struct LayoutFiles {
    origin: Origin,
    main: FileId,
    /// Shown in messages: the layout's name or path.
    name: String,
    sources: Mutex<HashMap<FileId, FileResult<Source>>>,
    files: Mutex<HashMap<FileId, FileResult<Bytes>>>,
}

/// Why a layout file cannot be used. The contents of the file are never part of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotALayout {
    #[error("a layout is a Typst file ending in .typ")]
    NotTyp,
    #[error("it is not UTF-8 text, so it is not Typst source")]
    NotUtf8,
    #[error("it is outside the résumé's folder")]
    OutsideFolder,
    #[error("{0}")]
    Unreadable(Refused),
}

impl Layout {
    pub fn builtin(builtin: &'static Builtin) -> Layout {
        Layout::new(
            Origin::Builtin(builtin),
            project_file(&format!("/{}.typ", builtin.name)),
            builtin.name.to_string(),
        )
    }

    /// A layout file of the user's; it may read files in its own directory only. With
    /// `confine` (the canonical folder of the résumé that named it), the layout must lie in it.
    pub fn from_path(path: &Path, confine: Option<&Path>) -> Result<Layout, NotALayout> {
        if path.extension().is_none_or(|e| e != "typ") {
            return Err(NotALayout::NotTyp);
        }
        let canonical = path
            .canonicalize()
            .map_err(|e| NotALayout::Unreadable(Refused::Io(crate::model::load::io_reason(&e))))?;
        let root = canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        if confine.is_some_and(|folder| !root.starts_with(folder)) {
            return Err(NotALayout::OutsideFolder);
        }
        let name = canonical
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or(NotALayout::NotTyp)?;
        // Read now, so that a file that is not source is refused before Typst quotes it.
        let bytes =
            confine::read_inside(&root, &canonical, MAX_LAYOUT_FILE_BYTES).map_err(|refused| {
                match refused {
                    Refused::Outside => NotALayout::OutsideFolder,
                    other => NotALayout::Unreadable(other),
                }
            })?;
        if std::str::from_utf8(&bytes).is_err() {
            return Err(NotALayout::NotUtf8);
        }
        let layout = Layout::new(
            Origin::Directory(root),
            project_file(&format!("/{name}")),
            path.display().to_string(),
        );
        layout.files().insert(layout.0.main, Ok(Bytes::new(bytes)));
        Ok(layout)
    }

    /// A user layout's file and the folder it may read from; `None` for a built-in one.
    pub fn user_file(&self) -> Option<(PathBuf, PathBuf)> {
        match &self.0.origin {
            Origin::Builtin(_) => None,
            Origin::Directory(root) => {
                let name = self.0.main.vpath().get_with_slash().trim_start_matches('/');
                Some((root.join(name), root.clone()))
            }
        }
    }

    fn new(origin: Origin, main: FileId, name: String) -> Layout {
        Layout(Arc::new(LayoutFiles {
            origin,
            main,
            name,
            sources: Mutex::default(),
            files: Mutex::default(),
        }))
    }

    pub fn main(&self) -> FileId {
        self.0.main
    }

    /// The layout's name or path, for messages.
    pub fn name(&self) -> &str {
        &self.0.name
    }

    fn files(&self) -> std::sync::MutexGuard<'_, HashMap<FileId, FileResult<Bytes>>> {
        self.0.files.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn read(&self, id: FileId) -> FileResult<Bytes> {
        if let VirtualRoot::Package(spec) = id.root() {
            return Err(FileError::Package(PackageError::Other(Some(
                format!("{spec} is a package; vitae builds offline and does not download packages")
                    .into(),
            ))));
        }
        if id == helper_id() {
            return Ok(Bytes::from_string(layouts::HELPER));
        }
        match &self.0.origin {
            Origin::Builtin(builtin) if id == self.0.main => Ok(Bytes::from_string(builtin.source)),
            Origin::Builtin(_) => Err(FileError::NotFound(id.vpath().get_with_slash().into())),
            Origin::Directory(root) => {
                let path = id
                    .vpath()
                    .realize(root)
                    .map_err(|_| FileError::AccessDenied)?;
                confine::read_inside(root, &path, MAX_LAYOUT_FILE_BYTES)
                    .map(Bytes::new)
                    .map_err(|refused| file_error(refused, path))
            }
        }
    }

    fn cached_file(&self, id: FileId) -> FileResult<Bytes> {
        let mut files = self.files();
        files.entry(id).or_insert_with(|| self.read(id)).clone()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let mut sources = self.0.sources.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(source) = sources.get(&id) {
            return source.clone();
        }
        let source = self.cached_file(id).and_then(|bytes| {
            let text = std::str::from_utf8(&bytes).map_err(|_| FileError::InvalidUtf8)?;
            Ok(Source::new(id, text.to_string()))
        });
        sources.insert(id, source.clone());
        source
    }
}

fn file_error(refused: Refused, path: PathBuf) -> FileError {
    match refused {
        Refused::NotFound => FileError::NotFound(path),
        Refused::Outside | Refused::NotRelative => FileError::AccessDenied,
        Refused::NotAFile(Special::Directory) => FileError::IsDirectory,
        other => FileError::Other(Some(other.to_string().into())),
    }
}

/// What does not change between compiles: the standard library.
pub struct Shared {
    pub library: LazyHash<Library>,
}

/// One compilation: a layout fed with one résumé and one set of settings. It owns what it
/// needs, so that a compile can run on a thread of its own and be abandoned at its deadline.
pub struct VitaeWorld {
    shared: Arc<Shared>,
    /// The fonts as they were when this compile started: a later document may add system
    /// fonts to the engine's set, never to this one.
    fonts: Arc<FontSet>,
    layout: Layout,
    /// `/resume.json`.
    resume: Bytes,
    /// `/settings.json`.
    settings: Bytes,
    /// The photo, at its virtual path (`/photo.jpg`), if the résumé has one.
    photo: Option<(FileId, Bytes)>,
    /// The fixed "today".
    today: Datetime,
}

impl VitaeWorld {
    pub fn new(
        shared: Arc<Shared>,
        fonts: Arc<FontSet>,
        layout: Layout,
        resume: Bytes,
        settings: Bytes,
        today: Datetime,
    ) -> Self {
        VitaeWorld {
            shared,
            fonts,
            layout,
            resume,
            settings,
            photo: None,
            today,
        }
    }

    /// The world with a photo at `path` in the virtual file system.
    pub fn with_photo(mut self, path: &str, bytes: Bytes) -> Self {
        self.photo = Some((project_file(path), bytes));
        self
    }

    /// The text of a file for showing a diagnostic's line: sources and the JSON data alike.
    pub fn text_of(&self, id: FileId) -> Option<(String, String)> {
        let bytes = self.file(id).ok()?;
        let text = std::str::from_utf8(&bytes).ok()?.to_string();
        let name = if id == resume_id() || id == settings_id() || id == helper_id() {
            id.vpath().get_with_slash().to_string()
        } else {
            match &self.layout.0.origin {
                Origin::Builtin(b) => format!("layouts/{}.typ", b.name),
                Origin::Directory(_) if !id.vpath().get_with_slash().ends_with(".typ") => {
                    return None;
                }
                Origin::Directory(_) if id == self.layout.0.main => self.layout.0.name.clone(),
                Origin::Directory(root) => root
                    .join(id.vpath().get_without_slash())
                    .display()
                    .to_string(),
            }
        };
        Some((name, text))
    }
}

impl World for VitaeWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        self.fonts.book()
    }

    fn main(&self) -> FileId {
        self.layout.0.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.layout.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == resume_id() {
            Ok(self.resume.clone())
        } else if id == settings_id() {
            Ok(self.settings.clone())
        } else if let Some((_, bytes)) = self.photo.as_ref().filter(|(photo, _)| *photo == id) {
            Ok(bytes.clone())
        } else {
            self.layout.cached_file(id)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
