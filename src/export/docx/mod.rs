//! Word (DOCX): a document a recruiter can edit, in real Word styles (Title, Subtitle,
//! Heading 1 for sections, Heading 2 for entries with a right tab stop for their dates, List
//! Bullet through numbering), clickable links, and title, author and language in its
//! properties, and a photo file (PNG, JPEG, GIF) floating beside the name. One column of
//! paragraphs in reading order: no tables or text boxes for layout, so applicant-tracking
//! systems read it as a person does.
//!
//! The OOXML parts are written here with quick-xml, which escapes every string, and packed
//! with the zip crate in a fixed order with fixed timestamps, so a rebuild is byte-identical.
//! (docx-rs was the obvious crate; it cannot set the title, author or language of
//! `docProps/core.xml`, and numbers hyperlinks and paragraphs from process-wide counters, so a
//! second build in the same process, as `vitae watch` or several variants make, differs.)

mod xml;

use super::pdf::{self, DEFAULT_ACCENT};
use super::{Format, Rendered, Renderer};
use crate::Error;
use crate::link::{self, LiveUrl};
use crate::markup::{Block, Inline, Span};
use crate::model::PageSize;
use crate::model::document::{Document, Entry, Link, Section};
use crate::model::photo::{ImageFormat, Pixels};
use std::io::{Cursor, Write};
use xml::Xml;

/// Renders a document as a Word document.
#[derive(Debug, Clone, Default)]
pub struct Docx {
    pub page: PageSize,
    /// `settings.accent` (`#rrggbb`) for the title, headings and links; the PDF's default when
    /// absent or not a six-digit hex colour.
    pub accent: Option<String>,
}

impl Renderer for Docx {
    fn format(&self) -> Format {
        Format::Docx
    }

    fn render(&self, doc: &Document) -> Result<Rendered, Error> {
        let accent = self
            .accent
            .as_deref()
            .and_then(hex6)
            .or_else(|| hex6(DEFAULT_ACCENT))
            .unwrap_or_else(|| "1F4E79".into());
        let date = Stamp::of(doc);
        let bytes = render(doc, self.page, &accent, date.as_ref())
            .map_err(|e| Error::Other(format!("cannot write the DOCX: {e}")))?;
        Ok(Rendered::single(bytes))
    }
}

/// When the document was made: the PDF's date (`SOURCE_DATE_EPOCH`, else `meta.lastModified`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
}

impl Stamp {
    /// The date the PDF of `doc` carries; `None` when there is none.
    pub fn of(doc: &Document) -> Option<Stamp> {
        let d = pdf::build_date(doc.meta.last_modified.as_deref())?;
        Some(Stamp {
            year: d.year()?,
            month: d.month()?,
            day: d.day()?,
            hour: d.hour().unwrap_or(0),
            minute: d.minute().unwrap_or(0),
            second: d.second().unwrap_or(0),
        })
    }

    /// W3C date-time, as `docProps/core.xml` wants it.
    fn w3c(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// The zip entries' time: this date, clamped to what a zip can hold (1980–2107).
    fn zip(self) -> zip::DateTime {
        let year = self.year.clamp(1980, 2107) as u16;
        zip::DateTime::from_date_and_time(
            year,
            self.month,
            self.day,
            self.hour,
            self.minute,
            self.second,
        )
        .unwrap_or(zip::DateTime::DEFAULT)
    }
}

/// A photo Word can show: PNG, JPEG or GIF (not WebP or SVG), with its size in pixels.
struct Picture<'a> {
    bytes: &'a [u8],
    extension: &'static str,
    mime: &'static str,
    width: u32,
    height: u32,
}

impl<'a> Picture<'a> {
    fn of(doc: &'a Document) -> Option<Picture<'a>> {
        let photo = doc.photo.as_ref()?;
        let bytes: &[u8] = &photo.bytes;
        let (extension, mime) = match photo.format {
            ImageFormat::Png => ("png", "image/png"),
            ImageFormat::Jpeg => ("jpeg", "image/jpeg"),
            ImageFormat::Gif => ("gif", "image/gif"),
            ImageFormat::Webp | ImageFormat::Svg => return None,
        };
        // Read from the header when the photo was loaded; a size of 0 cannot be drawn.
        let Pixels { width, height } = photo.pixels.filter(|p| p.width > 0 && p.height > 0)?;
        Some(Picture {
            bytes,
            extension,
            mime,
            width,
            height,
        })
    }

    fn part(&self) -> String {
        format!("word/media/photo.{}", self.extension)
    }

    /// Its size on the page in EMU (914 400 an inch): 2.5 cm wide, or high if it is taller.
    fn extent(&self) -> (u64, u64) {
        const SIDE: u64 = 900_000;
        let (w, h) = (u64::from(self.width), u64::from(self.height));
        if w >= h {
            (SIDE, SIDE * h / w)
        } else {
            (SIDE * w / h, SIDE)
        }
    }
}

/// `#1f4e79` → `1F4E79`; `None` for anything else.
fn hex6(colour: &str) -> Option<String> {
    let hex = colour.strip_prefix('#')?;
    (hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit())).then(|| hex.to_uppercase())
}

/// Page geometry in twentieths of a point.
struct Page {
    width: u32,
    height: u32,
    margin: u32,
}

impl Page {
    fn of(size: PageSize) -> Page {
        match size {
            PageSize::A4 => Page {
                width: 11906,
                height: 16838,
                margin: 1134,
            },
            PageSize::Letter => Page {
                width: 12240,
                height: 15840,
                margin: 1080,
            },
        }
    }

    /// Where the right tab stop for dates goes: the right margin.
    fn text_width(&self) -> u32 {
        self.width - 2 * self.margin
    }
}

/// The parts of the package, in the order they are zipped; a photo follows them.
const PARTS: [&str; 9] = [
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "docProps/app.xml",
    "word/document.xml",
    "word/styles.xml",
    "word/numbering.xml",
    "word/settings.xml",
    "word/_rels/document.xml.rels",
];

/// The bytes of the DOCX of `doc`. `accent` is six hex digits without `#` (`1F4E79`); `date`
/// is stamped on the zip entries and in `docProps/core.xml` (none: the zip epoch, 1980-01-01,
/// and no dates in the properties).
pub fn render(
    doc: &Document,
    page: PageSize,
    accent: &str,
    date: Option<&Stamp>,
) -> Result<Vec<u8>, zip::result::ZipError> {
    let page = Page::of(page);
    let picture = Picture::of(doc);
    let mut body = Body::new(doc);
    body.document(doc, picture.as_ref());
    let document = body.finish(&page);
    let parts: [Vec<u8>; 9] = [
        content_types(picture.as_ref()),
        package_rels(),
        core(doc, date),
        app(),
        document.xml,
        styles(doc, &page, accent),
        numbering(document.ordered_lists),
        settings(),
        document_rels(&document.links, picture.as_ref()),
    ];
    let time = date.map_or(zip::DateTime::DEFAULT, |d| d.zip());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(time)
        .unix_permissions(0o644);
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in PARTS.iter().zip(parts) {
        zip.start_file(*name, options)?;
        zip.write_all(&bytes)?;
    }
    if let Some(p) = &picture {
        // Already compressed: stored as it is.
        let stored = options.compression_method(zip::CompressionMethod::Stored);
        zip.start_file(p.part(), stored)?;
        zip.write_all(p.bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const PIC: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";
const PKG_RELS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const DOC_RELS: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

fn content_types(picture: Option<&Picture<'_>>) -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "Types",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/package/2006/content-types",
        )],
    );
    x.empty(
        "Default",
        &[
            ("Extension", "rels"),
            (
                "ContentType",
                "application/vnd.openxmlformats-package.relationships+xml",
            ),
        ],
    );
    x.empty(
        "Default",
        &[("Extension", "xml"), ("ContentType", "application/xml")],
    );
    if let Some(p) = picture {
        x.empty(
            "Default",
            &[("Extension", p.extension), ("ContentType", p.mime)],
        );
    }
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    for (part, kind) in [
        ("/word/document.xml", format!("{wml}.document.main+xml")),
        ("/word/styles.xml", format!("{wml}.styles+xml")),
        ("/word/numbering.xml", format!("{wml}.numbering+xml")),
        ("/word/settings.xml", format!("{wml}.settings+xml")),
        (
            "/docProps/core.xml",
            "application/vnd.openxmlformats-package.core-properties+xml".into(),
        ),
        (
            "/docProps/app.xml",
            "application/vnd.openxmlformats-officedocument.extended-properties+xml".into(),
        ),
    ] {
        x.empty("Override", &[("PartName", part), ("ContentType", &kind)]);
    }
    x.close("Types");
    x.finish()
}

fn package_rels() -> Vec<u8> {
    let mut x = Xml::new();
    x.open("Relationships", &[("xmlns", PKG_RELS)]);
    for (id, kind, target) in [
        (
            "rId1",
            format!("{DOC_RELS}/officeDocument"),
            "word/document.xml",
        ),
        (
            "rId2",
            format!("{PKG_RELS}/metadata/core-properties"),
            "docProps/core.xml",
        ),
        (
            "rId3",
            format!("{DOC_RELS}/extended-properties"),
            "docProps/app.xml",
        ),
    ] {
        x.empty(
            "Relationship",
            &[("Id", id), ("Type", &kind), ("Target", target)],
        );
    }
    x.close("Relationships");
    x.finish()
}

/// Title, author and language: what Word shows under File › Info, and what search indexes.
fn core(doc: &Document, date: Option<&Stamp>) -> Vec<u8> {
    let name = doc.basics.name.plain();
    let mut x = Xml::new();
    x.open(
        "cp:coreProperties",
        &[
            (
                "xmlns:cp",
                "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
            ),
            ("xmlns:dc", "http://purl.org/dc/elements/1.1/"),
            ("xmlns:dcterms", "http://purl.org/dc/terms/"),
            ("xmlns:xsi", "http://www.w3.org/2001/XMLSchema-instance"),
        ],
    );
    // The PDF's title, so both read the same in a file list.
    x.element("dc:title", &[], &format!("{name} — Résumé"));
    if let Some(label) = &doc.basics.label {
        x.element("dc:subject", &[], &label.plain());
    }
    x.element("dc:creator", &[], &name);
    x.element("cp:lastModifiedBy", &[], &name);
    x.element("dc:language", &[], &doc.lang);
    if let Some(date) = date {
        let w3c = date.w3c();
        for tag in ["dcterms:created", "dcterms:modified"] {
            x.element(tag, &[("xsi:type", "dcterms:W3CDTF")], &w3c);
        }
    }
    x.close("cp:coreProperties");
    x.finish()
}

fn app() -> Vec<u8> {
    let mut x = Xml::new();
    x.open(
        "Properties",
        &[(
            "xmlns",
            "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
        )],
    );
    x.element("Application", &[], "vitae");
    x.close("Properties");
    x.finish()
}

fn settings() -> Vec<u8> {
    let mut x = Xml::new();
    x.open("w:settings", &[("xmlns:w", W)]);
    x.empty("w:defaultTabStop", &[("w:val", "720")]);
    x.empty("w:characterSpacingControl", &[("w:val", "doNotCompress")]);
    // Word 2013 and later: open in its current mode, not "compatibility mode".
    x.open("w:compat", &[]);
    x.empty(
        "w:compatSetting",
        &[
            ("w:name", "compatibilityMode"),
            ("w:uri", "http://schemas.microsoft.com/office/word"),
            ("w:val", "15"),
        ],
    );
    x.close("w:compat");
    x.close("w:settings");
    x.finish()
}

/// The relationships of `word/document.xml`: its styles, numbering and settings, and one per
/// link target, in order of first use.
fn document_rels(links: &[String], picture: Option<&Picture<'_>>) -> Vec<u8> {
    let mut x = Xml::new();
    x.open("Relationships", &[("xmlns", PKG_RELS)]);
    for (id, kind, target) in [
        ("rId1", "styles", "styles.xml"),
        ("rId2", "numbering", "numbering.xml"),
        ("rId3", "settings", "settings.xml"),
    ] {
        x.empty(
            "Relationship",
            &[
                ("Id", id),
                ("Type", &format!("{DOC_RELS}/{kind}")),
                ("Target", target),
            ],
        );
    }
    if let Some(p) = picture {
        x.empty(
            "Relationship",
            &[
                ("Id", PHOTO_ID),
                ("Type", &format!("{DOC_RELS}/image")),
                ("Target", &format!("media/photo.{}", p.extension)),
            ],
        );
    }
    for (i, url) in links.iter().enumerate() {
        x.empty(
            "Relationship",
            &[
                ("Id", &link_id(i)),
                ("Type", &format!("{DOC_RELS}/hyperlink")),
                ("Target", &uri(url)),
                ("TargetMode", "External"),
            ],
        );
    }
    x.close("Relationships");
    x.finish()
}

/// The relationship of the photo.
const PHOTO_ID: &str = "rIdPhoto";

fn link_id(index: usize) -> String {
    format!("rIdLink{}", index + 1)
}

/// A relationship target Word accepts: it refuses to open a file whose hyperlink target is
/// not a valid URI, so spaces, non-ASCII and other characters a URI cannot hold are
/// percent-encoded (UTF-8). `%` is kept: the URL may already be encoded.
fn uri(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        let keep = c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c);
        if keep {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    out
}

/// Twentieths of a point as an attribute value.
fn tw(n: u32) -> String {
    n.to_string()
}

/// The styles: Word's own names (`heading 1`, `List Bullet`…) so that Word treats them as its
/// built-in styles, in the navigation pane and the style gallery.
fn styles(doc: &Document, page: &Page, accent: &str) -> Vec<u8> {
    let rtl = doc.locale.dir == crate::locale::Direction::Rtl;
    let font = "Arial";
    let mut x = Xml::new();
    x.open("w:styles", &[("xmlns:w", W)]);
    x.open("w:docDefaults", &[]);
    x.open("w:rPrDefault", &[]);
    x.open("w:rPr", &[]);
    x.empty(
        "w:rFonts",
        &[
            ("w:ascii", font),
            ("w:hAnsi", font),
            ("w:eastAsia", font),
            ("w:cs", font),
        ],
    );
    x.empty("w:sz", &[("w:val", "20")]);
    x.empty("w:szCs", &[("w:val", "20")]);
    let lang = doc.lang.as_str();
    let mut lang_attrs = vec![("w:val", lang), ("w:eastAsia", lang)];
    if rtl {
        lang_attrs.push(("w:bidi", lang));
    }
    x.empty("w:lang", &lang_attrs);
    x.close("w:rPr");
    x.close("w:rPrDefault");
    x.open("w:pPrDefault", &[]);
    x.open("w:pPr", &[]);
    x.empty(
        "w:spacing",
        &[("w:after", "80"), ("w:line", "264"), ("w:lineRule", "auto")],
    );
    x.close("w:pPr");
    x.close("w:pPrDefault");
    x.close("w:docDefaults");

    let muted = "595959";
    let style = |x: &mut Xml, s: StyleDef<'_>| s.write(x, rtl);
    style(
        &mut x,
        StyleDef {
            id: "Normal",
            name: "Normal",
            default: true,
            ..StyleDef::default()
        },
    );
    style(
        &mut x,
        StyleDef {
            kind: "character",
            id: "DefaultParagraphFont",
            name: "Default Paragraph Font",
            default: true,
            based_on: None,
            next: None,
            ..StyleDef::default()
        },
    );
    style(
        &mut x,
        StyleDef {
            id: "Title",
            name: "Title",
            spacing: Some(("0", "40")),
            bold: true,
            color: Some(accent),
            size: Some("44"),
            ..StyleDef::default()
        },
    );
    style(
        &mut x,
        StyleDef {
            id: "Subtitle",
            name: "Subtitle",
            spacing: Some(("0", "100")),
            color: Some(muted),
            size: Some("24"),
            ..StyleDef::default()
        },
    );
    style(
        &mut x,
        StyleDef {
            id: "Heading1",
            name: "heading 1",
            keep_next: true,
            border: Some(accent),
            spacing: Some(("280", "100")),
            outline: Some("0"),
            bold: true,
            caps: true,
            color: Some(accent),
            size: Some("24"),
            ..StyleDef::default()
        },
    );
    let text_width = tw(page.text_width());
    style(
        &mut x,
        StyleDef {
            id: "Heading2",
            name: "heading 2",
            keep_next: true,
            right_tab: Some(&text_width),
            spacing: Some(("160", "20")),
            outline: Some("1"),
            bold: true,
            size: Some("21"),
            ..StyleDef::default()
        },
    );
    style(
        &mut x,
        StyleDef {
            id: "EntryDetails",
            name: "Entry Details",
            keep_next: true,
            spacing: Some(("0", "60")),
            italic: true,
            color: Some(muted),
            ..StyleDef::default()
        },
    );
    style(
        &mut x,
        StyleDef {
            id: "ListBullet",
            name: "List Bullet",
            num_id: Some("1"),
            spacing: Some(("0", "40")),
            ..StyleDef::default()
        },
    );
    style(
        &mut x,
        StyleDef {
            id: "ListNumber",
            name: "List Number",
            num_id: Some("2"),
            spacing: Some(("0", "40")),
            ..StyleDef::default()
        },
    );
    style(
        &mut x,
        StyleDef {
            kind: "character",
            id: "Hyperlink",
            name: "Hyperlink",
            based_on: Some("DefaultParagraphFont"),
            next: None,
            color: Some(accent),
            underline: true,
            ..StyleDef::default()
        },
    );
    style(
        &mut x,
        StyleDef {
            kind: "character",
            id: "Strong",
            name: "Strong",
            based_on: Some("DefaultParagraphFont"),
            next: None,
            bold: true,
            ..StyleDef::default()
        },
    );
    x.close("w:styles");
    x.finish()
}

/// One style, in the element order the schema requires (Word refuses another order).
struct StyleDef<'a> {
    kind: &'a str,
    id: &'a str,
    name: &'a str,
    default: bool,
    based_on: Option<&'a str>,
    next: Option<&'a str>,
    keep_next: bool,
    num_id: Option<&'a str>,
    /// A bottom rule in this colour.
    border: Option<&'a str>,
    right_tab: Option<&'a str>,
    /// Space before and after.
    spacing: Option<(&'a str, &'a str)>,
    outline: Option<&'a str>,
    bold: bool,
    italic: bool,
    caps: bool,
    color: Option<&'a str>,
    size: Option<&'a str>,
    underline: bool,
}

impl Default for StyleDef<'_> {
    fn default() -> Self {
        StyleDef {
            kind: "paragraph",
            id: "",
            name: "",
            default: false,
            based_on: Some("Normal"),
            next: Some("Normal"),
            keep_next: false,
            num_id: None,
            border: None,
            right_tab: None,
            spacing: None,
            outline: None,
            bold: false,
            italic: false,
            caps: false,
            color: None,
            size: None,
            underline: false,
        }
    }
}

impl StyleDef<'_> {
    fn write(&self, x: &mut Xml, rtl: bool) {
        let mut attrs = vec![("w:type", self.kind)];
        if self.default {
            attrs.push(("w:default", "1"));
        }
        attrs.push(("w:styleId", self.id));
        x.open("w:style", &attrs);
        x.empty("w:name", &[("w:val", self.name)]);
        let paragraph = self.kind == "paragraph";
        if !self.default {
            if let Some(b) = self.based_on {
                x.empty("w:basedOn", &[("w:val", b)]);
            }
            if let Some(n) = self.next {
                x.empty("w:next", &[("w:val", n)]);
            }
        }
        x.empty("w:qFormat", &[]);
        let has_ppr = paragraph
            && (self.keep_next
                || self.num_id.is_some()
                || self.border.is_some()
                || self.right_tab.is_some()
                || self.spacing.is_some()
                || self.outline.is_some()
                || (rtl && self.default));
        if has_ppr {
            x.open("w:pPr", &[]);
            if self.keep_next {
                x.empty("w:keepNext", &[]);
                x.empty("w:keepLines", &[]);
            }
            if let Some(id) = self.num_id {
                x.open("w:numPr", &[]);
                x.empty("w:numId", &[("w:val", id)]);
                x.close("w:numPr");
            }
            if let Some(colour) = self.border {
                x.open("w:pBdr", &[]);
                x.empty(
                    "w:bottom",
                    &[
                        ("w:val", "single"),
                        ("w:sz", "8"),
                        ("w:space", "1"),
                        ("w:color", colour),
                    ],
                );
                x.close("w:pBdr");
            }
            if let Some(pos) = self.right_tab {
                x.open("w:tabs", &[]);
                x.empty("w:tab", &[("w:val", "right"), ("w:pos", pos)]);
                x.close("w:tabs");
            }
            if rtl && self.default {
                x.empty("w:bidi", &[]);
            }
            if let Some((before, after)) = self.spacing {
                x.empty("w:spacing", &[("w:before", before), ("w:after", after)]);
            }
            if let Some(level) = self.outline {
                x.empty("w:outlineLvl", &[("w:val", level)]);
            }
            x.close("w:pPr");
        }
        let has_rpr = self.bold
            || self.italic
            || self.caps
            || self.color.is_some()
            || self.size.is_some()
            || self.underline;
        if has_rpr {
            x.open("w:rPr", &[]);
            if self.bold {
                x.empty("w:b", &[]);
                x.empty("w:bCs", &[]);
            }
            if self.italic {
                x.empty("w:i", &[]);
                x.empty("w:iCs", &[]);
            }
            if self.caps {
                x.empty("w:caps", &[]);
            }
            if let Some(c) = self.color {
                x.empty("w:color", &[("w:val", c)]);
            }
            if let Some(s) = self.size {
                x.empty("w:sz", &[("w:val", s)]);
                x.empty("w:szCs", &[("w:val", s)]);
            }
            if self.underline {
                x.empty("w:u", &[("w:val", "single")]);
            }
            x.close("w:rPr");
        }
        x.close("w:style");
    }
}

/// Bullets (`numId` 1, List Bullet) and numbers (`numId` 2, List Number); each ordered list
/// after the first gets its own `numId`, restarting at 1.
fn numbering(ordered_lists: usize) -> Vec<u8> {
    let mut x = Xml::new();
    x.open("w:numbering", &[("xmlns:w", W)]);
    for (id, format, text, style) in [
        ("0", "bullet", "•", "ListBullet"),
        ("1", "decimal", "%1.", "ListNumber"),
    ] {
        x.open("w:abstractNum", &[("w:abstractNumId", id)]);
        x.empty("w:multiLevelType", &[("w:val", "singleLevel")]);
        x.open("w:lvl", &[("w:ilvl", "0")]);
        x.empty("w:start", &[("w:val", "1")]);
        x.empty("w:numFmt", &[("w:val", format)]);
        x.empty("w:pStyle", &[("w:val", style)]);
        x.empty("w:lvlText", &[("w:val", text)]);
        x.empty("w:lvlJc", &[("w:val", "left")]);
        x.open("w:pPr", &[]);
        x.empty("w:ind", &[("w:left", "360"), ("w:hanging", "360")]);
        x.close("w:pPr");
        x.close("w:lvl");
        x.close("w:abstractNum");
    }
    x.open("w:num", &[("w:numId", "1")]);
    x.empty("w:abstractNumId", &[("w:val", "0")]);
    x.close("w:num");
    x.open("w:num", &[("w:numId", "2")]);
    x.empty("w:abstractNumId", &[("w:val", "1")]);
    x.close("w:num");
    for i in 1..ordered_lists {
        x.open("w:num", &[("w:numId", &(i + 2).to_string())]);
        x.empty("w:abstractNumId", &[("w:val", "1")]);
        x.open("w:lvlOverride", &[("w:ilvl", "0")]);
        x.empty("w:startOverride", &[("w:val", "1")]);
        x.close("w:lvlOverride");
        x.close("w:num");
    }
    x.close("w:numbering");
    x.finish()
}

/// Run formatting, as it nests in inline Markdown.
#[derive(Debug, Clone, Copy, Default)]
struct RunFormat {
    bold: bool,
    italic: bool,
    code: bool,
    muted: bool,
    link: bool,
    /// Not bold, in a bold paragraph style.
    regular: bool,
}

/// `word/document.xml`, and what its relationships and numbering need.
struct Built {
    xml: Vec<u8>,
    /// Link targets, in order of first use; the n-th is `rIdLink<n>`.
    links: Vec<String>,
    ordered_lists: usize,
}

struct Body {
    x: Xml,
    links: Vec<String>,
    ordered_lists: usize,
    rtl: bool,
    /// The next paragraph starts a new entry that has no heading: space it off.
    space_before: bool,
}

impl Body {
    fn new(doc: &Document) -> Body {
        let mut x = Xml::new();
        x.open(
            "w:document",
            &[
                ("xmlns:w", W),
                ("xmlns:r", R),
                ("xmlns:wp", WP),
                ("xmlns:a", A),
                ("xmlns:pic", PIC),
            ],
        );
        x.open("w:body", &[]);
        Body {
            x,
            links: Vec::new(),
            ordered_lists: 0,
            rtl: doc.locale.dir == crate::locale::Direction::Rtl,
            space_before: false,
        }
    }

    fn finish(mut self, page: &Page) -> Built {
        let x = &mut self.x;
        x.open("w:sectPr", &[]);
        x.empty(
            "w:pgSz",
            &[("w:w", &tw(page.width)), ("w:h", &tw(page.height))],
        );
        let m = tw(page.margin);
        x.empty(
            "w:pgMar",
            &[
                ("w:top", &m),
                ("w:right", &m),
                ("w:bottom", &m),
                ("w:left", &m),
                ("w:header", "567"),
                ("w:footer", "567"),
                ("w:gutter", "0"),
            ],
        );
        if self.rtl {
            x.empty("w:bidi", &[]);
        }
        x.close("w:sectPr");
        x.close("w:body");
        x.close("w:document");
        Built {
            xml: self.x.finish(),
            links: self.links,
            ordered_lists: self.ordered_lists,
        }
    }

    /// Opens a paragraph in `style` (`None`: Normal), with an explicit numbering instance.
    fn para(&mut self, style: Option<&str>, num_id: Option<usize>) {
        self.x.open("w:p", &[]);
        let space_before = std::mem::take(&mut self.space_before);
        if style.is_some() || num_id.is_some() || self.rtl || space_before {
            self.x.open("w:pPr", &[]);
            if let Some(s) = style {
                self.x.empty("w:pStyle", &[("w:val", s)]);
            }
            if let Some(id) = num_id {
                self.x.open("w:numPr", &[]);
                self.x.empty("w:ilvl", &[("w:val", "0")]);
                self.x.empty("w:numId", &[("w:val", &id.to_string())]);
                self.x.close("w:numPr");
            }
            if self.rtl {
                self.x.empty("w:bidi", &[]);
            }
            if space_before {
                self.x.empty("w:spacing", &[("w:before", "200")]);
            }
            self.x.close("w:pPr");
        }
    }

    fn end_para(&mut self) {
        self.x.close("w:p");
    }

    /// One run of text.
    fn run(&mut self, text: &str, f: RunFormat) {
        if text.is_empty() {
            return;
        }
        let x = &mut self.x;
        x.open("w:r", &[]);
        if f.bold || f.italic || f.code || f.muted || f.link || f.regular || self.rtl {
            x.open("w:rPr", &[]);
            if f.link {
                x.empty("w:rStyle", &[("w:val", "Hyperlink")]);
            }
            if f.code {
                x.empty(
                    "w:rFonts",
                    &[("w:ascii", "Courier New"), ("w:hAnsi", "Courier New")],
                );
            }
            if f.bold {
                x.empty("w:b", &[]);
                x.empty("w:bCs", &[]);
            } else if f.regular {
                x.empty("w:b", &[("w:val", "0")]);
                x.empty("w:bCs", &[("w:val", "0")]);
            }
            if f.italic {
                x.empty("w:i", &[]);
                x.empty("w:iCs", &[]);
            }
            if f.muted {
                x.empty("w:color", &[("w:val", "595959")]);
            }
            if self.rtl {
                x.empty("w:rtl", &[]);
            }
            x.close("w:rPr");
        }
        x.element("w:t", &[("xml:space", "preserve")], text);
        x.close("w:r");
    }

    fn tab(&mut self) {
        self.x.open("w:r", &[]);
        self.x.empty("w:tab", &[]);
        self.x.close("w:r");
    }

    /// A hyperlink around `text`.
    fn link(&mut self, url: &LiveUrl, text: &str, f: RunFormat) {
        self.open_link(url);
        self.run(text, RunFormat { link: true, ..f });
        self.x.close("w:hyperlink");
    }

    fn open_link(&mut self, url: &LiveUrl) {
        let url = url.as_str();
        let index = match self.links.iter().position(|l| l == url) {
            Some(i) => i,
            None => {
                self.links.push(url.to_string());
                self.links.len() - 1
            }
        };
        self.x.open(
            "w:hyperlink",
            &[("r:id", &link_id(index)), ("w:history", "1")],
        );
    }

    fn doc_link(&mut self, l: &Link, text: &str) {
        match l.live() {
            Some(url) => self.link(url, text, RunFormat::default()),
            None => self.run(text, RunFormat::default()),
        }
    }

    fn spans(&mut self, spans: &[Span], f: RunFormat) {
        for span in spans {
            match span {
                Span::Text(t) => self.run(t, f),
                Span::Code(t) => self.run(t, RunFormat { code: true, ..f }),
                Span::Strong(c) => self.spans(c, RunFormat { bold: true, ..f }),
                Span::Emph(c) => self.spans(c, RunFormat { italic: true, ..f }),
                // Word does not nest hyperlinks; Markdown never does either.
                Span::Link { url, body } if !f.link => {
                    self.open_link(url);
                    self.spans(body, RunFormat { link: true, ..f });
                    self.x.close("w:hyperlink");
                }
                Span::Link { body, .. } => self.spans(body, f),
            }
        }
    }

    fn inline(&mut self, inline: &Inline, f: RunFormat) {
        self.spans(&inline.0, f);
    }

    fn document(&mut self, doc: &Document, picture: Option<&Picture<'_>>) {
        let b = &doc.basics;
        self.para(Some("Title"), None);
        if let Some(p) = picture {
            self.photo(p, &b.name.plain());
        }
        self.inline(&b.name, RunFormat::default());
        self.end_para();
        if let Some(label) = &b.label {
            self.para(Some("Subtitle"), None);
            self.inline(label, RunFormat::default());
            self.end_para();
        }
        self.contact(doc);
        if let Some(availability) = &b.availability {
            self.para(None, None);
            self.inline(
                availability,
                RunFormat {
                    italic: true,
                    ..RunFormat::default()
                },
            );
            self.end_para();
        }
        self.blocks(&b.summary);
        for section in &doc.sections {
            self.section(section);
        }
    }

    /// The photo, floating at the top of the page's outer edge (right, or left when the text
    /// runs right to left) with the heading's lines beside it. It holds no text, so a reader
    /// of the text loses nothing.
    fn photo(&mut self, p: &Picture<'_>, name: &str) {
        let (cx, cy) = p.extent();
        let (cx, cy) = (cx.to_string(), cy.to_string());
        let side = if self.rtl { "left" } else { "right" };
        let wrap = if self.rtl { "right" } else { "left" };
        let x = &mut self.x;
        x.open("w:r", &[]);
        x.open("w:drawing", &[]);
        x.open(
            "wp:anchor",
            &[
                ("distT", "0"),
                ("distB", "0"),
                ("distL", "114300"),
                ("distR", "114300"),
                ("simplePos", "0"),
                ("relativeHeight", "1"),
                ("behindDoc", "0"),
                ("locked", "0"),
                ("layoutInCell", "1"),
                ("allowOverlap", "0"),
            ],
        );
        x.empty("wp:simplePos", &[("x", "0"), ("y", "0")]);
        x.open("wp:positionH", &[("relativeFrom", "margin")]);
        x.element("wp:align", &[], side);
        x.close("wp:positionH");
        x.open("wp:positionV", &[("relativeFrom", "margin")]);
        x.element("wp:posOffset", &[], "0");
        x.close("wp:positionV");
        x.empty("wp:extent", &[("cx", &cx), ("cy", &cy)]);
        x.empty(
            "wp:effectExtent",
            &[("l", "0"), ("t", "0"), ("r", "0"), ("b", "0")],
        );
        x.empty("wp:wrapSquare", &[("wrapText", wrap)]);
        x.empty(
            "wp:docPr",
            &[("id", "1"), ("name", "Photo"), ("descr", name)],
        );
        x.empty("wp:cNvGraphicFramePr", &[]);
        x.open("a:graphic", &[]);
        x.open("a:graphicData", &[("uri", PIC)]);
        x.open("pic:pic", &[]);
        x.open("pic:nvPicPr", &[]);
        let file = format!("photo.{}", p.extension);
        x.empty("pic:cNvPr", &[("id", "0"), ("name", &file)]);
        x.empty("pic:cNvPicPr", &[]);
        x.close("pic:nvPicPr");
        x.open("pic:blipFill", &[]);
        x.empty("a:blip", &[("r:embed", PHOTO_ID)]);
        x.open("a:stretch", &[]);
        x.empty("a:fillRect", &[]);
        x.close("a:stretch");
        x.close("pic:blipFill");
        x.open("pic:spPr", &[]);
        x.open("a:xfrm", &[]);
        x.empty("a:off", &[("x", "0"), ("y", "0")]);
        x.empty("a:ext", &[("cx", &cx), ("cy", &cy)]);
        x.close("a:xfrm");
        x.open("a:prstGeom", &[("prst", "rect")]);
        x.empty("a:avLst", &[]);
        x.close("a:prstGeom");
        x.close("pic:spPr");
        x.close("pic:pic");
        x.close("a:graphicData");
        x.close("a:graphic");
        x.close("wp:anchor");
        x.close("w:drawing");
        x.close("w:r");
    }

    /// Location · e-mail · phone · website · profiles, on one line as in Markdown.
    fn contact(&mut self, doc: &Document) {
        let b = &doc.basics;
        let mut first = true;
        let mut sep = |body: &mut Body| {
            if first {
                body.para(None, None);
                first = false;
            } else {
                body.run(" · ", RunFormat::default());
            }
        };
        if let Some(location) = &b.location {
            sep(self);
            self.run(&location.text, RunFormat::default());
        }
        if let Some(email) = &b.email {
            sep(self);
            match link::mailto(email) {
                Some(url) => self.link(&url, email, RunFormat::default()),
                None => self.run(email, RunFormat::default()),
            }
        }
        if let Some(phone) = &b.phone {
            sep(self);
            self.run(phone, RunFormat::default());
        }
        if let Some(url) = &b.url {
            sep(self);
            self.doc_link(url, &url.url);
        }
        for p in &b.profiles {
            sep(self);
            if let Some(network) = &p.network {
                self.run(&format!("{network}: "), RunFormat::default());
            }
            let shown = p
                .username
                .clone()
                .or_else(|| p.url.as_ref().map(|u| u.url.clone()))
                .unwrap_or_default();
            match &p.url {
                Some(u) => self.doc_link(u, &shown),
                None => self.run(&shown, RunFormat::default()),
            }
        }
        // A photo file is in the document itself (a WebP or SVG one, which Word may not show,
        // is left out): a link to it would point beside the résumé's source, which the reader
        // of a sent DOCX does not have. A photo on the web stays a link, as in Markdown.
        if let (Some(image), None) = (&b.image, &doc.photo) {
            sep(self);
            let label = doc.locale.labels.photo.clone();
            if image.live().is_some() {
                self.doc_link(image, &label);
            } else {
                self.run(&format!("{label}: {}", image.url), RunFormat::default());
            }
        }
        if !first {
            self.end_para();
        }
    }

    fn section(&mut self, section: &Section) {
        self.para(Some("Heading1"), None);
        self.run(&section.title, RunFormat::default());
        self.end_para();
        for (i, entry) in section.entries.iter().enumerate() {
            if section.kind.is_compact() {
                self.compact_entry(entry);
            } else {
                // An entry with no heading of its own would read as part of the one before.
                self.space_before = i > 0 && entry.title.is_none() && entry.organization.is_none();
                self.entry(entry);
            }
        }
    }

    /// Skills, languages, interests: one line each, "Name (level): keywords".
    fn compact_entry(&mut self, entry: &Entry) {
        self.para(None, None);
        let bold = RunFormat {
            bold: true,
            ..RunFormat::default()
        };
        if let Some(title) = &entry.title {
            self.inline(title, bold);
        }
        if let Some(level) = &entry.level {
            if entry.title.is_some() {
                self.run(" ", RunFormat::default());
            }
            self.run("(", RunFormat::default());
            self.inline(level, RunFormat::default());
            self.run(")", RunFormat::default());
        }
        if !entry.keywords.is_empty() {
            if entry.title.is_some() || entry.level.is_some() {
                self.run(": ", RunFormat::default());
            }
            self.run(&entry.keywords.join(", "), RunFormat::default());
        }
        self.end_para();
    }

    /// "Title, Organization <tab> dates" in Heading 2, then location, link and level, then the
    /// entry's text.
    fn entry(&mut self, entry: &Entry) {
        let plain = RunFormat::default();
        let has_heading = entry.title.is_some() || entry.organization.is_some();
        if has_heading {
            self.para(Some("Heading2"), None);
            if let Some(title) = &entry.title {
                self.inline(title, plain);
            }
            if let Some(org) = &entry.organization {
                // After the role, not in the heading's weight, which would compete with it.
                let regular = RunFormat {
                    regular: entry.title.is_some(),
                    ..plain
                };
                if entry.title.is_some() {
                    self.run(", ", regular);
                }
                self.inline(org, regular);
            }
            if let Some(dates) = &entry.dates {
                self.tab();
                let muted = RunFormat {
                    muted: true,
                    regular: true,
                    ..plain
                };
                self.run(&dates.text, muted);
            }
            self.end_para();
        }
        let mut details: Vec<Detail<'_>> = Vec::new();
        if !has_heading && let Some(dates) = &entry.dates {
            details.push(Detail::Text(&dates.text));
        }
        if let Some(location) = &entry.location {
            details.push(Detail::Text(location));
        }
        if let Some(url) = &entry.url {
            details.push(Detail::Link(url));
        }
        if let Some(level) = &entry.level {
            details.push(Detail::Inline(level));
        }
        if !details.is_empty() {
            self.para(Some("EntryDetails"), None);
            for (i, d) in details.into_iter().enumerate() {
                if i > 0 {
                    self.run(" · ", plain);
                }
                match d {
                    Detail::Text(t) => self.run(t, plain),
                    Detail::Link(l) => self.doc_link(l, &l.url),
                    Detail::Inline(t) => self.inline(t, plain),
                }
            }
            self.end_para();
        }
        if let Some(description) = &entry.description {
            self.para(None, None);
            self.inline(
                description,
                RunFormat {
                    italic: true,
                    ..plain
                },
            );
            self.end_para();
        }
        self.blocks(&entry.summary);
        for h in &entry.highlights {
            self.para(Some("ListBullet"), None);
            self.inline(&h.text, plain);
            self.end_para();
        }
        for f in &entry.facts {
            self.para(None, None);
            self.run(
                &format!("{}: ", f.label),
                RunFormat {
                    bold: true,
                    ..plain
                },
            );
            self.run(&f.value, plain);
            self.end_para();
        }
        if !entry.keywords.is_empty() {
            self.para(None, None);
            self.run(
                &entry.keywords.join(", "),
                RunFormat {
                    muted: true,
                    ..plain
                },
            );
            self.end_para();
        }
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for block in blocks {
            match block {
                Block::Paragraph(p) => {
                    self.para(None, None);
                    self.inline(p, RunFormat::default());
                    self.end_para();
                }
                Block::List {
                    ordered: false,
                    items,
                } => {
                    for item in items {
                        self.para(Some("ListBullet"), None);
                        self.inline(item, RunFormat::default());
                        self.end_para();
                    }
                }
                Block::List {
                    ordered: true,
                    items,
                } => {
                    self.ordered_lists += 1;
                    // numId 2 for the first list; then 3, 4 … each restarting at 1.
                    let num_id = self.ordered_lists + 1;
                    for item in items {
                        self.para(Some("ListNumber"), Some(num_id));
                        self.inline(item, RunFormat::default());
                        self.end_para();
                    }
                }
            }
        }
    }
}

enum Detail<'a> {
    Text(&'a str),
    Link(&'a Link),
    Inline(&'a Inline),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_targets_are_valid_uris() {
        assert_eq!(
            uri("https://example.com/a b/ü?q=1&r=%20"),
            "https://example.com/a%20b/%C3%BC?q=1&r=%20"
        );
        assert_eq!(uri("mailto:ada@example.com"), "mailto:ada@example.com");
    }

    #[test]
    fn accents_are_six_hex_digits() {
        assert_eq!(hex6("#1f4e79").as_deref(), Some("1F4E79"));
        assert_eq!(hex6("#fff"), None);
        assert_eq!(hex6("1f4e79"), None);
        assert_eq!(hex6("#1f4e7g"), None);
    }

    #[test]
    fn zip_times_are_clamped_to_what_a_zip_holds() {
        let stamp = |year| Stamp {
            year,
            month: 6,
            day: 15,
            hour: 12,
            minute: 30,
            second: 59,
        };
        assert_eq!(stamp(1970).zip().year(), 1980);
        assert_eq!(stamp(2024).zip().year(), 2024);
        assert_eq!(stamp(2024).zip().second(), 58);
        assert_eq!(stamp(2024).w3c(), "2024-06-15T12:30:59Z");
    }

    #[test]
    fn ordered_lists_after_the_first_restart_at_one() {
        let xml = String::from_utf8(numbering(3)).unwrap();
        assert!(xml.contains(r#"<w:num w:numId="4"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>"#), "{xml}");
        assert!(!xml.contains(r#"w:numId="5""#), "{xml}");
    }
}
