//! Plain text: for application forms, e-mail and applicant-tracking systems. No markup
//! characters, links as `text (url)`, wrapped to a width.

use super::{Format, Rendered, Renderer};
use crate::Error;
use crate::markup::{Block, Inline, Span};
use crate::model::document::{Document, Entry, Section};
use textwrap::core::Word;
use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

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

/// The text of a document, wrapped at `width` columns (at least 20). Columns are display
/// columns: a CJK character takes two, a combining mark none.
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
        out.push_str(&format!("{title}\n{}\n\n", "=".repeat(title.width())));
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
                        let rest = " ".repeat(first.width());
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
            let fits = line.width() + sep.width() + item.width() <= self.width;
            if !line.is_empty() && !fits {
                out.push_str(&line);
                out.push('\n');
                line.clear();
            }
            if line.is_empty() && item.width() > self.width {
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
        // Break at spaces, and around CJK characters (see `words`): Unicode line breaking would
        // split URLs after `/` and hyphen splitting e-mail addresses and names.
        let options = Options::new(self.width)
            .initial_indent(first)
            .subsequent_indent(rest)
            .break_words(false)
            .word_separator(WordSeparator::Custom(words))
            .word_splitter(WordSplitter::NoHyphenation)
            // Optimal fit may let a line run past the width when that balances the paragraph;
            // forms and e-mail need a hard limit.
            .wrap_algorithm(WrapAlgorithm::FirstFit);
        let mut filled = textwrap::fill(text, options);
        filled.push('\n');
        filled
    }
}

/// The words a line may break between: runs ended by ASCII spaces, as elsewhere, and each CJK
/// character on its own, since Chinese and Japanese put no spaces between words. A break is
/// never put before closing punctuation (`。`, `」`) nor after opening punctuation (`「`), the
/// line-start and line-end rules of Japanese and Chinese typesetting. Hangul is left whole
/// between spaces: Korean separates words with spaces, and a résumé keeps them together.
fn words(line: &str) -> Box<dyn Iterator<Item = Word<'_>> + '_> {
    let mut starts: Vec<usize> = vec![0];
    let mut previous: Option<char> = None;
    for (i, c) in line.char_indices() {
        if let Some(p) = previous {
            let after_space = p == ' ' && c != ' ';
            let around_cjk = p != ' '
                && c != ' '
                && (breaks_around(p) || breaks_around(c))
                && !no_line_start(c)
                && !no_line_end(p)
                // A combining mark belongs to the character before it.
                && c.width() != Some(0);
            if after_space || around_cjk {
                starts.push(i);
            }
        }
        previous = Some(c);
    }
    starts.push(line.len());
    let words: Vec<Word<'_>> = starts
        .windows(2)
        .filter(|w| w[0] < w[1])
        .map(|w| Word::from(&line[w[0]..w[1]]))
        .collect();
    Box::new(words.into_iter())
}

/// A wide character of a script written without spaces between words: Han, kana, CJK
/// punctuation and full-width forms, but not Hangul.
fn breaks_around(c: char) -> bool {
    let hangul =
        matches!(c, '\u{1100}'..='\u{11FF}' | '\u{3130}'..='\u{318F}' | '\u{AC00}'..='\u{D7AF}');
    c.width() == Some(2) && !hangul
}

/// Characters a line may not start with: closing punctuation, small kana, the prolonged sound
/// mark, iteration marks.
fn no_line_start(c: char) -> bool {
    "、。，．・：；？！）」』】〕〉》〙〗｝］”’ー々〻ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ…‥〜～％,.:;!?)]}%"
        .contains(c)
}

/// Characters a line may not end with: opening punctuation.
fn no_line_end(c: char) -> bool {
    "（「『【〔〈《〘〖｛［“‘([{".contains(c)
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
                let target = url.strip_prefix("mailto:").unwrap_or(url.as_str());
                if text != target && !target.is_empty() {
                    out.push_str(&format!(" ({target})"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::document::SectionKind;

    fn fill(text: &str, width: usize) -> Vec<String> {
        Writer { width }
            .fill(text, "", "")
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn a_cjk_line_wraps_by_display_width() {
        let text = "負荷試験の自動化により、リリース前の性能劣化を早期に検出できるようにしました。";
        let lines = fill(text, 20);
        for line in &lines {
            assert!(line.width() <= 20, "{line:?} is {} columns", line.width());
        }
        assert_eq!(lines.concat(), text, "nothing is lost or added");
        assert_eq!(lines[0], "負荷試験の自動化によ");
        assert_eq!(lines[0].width(), 20);
        // Closing punctuation stays with the character before it.
        assert!(
            lines
                .iter()
                .all(|l| !l.starts_with('、') && !l.starts_with('。')),
            "{lines:?}"
        );
    }

    #[test]
    fn mixed_latin_and_cjk_wrap_at_spaces_and_between_ideographs() {
        let text = "在 Lantern Logistics 负责基于 Go 和 Kafka 的事件驱动系统设计与实现";
        let lines = fill(text, 20);
        for line in &lines {
            assert!(line.width() <= 20, "{line:?} is {} columns", line.width());
        }
        assert_eq!(
            lines,
            [
                "在 Lantern Logistics",
                "负责基于 Go 和 Kafka",
                "的事件驱动系统设计与",
                "实现",
            ]
        );
        // Latin words still break only at spaces.
        let url = "https://example.com/a/very/long/path/that/does/not/fit";
        assert_eq!(fill(&format!("见 {url}"), 20), ["见", url]);
    }

    #[test]
    fn hangul_breaks_only_at_spaces() {
        let lines = fill("대규모 트래픽을 처리하는 결제 시스템을 설계했습니다", 20);
        assert_eq!(
            lines,
            [
                "대규모 트래픽을",
                "처리하는 결제",
                "시스템을",
                "설계했습니다"
            ]
        );
    }

    #[test]
    fn combining_marks_take_no_column() {
        // "ééééé" with each accent a separate combining mark: 10 characters, 5 columns.
        let word = "e\u{301}".repeat(5);
        let text = [word.as_str(); 6].join(" ");
        let lines = fill(&text, 20);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert_eq!(lines[0], [word.as_str(); 3].join(" "));
        assert_eq!(lines[0].width(), 17);
    }

    #[test]
    fn underlines_and_item_lists_count_columns() {
        let w = Writer { width: 20 };
        let mut out = String::new();
        w.section(
            &Section {
                id: "work".into(),
                kind: SectionKind::Work,
                title: "職歴".into(),
                entries: Vec::new(),
            },
            &mut out,
        );
        assert_eq!(out, "職歴\n====\n\n");
        let items = [
            "東京都".to_string(),
            "大阪府".to_string(),
            "京都府".to_string(),
        ];
        // 6 + 3 + 6 = 15 columns fit; a third item would make 24.
        assert_eq!(w.join_wrapped(&items, " | "), "東京都 | 大阪府\n京都府\n");
    }
}
