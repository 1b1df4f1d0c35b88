//! PDF and PNG through embedded Typst.
//!
//! The document reaches the layout only as data: `/resume.json` (the resolved [`Document`]) and
//! `/settings.json` (page size, accent, locale words, PDF metadata, density knobs). The Typst
//! `Library` and fonts live in [`Engine`] and are shared by every compile, so Typst's caches
//! carry over between variants and between the compiles of a fit.

mod diagnostics;
mod fonts;
pub mod layouts;
mod world;

pub use fonts::{SANS, SERIF};
pub use world::Layout;

use crate::Error;
use crate::diag::{Diagnostic, Diagnostics};
use crate::locale::{Labels, Locale};
use crate::model::PageSize;
use crate::model::document::Document;
use serde::Serialize;
use std::path::{Path, PathBuf};
use typst::foundations::{Bytes, Datetime, Label, Smart};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};
use world::{Shared, VitaeWorld};

/// Compiles layouts; create one and share it (it is `Sync`).
pub struct Engine {
    shared: Shared,
}

/// How the layout should look, apart from density.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    pub page: PageSize,
    /// `#rrggbb`.
    pub accent: String,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            page: PageSize::A4,
            accent: DEFAULT_ACCENT.to_string(),
        }
    }
}

pub const DEFAULT_ACCENT: &str = "#1f4e79";

/// Knobs the fitter turns: scale factors for spacing, line leading and margins (1 = the
/// layout's own), and a font size in points (`None` = the layout's own).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Density {
    pub spacing: f64,
    pub leading: f64,
    pub margin: f64,
    pub size: Option<f64>,
}

impl Default for Density {
    fn default() -> Self {
        Density {
            spacing: 1.0,
            leading: 1.0,
            margin: 1.0,
            size: None,
        }
    }
}

/// Which PDF standard to meet besides tagging.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Standard {
    /// PDF/UA-1: tagged and accessible. The default.
    #[default]
    Ua1,
    /// PDF/A-2b (archival) together with PDF/UA-1.
    A2b,
    /// Tagged, without claiming a standard: what the default falls back to when a character
    /// has no font, which PDF/UA-1 forbids.
    TaggedOnly,
}

/// A compiled layout, before it is written as PDF or PNG.
pub struct Compiled {
    doc: PagedDocument,
    pub warnings: Vec<Diagnostic>,
    /// How far the fitter may tighten, as the layout declares (`fit-floors`).
    pub floors: Option<Density>,
    /// The layout's own font size in points, as it declares (`fit-floors(base: ..)`).
    pub base_size: Option<f64>,
    /// The content's length in pages: 1.5 means one full page and half of the next.
    pub extent: f64,
}

impl Compiled {
    pub fn pages(&self) -> usize {
        self.doc.pages().len()
    }
}

#[derive(Serialize)]
struct LayoutSettings<'a> {
    lang: &'a str,
    page: &'static str,
    accent: &'a str,
    labels: Labels,
    present: &'static str,
    document: DocumentInfo,
    density: Density,
    fonts: Fonts,
}

#[derive(Serialize)]
struct DocumentInfo {
    title: String,
    author: String,
    keywords: Vec<String>,
}

#[derive(Serialize)]
struct Fonts {
    sans: &'static str,
    serif: &'static str,
}

impl Engine {
    /// The bundled fonts plus those under `font_dirs`.
    pub fn new(font_dirs: &[PathBuf]) -> Result<Engine, Error> {
        let fonts = fonts::FontSet::new(font_dirs).map_err(Error::Other)?;
        let shared = Shared {
            library: LazyHash::new(Library::builder().build()),
            book: LazyHash::new(fonts.book().clone()),
            fonts,
        };
        Ok(Engine { shared })
    }

    /// A built-in layout by name, or a user layout by path (anything with a `/` or ending in
    /// `.typ`).
    pub fn layout(&self, spec: &str) -> Result<Layout, Error> {
        if spec.contains(['/', '\\']) || spec.ends_with(".typ") {
            return Layout::from_path(Path::new(spec)).map_err(Error::Other);
        }
        match layouts::builtin(spec) {
            Some(b) => Ok(Layout::builtin(b)),
            None => Err(Error::UnknownLayout {
                name: spec.to_string(),
                known: layouts::BUILTIN
                    .iter()
                    .map(|b| b.name.to_string())
                    .collect(),
            }),
        }
    }

    /// Warnings for characters no available font can show, naming the field.
    pub fn coverage_warnings(&self, doc: &Document) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for (path, text) in doc.texts() {
            let mut seen: Vec<char> = Vec::new();
            for c in text.chars() {
                if c.is_control()
                    || c.is_whitespace()
                    || seen.contains(&c)
                    || self.shared.fonts.covers(c)
                {
                    continue;
                }
                seen.push(c);
                out.push(Diagnostic::warning(format!(
                    "no available font has the character '{c}' (U+{:04X}) used in {path}; it will show as a blank box",
                    c as u32
                )).with_hint("add a font that has it with --font-path DIR"));
            }
        }
        out
    }

    /// Lays out `doc` with `layout`.
    pub fn compile(
        &self,
        layout: &Layout,
        doc: &Document,
        style: &Style,
        density: Density,
        date: Option<Datetime>,
    ) -> Result<Compiled, Diagnostics> {
        let resume = serde_json::to_vec(doc).map_err(|e| internal(e.to_string()))?;
        let settings = settings_json(doc, style, density).map_err(|e| internal(e.to_string()))?;
        let today = date.unwrap_or_else(epoch);
        let world = VitaeWorld::new(
            &self.shared,
            layout,
            Bytes::new(resume),
            Bytes::new(settings),
            today,
        );
        let result = typst::compile::<PagedDocument>(&world);
        let warnings = diagnostics::convert(&world, &result.warnings);
        match result.output {
            Ok(typeset) => {
                let (floors, base_size) = floors(&typeset).unzip();
                let extent = extent(&typeset);
                Ok(Compiled {
                    doc: typeset,
                    warnings,
                    floors,
                    base_size,
                    extent,
                })
            }
            Err(errors) => {
                let mut all = diagnostics::convert(&world, &errors);
                all.extend(warnings);
                Err(Diagnostics(all))
            }
        }
    }

    /// The PDF of a compiled layout. `ident` names the document stably (file and variant), so
    /// the PDF's document ID does not change between builds.
    pub fn pdf(
        &self,
        compiled: &Compiled,
        ident: &str,
        date: Option<Datetime>,
        standard: Standard,
    ) -> Result<Vec<u8>, Diagnostics> {
        let list: &[PdfStandard] = match standard {
            Standard::Ua1 => &[PdfStandard::Ua_1],
            Standard::A2b => &[PdfStandard::A_2b, PdfStandard::Ua_1],
            Standard::TaggedOnly => &[],
        };
        let standards = PdfStandards::new(list).map_err(|e| internal(e.message().to_string()))?;
        let options = PdfOptions {
            ident: Smart::Custom(ident.to_string()),
            creator: Smart::Custom(Some("vitae".to_string())),
            timestamp: date.map(Timestamp::new_utc),
            standards,
            ..PdfOptions::default()
        };
        typst_pdf::pdf(&compiled.doc, &options).map_err(|errors| {
            Diagnostics(errors.iter().map(|e| standard_error(&e.message)).collect())
        })
    }

    /// One PNG per page at `ppi` pixels per inch.
    pub fn png(&self, compiled: &Compiled, ppi: f32) -> Result<Vec<Vec<u8>>, Error> {
        let options = typst_render::RenderOptions {
            pixel_per_pt: f64::from(ppi / 72.0).into(),
            render_bleed: false,
        };
        compiled
            .doc
            .pages()
            .iter()
            .map(|page| {
                typst_render::render(page, &options)
                    .encode_png()
                    .map_err(|e| Error::Other(format!("cannot encode PNG: {e}")))
            })
            .collect()
    }
}

fn standard_error(message: &str) -> Diagnostic {
    let diagnostic = Diagnostic::error(format!("cannot write the PDF: {message}"));
    if message.contains("missing document title") {
        diagnostic.with_hint("PDF/UA-1 needs a title: put `#set document(title: settings.document.title)` in the layout")
    } else {
        diagnostic
    }
}

fn internal(message: String) -> Diagnostics {
    Diagnostics(vec![Diagnostic::error(message)])
}

fn epoch() -> Datetime {
    Datetime::from_ymd(1970, 1, 1).unwrap_or_else(|| unreachable!("1970-01-01 is a date"))
}

fn settings_json(doc: &Document, style: &Style, density: Density) -> serde_json::Result<Vec<u8>> {
    let locale = Locale::for_lang(&doc.lang);
    let name = doc.basics.name.plain();
    let mut keywords: Vec<String> = Vec::new();
    keywords.extend(doc.basics.label.as_ref().map(|l| l.plain()));
    for section in doc
        .sections
        .iter()
        .filter(|s| s.kind == crate::model::document::SectionKind::Skills)
    {
        for entry in &section.entries {
            keywords.extend(entry.keywords.iter().cloned());
        }
    }
    let settings = LayoutSettings {
        lang: &doc.lang,
        page: match style.page {
            PageSize::A4 => "a4",
            PageSize::Letter => "us-letter",
        },
        accent: &style.accent,
        labels: locale.labels,
        present: locale.present,
        document: DocumentInfo {
            title: format!("{name} — Résumé"),
            author: name,
            keywords,
        },
        density,
        fonts: Fonts {
            sans: SANS,
            serif: SERIF,
        },
    };
    serde_json::to_vec(&settings)
}

/// The density floors and base font size a layout declares with `fit-floors`.
fn floors(doc: &PagedDocument) -> Option<(Density, f64)> {
    let content = doc
        .introspector()
        .query_label(Label::construct("vitae-floors".into()).ok()?)
        .ok()?;
    let value = content.to_packed::<MetadataElem>()?.value.clone();
    let dict = value.cast::<typst::foundations::Dict>().ok()?;
    let get = |k: &str| dict.get(k).ok().and_then(|v| v.clone().cast::<f64>().ok());
    let density = Density {
        spacing: get("spacing")?,
        leading: get("leading")?,
        margin: get("margin")?,
        size: get("size"),
    };
    Some((density, get("base")?))
}

/// How many pages the content fills, fractionally, from where `<vitae-end>` sits.
fn extent(doc: &PagedDocument) -> f64 {
    let pages = doc.pages().len() as f64;
    let end = Label::construct("vitae-end".into())
        .ok()
        .and_then(|l| doc.introspector().query_label(l).ok());
    let position = end
        .and_then(|c| c.location())
        .and_then(|loc| doc.introspector().position(loc));
    match (position, doc.pages().last()) {
        (Some(pos), Some(page)) => {
            let height = page.frame.height().to_pt();
            let fill = if height > 0.0 {
                pos.point.y.to_pt() / height
            } else {
                1.0
            };
            pos.page.get() as f64 - 1.0 + fill.clamp(0.0, 1.0)
        }
        _ => pages,
    }
}

/// The PDF's date: `SOURCE_DATE_EPOCH` if set, else `meta.lastModified`, else none.
pub fn build_date(last_modified: Option<&str>) -> Option<Datetime> {
    if let Some(seconds) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        return datetime_from_unix(seconds);
    }
    let text = last_modified?;
    let (date, time) = text.split_once('T').unwrap_or((text, "00:00:00"));
    let mut d = date.split('-').map(|p| p.parse::<i64>().ok());
    let (y, m, day) = (
        d.next()??,
        d.next().flatten().unwrap_or(1),
        d.next().flatten().unwrap_or(1),
    );
    let mut t = time
        .trim_end_matches('Z')
        .split(':')
        .map(|p| p.get(..2).unwrap_or(p).parse::<u8>().ok());
    let (h, min, s) = (
        t.next().flatten().unwrap_or(0),
        t.next().flatten().unwrap_or(0),
        t.next().flatten().unwrap_or(0),
    );
    Datetime::from_ymd_hms(
        i32::try_from(y).ok()?,
        u8::try_from(m).ok()?,
        u8::try_from(day).ok()?,
        h,
        min,
        s,
    )
}

/// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn datetime_from_unix(seconds: i64) -> Option<Datetime> {
    let days = seconds.div_euclid(86_400);
    let secs = seconds.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    Datetime::from_ymd_hms(
        i32::try_from(year).ok()?,
        month as u8,
        day as u8,
        (secs / 3600) as u8,
        (secs % 3600 / 60) as u8,
        (secs % 60) as u8,
    )
}
