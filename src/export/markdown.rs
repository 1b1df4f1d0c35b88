//! GitHub-flavoured Markdown: for a portfolio site or a README.

use super::{Format, Rendered, Renderer};
use crate::Error;
use crate::link::{self, LiveUrl};
use crate::markup::{Block, Inline, Span};
use crate::model::document::{Document, Entry, Link, Section};

/// Renders a document as Markdown.
#[derive(Debug, Clone, Copy, Default)]
pub struct Markdown;

impl Renderer for Markdown {
    fn format(&self) -> Format {
        Format::Markdown
    }

    fn render(&self, doc: &Document) -> Result<Rendered, Error> {
        Ok(Rendered::single(render(doc).into_bytes()))
    }
}

/// The Markdown text of a document.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    let b = &doc.basics;
    out.push_str(&format!("# {}\n\n", inline(&b.name)));
    if let Some(label) = &b.label {
        out.push_str(&format!("**{}**\n\n", inline(label)));
    }
    let contact = contact_line(doc);
    if !contact.is_empty() {
        out.push_str(&contact);
        out.push_str("\n\n");
    }
    if let Some(availability) = &b.availability {
        out.push_str(&format!("*{}*\n\n", inline(availability)));
    }
    blocks(&b.summary, &mut out);
    for section in &doc.sections {
        self::section(section, &mut out);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

fn contact_line(doc: &Document) -> String {
    let b = &doc.basics;
    let mut parts = Vec::new();
    if let Some(location) = &b.location {
        parts.push(escape(&location.text));
    }
    if let Some(email) = &b.email {
        parts.push(match link::mailto(email) {
            Some(url) => format!("[{}]({})", escape(email), destination(&url)),
            None => escape(email),
        });
    }
    if let Some(phone) = &b.phone {
        parts.push(escape(phone));
    }
    if let Some(u) = &b.url {
        parts.push(link_or_text(u, &u.url));
    }
    for p in &b.profiles {
        let name = p
            .username
            .clone()
            .or_else(|| p.url.as_ref().map(|u| u.url.clone()))
            .unwrap_or_default();
        let shown = match &p.url {
            Some(u) => link_or_text(u, &name),
            None => escape(&name),
        };
        parts.push(match &p.network {
            Some(network) => format!("{}: {shown}", escape(network)),
            None => shown,
        });
    }
    if let Some(image) = &b.image {
        let label = doc.locale.labels.photo.as_str();
        parts.push(match image.live() {
            Some(_) => link_or_text(image, label),
            None => format!("{}: {}", escape(label), escape(&image.url)),
        });
    }
    parts.join(" · ")
}

fn section(section: &Section, out: &mut String) {
    out.push_str(&format!("## {}\n\n", escape(&section.title)));
    if section.kind.is_compact() {
        for entry in &section.entries {
            out.push_str(&format!("- {}\n", compact_entry(entry)));
        }
        out.push('\n');
        return;
    }
    for (i, entry) in section.entries.iter().enumerate() {
        // An entry with no heading of its own would read as part of the one before.
        if i > 0 && entry.title.is_none() && entry.organization.is_none() {
            out.push_str("---\n\n");
        }
        self::entry(entry, out);
    }
}

/// Skills, languages, interests: one line each.
fn compact_entry(entry: &Entry) -> String {
    let mut line = entry
        .title
        .as_ref()
        .map(|t| format!("**{}**", inline(t)))
        .unwrap_or_default();
    if let Some(level) = &entry.level {
        line.push_str(&format!(" ({})", inline(level)));
    }
    if !entry.keywords.is_empty() {
        let sep = if line.is_empty() { "" } else { ": " };
        line.push_str(sep);
        line.push_str(
            &entry
                .keywords
                .iter()
                .map(|k| escape(k))
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    line
}

fn entry(entry: &Entry, out: &mut String) {
    let heading: Vec<String> = [&entry.title, &entry.organization]
        .into_iter()
        .flatten()
        .map(inline)
        .collect();
    if !heading.is_empty() {
        out.push_str(&format!("### {}\n\n", heading.join(" · ")));
    }
    let mut meta: Vec<String> = Vec::new();
    if let Some(location) = &entry.location {
        meta.push(escape(location));
    }
    if let Some(dates) = &entry.dates {
        meta.push(escape(&dates.text));
    }
    if let Some(u) = &entry.url {
        meta.push(link_or_text(u, &u.url));
    }
    if let Some(level) = &entry.level {
        meta.push(inline(level));
    }
    if !meta.is_empty() {
        out.push_str(&format!("*{}*\n\n", meta.join(" · ")));
    }
    if let Some(description) = &entry.description {
        out.push_str(&format!("{}\n\n", inline(description)));
    }
    blocks(&entry.summary, out);
    if !entry.highlights.is_empty() {
        for h in &entry.highlights {
            out.push_str(&format!("- {}\n", inline(&h.text)));
        }
        out.push('\n');
    }
    let mut facts: Vec<String> = entry
        .facts
        .iter()
        .map(|f| format!("**{}:** {}", escape(&f.label), escape(&f.value)))
        .collect();
    if !entry.keywords.is_empty() {
        facts.push(
            entry
                .keywords
                .iter()
                .map(|k| format!("`{}`", code(k)))
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    if !facts.is_empty() {
        out.push_str(&facts.join("  \n"));
        out.push_str("\n\n");
    }
}

fn blocks(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph(p) => out.push_str(&format!("{}\n\n", inline(p))),
            Block::List { ordered, items } => {
                // `*`, not the highlights' `-`: CommonMark joins adjacent lists with the same
                // marker into one.
                for (i, item) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}.", i + 1)
                    } else {
                        "*".to_string()
                    };
                    out.push_str(&format!("{marker} {}\n", inline(item)));
                }
                out.push('\n');
            }
        }
    }
}

/// Markdown for inline text; literal text is escaped so it renders as written.
pub fn inline(inline: &Inline) -> String {
    let mut out = String::new();
    spans(&inline.0, &mut out);
    escape_line_start(&out)
}

fn spans(spans: &[Span], out: &mut String) {
    for span in spans {
        match span {
            Span::Text(t) => out.push_str(&escape(t)),
            Span::Strong(c) => {
                out.push_str("**");
                self::spans(c, out);
                out.push_str("**");
            }
            Span::Emph(c) => {
                out.push('*');
                self::spans(c, out);
                out.push('*');
            }
            Span::Code(c) => {
                // GitHub's autolinks run on through a backtick: `http://x` glued to a code span
                // would swallow its opening backtick and let its text be read as Markdown (a
                // `<javascript:…>` autolink). A space keeps them apart.
                if ends_in_autolink(out) {
                    out.push(' ');
                }
                out.push_str(&format!("`{}`", code(c)));
            }
            Span::Link { url: u, body } => {
                out.push('[');
                self::spans(body, out);
                out.push_str(&format!("]({})", destination(u)));
            }
        }
    }
}

/// Whether the text so far ends in a word that GitHub reads as an autolink.
fn ends_in_autolink(out: &str) -> bool {
    let word = out.rsplit(char::is_whitespace).next().unwrap_or("");
    word.contains("://") || word.contains("www.") || word.contains('@')
}

/// Inline code cannot hold a backtick inside single backticks; a look-alike keeps it readable.
/// A line break, or a blank line, would end the code span and let what follows be read as
/// Markdown (a link definition, raw HTML), so white space is folded to single spaces.
fn code(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('`', "ˋ")
}

/// Escapes characters Markdown would read as markup anywhere in a line.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            // Not `\<`: GitHub's autolinks take a URL up to `<`, backslash included, which
            // leaves the `<` to start raw HTML. An entity is never HTML.
            '<' => out.push_str("&lt;"),
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("&amp;")
            }
            '\n' => out.push(' '),
            _ => out.push(c),
        }
    }
    out
}

/// Escapes what would make a line a heading, list, quote or rule.
fn escape_line_start(line: &str) -> String {
    let first = line.chars().next();
    let second = line.chars().nth(1);
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if matches!(first, Some('#' | '>' | '='))
        || (matches!(first, Some('-' | '+')) && matches!(second, None | Some(' ' | '-')))
    {
        return format!("\\{line}");
    }
    let mut rest = line[digits..].chars();
    if digits > 0
        && matches!(rest.next(), Some('.' | ')'))
        && matches!(rest.next(), None | Some(' '))
    {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_string()
}

/// `[text](url)` for a live link, else the escaped text alone.
fn link_or_text(link: &Link, text: &str) -> String {
    match link.live() {
        Some(url) => format!("[{}]({})", escape(text), destination(url)),
        None => escape(text),
    }
}

/// A link destination that no URL can break out of. CommonMark reads backslash escapes and
/// entity references inside a destination, so `javascript\:` or `javascript&colon;` would turn
/// a harmless relative URL into a script; those are escaped, and anything that could end the
/// destination (a space, a parenthesis, `<`, `>`, a line break) puts it in `<…>` with `<`, `>`
/// and white space percent-encoded.
fn destination(u: &LiveUrl) -> String {
    let mut out = String::with_capacity(u.len() + 2);
    let mut chars = u.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("&amp;")
            }
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            c if c.is_whitespace() || c.is_control() => {
                let mut buf = [0u8; 4];
                for byte in c.encode_utf8(&mut buf).bytes() {
                    out.push_str(&format!("%{byte:02X}"));
                }
            }
            c => out.push(c),
        }
    }
    if u.contains(|c: char| matches!(c, '(' | ')' | '<' | '>') || c.is_whitespace()) {
        format!("<{out}>")
    } else {
        out
    }
}

#[cfg(test)]
mod tests {
    use crate::markup::parse_inline;

    #[test]
    fn a_url_glued_to_code_does_not_swallow_it() {
        assert_eq!(
            super::inline(&parse_inline("http:\\//f`<javascript:>`")),
            "http://f `<javascript:>`"
        );
        assert_eq!(super::inline(&parse_inline("run `make`")), "run `make`");
        assert_eq!(super::inline(&parse_inline("a`b`")), "a`b`");
    }
}
