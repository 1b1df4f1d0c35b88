//! Building for a job posting: a variant made on the fly that orders each entry's highlights by
//! relevance to the posting and, under a page budget, keeps the most relevant. It only selects
//! and orders what the résumé holds: no word is rewritten, added or hidden in place.

use super::fit::Relevance;
use super::relevance::{MatchReport, match_posting};
use crate::model::document::Document;
use serde::Serialize;

/// A job posting, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posting {
    /// Where it was read from, as given (`postings/acme.txt`, or `-`), for reports.
    pub name: String,
    /// The posting's text: plain text or Markdown.
    pub text: String,
}

impl Posting {
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
        let named = |name: &str| {
            Posting {
                name: name.into(),
                text: String::new(),
            }
            .stem()
        };
        assert_eq!(named("postings/acme.txt"), "acme");
        assert_eq!(named("backend.md"), "backend");
        assert_eq!(named("-"), "job");
        assert_eq!(named(""), "job");
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
