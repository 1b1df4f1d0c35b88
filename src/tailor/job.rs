//! Building for a job posting: a variant made on the fly that orders each entry's highlights by
//! relevance to the posting and, under a page budget, keeps the most relevant. It only selects
//! and orders what the résumé holds: no word is rewritten, added or hidden in place.

use super::fit::Relevance;
use super::relevance::{MatchReport, match_posting, word_slices};
use crate::diag::{Diagnostic, Location, SourceFile};
use crate::model::document::Document;
use serde::Serialize;

/// The most words of a posting that are matched. A long posting has a few thousand; a file of
/// a million words (the 5 MiB `--job` may read) is not a posting, and matching all of it
/// would cost seconds of every build and hundreds of megabytes.
pub const MAX_POSTING_WORDS: usize = 50_000;

/// A job posting, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// Where it was read from, as given (`postings/acme.txt`, or `-`), for reports.
    pub name: String,
    /// The posting's text, plain text or Markdown: the whole file, or its first
    /// [`MAX_POSTING_WORDS`] words when it has more.
    pub text: String,
    /// Where the first word left out is, when the posting had more words than are matched.
    pub cut: Option<Location>,
}

impl Posting {
    /// A posting read from `name`: `text` as it is, or cut before its word number
    /// [`MAX_POSTING_WORDS`] + 1 (words as matching counts them).
    pub fn new(name: impl Into<String>, mut text: String) -> Posting {
        let name = name.into();
        // The slices point into `text`, so their distance from its start is their offset.
        let start = text.as_ptr() as usize;
        let cut_at = word_slices(&text).nth(MAX_POSTING_WORDS).map(|word| {
            word.as_ptr() as usize - start..word.as_ptr() as usize - start + word.len()
        });
        let cut = cut_at.map(|range| {
            let shown = if name == "-" { "<stdin>" } else { &name };
            let location = Location::at(&SourceFile::new(shown, text.as_str()), range.clone());
            text.truncate(range.start);
            location
        });
        Posting { name, text, cut }
    }

    /// The warning that only part of the posting is matched, located at the first word left
    /// out.
    pub fn cut_warning(&self) -> Option<Diagnostic> {
        let at = self.cut.clone()?;
        let name = if self.name == "-" {
            "<stdin>"
        } else {
            &self.name
        };
        Some(
            Diagnostic::warning(format!(
                "the job posting {name} has more than {MAX_POSTING_WORDS} words; only the first {MAX_POSTING_WORDS} are matched"
            ))
            .with_location(Some(at))
            .with_hint("a job posting has a few thousand words at most: is this the right file?"),
        )
    }

    /// What outputs built for this posting are called after: the file's stem (`acme`).
    pub fn stem(&self) -> String {
        std::path::Path::new(&self.name)
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| !s.is_empty() && *s != "-")
            .unwrap_or("job")
            .to_string()
    }
}

/// Which of a posting's terms a document shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Covered {
    /// Terms the document shows, in the posting's order.
    pub shown: Vec<String>,
    /// Terms it lacks.
    pub missing: Vec<String>,
}

impl Covered {
    pub fn of(report: &MatchReport) -> Covered {
        Covered {
            shown: report.covered().map(|c| c.term.clone()).collect(),
            missing: report.missing().map(|c| c.term.clone()).collect(),
        }
    }

    /// Terms shown here and not in `after`: what fitting left out.
    pub fn lost_in(&self, after: &Covered) -> Vec<String> {
        self.shown
            .iter()
            .filter(|t| !after.shown.contains(t))
            .cloned()
            .collect()
    }
}

/// How a built file covers its posting: the résumé as selected, and the file as laid out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobCoverage {
    /// The posting, as named.
    pub posting: String,
    /// Before fitting: what the selected résumé shows.
    pub before: Covered,
    /// After fitting: what the file shows.
    pub after: Covered,
}

/// `doc` with each entry's highlights ordered by relevance to `posting`, most relevant first;
/// highlights of equal relevance keep their order.
pub fn order(mut doc: Document, posting: &Posting) -> Document {
    let scores = relevance(&match_posting(&doc, &posting.text));
    let score = |source: &str| scores.get(source).copied().unwrap_or(0.0);
    for entry in doc.sections.iter_mut().flat_map(|s| s.entries.iter_mut()) {
        entry
            .highlights
            .sort_by(|a, b| score(&b.source).total_cmp(&score(&a.source)));
    }
    doc
}

/// Each ranked highlight's and entry's relevance, by source, for fitting.
pub fn relevance(report: &MatchReport) -> Relevance {
    report
        .ranked
        .iter()
        .map(|r| (r.path.clone(), r.score))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outputs_are_named_after_the_postings_file() {
        let named = |name: &str| Posting::new(name, String::new()).stem();
        assert_eq!(named("postings/acme.txt"), "acme");
        assert_eq!(named("backend.md"), "backend");
        assert_eq!(named("-"), "job");
        assert_eq!(named(""), "job");
    }

    #[test]
    fn a_posting_is_matched_up_to_its_word_limit_and_says_where_it_was_cut() {
        let words = |n: usize| (0..n).map(|i| format!("w{i}")).collect::<Vec<_>>();
        let whole = words(MAX_POSTING_WORDS).join(" ");
        let posting = Posting::new("acme.md", whole.clone());
        assert_eq!(
            (posting.text.as_str(), posting.cut_warning()),
            (whole.as_str(), None)
        );

        // One word more, on a second line: cut before it, and located there.
        let text = format!("{whole}\n  C++, and more");
        let posting = Posting::new("acme.md", text);
        assert_eq!(posting.text, format!("{whole}\n  "));
        let warning = posting.cut_warning().expect("cut");
        assert_eq!(
            warning.message,
            "the job posting acme.md has more than 50000 words; only the first 50000 are matched"
        );
        let at = warning.location.expect("located");
        assert_eq!((at.file.as_str(), at.line, at.column), ("acme.md", 2, 3));
        assert_eq!(at.line_text, "  C++, and more");
        assert_eq!(
            Posting::new("-", format!("{whole} x"))
                .cut
                .map(|at| at.file),
            Some("<stdin>".to_string())
        );
    }

    #[test]
    fn terms_lost_are_those_shown_before_and_not_after() {
        let before = Covered {
            shown: vec!["Go".into(), "Kafka".into(), "SQL".into()],
            missing: vec!["Spark".into()],
        };
        let after = Covered {
            shown: vec!["Go".into(), "SQL".into()],
            missing: vec!["Kafka".into(), "Spark".into()],
        };
        assert_eq!(before.lost_in(&after), ["Kafka"]);
        assert!(after.lost_in(&after).is_empty());
    }
}
