//! Plain text: for application forms, e-mail and applicant-tracking systems. No markup
//! characters, links as `text (url)`, wrapped to a width.

use super::{Format, Rendered, Renderer};
use crate::Error;
use crate::markup::{Block, Inline, Span};
use crate::model::document::{Document, Entry, Section};
use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm};

/// The width text is wrapped to unless told otherwise.
pub const DEFAULT_WIDTH: usize = 80;

/// Renders a document as plain text wrapped at `width` columns.
#[derive(Debug, Clone, Copy)]
pub struct PlainText {
    pub width: usize,
}

impl Default for PlainText {
    fn default() -> Self {
        Self {
            width: DEFAULT_WIDTH,
        }
    }
}

impl Renderer for PlainText {
    fn format(&self) -> Format {
        Format::Text
    }

    fn render(&self, doc: &Document) -> Result<Rendered, Error> {
        Ok(Rendered::single(render(doc, self.width).into_bytes()))
    }
}

/// The text of a document, wrapped at `width` columns (at least 20).
pub fn render(doc: &Document, width: usize) -> String {
    let w = Writer {
        width: width.max(20),
    };
    let mut out = String::new();
    let b = &doc.basics;
    out.push_str(&b.name.plain().to_uppercase());
    out.push('\n');
    if let Some(label) = &b.label {
        w.para(&inline(label), "", &mut out);
    }
    let mut contact: Vec<String> = Vec::new();
    contact.extend(b.location.as_ref().map(|l| l.text.clone()));
    contact.extend(b.email.clone());
    contact.extend(b.phone.clone());
    contact.extend(b.url.as_ref().map(|u| u.url.clone()));
    for p in &b.profiles {
        let who = [p.username.clone(), p.url.as_ref().map(|u| u.url.clone())]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        contact.push(match &p.network {
            Some(n) => format!("{n}: {who}"),
            None => who,
        });
    }
    contact.extend(b.image.as_ref().map(|u| u.url.clone()));
    if !contact.is_empty() {
        out.push_str(&w.join_wrapped(&contact, " | "));
    }
    if let Some(availability) = &b.availability {
        w.para(&inline(availability), "", &mut out);
    }
    if !b.summary.is_empty() {
        out.push('\n');
        w.blocks(&b.summary, "", &mut out);
    }
    for section in &doc.sections {
        out.push('\n');
        w.section(section, &mut out);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

struct Writer {
    width: usize,
}

impl Writer {
    fn section(&self, section: &Section, out: &mut String) {
        let title = section.title.to_uppercase();
        out.push_str(&format!(
            "{title}\n{}\n\n",
            "=".repeat(title.chars().count())
        ));
        for (i, entry) in section.entries.iter().enumerate() {
            if section.kind.is_compact() {
                self.hanging(&compact_entry(entry), "", out);
            } else {
                if i > 0 {
                    out.push('\n');
                }
                self.entry(entry, out);
            }
        }
    }

    fn entry(&self, entry: &Entry, out: &mut String) {
        let heading: Vec<String> = [&entry.title, &entry.organization]
            .into_iter()
            .flatten()
            .map(inline)
            .collect();
        if !heading.is_empty() {
            self.para(&heading.join(", "), "", out);
        }
        let mut meta: Vec<String> = Vec::new();
        meta.extend(entry.location.clone());
        meta.extend(entry.dates.as_ref().map(|d| d.text.clone()));
        meta.extend(entry.url.as_ref().map(|u| u.url.clone()));
        meta.extend(entry.level.as_ref().map(inline));
        if !meta.is_empty() {
            self.para(&meta.join(" | "), "", out);
        }
        let indent = "  ";
        if let Some(description) = &entry.description {
            self.para(&inline(description), indent, out);
        }
        self.blocks(&entry.summary, indent, out);
        for h in &entry.highlights {
            self.hanging(&inline(&h.text), indent, out);
        }
        for fact in &entry.facts {
            self.para(&format!("{}: {}", fact.label, fact.value), indent, out);
        }
        if !entry.keywords.is_empty() {
            self.para(&entry.keywords.join(", "), indent, out);
        }
    }

    fn blocks(&self, blocks: &[Block], indent: &str, out: &mut String) {
        for (i, block) in blocks.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            match block {
                Block::Paragraph(p) => self.para(&inline(p), indent, out),
                Block::List { ordered, items } => {
                    for (i, item) in items.iter().enumerate() {
                        let marker = if *ordered {
                            format!("{}. ", i + 1)
                        } else {
                            "- ".to_string()
                        };
                        let text = inline(item);
                        let first = format!("{indent}{marker}");
                        let rest = " ".repeat(first.chars().count());
                        out.push_str(&self.fill(&text, &first, &rest));
                    }
                }
            }
        }
    }

    /// Items joined by `sep`, breaking lines between items; an item wider than a line is
    /// wrapped on its own.
    fn join_wrapped(&self, items: &[String], sep: &str) -> String {
        let mut out = String::new();
        let mut line = String::new();
        for item in items {
            let fits = line.chars().count() + sep.len() + item.chars().count() <= self.width;
            if !line.is_empty() && !fits {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if line.is_empty() && item.chars().count() > self.width {
                out.push_str(&self.fill(item, "", ""));
                continue;
            }
            if !line.is_empty() {
                line.push_str(sep);
            }
            line.push_str(item);
        }
        if !line.is_empty() {
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    /// A wrapped paragraph.
    fn para(&self, text: &str, indent: &str, out: &mut String) {
        out.push_str(&self.fill(text, indent, indent));
    }

    /// A bullet with its continuation lines aligned under its text.
    fn hanging(&self, text: &str, indent: &str, out: &mut String) {
        out.push_str(&self.fill(text, &format!("{indent}- "), &format!("{indent}  ")));
    }

    fn fill(&self, text: &str, first: &str, rest: &str) -> String {
        // Break at spaces only: Unicode line breaking would split URLs after `/` and hyphen
        // splitting e-mail addresses and names.
        let options = Options::new(self.width)
            .initial_indent(first)
            .subsequent_indent(rest)
            .break_words(false)
            .word_separator(WordSeparator::AsciiSpace)
            .word_splitter(WordSplitter::NoHyphenation)
            // Optimal fit may let a line run past the width when that balances the paragraph;
            // forms and e-mail need a hard limit.
            .wrap_algorithm(WrapAlgorithm::FirstFit);
        let mut filled = textwrap::fill(text, options);
        filled.push('\n');
        filled
    }
}

fn compact_entry(entry: &Entry) -> String {
    let mut line = entry.title.as_ref().map(inline).unwrap_or_default();
    if let Some(level) = &entry.level {
        line.push_str(&format!(" ({})", inline(level)));
    }
    if !entry.keywords.is_empty() {
        let sep = if line.is_empty() { "" } else { ": " };
        line.push_str(&format!("{sep}{}", entry.keywords.join(", ")));
    }
    line
}

/// Inline text without markup; a link whose text differs from its target reads `text (url)`.
pub fn inline(inline: &Inline) -> String {
    let mut out = String::new();
    spans(&inline.0, &mut out);
    out
}

fn spans(spans: &[Span], out: &mut String) {
    for span in spans {
        match span {
            Span::Text(t) | Span::Code(t) => out.push_str(t),
            Span::Strong(c) | Span::Emph(c) => self::spans(c, out),
            Span::Link { url, body } => {
                let text = Inline(body.clone()).plain();
                out.push_str(&text);
                let target = url.strip_prefix("mailto:").unwrap_or(url);
                if text != target && !target.is_empty() {
                    out.push_str(&format!(" ({target})"));
                }
            }
        }
    }
}
