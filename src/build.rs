//! A whole build: which documents (the full résumé, variants), in which formats, written where,
//! with a manifest. Everything is rendered first and written only if all of it succeeded, so a
//! failed build leaves earlier outputs untouched.

use crate::Error;
use crate::diag::{Diagnostic, Diagnostics};
use crate::export::pdf::{self, Engine, FallbackFont, Standard, Style, Typesetter};
use crate::export::text::{DEFAULT_WIDTH, PlainText};
use crate::export::{Format, Overflow, Renderer, json::Json, markdown::Markdown};
use crate::model::document::Document;
use crate::model::{Loaded, PageSize, ResolveOptions, resolve};
use crate::output::OutputSet;
use crate::tailor::Selection;
use crate::tailor::fit::FitChange;
use crate::tailor::job::{Covered, JobCoverage, Posting};
use crate::tailor::relevance::{MatchReport, match_posting};
use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Where outputs go.
    pub out_dir: PathBuf,
    pub formats: Vec<Format>,
    /// The content language; else the variant's, else `settings.lang`.
    pub lang: Option<String>,
    /// Plain-text wrap width.
    pub text_width: usize,
    /// A layout name or path, overriding the variant's and the settings'.
    pub layout: Option<String>,
    pub page_size: Option<PageSize>,
    /// Variants to build; none means the full résumé.
    pub variants: Vec<String>,
    pub all_variants: bool,
    /// Ad-hoc selection on top of whatever is built.
    pub tags: Vec<String>,
    pub exclude: Vec<String>,
    /// A page budget overriding the variant's.
    pub max_pages: Option<u32>,
    /// A job posting to tailor every target to, over a variant's own `job`.
    pub job: Option<Posting>,
    /// Missing the page budget is a warning, not an error.
    pub allow_overflow: bool,
    /// PNG resolution.
    pub ppi: f32,
    pub standard: Standard,
    /// Extra font directories.
    pub font_dirs: Vec<PathBuf>,
    /// Look in the system's fonts for characters no bundled font has.
    pub system_fonts: bool,
    /// Warnings fail the build.
    pub deny_warnings: bool,
    /// How long one compile of a layout may take.
    pub timeout: std::time::Duration,
    /// Where user layouts run first, under a memory limit and the deadline
    /// ([`pdf::isolate`]); `None` runs them in this process only.
    pub isolation: Option<pdf::isolate::Isolation>,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions {
            out_dir: PathBuf::from("dist"),
            formats: vec![Format::Pdf, Format::Markdown, Format::Text],
            lang: None,
            text_width: DEFAULT_WIDTH,
            layout: None,
            page_size: None,
            variants: Vec::new(),
            all_variants: false,
            tags: Vec::new(),
            exclude: Vec::new(),
            max_pages: None,
            job: None,
            allow_overflow: false,
            ppi: 144.0,
            standard: Standard::default(),
            font_dirs: Vec::new(),
            system_fonts: true,
            deny_warnings: false,
            timeout: pdf::DEFAULT_DEADLINE,
            isolation: None,
        }
    }
}

/// One document to produce: the full résumé or a variant.
#[derive(Debug, Clone)]
pub struct Target {
    /// The variant's name; `None` for the full résumé.
    pub variant: Option<String>,
    pub selection: Selection,
    pub lang: Option<String>,
    pub layout: String,
    /// Set when the résumé named the layout: the folder the layout must lie in.
    pub layout_confine: Option<PathBuf>,
    pub pages: Option<u32>,
    /// The job posting this target is tailored to.
    pub job: Option<Posting>,
}

/// A file the build wrote.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Written {
    pub path: PathBuf,
    pub format: Format,
    pub variant: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pages: Option<usize>,
    pub bytes: usize,
    pub sha256: String,
    pub fit_report: Vec<FitChange>,
    /// For a target built for a job posting: the posting's terms it shows, before and after
    /// fitting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<JobCoverage>,
    pub warnings: Vec<Diagnostic>,
}

/// What a build did.
#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub files: Vec<Written>,
    /// Every warning, once.
    pub warnings: Vec<Diagnostic>,
    /// System fonts used for characters vitae's own fonts lack, each once, with every
    /// character it was taken for.
    #[serde(rename = "fallbackFonts", skip_serializing_if = "Vec::is_empty")]
    pub fallback_fonts: Vec<FallbackFont>,
}

/// The targets a build makes, in order.
pub fn targets(loaded: &Loaded, options: &BuildOptions) -> Result<Vec<Target>, Error> {
    let resume = &loaded.resume;
    let names: Vec<String> = if options.all_variants {
        resume.variants.keys().cloned().collect()
    } else {
        options.variants.clone()
    };
    let chosen = |variant: Option<&String>| -> (String, Option<PathBuf>) {
        if let Some(cli) = &options.layout {
            return (cli.clone(), None);
        }
        match variant.or(resume.settings.layout.as_ref()) {
            Some(spec) => from_resume(loaded, spec),
            None => (pdf::layouts::DEFAULT.to_string(), None),
        }
    };
    if names.is_empty() {
        let (layout, layout_confine) = chosen(None);
        let default = Selection {
            exclude: resume.settings.exclude.clone(),
            ..Selection::default()
        };
        return Ok(vec![Target {
            variant: None,
            selection: default.with_adhoc(&options.tags, &options.exclude),
            lang: options.lang.clone(),
            layout,
            layout_confine,
            pages: options.max_pages,
            job: options.job.clone(),
        }]);
    }
    names
        .iter()
        .map(|name| {
            let variant = resume
                .variants
                .get(name)
                .ok_or_else(|| Error::UnknownVariant {
                    name: name.clone(),
                    known: resume.variants.keys().cloned().collect(),
                })?;
            let (layout, layout_confine) = chosen(variant.layout.as_ref());
            Ok(Target {
                variant: Some(name.clone()),
                selection: Selection::from_variant(variant)
                    .with_adhoc(&options.tags, &options.exclude),
                lang: options.lang.clone().or_else(|| variant.lang.clone()),
                layout,
                layout_confine,
                pages: options.max_pages.or(variant.pages),
                job: match (&options.job, &variant.job) {
                    (Some(posting), _) => Some(posting.clone()),
                    (None, Some(path)) => Some(read_posting(loaded, path)?),
                    (None, None) => None,
                },
            })
        })
        .collect()
}

/// A layout the résumé names: a built-in name as it is, a file relative to the résumé's folder
/// and confined to it. Validation has refused any other path already; a résumé read from
/// memory is confined to a folder that holds nothing, so a path it names can never be read.
fn from_resume(loaded: &Loaded, spec: &str) -> (String, Option<PathBuf>) {
    if !pdf::layouts::is_path(spec) {
        return (spec.to_string(), None);
    }
    match &loaded.dir {
        Some(dir) => (dir.join(spec).display().to_string(), Some(dir.clone())),
        None => (spec.to_string(), Some(PathBuf::from("/nonexistent/vitae"))),
    }
}

/// The largest job posting read: far more than any posting, and bounded.
pub const POSTING_LIMIT: u64 = 1 << 20;

/// A posting a variant names, read from inside the résumé's folder (validation has checked
/// the path; what is opened is checked again).
fn read_posting(loaded: &Loaded, path: &str) -> Result<Posting, Error> {
    let refused = |reason: String| Error::Posting {
        name: path.to_string(),
        reason,
    };
    let dir = loaded
        .dir
        .as_ref()
        .ok_or_else(|| refused("this résumé was not read from a folder".into()))?;
    let inside = |e: crate::confine::Refused| refused(e.in_folder());
    let root = dir.canonicalize().map_err(|e| refused(e.to_string()))?;
    let file = crate::confine::resolve_inside(&root, Path::new(path)).map_err(inside)?;
    let bytes = crate::confine::read_inside(&root, &file, POSTING_LIMIT).map_err(inside)?;
    let text = String::from_utf8(bytes).map_err(|_| refused("it is not UTF-8 text".into()))?;
    Ok(Posting::new(path, text))
}

/// The resolved, selected document of a target, with warnings from resolving it.
pub fn document(loaded: &Loaded, target: &Target) -> (Document, Vec<Diagnostic>) {
    let resume = target.selection.apply_overrides(&loaded.resume);
    let (doc, warnings) = resolve(
        loaded,
        &resume,
        &ResolveOptions {
            lang: target.lang.clone(),
        },
    );
    let mut doc = target.selection.select(doc);
    if let Some(posting) = &target.job {
        doc = crate::tailor::job::order(doc, posting);
    }
    doc.meta.variant = target.variant.clone();
    (doc, warnings)
}

/// One file of a target, rendered and not yet written.
struct Output {
    path: PathBuf,
    format: Format,
    bytes: Vec<u8>,
    /// Pages, for paged formats.
    pages: Option<usize>,
}

/// Everything one target rendered, before anything is written.
#[derive(Default)]
struct TargetOutput {
    files: Vec<Output>,
    fit_report: Vec<FitChange>,
    warnings: Vec<Diagnostic>,
    /// Set when the page budget could not be met.
    overflow: Option<Overflow>,
    /// System fonts the PDF or PNG took characters from.
    fallback_fonts: Vec<FallbackFont>,
    /// How the selected document, and the paged one as fitted, cover the job posting.
    job: Option<(Covered, Option<Covered>)>,
}

/// Builds every target in every format; writes the files and `manifest.json` into the output
/// directory. `stem` names the outputs (`<stem>[-<variant>].<ext>`).
pub fn build(loaded: &Loaded, stem: &str, options: &BuildOptions) -> Result<BuildReport, Error> {
    build_inner(loaded, stem, options, None)
}

/// [`build`] with an engine the caller keeps, so that fonts are parsed once and Typst's caches
/// stay warm across builds (`vitae watch`). The engine's fonts, deadline and system-font
/// setting are the caller's; `options.font_dirs`, `timeout` and `system_fonts` are not read.
pub fn build_with(
    loaded: &Loaded,
    stem: &str,
    options: &BuildOptions,
    engine: &Engine,
) -> Result<BuildReport, Error> {
    build_inner(loaded, stem, options, Some(engine))
}

fn build_inner(
    loaded: &Loaded,
    stem: &str,
    options: &BuildOptions,
    given: Option<&Engine>,
) -> Result<BuildReport, Error> {
    let targets = targets(loaded, options)?;
    let paged = options
        .formats
        .iter()
        .any(|f| matches!(f, Format::Pdf | Format::Png));
    let owned = match (paged, given) {
        (true, None) => Some(
            Engine::new(&options.font_dirs)?
                .with_deadline(options.timeout)
                .with_isolation(options.isolation.clone())
                .with_system_fonts(options.system_fonts),
        ),
        _ => None,
    };
    let engine = if paged {
        given.or(owned.as_ref())
    } else {
        None
    };

    // Claim and check the output folder before rendering, which can take a while: a folder that
    // cannot be written fails now, and another build into it waits here. The names are those
    // `render_target` gives; page counts are not known yet, so only a first page is checked.
    let mut outputs = OutputSet::open(&options.out_dir)?;
    outputs.check_targets(
        targets
            .iter()
            .flat_map(|t| {
                let name = output_stem(stem, t);
                options
                    .formats
                    .iter()
                    .map(move |f| output_name(&name, *f, 1))
            })
            .chain(["manifest.json".to_string()])
            .map(|file| options.out_dir.join(file)),
    )?;

    let rendered: Vec<TargetOutput> = targets
        .par_iter()
        .map(|target| render_target(loaded, stem, target, options, engine))
        .collect::<Result<_, Error>>()?;

    let mut warnings: Vec<Diagnostic> = loaded.warnings.clone();
    for r in &rendered {
        for w in &r.warnings {
            if !warnings.contains(w) {
                warnings.push(w.clone());
            }
        }
    }
    if options.deny_warnings && !warnings.is_empty() {
        let denied = warnings.into_iter().map(|mut w| {
            w.severity = crate::diag::Severity::Error;
            w
        });
        return Err(Error::Invalid(Diagnostics(denied.collect())));
    }
    let overflows: Vec<(String, &TargetOutput)> = rendered
        .iter()
        .zip(&targets)
        .filter_map(|(r, target)| Some((overflow_message(target, r.overflow?), r)))
        .collect();
    if !overflows.is_empty() && !options.allow_overflow {
        return Err(Error::Overflow {
            message: overflows
                .iter()
                .map(|(message, _)| message.as_str())
                .collect::<Vec<_>>()
                .join("; "),
            report: overflows
                .iter()
                .flat_map(|(_, r)| r.fit_report.clone())
                .collect(),
        });
    }
    for (message, _) in overflows {
        warnings.push(Diagnostic::warning(message));
    }

    let mut files = Vec::new();
    let mut rendered_fonts = Vec::new();
    for (mut r, target) in rendered.into_iter().zip(&targets) {
        rendered_fonts.append(&mut r.fallback_fonts);
        for Output {
            path,
            format,
            bytes,
            pages,
        } in r.files
        {
            outputs.stage(&path, &bytes)?;
            files.push(Written {
                sha256: hex(&Sha256::digest(&bytes)),
                bytes: bytes.len(),
                path,
                format,
                variant: target.variant.clone(),
                pages,
                fit_report: if format.is_paged() {
                    r.fit_report.clone()
                } else {
                    Vec::new()
                },
                job: match (&r.job, &target.job) {
                    (Some((before, after)), Some(posting)) => Some(JobCoverage {
                        posting: posting.name.clone(),
                        before: before.clone(),
                        after: match after {
                            Some(after) if format.is_paged() => after.clone(),
                            _ => before.clone(),
                        },
                    }),
                    _ => None,
                },
                warnings: r.warnings.clone(),
            });
        }
    }
    for page in stale_pages(&files) {
        outputs.remove(&page)?;
    }
    let fallback_fonts = merge_fallbacks(rendered_fonts);
    let report = BuildReport {
        files,
        warnings,
        fallback_fonts,
    };
    let mut manifest =
        serde_json::to_vec_pretty(&report).map_err(|e| Error::Other(e.to_string()))?;
    manifest.push(b'\n');
    // Staged last, so that it is swapped in last, beside the files it vouches for.
    outputs.stage(&options.out_dir.join("manifest.json"), &manifest)?;
    outputs.commit()?;
    Ok(report)
}

/// "variant \"backend\" does not fit in 1 page(s): it needs 2".
fn overflow_message(target: &Target, overflow: Overflow) -> String {
    let who = match &target.variant {
        Some(v) => format!("variant \"{v}\""),
        None => "the résumé".to_string(),
    };
    format!(
        "{who} does not fit in {} page(s): it needs {}",
        overflow.budget, overflow.pages
    )
}

/// What a target's files are called: `<stem>` for the full résumé, `<stem>-<variant>` for a
/// variant.
fn output_stem(stem: &str, target: &Target) -> String {
    match (&target.variant, &target.job) {
        (Some(v), _) => format!("{stem}-{v}"),
        (None, Some(posting)) => format!("{stem}-{}", posting.stem()),
        (None, None) => stem.to_string(),
    }
}

/// The file of one format: `<name>.<ext>`, and for PNG one file per page, `<name>-<page>.png`.
fn output_name(name: &str, format: Format, page: usize) -> String {
    match format {
        Format::Png => format!("{name}-{page}.png"),
        Format::JsonResume => format!("{name}.resume.json"),
        other => format!("{name}.{}", other.extension()),
    }
}

/// One entry per family, with the characters of every target, in code-point order.
fn merge_fallbacks(all: Vec<FallbackFont>) -> Vec<FallbackFont> {
    let mut merged: Vec<FallbackFont> = Vec::new();
    for font in all {
        match merged.iter_mut().find(|m| m.family == font.family) {
            Some(m) => m.chars.extend(font.chars),
            None => merged.push(font),
        }
    }
    for m in &mut merged {
        m.chars.sort_unstable();
        m.chars.dedup();
    }
    merged
}

fn render_target(
    loaded: &Loaded,
    stem: &str,
    target: &Target,
    options: &BuildOptions,
    engine: Option<&Engine>,
) -> Result<TargetOutput, Error> {
    let (doc, mut warnings) = document(loaded, target);
    warnings.extend(target.job.as_ref().and_then(Posting::cut_warning));
    let name = output_stem(stem, target);
    let matched = job_match(&doc, target);
    if let (Some(m), Some(posting)) = (&matched, &target.job)
        && m.terms.is_empty()
    {
        warnings.push(Diagnostic::warning(format!(
            "the job posting {} names no technology, phrase or term of the résumé that vitae knows: nothing is ordered by it",
            posting.name
        )));
    }
    let typesetter = match engine {
        Some(engine) => {
            let resume = target.selection.apply_overrides(&loaded.resume);
            warnings.extend(crate::model::photo::url_warning(loaded, &resume));
            let mut typesetter = typesetter(loaded, target, options, engine)?;
            typesetter.relevance = matched.as_ref().map(crate::tailor::job::relevance);
            Some(typesetter)
        }
        None => None,
    };
    let mut out = TargetOutput {
        job: matched.as_ref().map(|m| (Covered::of(m), None)),
        ..TargetOutput::default()
    };
    for format in &options.formats {
        let renderer: Box<dyn Renderer + '_> = match (format, &typesetter) {
            (Format::Markdown, _) => Box::new(Markdown),
            (Format::Text, _) => Box::new(PlainText {
                width: options.text_width,
            }),
            (Format::Json, _) => Box::new(Json),
            (Format::JsonResume, _) => Box::new(crate::export::jsonresume::JsonResume),
            (Format::Html, _) => Box::new(crate::export::html::Html {
                accent: loaded.resume.settings.accent.clone(),
            }),
            (Format::Docx, _) => Box::new(crate::export::docx::Docx {
                page: options
                    .page_size
                    .or(loaded.resume.settings.page_size)
                    .unwrap_or_default(),
                accent: loaded.resume.settings.accent.clone(),
            }),
            (Format::Pdf, Some(typesetter)) => Box::new(pdf::Pdf {
                typesetter,
                standard: options.standard,
                ident: format!("vitae/{name}"),
            }),
            (Format::Png, Some(typesetter)) => Box::new(pdf::Png {
                typesetter,
                ppi: options.ppi,
            }),
            (Format::Pdf | Format::Png, None) => continue,
        };
        let rendered = renderer.render(&doc).map_err(|e| locate_error(loaded, e))?;
        for warning in rendered.warnings {
            let warning = loaded.locate_field(warning);
            if !warnings.contains(&warning) {
                warnings.push(warning);
            }
        }
        if rendered.pages.is_some() {
            if let (Some((_, after)), Some(laid_out), Some(posting)) =
                (&mut out.job, &rendered.laid_out, &target.job)
            {
                *after = Some(Covered::of(&match_posting(laid_out, &posting.text)));
            }
            out.fit_report = rendered.fit_report;
            out.overflow = rendered.overflow;
            out.fallback_fonts = rendered.fallback_fonts;
        }
        for (i, bytes) in rendered.files.into_iter().enumerate() {
            out.files.push(Output {
                path: options.out_dir.join(output_name(&name, *format, i + 1)),
                format: *format,
                bytes,
                pages: rendered.pages,
            });
        }
    }
    out.warnings = warnings;
    Ok(out)
}

/// A rendering error with every diagnostic that names a field located in the file.
fn locate_error(loaded: &Loaded, error: Error) -> Error {
    match error {
        Error::Invalid(d) => Error::Invalid(crate::diag::Diagnostics(
            d.0.into_iter().map(|d| loaded.locate_field(d)).collect(),
        )),
        other => other,
    }
}

/// How a target's document covers the job posting the target is built for, if any.
pub fn job_match(doc: &Document, target: &Target) -> Option<MatchReport> {
    target
        .job
        .as_ref()
        .map(|posting| match_posting(doc, &posting.text))
}

/// How a target is laid out: its layout, the page and accent, the date, its page budget.
/// Public so that a preview (`vitae watch --serve`) lays a target out exactly as the build did.
pub fn typesetter<'a>(
    loaded: &Loaded,
    target: &Target,
    options: &BuildOptions,
    engine: &'a Engine,
) -> Result<Typesetter<'a>, Error> {
    let settings = &loaded.resume.settings;
    let style = Style {
        page: options.page_size.or(settings.page_size).unwrap_or_default(),
        accent: settings
            .accent
            .clone()
            .unwrap_or_else(|| pdf::DEFAULT_ACCENT.to_string()),
    };
    let last_modified = loaded
        .resume
        .meta
        .as_ref()
        .and_then(|m| m.last_modified.as_deref());
    Ok(Typesetter {
        engine,
        layout: engine.layout(&target.layout, target.layout_confine.as_deref())?,
        style,
        date: pdf::build_date(last_modified),
        budget: target.pages.map(|p| p as usize),
        relevance: None,
    })
}

/// `<name>-N.png` left from an earlier, longer build of the same document: every page image in
/// the folder numbered above the new page count, gaps included. They go with the new set, so a
/// failed build brings them back.
fn stale_pages(files: &[Written]) -> Vec<PathBuf> {
    let mut stale = Vec::new();
    for file in files.iter().filter(|f| f.format == Format::Png) {
        let Some(pages) = file.pages else { continue };
        let Some(name) = file.path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        // Only the last page's file, so each document's folder is read once.
        let Some(prefix) = name.strip_suffix(&format!("-{pages}.png")) else {
            continue;
        };
        let dir = file.path.parent().unwrap_or(Path::new(""));
        let listing = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let Ok(entries) = std::fs::read_dir(listing) else {
            continue;
        };
        for entry in entries.flatten() {
            let other = entry.file_name();
            let Some(number) = other
                .to_str()
                .and_then(|o| o.strip_prefix(prefix))
                .and_then(|o| o.strip_prefix('-'))
                .and_then(|o| o.strip_suffix(".png"))
            else {
                continue;
            };
            // The spelling vitae writes: digits, no leading zero.
            let canonical = !number.starts_with('0') && number.bytes().all(|b| b.is_ascii_digit());
            if canonical && number.parse::<usize>().is_ok_and(|n| n > pages) {
                stale.push(dir.join(other));
            }
        }
    }
    stale
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
