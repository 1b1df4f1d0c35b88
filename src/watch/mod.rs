//! Rebuilding on every change: the loop of `vitae watch`, in the library so that the command
//! line and any editor integration share it.
//!
//! A [`Session`] holds one [`Engine`] for its whole life, so fonts are parsed once and Typst's
//! memoised results carry over from one rebuild to the next: after a one-highlight edit only
//! what changed is laid out again. The session never watches anything itself; its caller tells
//! it what changed ([`Session::rebuild`]) and asks it what to watch ([`Session::watched`]). That
//! keeps it free of timing, and testable with explicit change events.
//!
//! A rebuild goes through [`build::build_with`], which renders everything before it writes
//! anything: an edit that does not load, validate or lay out leaves the last good outputs
//! exactly as they were.

pub mod server;

use crate::Error;
use crate::build::{self, BuildOptions, BuildReport};
use crate::diag::{Diagnostic, Diagnostics};
use crate::export::Format;
use crate::export::pdf::{self, Engine};
use crate::model::{LoadOptions, Loaded, load_file};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Rebuilds one résumé whenever something it depends on changes.
pub struct Session {
    file: PathBuf,
    /// Names the outputs, as `vitae build` does: the résumé's file name without extension.
    stem: String,
    options: BuildOptions,
    load: LoadOptions,
    /// Also lay out the first document as SVG pages after each good build.
    preview: bool,
    /// Made on the first build that needs it and kept; made again only when a font changed.
    engine: Option<Engine>,
    engines_created: usize,
    watched: Watched,
    /// The last good preview, kept through failed rebuilds.
    last_preview: Option<Arc<Preview>>,
}

/// What a session depends on, for its caller to watch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Watched {
    /// The résumé, a layout file it or the options name, its photo.
    pub files: Vec<PathBuf>,
    /// Font folders (`--font-path`): a change anywhere under one counts.
    pub dirs: Vec<PathBuf>,
}

impl Watched {
    /// Whether a change of `path` matters.
    pub fn matters(&self, path: &Path) -> bool {
        let path = normal(path);
        self.files.contains(&path) || self.dirs.iter().any(|d| path.starts_with(d))
    }

    /// The folders to watch for these files, each once. Editors that save by writing a new file
    /// and renaming it over the old one replace the file itself, so a watch on the file would
    /// end at the first save; the folder's watch sees every save.
    pub fn folders(&self) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = Vec::new();
        for file in &self.files {
            if let Some(parent) = file.parent()
                && !out.iter().any(|o| o == parent)
            {
                out.push(parent.to_path_buf());
            }
        }
        out
    }
}

/// What one rebuild did.
#[derive(Debug)]
pub struct Rebuild {
    /// From the call to the last file written (or the error found).
    pub took: Duration,
    pub outcome: Outcome,
}

/// How a rebuild ended.
#[derive(Debug)]
pub enum Outcome {
    /// Every output was written.
    Built(Box<Built>),
    /// Nothing was written; the last good outputs are as they were.
    Failed(Failed),
    /// None of the changed paths is something the résumé depends on.
    Unaffected,
}

/// A good rebuild.
#[derive(Debug)]
pub struct Built {
    pub report: BuildReport,
    /// The first document's page count, when a paged format or the preview laid it out.
    pub pages: Option<usize>,
    /// Whether the engine of an earlier build was used again (fonts not parsed again).
    pub engine_reused: bool,
    /// The preview, when the session makes one.
    pub preview: Option<Arc<Preview>>,
    /// Laying out the preview failed although the build did not (a layout error with only
    /// text formats asked for); the outputs were written.
    pub preview_error: Option<Vec<Diagnostic>>,
}

/// A failed rebuild: the error, and the same as located diagnostics.
#[derive(Debug)]
pub struct Failed {
    pub error: Error,
    pub diagnostics: Vec<Diagnostic>,
}

/// Every document of a build as SVG pages, for a live preview, in the build's order.
#[derive(Debug, Clone)]
pub struct Preview {
    pub documents: Vec<PreviewDocument>,
}

/// One document of a preview: the full résumé or a variant.
#[derive(Debug, Clone)]
pub struct PreviewDocument {
    /// The variant; `None` for the full résumé.
    pub variant: Option<String>,
    /// One SVG per page.
    pub pages: Vec<String>,
    /// What fitting to a page budget changed.
    pub fit_report: Vec<crate::tailor::fit::FitChange>,
}

impl Preview {
    /// The first document, which the preview shows unless another is picked.
    pub fn first(&self) -> Option<&PreviewDocument> {
        self.documents.first()
    }
}

impl Rebuild {
    pub fn is_built(&self) -> bool {
        matches!(self.outcome, Outcome::Built(_))
    }
}

impl Session {
    /// A session for the résumé at `file`, built with `options`. Nothing happens until the
    /// first [`Session::rebuild`].
    pub fn new(file: impl Into<PathBuf>, options: BuildOptions) -> Session {
        let file = file.into();
        let stem = file
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("resume")
            .to_string();
        let watched = Watched {
            files: vec![normal(&file)],
            dirs: options.font_dirs.iter().map(|d| normal(d)).collect(),
        };
        Session {
            file,
            stem,
            options,
            load: LoadOptions::default(),
            preview: false,
            engine: None,
            engines_created: 0,
            watched,
            last_preview: None,
        }
    }

    /// Unknown keys are errors (`--strict`).
    pub fn with_load_options(mut self, load: LoadOptions) -> Session {
        self.load = load;
        self
    }

    /// After each good build, also lay out the first document as SVG pages.
    pub fn with_preview(mut self, on: bool) -> Session {
        self.preview = on;
        self
    }

    /// The résumé's path as given.
    pub fn file(&self) -> &Path {
        &self.file
    }

    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// What to watch. It grows or shrinks with the résumé: a layout or photo it starts naming
    /// is in it after the next rebuild that loaded.
    pub fn watched(&self) -> &Watched {
        &self.watched
    }

    /// How many engines this session made: 1 for a whole session unless a font changed.
    pub fn engines_created(&self) -> usize {
        self.engines_created
    }

    /// The last good preview, if any.
    pub fn preview(&self) -> Option<Arc<Preview>> {
        self.last_preview.clone()
    }

    /// Builds now, whatever changed: the first build of a session.
    pub fn build(&mut self) -> Rebuild {
        self.run(Instant::now(), false)
    }

    /// Rebuilds if any of `changed` is something the résumé depends on; an empty list always
    /// rebuilds.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> Rebuild {
        let started = Instant::now();
        if changed.is_empty() {
            return self.run(started, false);
        }
        if !changed.iter().any(|p| self.watched.matters(p)) {
            return Rebuild {
                took: started.elapsed(),
                outcome: Outcome::Unaffected,
            };
        }
        // A font file changed: the engine's fonts were read when it was made, so make it again.
        let fonts_changed = changed.iter().any(|p| {
            let p = normal(p);
            self.watched.dirs.iter().any(|d| p.starts_with(d))
        });
        self.run(started, fonts_changed)
    }

    fn run(&mut self, started: Instant, fonts_changed: bool) -> Rebuild {
        if fonts_changed {
            self.engine = None;
        }
        let outcome = self.try_build();
        // Typst's memo lives for the whole process; a session of a thousand saves would keep
        // every layout of every one. What the last few rebuilds did not use goes.
        Engine::forget_unused_layouts();
        let outcome = match outcome {
            Ok(built) => Outcome::Built(Box::new(built)),
            Err(error) => Outcome::Failed(Failed {
                diagnostics: diagnostics(&error),
                error,
            }),
        };
        Rebuild {
            took: started.elapsed(),
            outcome,
        }
    }

    fn try_build(&mut self) -> Result<Built, Error> {
        let loaded = load_file(&self.file, self.load)?;
        // What `vitae build` refuses after loading: a --lang the résumé cannot speak.
        if let Some(lang) = &self.options.lang
            && let Some(refused) = crate::model::check_lang_flag(&loaded.resume, lang)
        {
            return Err(Error::Invalid(Diagnostics(vec![refused])));
        }
        // Before building: a layout the résumé now names is watched even if it is broken.
        self.watched = depends_on(&self.file, &loaded, &self.options);
        let paged = self
            .options
            .formats
            .iter()
            .any(|f| matches!(f, Format::Pdf | Format::Png));
        let engine_reused = self.engine.is_some();
        if paged || self.preview {
            self.make_engine()?;
        }
        let engine = self.engine.as_ref();
        let report = match engine {
            Some(engine) => build::build_with(&loaded, &self.stem, &self.options, engine)?,
            None => build::build(&loaded, &self.stem, &self.options)?,
        };
        let mut pages = report
            .files
            .iter()
            .find(|f| matches!(f.format, Format::Pdf | Format::Png))
            .and_then(|f| f.pages);
        let made = match engine {
            Some(engine) if self.preview => Some(preview_of(&loaded, &self.options, engine)),
            _ => None,
        };
        let (mut preview, mut preview_error) = (None, None);
        match made {
            Some(Ok(made)) => {
                pages = pages.or(made.first().map(|d| d.pages.len()));
                let made = Arc::new(made);
                self.last_preview = Some(made.clone());
                preview = Some(made);
            }
            Some(Err(error)) => preview_error = Some(diagnostics(&error)),
            None => {}
        }
        Ok(Built {
            report,
            pages,
            engine_reused,
            preview,
            preview_error,
        })
    }

    /// Makes the session's engine if there is none yet.
    fn make_engine(&mut self) -> Result<(), Error> {
        if self.engine.is_none() {
            let engine = Engine::new(&self.options.font_dirs)?
                .with_deadline(self.options.timeout)
                .with_isolation(self.options.isolation.clone())
                .with_system_fonts(self.options.system_fonts);
            self.engines_created += 1;
            self.engine = Some(engine);
        }
        Ok(())
    }
}

/// Every document of the build laid out as the PDF was, as SVG pages. The build compiled the
/// same input a moment ago, so Typst answers from its memo and only the SVG is new work.
fn preview_of(loaded: &Loaded, options: &BuildOptions, engine: &Engine) -> Result<Preview, Error> {
    let documents = build::targets(loaded, options)?
        .iter()
        .map(|target| preview_document(loaded, options, target, engine))
        .collect::<Result<Vec<_>, Error>>()?;
    Ok(Preview { documents })
}

fn preview_document(
    loaded: &Loaded,
    options: &BuildOptions,
    target: &build::Target,
    engine: &Engine,
) -> Result<PreviewDocument, Error> {
    let (doc, _) = build::document(loaded, target);
    let mut typesetter = build::typesetter(loaded, target, options, engine)?;
    typesetter.relevance = build::job_match(&doc, target)
        .as_ref()
        .map(crate::tailor::job::relevance);
    let fitted = typesetter.typeset(&doc)?.fitted;
    Ok(PreviewDocument {
        variant: target.variant.clone(),
        pages: engine.svg(&fitted.compiled),
        fit_report: fitted.report,
    })
}

/// The files and folders a build of `loaded` reads: the résumé, user layouts, the job postings
/// variants name, the photo, font folders.
fn depends_on(file: &Path, loaded: &Loaded, options: &BuildOptions) -> Watched {
    let mut files = vec![normal(file)];
    let mut add = |path: PathBuf| {
        let path = normal(&path);
        if !files.contains(&path) {
            files.push(path);
        }
    };
    // The layout of each target; a variant that does not exist fails the build, which then
    // watches only what it could name.
    let all = BuildOptions {
        all_variants: true,
        variants: Vec::new(),
        ..options.clone()
    };
    for target in build::targets(loaded, options)
        .into_iter()
        .chain(build::targets(loaded, &all))
        .flatten()
    {
        if pdf::layouts::is_path(&target.layout) {
            add(PathBuf::from(&target.layout));
        }
    }
    // Postings that variants name: a build reads them again, so an edit of one rebuilds.
    if let Some(dir) = &loaded.dir {
        for job in loaded
            .resume
            .variants
            .values()
            .filter_map(|v| v.job.as_ref())
        {
            add(dir.join(job));
        }
    }
    if let (Some(dir), Some(image)) = (
        &loaded.dir,
        loaded
            .resume
            .basics
            .as_ref()
            .and_then(|b| b.image.as_deref())
            .map(str::trim),
    ) && !image.is_empty()
        && !crate::model::photo::is_url(image)
    {
        add(dir.join(image));
    }
    Watched {
        files,
        dirs: options.font_dirs.iter().map(|d| normal(d)).collect(),
    }
}

/// A path made comparable with the paths file events carry: absolute, its folder canonical,
/// its own name kept (the file may be missing for a moment while an editor saves).
pub fn normal(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    if let Ok(canonical) = absolute.canonicalize()
        && !absolute.is_file()
    {
        // A folder (a font path): canonical as a whole.
        return canonical;
    }
    match (absolute.parent(), absolute.file_name()) {
        (Some(dir), Some(name)) => match dir.canonicalize() {
            Ok(dir) => dir.join(name),
            Err(_) => absolute,
        },
        _ => absolute,
    }
}

/// An error as located diagnostics, the way `vitae build` reports it.
pub fn diagnostics(error: &Error) -> Vec<Diagnostic> {
    match error {
        Error::Invalid(Diagnostics(list)) => list.clone(),
        Error::Overflow { message, report } => {
            let mut d = Diagnostic::error(message.clone());
            if !report.is_empty() {
                d = d.with_hint(format!(
                    "fitting tried: {}",
                    report
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                ));
            }
            vec![d]
        }
        other => vec![Diagnostic::error(other.to_string())],
    }
}

/// A diagnostic as plain text, the way people read it in a terminal: the message, where it
/// is, the line with a caret under the place, and the hint.
pub fn plain_text(diagnostic: &Diagnostic) -> String {
    let severity = if diagnostic.is_error() {
        "error"
    } else {
        "warning"
    };
    let mut out = format!("{severity}: {}\n", diagnostic.message);
    if let Some(loc) = &diagnostic.location {
        let number = loc.line.to_string();
        let pad = " ".repeat(number.len());
        out.push_str(&format!(
            "{pad}--> {}:{}:{}\n",
            loc.file, loc.line, loc.column
        ));
        if !loc.line_text.is_empty() {
            let before: String = loc
                .line_text
                .chars()
                .take(loc.column.saturating_sub(1))
                .collect();
            // Tabs keep their width under the caret.
            let under: String = before
                .chars()
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            out.push_str(&format!("{pad} |\n{number} | {}\n", loc.line_text));
            out.push_str(&format!("{pad} | {under}^\n"));
        }
    }
    if let Some(hint) = &diagnostic.hint {
        out.push_str(&format!("hint: {hint}\n"));
    }
    out
}
