//! Exporters: each turns a resolved [`Document`] into the bytes of one format.

pub mod contract;
pub mod docx;
pub mod html;
pub mod json;
pub mod jsonresume;
pub mod markdown;
pub mod pdf;
pub mod text;

use crate::Error;
use crate::diag::Diagnostic;
use crate::model::document::Document;
use std::fmt;
use std::str::FromStr;

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pdf,
    Png,
    #[serde(rename = "md")]
    Markdown,
    #[serde(rename = "txt")]
    Text,
    Json,
    Html,
    Docx,
    /// JSON Resume 1.0, written as `<stem>.resume.json` so it never meets `-f json`'s file.
    JsonResume,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Pdf,
        Format::Png,
        Format::Markdown,
        Format::Text,
        Format::Json,
        Format::Html,
        Format::Docx,
        Format::JsonResume,
    ];

    /// The file extension, which is also the name used on the command line; JSON Resume's file
    /// is `<stem>.resume.json` (see `build::output_name`).
    /// Laid out in pages (and so fitted to a page budget).
    pub fn is_paged(self) -> bool {
        matches!(self, Format::Pdf | Format::Png)
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Png => "png",
            Format::Markdown => "md",
            Format::Text => "txt",
            Format::Json => "json",
            Format::Html => "html",
            Format::Docx => "docx",
            Format::JsonResume => "jsonresume",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.extension())
    }
}

impl FromStr for Format {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pdf" => Ok(Format::Pdf),
            "png" => Ok(Format::Png),
            "md" | "markdown" => Ok(Format::Markdown),
            "txt" | "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            "html" => Ok(Format::Html),
            "docx" => Ok(Format::Docx),
            "jsonresume" => Ok(Format::JsonResume),
            other => Err(format!(
                "unknown format \"{other}\" (expected pdf, png, md, txt, json, jsonresume, html \
                 or docx)"
            )),
        }
    }
}

/// What a renderer produced.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The file contents: one file, or one per page for PNG.
    pub files: Vec<Vec<u8>>,
    /// Pages, for paged formats.
    pub pages: Option<usize>,
    /// Problems that did not stop rendering.
    pub warnings: Vec<Diagnostic>,
    /// What fitting to a page budget changed, in order.
    pub fit_report: Vec<crate::tailor::fit::FitChange>,
    /// Set when the document does not fit its page budget even after fitting.
    pub overflow: Option<Overflow>,
    /// System fonts used for characters vitae's own fonts lack.
    pub fallback_fonts: Vec<pdf::FallbackFont>,
    /// For paged formats: the document as laid out, after fitting.
    pub laid_out: Option<Document>,
}

/// A page budget that could not be met.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow {
    /// The pages allowed.
    pub budget: usize,
    /// The pages the document still needs.
    pub pages: usize,
}

impl Rendered {
    pub fn single(bytes: Vec<u8>) -> Self {
        Rendered {
            files: vec![bytes],
            ..Rendered::default()
        }
    }
}

/// Turns a document into one format.
pub trait Renderer: Sync {
    fn format(&self) -> Format;
    fn render(&self, doc: &Document) -> Result<Rendered, Error>;
}
