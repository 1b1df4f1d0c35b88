//! A whole build: which documents (the full résumé, variants), in which formats, written where,
//! with a manifest. Everything is rendered first and written only if all of it succeeded, so a
//! failed build leaves earlier outputs untouched.

use crate::Error;
use crate::diag::{Diagnostic, Diagnostics};
use crate::export::pdf::{self, Density, Engine, Standard, Style};
use crate::export::text::{DEFAULT_WIDTH, PlainText};
use crate::export::{Format, Renderer, json::Json, markdown::Markdown};
use crate::model::document::Document;
use crate::model::{Loaded, PageSize, ResolveOptions, resolve};
use crate::output::OutputSet;
use crate::tailor::Selection;
use crate::tailor::fit::{self, Fitted};
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
    /// Missing the page budget is a warning, not an error.
    pub allow_overflow: bool,
    /// PNG resolution.
    pub ppi: f32,
    pub standard: Standard,
    /// Extra font directories.
    pub font_dirs: Vec<PathBuf>,
    /// Warnings fail the build.
    pub deny_warnings: bool,
    /// How long one compile of a layout may take.
    pub timeout: std::time::Duration,
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
            allow_overflow: false,
            ppi: 144.0,
            standard: Standard::default(),
            font_dirs: Vec::new(),
            deny_warnings: false,
            timeout: pdf::DEFAULT_DEADLINE,
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
    pub fit_report: Vec<String>,
    pub warnings: Vec<Diagnostic>,
}

/// What a build did.
#[derive(Debug, Clone, Serialize)]
pub struct BuildReport {
    pub files: Vec<Written>,
    /// Every warning, once.
    pub warnings: Vec<Diagnostic>,
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
        return Ok(vec![Target {
            variant: None,
            selection: Selection::default().with_adhoc(&options.tags, &options.exclude),
            lang: options.lang.clone(),
            layout,
            layout_confine,
            pages: options.max_pages,
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
    doc.meta.variant = target.variant.clone();
    (doc, warnings)
}

/// Output of one target before anything is written.
struct Rendered {
    files: Vec<(PathBuf, Format, Vec<u8>, Option<usize>)>,
    fit_report: Vec<String>,
    warnings: Vec<Diagnostic>,
    overflow: Option<String>,
}

/// Builds every target in every format; writes the files and `manifest.json` into the output
/// directory. `stem` names the outputs (`<stem>[-<variant>].<ext>`).
pub fn build(loaded: &Loaded, stem: &str, options: &BuildOptions) -> Result<BuildReport, Error> {
    let targets = targets(loaded, options)?;
    let paged = options
        .formats
        .iter()
        .any(|f| matches!(f, Format::Pdf | Format::Png));
    let engine = if paged {
        Some(Engine::new(&options.font_dirs)?.with_deadline(options.timeout))
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

    let rendered: Vec<Rendered> = targets
        .par_iter()
        .map(|target| render_target(loaded, stem, target, options, engine.as_ref()))
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
    let overflows: Vec<&Rendered> = rendered.iter().filter(|r| r.overflow.is_some()).collect();
    if !overflows.is_empty() && !options.allow_overflow {
        return Err(Error::Overflow {
            message: overflows
                .iter()
                .filter_map(|r| r.overflow.clone())
                .collect::<Vec<_>>()
                .join("; "),
            report: overflows
                .iter()
                .flat_map(|r| r.fit_report.clone())
                .collect(),
        });
    }
    for r in &overflows {
        if let Some(message) = &r.overflow {
            warnings.push(Diagnostic::warning(message.clone()));
        }
    }

    let mut files = Vec::new();
    for (r, target) in rendered.into_iter().zip(&targets) {
        for (path, format, bytes, pages) in r.files {
            outputs.stage(&path, &bytes)?;
            files.push(Written {
                sha256: hex(&Sha256::digest(&bytes)),
                bytes: bytes.len(),
                path,
                format,
                variant: target.variant.clone(),
                pages,
                fit_report: if matches!(format, Format::Pdf | Format::Png) {
                    r.fit_report.clone()
                } else {
                    Vec::new()
                },
                warnings: r.warnings.clone(),
            });
        }
    }
    for page in stale_pages(&files) {
        outputs.remove(&page)?;
    }
    let report = BuildReport { files, warnings };
    let mut manifest =
        serde_json::to_vec_pretty(&report).map_err(|e| Error::Other(e.to_string()))?;
    manifest.push(b'\n');
    // Staged last, so that it is swapped in last, beside the files it vouches for.
    outputs.stage(&options.out_dir.join("manifest.json"), &manifest)?;
    outputs.commit()?;
    Ok(report)
}

/// What a target's files are called: `<stem>` for the full résumé, `<stem>-<variant>` for a
/// variant.
fn output_stem(stem: &str, target: &Target) -> String {
    match &target.variant {
        Some(v) => format!("{stem}-{v}"),
        None => stem.to_string(),
    }
}

/// The file of one format: `<name>.<ext>`, and for PNG one file per page, `<name>-<page>.png`.
fn output_name(name: &str, format: Format, page: usize) -> String {
    match format {
        Format::Png => format!("{name}-{page}.png"),
        other => format!("{name}.{}", other.extension()),
    }
}

fn render_target(
    loaded: &Loaded,
    stem: &str,
    target: &Target,
    options: &BuildOptions,
    engine: Option<&Engine>,
) -> Result<Rendered, Error> {
    let (doc, mut warnings) = document(loaded, target);
    let name = output_stem(stem, target);
    let path = |format: Format, page: usize| options.out_dir.join(output_name(&name, format, page));
    let mut out = Rendered {
        files: Vec::new(),
        fit_report: Vec::new(),
        warnings: Vec::new(),
        overflow: None,
    };

    let renderers: Vec<Box<dyn Renderer>> = options
        .formats
        .iter()
        .filter_map(|f| -> Option<Box<dyn Renderer>> {
            match f {
                Format::Markdown => Some(Box::new(Markdown)),
                Format::Text => Some(Box::new(PlainText {
                    width: options.text_width,
                })),
                Format::Json => Some(Box::new(Json)),
                Format::Pdf | Format::Png => None,
            }
        })
        .collect();
    for renderer in renderers {
        let format = renderer.format();
        let rendered = renderer.render(&doc)?;
        for bytes in rendered.files {
            out.files.push((path(format, 1), format, bytes, None));
        }
    }

    if let Some(engine) = engine {
        let style = Style {
            page: options
                .page_size
                .or(loaded.resume.settings.page_size)
                .unwrap_or_default(),
            accent: loaded
                .resume
                .settings
                .accent
                .clone()
                .unwrap_or_else(|| pdf::DEFAULT_ACCENT.to_string()),
        };
        pdf::check_length(&doc)?;
        let layout = engine.layout(&target.layout, target.layout_confine.as_deref())?;
        let date = pdf::build_date(
            loaded
                .resume
                .meta
                .as_ref()
                .and_then(|m| m.last_modified.as_deref()),
        );
        let missing_glyphs = engine.coverage_warnings(&doc);
        // PDF/UA-1 forbids text without glyphs; rather than fail the default build over one
        // character, write a tagged PDF that claims no standard, and say so.
        let standard = match options.standard {
            Standard::Ua1 if !missing_glyphs.is_empty() => {
                warnings.push(Diagnostic::warning(
                    "the PDF is tagged but not PDF/UA-1: some characters have no font (see above)",
                ));
                Standard::TaggedOnly
            }
            other => other,
        };
        warnings.splice(0..0, missing_glyphs);
        let compile =
            |d: &Document, density: Density| engine.compile(&layout, d, &style, density, date);
        let fitted = match target.pages {
            Some(budget) => fit::fit(doc, budget as usize, compile)?,
            None => {
                let compiled = compile(&doc, Density::default())?;
                Fitted {
                    compiled,
                    doc,
                    density: Density::default(),
                    report: Vec::new(),
                    fits: true,
                }
            }
        };
        pdf::check_pages(&fitted.compiled)?;
        warnings.extend(fitted.compiled.warnings.iter().cloned());
        if !fitted.fits {
            let who = target
                .variant
                .as_deref()
                .map(|v| format!("variant \"{v}\""))
                .unwrap_or("the résumé".into());
            out.overflow = Some(format!(
                "{who} does not fit in {} page(s): it needs {}",
                target.pages.unwrap_or_default(),
                fitted.compiled.pages()
            ));
        }
        out.fit_report = fitted.report;
        let pages = fitted.compiled.pages();
        if options.formats.contains(&Format::Pdf) {
            let ident = format!("vitae/{name}");
            let bytes = engine.pdf(&fitted.compiled, &ident, date, standard)?;
            out.files
                .push((path(Format::Pdf, 1), Format::Pdf, bytes, Some(pages)));
        }
        if options.formats.contains(&Format::Png) {
            for (i, bytes) in engine
                .png(&fitted.compiled, options.ppi)?
                .into_iter()
                .enumerate()
            {
                out.files
                    .push((path(Format::Png, i + 1), Format::Png, bytes, Some(pages)));
            }
        }
    }
    // Outputs in the order formats were asked for, whatever order they were made in.
    out.files
        .sort_by_key(|(_, f, _, _)| options.formats.iter().position(|x| x == f));
    out.warnings = warnings;
    Ok(out)
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
