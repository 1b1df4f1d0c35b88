//! Inline Markdown in résumé text, parsed once (with comrak) into a small tree that every
//! exporter renders: bold, italic, code and links. Everything else stays literal text.

use comrak::nodes::{AstNode, ListType, NodeValue};
use comrak::{Arena, Options, parse_document};
use serde::{Deserialize, Serialize};

use crate::link::LiveUrl;

/// One piece of inline text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Span {
    /// Literal text, to be shown exactly as written.
    Text(String),
    Strong(Vec<Span>),
    Emph(Vec<Span>),
    /// Inline code, shown in a monospace face.
    Code(String),
    /// A link the link policy allows; a refused one is parsed as its text.
    Link {
        url: LiveUrl,
        body: Vec<Span>,
    },
}

/// A run of inline text: a one-line field, a paragraph, a list item.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Inline(pub Vec<Span>);

/// A block of a multi-paragraph field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Block {
    Paragraph(Inline),
    List { ordered: bool, items: Vec<Inline> },
}

impl Inline {
    /// Text without markup, e.g. for PDF metadata, fit reports and sorting.
    pub fn plain(&self) -> String {
        let mut out = String::new();
        push_plain(&self.0, &mut out);
        out
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `parts` one after another with `separator` between them, as one run of text.
    pub fn join(parts: impl IntoIterator<Item = Inline>, separator: &str) -> Inline {
        let mut spans = Vec::new();
        for part in parts {
            if !spans.is_empty() {
                spans.push(Span::Text(separator.to_string()));
            }
            spans.extend(part.0);
        }
        Inline(merge_text(spans))
    }

    /// Literal text that is not parsed as Markdown (URLs, e-mail addresses).
    pub fn literal(text: &str) -> Inline {
        Inline(vec![Span::Text(text.to_string())])
    }
}

fn push_plain(spans: &[Span], out: &mut String) {
    for span in spans {
        match span {
            Span::Text(t) | Span::Code(t) => out.push_str(t),
            Span::Strong(c) | Span::Emph(c) | Span::Link { body: c, .. } => push_plain(c, out),
        }
    }
}

fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.autolink = true;
    options
}

/// Parses a one-line field: inline markup only. A leading `- `, `# `, `1. ` and the like stays
/// literal text instead of becoming a list or heading. A link the link policy refuses becomes
/// its text.
pub fn parse_inline(text: &str) -> Inline {
    parse_inline_reporting(text, &mut Vec::new())
}

/// [`parse_inline`], adding to `refused` every URL the link policy kept from being a link.
pub fn parse_inline_reporting(text: &str, refused: &mut Vec<String>) -> Inline {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        return Inline::default();
    }
    let protected = protect_block_start(&line);
    let arena = Arena::new();
    let root = parse_document(&arena, &protected, &options());
    let mut spans = Vec::new();
    for block in root.children() {
        if !spans.is_empty() {
            spans.push(Span::Text(" ".into()));
        }
        collect_block_text(block, &mut spans, 0, refused);
    }
    Inline(merge_text(spans))
}

/// Parses a summary-like field: paragraphs and bullet or numbered lists. A link the link policy
/// refuses becomes its text.
pub fn parse_blocks(text: &str) -> Vec<Block> {
    parse_blocks_reporting(text, &mut Vec::new())
}

/// [`parse_blocks`], adding to `refused` every URL the link policy kept from being a link.
pub fn parse_blocks_reporting(text: &str, refused: &mut Vec<String>) -> Vec<Block> {
    let arena = Arena::new();
    let root = parse_document(&arena, text, &options());
    let mut blocks = Vec::new();
    for node in root.children() {
        let list_type = match &node.data().value {
            NodeValue::List(list) => Some(list.list_type),
            _ => None,
        };
        match list_type {
            Some(kind) => {
                let items = node
                    .children()
                    .map(|item| {
                        let mut spans = Vec::new();
                        for (i, child) in item.children().enumerate() {
                            if i > 0 {
                                spans.push(Span::Text(" ".into()));
                            }
                            collect_block_text(child, &mut spans, 0, refused);
                        }
                        Inline(merge_text(spans))
                    })
                    .collect();
                blocks.push(Block::List {
                    ordered: kind == ListType::Ordered,
                    items,
                });
            }
            None => {
                let mut spans = Vec::new();
                collect_block_text(node, &mut spans, 0, refused);
                let inline = Inline(merge_text(spans));
                if !inline.is_empty() {
                    blocks.push(Block::Paragraph(inline));
                }
            }
        }
    }
    blocks
}

/// How deeply markup may nest before the rest is kept as plain text. Real text nests two or
/// three levels (a link in bold); a line of 5,000 asterisks nests 2,500, and every renderer
/// walks the tree recursively, so the depth is bounded here, once, for all of them.
const MAX_DEPTH: usize = 12;

/// The inline content of any block; blocks vitae does not render as such (headings, quotes,
/// code blocks, nested lists) contribute their text.
fn collect_block_text<'a>(
    node: &'a AstNode<'a>,
    out: &mut Vec<Span>,
    depth: usize,
    refused: &mut Vec<String>,
) {
    if depth > MAX_DEPTH {
        out.push(Span::Text(flat_text(node)));
        return;
    }
    let value = node.data().value.clone();
    match value {
        NodeValue::Paragraph | NodeValue::Heading(_) => collect_inlines(node, out, depth, refused),
        NodeValue::CodeBlock(code) => out.push(Span::Code(code.literal.trim_end().to_string())),
        NodeValue::HtmlBlock(html) => out.push(Span::Text(html.literal.trim_end().to_string())),
        NodeValue::ThematicBreak => {}
        _ => {
            for (i, child) in node.children().enumerate() {
                if i > 0 {
                    out.push(Span::Text(" ".into()));
                }
                collect_block_text(child, out, depth + 1, refused);
            }
        }
    }
}

fn collect_inlines<'a>(
    node: &'a AstNode<'a>,
    out: &mut Vec<Span>,
    depth: usize,
    refused: &mut Vec<String>,
) {
    for child in node.children() {
        let value = child.data().value.clone();
        match value {
            NodeValue::Text(t) => out.push(Span::Text(t.into_owned())),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(Span::Text(" ".into())),
            NodeValue::Code(code) => out.push(Span::Code(code.literal)),
            NodeValue::HtmlInline(html) | NodeValue::Raw(html) => out.push(Span::Text(html)),
            _ if depth >= MAX_DEPTH => out.push(Span::Text(flat_text(child))),
            NodeValue::Strong => out.push(Span::Strong(children(child, depth + 1, refused))),
            NodeValue::Emph => out.push(Span::Emph(children(child, depth + 1, refused))),
            NodeValue::Link(link) => match LiveUrl::new(link.url) {
                Ok(url) => out.push(Span::Link {
                    url,
                    body: children(child, depth + 1, refused),
                }),
                Err(_) => {
                    refused.push(link_url(child));
                    out.extend(children(child, depth + 1, refused));
                }
            },
            // An image in a résumé line is shown by its description.
            _ => collect_inlines(child, out, depth + 1, refused),
        }
    }
}

fn children<'a>(node: &'a AstNode<'a>, depth: usize, refused: &mut Vec<String>) -> Vec<Span> {
    let mut out = Vec::new();
    collect_inlines(node, &mut out, depth, refused);
    merge_text(out)
}

/// The URL of a link node, for a message.
fn link_url<'a>(node: &'a AstNode<'a>) -> String {
    match &node.data().value {
        NodeValue::Link(link) => link.url.clone(),
        _ => String::new(),
    }
}

/// The text of a subtree, gathered without recursion.
fn flat_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut text = String::new();
    for descendant in node.descendants() {
        match &descendant.data().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(code) => text.push_str(&code.literal),
            NodeValue::CodeBlock(code) => text.push_str(code.literal.trim_end()),
            NodeValue::HtmlInline(html) | NodeValue::Raw(html) => text.push_str(html),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            _ => {}
        }
    }
    text
}

/// Joins adjacent text spans (comrak splits text at every special character).
fn merge_text(spans: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for span in spans {
        match (out.last_mut(), span) {
            (Some(Span::Text(prev)), Span::Text(next)) => prev.push_str(&next),
            (_, span) => out.push(span),
        }
    }
    out
}

/// Escapes what would make a one-line field start a block (list, heading, quote, fence,
/// thematic break, HTML block, link reference definition).
fn protect_block_start(line: &str) -> String {
    let bytes = line.as_bytes();
    let first = bytes[0];
    let next = bytes.get(1).copied();
    let escape_first = match first {
        b'#' | b'>' | b'=' => true,
        b'-' | b'+' | b'*' => matches!(next, None | Some(b' ')) || is_thematic_break(line),
        b'_' => is_thematic_break(line),
        b'`' | b'~' => line.starts_with("```") || line.starts_with("~~~"),
        b'<' => {
            next.is_some_and(|c| c.is_ascii_alphabetic() || b"/!?".contains(&c))
                && !line[1..]
                    .split('>')
                    .next()
                    .unwrap_or("")
                    .contains([':', '@'])
        }
        b'[' => line
            .split_once("]:")
            .is_some_and(|(label, _)| !label.contains(']')),
        _ => false,
    };
    if escape_first {
        return format!("\\{line}");
    }
    // `1. item` or `1) item`: escape the delimiter.
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits)
        && matches!(bytes.get(digits), Some(b'.' | b')'))
        && matches!(bytes.get(digits + 1), None | Some(b' '))
    {
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    line.to_string()
}

/// `---`, `* * *`, `___`: three or more of one marker, spaces allowed.
fn is_thematic_break(line: &str) -> bool {
    let marks: Vec<char> = line.chars().filter(|c| *c != ' ').collect();
    marks.len() >= 3 && matches!(marks[0], '-' | '*' | '_') && marks.iter().all(|c| *c == marks[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Span {
        Span::Text(s.into())
    }

    #[test]
    fn parses_inline_markup() {
        let inline = parse_inline("**Go** and *AWS*, `k8s`, [site](https://x.dev)");
        assert_eq!(
            inline.0,
            vec![
                Span::Strong(vec![t("Go")]),
                t(" and "),
                Span::Emph(vec![t("AWS")]),
                t(", "),
                Span::Code("k8s".into()),
                t(", "),
                Span::Link {
                    url: LiveUrl::new("https://x.dev").unwrap(),
                    body: vec![t("site")]
                },
            ]
        );
    }

    #[test]
    fn block_syntax_stays_literal_in_one_line_fields() {
        for text in [
            "- not a list",
            "+ plus",
            "# not a heading",
            "1. not numbered",
            "2) also",
            "> quote",
            "---",
            "[a]: b",
        ] {
            assert_eq!(parse_inline(text).plain(), text, "{text}");
        }
    }

    #[test]
    fn typst_and_html_syntax_is_text() {
        for text in [
            "#read(\"/etc/passwd\")",
            "$x$ <l> @r // /* ] \\",
            "<b>bold?</b>",
        ] {
            assert_eq!(
                parse_inline(text).plain(),
                text.replace("\\\\", "\\"),
                "{text}"
            );
        }
    }

    #[test]
    fn refused_links_are_parsed_as_their_text() {
        let mut refused = Vec::new();
        let inline = parse_inline_reporting(
            "a [x **y**](javascript:alert(1)) b <data:text/html,z> [ok](https://o.k)",
            &mut refused,
        );
        assert_eq!(refused, ["javascript:alert(1)", "data:text/html,z"]);
        assert_eq!(
            inline.0,
            vec![
                t("a x "),
                Span::Strong(vec![t("y")]),
                t(" b data:text/html,z "),
                Span::Link {
                    url: LiveUrl::new("https://o.k").unwrap(),
                    body: vec![t("ok")]
                },
            ]
        );
    }

    #[test]
    fn refused_links_in_lists_and_nested_links_are_text() {
        let mut refused = Vec::new();
        let blocks = parse_blocks_reporting(
            "- [a](vbscript:x)\n- [b](file:///etc/passwd)\n- **[c](JAVASCRIPT:x)**",
            &mut refused,
        );
        assert_eq!(
            refused,
            ["vbscript:x", "file:///etc/passwd", "JAVASCRIPT:x"]
        );
        assert_eq!(
            blocks,
            vec![Block::List {
                ordered: false,
                items: vec![
                    Inline(vec![t("a")]),
                    Inline(vec![t("b")]),
                    Inline(vec![Span::Strong(vec![t("c")])])
                ]
            }]
        );
    }

    #[test]
    fn deep_nesting_is_kept_as_text_without_recursing() {
        let line = format!("{}a{}", "*".repeat(9_000), "*".repeat(9_000));
        let inline = parse_inline(&line);
        assert_eq!(inline.plain(), "a");
        fn depth(spans: &[Span]) -> usize {
            spans
                .iter()
                .map(|s| match s {
                    Span::Strong(c) | Span::Emph(c) | Span::Link { body: c, .. } => 1 + depth(c),
                    _ => 0,
                })
                .max()
                .unwrap_or(0)
        }
        assert!(depth(&inline.0) <= MAX_DEPTH, "{}", depth(&inline.0));

        let quotes = format!("{}deep", "> ".repeat(5_000));
        assert_eq!(parse_blocks(&quotes).len(), 1);
    }

    #[test]
    fn parses_paragraphs_and_lists() {
        let blocks = parse_blocks("First *para*.\n\nSecond.\n\n- one\n- two **b**\n\n1. x");
        assert_eq!(blocks.len(), 4);
        assert!(matches!(&blocks[2], Block::List { ordered: false, items } if items.len() == 2));
        assert!(matches!(&blocks[3], Block::List { ordered: true, .. }));
    }
}
