//! vitae's Typst world: the sandbox every layout is compiled in.
//!
//! - The résumé and build settings are virtual JSON files (`/resume.json`, `/settings.json`);
//!   the helper library is `/vitae.typ`.
//! - Built-in layouts see nothing else. A user layout sees the files under its own directory,
//!   and nothing outside it: `..`, absolute paths and symbolic links out of it are refused.
//! - Packages are never downloaded; `@preview/…` imports fail with a clear error.
//! - `today()` is a fixed date, so output does not depend on when it is built.

use super::fonts::FontSet;
use super::layouts::{self, Builtin};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};
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

/// A layout ready to compile, with the files it has read so far.
#[derive(Debug)]
pub struct Layout {
    origin: Origin,
    main: FileId,
    /// Shown in messages: the layout's name or path.
    pub name: String,
    sources: Mutex<HashMap<FileId, FileResult<Source>>>,
    files: Mutex<HashMap<FileId, FileResult<Bytes>>>,
}

impl Layout {
    pub fn builtin(builtin: &'static Builtin) -> Layout {
        Layout::new(
            Origin::Builtin(builtin),
            project_file(&format!("/{}.typ", builtin.name)),
            builtin.name.to_string(),
        )
    }

    /// A layout file of the user's; it may read files in its own directory only.
    pub fn from_path(path: &Path) -> Result<Layout, String> {
        let shown = path.display().to_string();
        let canonical = path
            .canonicalize()
            .map_err(|e| format!("cannot read layout {shown}: {e}"))?;
        let root = canonical
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        let name = canonical
            .file_name()
            .and_then(|n| n.to_str())
            .ok_or(format!("layout {shown} has no usable file name"))?;
        Ok(Layout::new(
            Origin::Directory(root),
            project_file(&format!("/{name}")),
            shown,
        ))
    }

    fn new(origin: Origin, main: FileId, name: String) -> Layout {
        Layout {
            origin,
            main,
            name,
            sources: Mutex::default(),
            files: Mutex::default(),
        }
    }

    pub fn main(&self) -> FileId {
        self.main
    }

    /// The real path of a file of a user layout, if it is inside the layout's directory.
    fn real_path(&self, root: &Path, id: FileId) -> FileResult<PathBuf> {
        let path = id
            .vpath()
            .realize(root)
            .map_err(|_| FileError::AccessDenied)?;
        let canonical = path
            .canonicalize()
            .map_err(|_| FileError::NotFound(path.clone()))?;
        if !canonical.starts_with(root) {
            return Err(FileError::AccessDenied);
        }
        Ok(canonical)
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
        match &self.origin {
            Origin::Builtin(builtin) if id == self.main => Ok(Bytes::from_string(builtin.source)),
            Origin::Builtin(_) => Err(FileError::NotFound(id.vpath().get_with_slash().into())),
            Origin::Directory(root) => {
                let path = self.real_path(root, id)?;
                std::fs::read(&path)
                    .map(Bytes::new)
                    .map_err(|e| FileError::from_io(e, &path))
            }
        }
    }

    fn cached_file(&self, id: FileId) -> FileResult<Bytes> {
        let mut files = self.files.lock().unwrap_or_else(|p| p.into_inner());
        files.entry(id).or_insert_with(|| self.read(id)).clone()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        let mut sources = self.sources.lock().unwrap_or_else(|p| p.into_inner());
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

/// What does not change between compiles: the standard library and the fonts.
pub struct Shared {
    pub library: LazyHash<Library>,
    pub book: LazyHash<FontBook>,
    pub fonts: FontSet,
}

/// One compilation: a layout fed with one résumé and one set of settings.
pub struct VitaeWorld<'a> {
    shared: &'a Shared,
    layout: &'a Layout,
    /// `/resume.json`.
    resume: Bytes,
    /// `/settings.json`.
    settings: Bytes,
    /// The fixed "today".
    today: Datetime,
}

impl<'a> VitaeWorld<'a> {
    pub fn new(
        shared: &'a Shared,
        layout: &'a Layout,
        resume: Bytes,
        settings: Bytes,
        today: Datetime,
    ) -> Self {
        VitaeWorld {
            shared,
            layout,
            resume,
            settings,
            today,
        }
    }

    /// The text of a file for showing a diagnostic's line: sources and the JSON data alike.
    pub fn text_of(&self, id: FileId) -> Option<(String, String)> {
        let bytes = self.file(id).ok()?;
        let text = std::str::from_utf8(&bytes).ok()?.to_string();
        let name = if id == resume_id() || id == settings_id() || id == helper_id() {
            id.vpath().get_with_slash().to_string()
        } else {
            match &self.layout.origin {
                Origin::Builtin(b) => format!("layouts/{}.typ", b.name),
                Origin::Directory(_) if id == self.layout.main => self.layout.name.clone(),
                Origin::Directory(root) => root
                    .join(id.vpath().get_without_slash())
                    .display()
                    .to_string(),
            }
        };
        Some((name, text))
    }
}

impl World for VitaeWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.layout.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.layout.source(id)
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == resume_id() {
            Ok(self.resume.clone())
        } else if id == settings_id() {
            Ok(self.settings.clone())
        } else {
            self.layout.cached_file(id)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.font(index)
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        Some(self.today)
    }
}
