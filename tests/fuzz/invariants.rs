//! The output invariants: properties every export must have, and the checks that find where
//! one is broken. [`drive`](crate::drive) runs the checks on every document and markup string.

use crate::lines::floor_char;
use vitae::diag::Diagnostics;
use vitae::import::Imported;
use vitae::model::source_map::SourceMap;
use vitae::model::{LoadOptions, load_bytes};

/// A property every output must have. Counted on every run; enforced only when switched on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Invariant {
    /// Markdown has no live link (inline, reference, autolink, image, or an attribute of raw
    /// HTML) whose target is `javascript:`, `vbscript:`, `data:` or `file:`, read as a browser
    /// reads it: case-insensitively, leading spaces and control characters ignored, tabs and line
    /// breaks dropped anywhere. Links are found by parsing the output with comrak as GitHub would
    /// (GFM autolinks included), so escaped brackets and code spans are not links.
    MarkdownUnsafeLink,
    /// Markdown has no raw HTML: the exporter escapes `<`, so an HTML node is user text that got
    /// out of its escaping.
    MarkdownRawHtml,
    /// Markdown has no C0 control character other than `\n` and `\t`.
    MarkdownControlChar,
    /// Plain text (80 and 20 columns) has no C0 control character other than `\n` and `\t`.
    TextControlChar,
    /// The JSON export parses as JSON.
    JsonValid,
    /// Every error about the file says where in it (`file:line:col`), but for the few about the
    /// file as a whole listed in [`WHOLE_FILE_ERRORS`].
    ErrorLocated,
    /// The HTML export links (`href`, `src`) nothing dangerous.
    HtmlUnsafeLink,
    /// The PDF's link annotations (`/URI`) are not dangerous.
    PdfUnsafeLink,
    /// `vitae import` never reports its own output as unreadable (`ImportError::Produced`):
    /// what it writes reads back under `--strict` as the résumé it built.
    ImportOutputReads,
    /// What `vitae import` wrote, read back by `vitae::model::load_bytes` (strictly, the photo
    /// aside), is exactly the résumé the import returned.
    ImportRereads,
    /// The comment at the top of an import holds no character a YAML reader may break a line
    /// at (or any other control character), and the file reads as the same tree without it,
    /// to serde_yaml (the values) and to yaml-rust2 (the positions) alike: no comment line
    /// ever yields a key.
    ImportCommentInert,
    /// An import that fails for a problem of the file says where in the file: every error is
    /// located, in the file imported (never in the file vitae would have written).
    ImportErrorsLocated,
}

/// The first dangerous `/URI` of a PDF.
pub fn pdf_unsafe_link(pdf: &[u8]) -> Option<String> {
    crate::links::pdf_uris(pdf)
        .into_iter()
        .find(|v| unsafe_target(v))
}

/// Errors about the file as a whole, which no line of it can be blamed for, and why.
pub const WHOLE_FILE_ERRORS: [(&str, &str); 2] = [
    (
        "the document is too long to typeset",
        "the length of the whole document, estimated before Typst runs",
    ),
    (
        "the document has ",
        "the page count of the whole laid-out document",
    ),
];

/// The error messages of `diagnostics` that are neither located nor about the whole file.
pub fn unlocated(diagnostics: &[vitae::diag::Diagnostic]) -> Option<String> {
    diagnostics
        .iter()
        .filter(|d| d.is_error() && d.location.is_none())
        .find(|d| {
            !WHOLE_FILE_ERRORS
                .iter()
                .any(|(start, _)| d.message.starts_with(start))
        })
        .map(|d| d.message.clone())
}

/// The first dangerous `href` or `src` of an HTML export.
pub fn html_unsafe_link(html: &str) -> Option<String> {
    ["href", "src"].iter().find_map(|name| {
        crate::links::attributes(html, name)
            .into_iter()
            // The photo is embedded as a `data:image/…` URI, by design.
            .find(|v| unsafe_target(v) && !v.starts_with("data:image/"))
    })
}

impl Invariant {
    pub const ALL: [Invariant; 12] = [
        Invariant::MarkdownUnsafeLink,
        Invariant::MarkdownRawHtml,
        Invariant::MarkdownControlChar,
        Invariant::TextControlChar,
        Invariant::JsonValid,
        Invariant::ErrorLocated,
        Invariant::HtmlUnsafeLink,
        Invariant::PdfUnsafeLink,
        Invariant::ImportOutputReads,
        Invariant::ImportRereads,
        Invariant::ImportCommentInert,
        Invariant::ImportErrorsLocated,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Invariant::MarkdownUnsafeLink => "md-unsafe-link",
            Invariant::MarkdownRawHtml => "md-raw-html",
            Invariant::MarkdownControlChar => "md-control-char",
            Invariant::TextControlChar => "text-control-char",
            Invariant::JsonValid => "json-valid",
            Invariant::ErrorLocated => "error-located",
            Invariant::HtmlUnsafeLink => "html-unsafe-link",
            Invariant::PdfUnsafeLink => "pdf-unsafe-link",
            Invariant::ImportOutputReads => "import-output-reads",
            Invariant::ImportRereads => "import-rereads",
            Invariant::ImportCommentInert => "import-comment-inert",
            Invariant::ImportErrorsLocated => "import-errors-located",
        }
    }
}

/// The checks of a successful import: it reads back as the résumé returned, and its comment
/// adds nothing to the document.
pub fn imported(imported: &Imported) -> [(Invariant, Option<String>); 2] {
    [
        (Invariant::ImportRereads, rereads(imported)),
        (Invariant::ImportCommentInert, comment_inert(&imported.yaml)),
    ]
}

fn rereads(imported: &Imported) -> Option<String> {
    let options = LoadOptions {
        strict: true,
        skip_photo: true,
    };
    match load_bytes("imported.yaml", imported.yaml.as_bytes(), false, options) {
        Err(problems) => Some(format!("does not read back: {problems}")),
        Ok(loaded) if loaded.resume != imported.resume => {
            let (read, built) = (
                format!("{:#?}", loaded.resume),
                format!("{:#?}", imported.resume),
            );
            let differ = read
                .lines()
                .zip(built.lines())
                .find(|(a, b)| a != b)
                .map(|(a, b)| format!("read {:?}, built {:?}", a.trim(), b.trim()))
                .unwrap_or_else(|| "one is longer".into());
            Some(format!("reads back as a different résumé: {differ}"))
        }
        Ok(_) => None,
    }
}

/// The characters a YAML reader may end a line at, besides `\n`.
const LINE_BREAKS: [char; 4] = ['\r', '\u{85}', '\u{2028}', '\u{2029}'];

fn comment_inert(yaml: &str) -> Option<String> {
    let header: usize = yaml
        .split_inclusive('\n')
        .take_while(|l| l.starts_with('#'))
        .map(str::len)
        .sum();
    let (comment, body) = yaml.split_at(header);
    if let Some(c) = comment
        .chars()
        .find(|&c| LINE_BREAKS.contains(&c) || (c.is_control() && c != '\n'))
    {
        return Some(format!("U+{:04X} in the comment", c as u32));
    }
    let tree =
        |text: &str| serde_yaml::from_str::<serde_yaml::Value>(text).map_err(|e| e.to_string());
    if tree(yaml) != tree(body) {
        return Some(format!(
            "serde_yaml reads the file ({:?}) and its body ({:?}) differently",
            tree(yaml).err(),
            tree(body).err()
        ));
    }
    // As a set: their order comes from positions, which yaml-rust2 miscounts after a block
    // scalar with characters of more than one byte.
    let keys = |text: &str| -> Result<Vec<String>, String> {
        SourceMap::build(text)
            .map(|m| {
                let mut keys: Vec<String> = m.key_paths().into_iter().map(str::to_string).collect();
                keys.sort_unstable();
                keys
            })
            .map_err(|e| e.message)
    };
    let (with, without) = (keys(yaml), keys(body));
    if with != without {
        let extra = match (&with, &without) {
            (Ok(w), Ok(b)) => w.iter().find(|k| !b.contains(k)).cloned(),
            _ => None,
        };
        return Some(format!(
            "yaml-rust2 reads keys from the comment: {extra:?} ({:?} / {:?})",
            with.err(),
            without.err()
        ));
    }
    None
}

/// The check of a failed import: each problem is located in the file imported (`name`).
pub fn import_errors(name: &str, problems: &Diagnostics) -> (Invariant, Option<String>) {
    let stray = problems
        .0
        .iter()
        .find(|d| d.location.as_ref().is_none_or(|l| l.file != name));
    (
        Invariant::ImportErrorsLocated,
        stray.map(|d| format!("{d} ({:?})", d.location.as_ref().map(|l| &l.file))),
    )
}

/// The checks of one document's exports (Markdown, plain text at 80 and 20 columns, JSON): each
/// invariant with what breaks it, if anything.
pub fn document(md: &str, t80: &str, t20: &str, json: &str) -> [(Invariant, Option<String>); 5] {
    let (link, html) = markdown_problems(md);
    [
        (Invariant::MarkdownUnsafeLink, link),
        (Invariant::MarkdownRawHtml, html),
        (Invariant::MarkdownControlChar, control_char(md)),
        (
            Invariant::TextControlChar,
            control_char(t80).or_else(|| control_char(t20)),
        ),
        // serde_json stops reading at 128 levels; a document that deep is not invalid.
        (
            Invariant::JsonValid,
            serde_json::from_str::<serde_json::Value>(json)
                .err()
                .map(|e| e.to_string())
                .filter(|e| !e.contains("recursion limit exceeded")),
        ),
    ]
}

/// The checks of the Markdown export of a markup string. Control characters are checked in
/// documents only: they may be refused when loading, which the raw markup parser never sees.
pub fn markup(md: &str) -> [(Invariant, Option<String>); 2] {
    let (link, html) = markdown_problems(md);
    [
        (Invariant::MarkdownUnsafeLink, link),
        (Invariant::MarkdownRawHtml, html),
    ]
}

const UNSAFE_SCHEMES: [&str; 4] = ["javascript:", "vbscript:", "data:", "file:"];

fn unsafe_target(url: &str) -> bool {
    let url: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    UNSAFE_SCHEMES.iter().any(|s| url.starts_with(s))
}

/// Problems of Markdown as a reader's renderer sees it: the first live link with an unsafe
/// target, and the first raw HTML.
fn markdown_problems(md: &str) -> (Option<String>, Option<String>) {
    use comrak::nodes::NodeValue;
    let arena = comrak::Arena::new();
    let mut options = comrak::Options::default();
    options.extension.autolink = true;
    options.extension.strikethrough = true;
    options.extension.table = true;
    let root = comrak::parse_document(&arena, md, &options);
    let (mut link, mut html) = (None, None);
    for node in root.descendants() {
        let raw = match &node.data().value {
            NodeValue::Link(l) | NodeValue::Image(l) => {
                if link.is_none() && unsafe_target(&l.url) {
                    link = Some(l.url.clone());
                }
                continue;
            }
            NodeValue::HtmlInline(raw) => raw.clone(),
            NodeValue::HtmlBlock(block) => block.literal.clone(),
            _ => continue,
        };
        // An attribute value such as `href="javascript:…"`.
        let attribute = raw
            .split('=')
            .skip(1)
            .any(|value| unsafe_target(value.trim_start().trim_start_matches(['"', '\'', '`'])));
        if link.is_none() && attribute {
            link = Some(raw.clone());
        }
        html.get_or_insert(raw);
    }
    (link, html)
}

/// The first C0 control character other than `\n` and `\t`, with some context.
fn control_char(text: &str) -> Option<String> {
    let (at, c) = text
        .char_indices()
        .find(|&(_, c)| c < ' ' && c != '\n' && c != '\t')?;
    let from = floor_char(text, at.saturating_sub(20));
    let to = floor_char(text, (at + 20).min(text.len()));
    Some(format!("U+{:04X} in {:?}", c as u32, &text[from..to]))
}
