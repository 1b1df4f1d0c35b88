//! PDF and PNG through embedded Typst.
//!
//! The document reaches the layout only as data: `/resume.json` (the versioned layout contract
//! of [`crate::export::contract`], made from the resolved [`Document`]), `/photo.<ext>` and
//! `/settings.json` (page size, accent, locale words, PDF metadata, density knobs). The Typst
//! `Library` and fonts live in [`Engine`] and are shared by every compile, so Typst's caches
//! carry over between variants and between the compiles of a fit.

mod diagnostics;
mod fonts;
pub mod isolate;
pub mod layouts;
mod render;
mod world;

pub use fonts::{FallbackFont, SANS, SERIF};
pub use render::{Pdf, Png, Typesetter};
pub use world::{Layout, MAX_LAYOUT_FILE_BYTES, NotALayout};

use crate::Error;
use crate::diag::{Diagnostic, Diagnostics};
use crate::locale::{Labels, Locale};
use crate::model::PageSize;
use crate::model::document::Document;
use serde::Serialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;
use typst::foundations::{Bytes, Datetime, Label, Smart};
use typst::introspection::{Introspector, MetadataElem};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};
use world::{Shared, VitaeWorld};

/// Compiles layouts; create one and share it (it is `Sync`).
pub struct Engine {
    shared: Arc<Shared>,
    /// vitae's own fonts: the bundled ones and those of `--font-path`.
    fonts: Arc<fonts::FontSet>,
    /// The system's fonts, scanned the first time a document needs one.
    system: OnceLock<fonts::SystemFonts>,
    /// Font sets extended with system families, by language and the characters they are for.
    extended: Mutex<FontSets>,
    /// How long one compile may take before the build gives up on it.
    deadline: Duration,
    /// Whether characters no bundled font has may come from the system's fonts.
    system_fonts: bool,
    /// The folders of `--font-path`, for a layout process to load the same fonts.
    font_dirs: Vec<PathBuf>,
    /// Where user layouts run first, under a memory limit, before they run here.
    isolation: Option<isolate::Isolation>,
}

/// How long one compile of a layout may take by default. A built-in layout takes well under a
/// second for the longest résumé vitae accepts; a user layout that loops gets stopped here.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(10);

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

/// The most pages vitae writes: a résumé is two, a long academic CV perhaps twenty. At this
/// length a build of every format at once stays under 200 MiB.
pub const MAX_PAGES: usize = 30;

/// How many builds a memoised layout result survives unused ([`Engine::forget_unused_layouts`]).
pub const MEMO_AGE: usize = 10;

/// Past this many pages, memoised layout results are evicted after each compile.
const LONG_DOCUMENT_PAGES: usize = 10;

/// Typst holds every page in memory while it lays out; a document of tens of thousands of
/// short lines takes gigabytes. So the length is estimated before Typst starts: a line of a
/// page holds about 90 characters, every text starts a line, and the densest layout fits about
/// 70 lines on a page. Past this many lines the document could not fit [`MAX_PAGES`] anyway.
const MAX_ESTIMATED_LINES: usize = 70 * MAX_PAGES;

/// Refuses a document too long to typeset, before Typst spends time and memory on it.
pub fn check_length(doc: &Document) -> Result<(), Diagnostics> {
    let lines: usize = doc
        .texts()
        .iter()
        .map(|(_, text)| text.chars().count().div_ceil(90).max(1))
        .sum();
    if lines > MAX_ESTIMATED_LINES {
        return Err(Diagnostics(vec![Diagnostic::error(format!(
            "the document is too long to typeset: about {} pages of text, and vitae writes at most {MAX_PAGES} pages",
            lines / 70
        ))
        .with_hint("build a variant with fewer entries or highlights, or use -f md,txt")]));
    }
    Ok(())
}

/// Refuses a layout result longer than [`MAX_PAGES`].
pub fn check_pages(compiled: &Compiled) -> Result<(), Diagnostics> {
    let pages = compiled.pages();
    if pages > MAX_PAGES {
        return Err(Diagnostics(vec![Diagnostic::error(format!(
            "the document has {pages} pages; vitae writes at most {MAX_PAGES}"
        ))]));
    }
    Ok(())
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
    /// How far the content reaches, in pages of text area: 1.5 means one full page and half
    /// of the next.
    pub reach: f64,
    /// How far the content reaches down its last page, as a fraction of the space between the
    /// top and bottom margins (of the page's height if the layout does not say its margins).
    pub fill: f64,
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
    labels: &'a Labels,
    present: &'a str,
    /// The page footer, with `{page}` and `{pages}` for the layout to fill in.
    footer: &'a str,
    /// Text direction of the locale: "ltr" or "rtl".
    dir: &'static str,
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
        };
        Ok(Engine {
            shared: Arc::new(shared),
            fonts: Arc::new(fonts),
            system: OnceLock::new(),
            extended: Mutex::default(),
            deadline: DEFAULT_DEADLINE,
            system_fonts: false,
            font_dirs: font_dirs.to_vec(),
            isolation: None,
        })
    }

    /// The same engine, running a user's layout first in a separate process of `isolation`'s
    /// program, which is stopped at the deadline or when it takes more memory than allowed; only
    /// a layout that finished there runs here. Without it a user layout runs here directly, and
    /// a layout that never ends is abandoned on its thread at the deadline.
    pub fn with_isolation(mut self, isolation: Option<isolate::Isolation>) -> Engine {
        self.isolation = isolation;
        self
    }

    /// Lets go of memoised layout results that the last [`MEMO_AGE`] builds did not use. Typst's
    /// memo lives as long as the process: a long-running one (`vitae watch`, a batch of builds)
    /// calls this between builds, as `typst watch` does, or it keeps every layout it ever made.
    pub fn forget_unused_layouts() {
        typst::comemo::evict(MEMO_AGE);
    }

    /// The same engine with another compile deadline.
    pub fn with_deadline(mut self, deadline: Duration) -> Engine {
        self.deadline = deadline;
        self
    }

    /// The same engine, looking in the system's fonts (or not) for characters no bundled font
    /// has. Off by default, so that output depends on vitae's own files only.
    pub fn with_system_fonts(mut self, on: bool) -> Engine {
        self.system_fonts = on;
        self
    }

    /// A built-in layout by name, or a user layout by path (anything with a `/` or ending in
    /// `.typ`). With `confine`, the canonical folder of the résumé that named the layout, a path
    /// must lead inside that folder.
    pub fn layout(&self, spec: &str, confine: Option<&Path>) -> Result<Layout, Error> {
        if layouts::is_path(spec) {
            return Layout::from_path(Path::new(spec), confine).map_err(|reason| Error::Layout {
                layout: spec.to_string(),
                reason,
            });
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

    /// Checks that every character of `doc` (and of its locale's words) has a font, taking
    /// system families for the ones vitae's own fonts lack when system fonts are allowed.
    pub fn prepare_fonts(&self, doc: &Document) -> FontCheck {
        self.prepare(doc).check
    }

    /// [`Engine::prepare_fonts`], keeping the font set chosen, so that the compiles of a fit
    /// ([`Engine::compile_prepared`]) do not look at every character again.
    pub fn prepare(&self, doc: &Document) -> Prepared {
        let texts = texts_with_locale(doc);
        let (fonts, added) = self.fonts_for(doc, &texts);
        let missing = texts
            .into_iter()
            .filter_map(|(field, text)| {
                let mut chars: Vec<char> = Vec::new();
                for c in text.chars() {
                    if needs_font(c) && !chars.contains(&c) && !fonts.covers(c) {
                        chars.push(c);
                    }
                }
                (!chars.is_empty()).then_some(MissingGlyphs { field, chars })
            })
            .collect();
        Prepared {
            check: FontCheck {
                added,
                missing,
                system_fonts: self.system_fonts,
            },
            fonts,
        }
    }

    /// The fonts for `doc`: vitae's own, plus the system families its characters need. The
    /// choice depends on the document alone, never on what other documents of the build asked
    /// for first, so output does not depend on thread timing.
    fn fonts_for(
        &self,
        doc: &Document,
        texts: &[(String, String)],
    ) -> (Arc<fonts::FontSet>, Vec<FallbackFont>) {
        let base = &self.fonts;
        if !self.system_fonts {
            return (base.clone(), Vec::new());
        }
        let missing: BTreeSet<char> = texts
            .iter()
            .flat_map(|(_, text)| text.chars())
            .filter(|&c| needs_font(c) && !base.covers(c))
            .collect();
        if missing.is_empty() {
            return (base.clone(), Vec::new());
        }
        let key = (doc.lang.clone(), missing);
        let mut cache = self.extended.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = cache.get(&key) {
            return found.clone();
        }
        let system = self.system.get_or_init(fonts::SystemFonts::scan);
        let added = system.choose(&key.1, &doc.lang);
        let families: Vec<String> = added.iter().map(|f| f.family.clone()).collect();
        let set = if families.is_empty() {
            base.clone()
        } else {
            Arc::new(base.with_system(system, &families))
        };
        cache.insert(key, (set.clone(), added.clone()));
        (set, added)
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
        let (fonts, _) = self.fonts_for(doc, &texts_with_locale(doc));
        self.compile_in(fonts, layout, doc, style, density, date)
    }

    /// [`Engine::compile`] with the fonts [`Engine::prepare`] chose for `doc` or for a document
    /// it was cut from (fitting only ever drops text).
    pub fn compile_prepared(
        &self,
        prepared: &Prepared,
        layout: &Layout,
        doc: &Document,
        style: &Style,
        density: Density,
        date: Option<Datetime>,
    ) -> Result<Compiled, Diagnostics> {
        self.compile_in(prepared.fonts.clone(), layout, doc, style, density, date)
    }

    fn compile_in(
        &self,
        fonts: Arc<fonts::FontSet>,
        layout: &Layout,
        doc: &Document,
        style: &Style,
        density: Density,
        date: Option<Datetime>,
    ) -> Result<Compiled, Diagnostics> {
        let resume = serde_json::to_vec(&crate::export::contract::contract(doc))
            .map_err(|e| internal(e.to_string()))?;
        let settings = settings_json(doc, style, density).map_err(|e| internal(e.to_string()))?;
        let today = date.unwrap_or_else(epoch);
        let world = VitaeWorld::new(
            self.shared.clone(),
            fonts,
            layout.clone(),
            Bytes::new(resume),
            Bytes::new(settings),
            today,
        );
        let world = match &doc.photo {
            Some(photo) => world.with_photo(
                &crate::export::contract::photo_path(photo),
                Bytes::new(photo.bytes.clone()),
            ),
            None => world,
        };
        let (typeset, warnings) = self.compile_with_deadline(world, layout.name())?;
        if let Some(url) = typeset.pages().iter().find_map(|p| refused_link(&p.frame)) {
            return Err(Diagnostics(vec![
                Diagnostic::error(format!(
                    "layout {} links to \"{url}\", which vitae never makes a live link",
                    layout.name()
                ))
                .with_hint(format!(
                    "a layout may link only the URLs vitae gives it as live; allowed schemes: {}",
                    crate::link::ALLOWED_SCHEMES.join(", ")
                )),
            ]));
        }
        // Typst memoises every compile, which makes the next attempt of a fit nearly free. For
        // a long document each attempt holds tens of megabytes, so its results are let go at
        // once: fitting a long document is then slower, and memory stays bounded.
        if typeset.pages().len() > LONG_DOCUMENT_PAGES {
            typst::comemo::evict(0);
        }
        let (floors, base_size) = floors(&typeset).unzip();
        let (reach, fill) = reach(&typeset);
        Ok(Compiled {
            doc: typeset,
            warnings,
            floors,
            base_size,
            reach,
            fill,
        })
    }

    /// Runs Typst on a thread of its own and waits at most the deadline. Typst cannot be
    /// interrupted, so a layout that loops is abandoned: its thread runs on until it ends or the
    /// process does, and the build fails at once with nothing written.
    fn compile_with_deadline(
        &self,
        world: VitaeWorld,
        name: &str,
    ) -> Result<(PagedDocument, Vec<Diagnostic>), Diagnostics> {
        let (send, receive) = std::sync::mpsc::sync_channel(1);
        let spawned = std::thread::Builder::new()
            .name("vitae-compile".into())
            // Typst recurses deeply on nested content; give it a main thread's stack.
            .stack_size(8 * 1024 * 1024)
            .spawn(move || {
                let result = typst::compile::<PagedDocument>(&world);
                let warnings = diagnostics::convert(&world, &result.warnings);
                let output = match result.output {
                    Ok(typeset) => Ok((typeset, warnings)),
                    Err(errors) => {
                        let mut all = diagnostics::convert(&world, &errors);
                        all.extend(warnings);
                        Err(Diagnostics(all))
                    }
                };
                // The receiver is gone only after the deadline passed; nobody wants this then.
                let _ = send.send(output);
            });
        if let Err(e) = spawned {
            return Err(internal(format!("cannot start a compile: {e}")));
        }
        match receive.recv_timeout(self.deadline) {
            Ok(output) => output,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => Err(timed_out(name, self.deadline)),
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => Err(internal(format!(
                "Typst stopped unexpectedly while compiling layout {name}"
            ))),
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

    /// One SVG per page, for the live preview (`vitae watch --serve`). typst-svg draws glyphs
    /// as outlines, so each page also gets an invisible text layer over them: the preview's
    /// text can be selected and searched, and a test can read it.
    pub fn svg(&self, compiled: &Compiled) -> Vec<String> {
        let options = typst_svg::SvgOptions::default();
        compiled
            .doc
            .pages()
            .iter()
            .map(|page| {
                let svg = escape_hrefs(&typst_svg::svg(page, &options));
                let mut layer = String::from(r#"<g class="vitae-text" fill="transparent">"#);
                svg_text_layer(
                    &page.frame,
                    typst::layout::Transform::identity(),
                    &mut layer,
                );
                layer.push_str("</g>");
                match svg.rfind("</svg>") {
                    Some(end) => format!("{}{layer}{}", &svg[..end], &svg[end..]),
                    None => svg,
                }
            })
            .collect()
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

/// The fonts chosen for a document, with what choosing them found.
pub struct Prepared {
    pub check: FontCheck,
    fonts: Arc<fonts::FontSet>,
}

/// What [`Engine::prepare_fonts`] found.
#[derive(Debug, Clone, Default)]
pub struct FontCheck {
    /// System families added for this document.
    pub added: Vec<FallbackFont>,
    /// The fields with characters no font has.
    pub missing: Vec<MissingGlyphs>,
    /// Whether system fonts were looked in.
    pub system_fonts: bool,
}

/// Characters of one field that no font has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingGlyphs {
    /// Where the text is, e.g. `basics.summary` or `the words of locale ja`.
    pub field: String,
    /// The distinct characters, in the order they first appear.
    pub chars: Vec<char>,
}

/// At most this many fields are named in warnings about missing characters; the rest are
/// summed up in one more line, so a résumé in a script no font has stays readable.
const MAX_GLYPH_FIELDS: usize = 4;

/// At most this many characters are quoted in one warning.
const MAX_QUOTED_CHARS: usize = 12;

impl FontCheck {
    /// Whether some character has no font.
    pub fn incomplete(&self) -> bool {
        !self.missing.is_empty()
    }

    /// One warning per field, for the first few fields, then one for the rest.
    pub fn warnings(&self) -> Vec<Diagnostic> {
        let remedy = |chars: &[char]| {
            let cjk = chars.iter().any(|&c| is_cjk(c));
            match (self.system_fonts, cjk) {
                (false, _) => "system fonts are off (--no-system-fonts); add --font-path DIR",
                (true, true) => "install fonts-noto-cjk or add --font-path DIR",
                (true, false) => {
                    "install a font that has them (fonts-noto-core has most scripts) or add --font-path DIR"
                }
            }
        };
        let mut out: Vec<Diagnostic> = self
            .missing
            .iter()
            .take(MAX_GLYPH_FIELDS)
            .map(|m| {
                let quoted: String = m.chars.iter().take(MAX_QUOTED_CHARS).collect();
                let more = if m.chars.len() > MAX_QUOTED_CHARS {
                    "…"
                } else {
                    ""
                };
                let n = m.chars.len();
                let warning = Diagnostic::warning(format!(
                    "{}: no font has {quoted}{more} ({n} character{}); {}",
                    m.field,
                    if n == 1 { "" } else { "s" },
                    remedy(&m.chars)
                ));
                match m.field.starts_with("the words of locale ") {
                    true => warning,
                    false => warning.with_field(&m.field),
                }
            })
            .collect();
        let rest = &self.missing[self.missing.len().min(MAX_GLYPH_FIELDS)..];
        if !rest.is_empty() {
            let shown: BTreeSet<char> = self.missing[..MAX_GLYPH_FIELDS]
                .iter()
                .flat_map(|m| m.chars.iter().copied())
                .collect();
            let new: BTreeSet<char> = rest
                .iter()
                .flat_map(|m| m.chars.iter().copied())
                .filter(|c| !shown.contains(c))
                .collect();
            out.push(Diagnostic::warning(format!(
                "{} more field{} have characters no font has ({} not named above); they show as blank boxes",
                rest.len(),
                if rest.len() == 1 { "" } else { "s" },
                new.len()
            )));
        }
        out
    }
}

type FontSets =
    std::collections::HashMap<(String, BTreeSet<char>), (Arc<fonts::FontSet>, Vec<FallbackFont>)>;

/// Whether a character needs a font beyond the bundled text families, which have every printable
/// ASCII character; white space and controls are not drawn.
fn needs_font(c: char) -> bool {
    !c.is_ascii()
        && !c.is_control()
        && !c.is_whitespace()
        && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}')
}

/// Han, kana, hangul, and the CJK punctuation and full-width forms.
fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x11FF | 0x2E80..=0x2FDF | 0x3000..=0x303F | 0x3040..=0x30FF | 0x3100..=0x31FF
        | 0x3200..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA960..=0xA97F | 0xAC00..=0xD7FF
        | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// The document's texts, with `summary#2` shown as `summary`, then the locale's words the
/// layout prints (headings are already section titles).
fn texts_with_locale(doc: &Document) -> Vec<(String, String)> {
    let mut texts: Vec<(String, String)> = Vec::new();
    for (field, text) in doc.shown_texts() {
        let field = match field.split_once('#') {
            Some((base, _)) => base.to_string(),
            None => field,
        };
        match texts.iter_mut().find(|(f, _)| *f == field) {
            Some((_, all)) => all.push_str(&text),
            None => texts.push((field, text)),
        }
    }
    // Headings are already section titles; these are the other words a layout prints.
    let locale = &doc.locale;
    let mut words = locale.labels.words();
    words.extend([
        locale.present.as_str(),
        locale.footer.as_str(),
        locale.range.as_str(),
    ]);
    texts.push((format!("the words of locale {}", doc.lang), words.join(" ")));
    texts
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
    // The document's words, with the résumé's labels over the locale's, as every other format.
    let locale: &Locale = &doc.locale;
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
        labels: &locale.labels,
        present: &locale.present,
        footer: &locale.footer,
        dir: locale.dir.as_str(),
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

/// How many pages of text area (between the margins `<vitae-area>` declares) the content fills,
/// fractionally, from where `<vitae-end>` sits; and how far down its last page it reaches.
fn reach(doc: &PagedDocument) -> (f64, f64) {
    let pages = doc.pages().len() as f64;
    let position = query(doc, "vitae-end")
        .and_then(|c| c.location())
        .and_then(|loc| doc.introspector().position(loc));
    // Without the mark, only the page count is known; a fill of 0 stops no search early.
    let (Some(pos), Some(page)) = (position, doc.pages().last()) else {
        return (pages, 0.0);
    };
    let height = page.frame.height().to_pt();
    let y = pos.point.y.to_pt();
    let fraction = |from: f64, to: f64| {
        if to > from {
            ((y - from) / (to - from)).clamp(0.0, 1.0)
        } else {
            1.0
        }
    };
    let fill = match margins(doc) {
        Some((top, bottom)) => fraction(top, height - bottom),
        None => fraction(0.0, height),
    };
    (pos.page.get() as f64 - 1.0 + fill, fill)
}

/// The first element with a label.
fn query(doc: &PagedDocument, label: &str) -> Option<typst::foundations::Content> {
    doc.introspector()
        .query_label(Label::construct(label.into()).ok()?)
        .ok()
        .cloned()
}

/// The top and bottom page margins, in points, as the kit declares them (`<vitae-area>`).
fn margins(doc: &PagedDocument) -> Option<(f64, f64)> {
    let content = query(doc, "vitae-area")?;
    let value = content.to_packed::<MetadataElem>()?.value.clone();
    let dict = value.cast::<typst::foundations::Dict>().ok()?;
    let get = |k: &str| {
        dict.get(k)
            .ok()
            .and_then(|v| v.clone().cast::<typst::layout::Length>().ok())
            .map(|l| l.abs.to_pt())
    };
    Some((get("top")?, get("bottom")?))
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

/// Appends one invisible `<text>` per text run of `frame`, where the run is drawn, stretched to
/// its drawn width. Part of [`Engine::svg`].
/// A layout that ran past its deadline.
fn timed_out(name: &str, deadline: Duration) -> Diagnostics {
    Diagnostics(vec![
        Diagnostic::error(format!(
            "layout {name} did not finish within {} s; vitae stopped it",
            deadline.as_secs_f64()
        ))
        .with_hint("a layout that loops over a huge range never ends; `--timeout SECONDS` gives a slow layout more time"),
    ])
}

/// The first URL a laid-out frame links that the link policy refuses. vitae's own layouts link
/// only what the contract marks live; this holds a user's layout to the same rule, for the PDF,
/// the PNG's source and the preview's SVG alike.
fn refused_link(frame: &typst::layout::Frame) -> Option<String> {
    use typst::layout::FrameItem;
    use typst::model::Destination;
    frame.items().find_map(|(_, item)| match item {
        FrameItem::Group(group) => refused_link(&group.frame),
        FrameItem::Link(Destination::Url(url), _) => {
            (!crate::link::is_live(url.as_str())).then(|| url.as_str().to_string())
        }
        _ => None,
    })
}

/// typst-svg escapes only quotes in attribute values, so a link to `a?b=1&c=2` or one holding
/// `<` would make the SVG ill-formed XML. Every `href` value is escaped here.
fn escape_hrefs(svg: &str) -> String {
    let mut out = String::with_capacity(svg.len());
    let mut rest = svg;
    while let Some(at) = rest.find("href=\"") {
        let (head, tail) = rest.split_at(at + "href=\"".len());
        out.push_str(head);
        let end = tail.find('"').unwrap_or(tail.len());
        let value = &tail[..end];
        let mut i = 0;
        while i < value.len() {
            let c = value[i..].chars().next().unwrap_or('&');
            if value[i..].starts_with("&quot;") {
                out.push_str("&quot;");
                i += "&quot;".len();
                continue;
            }
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                c => out.push(c),
            }
            i += c.len_utf8();
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

fn svg_text_layer(
    frame: &typst::layout::Frame,
    transform: typst::layout::Transform,
    out: &mut String,
) {
    use typst::layout::{FrameItem, Transform};
    for (pos, item) in frame.items() {
        let here = transform.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(group) => {
                svg_text_layer(&group.frame, here.pre_concat(group.transform), out)
            }
            FrameItem::Text(text) if !text.text.trim().is_empty() => {
                let escaped = text
                    .text
                    .as_str()
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
                out.push_str(&format!(
                    r#"<text transform="matrix({} {} {} {} {:.2} {:.2})" font-size="{:.2}" textLength="{:.2}" lengthAdjust="spacingAndGlyphs">{escaped}</text>"#,
                    here.sx.get(),
                    here.ky.get(),
                    here.kx.get(),
                    here.sy.get(),
                    here.tx.to_pt(),
                    here.ty.to_pt(),
                    text.size.to_pt(),
                    text.width().to_pt().max(0.01),
                ));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::escape_hrefs;

    #[test]
    fn hrefs_are_escaped_for_xml() {
        assert_eq!(
            escape_hrefs(
                r##"<a href="https://a.dev/?x=1&y=<2>&quot;" xlink:href="#g1">t&amp;</a>"##
            ),
            r##"<a href="https://a.dev/?x=1&amp;y=&lt;2&gt;&quot;" xlink:href="#g1">t&amp;</a>"##
        );
        assert_eq!(escape_hrefs("no links"), "no links");
        assert_eq!(escape_hrefs(r#"<a href="é&"#), r#"<a href="é&amp;"#);
    }
}
