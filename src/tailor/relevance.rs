//! `vitae match`: how a résumé covers a job posting, offline and explainably. The posting's
//! terms are the technologies of a bundled vocabulary (with their aliases: `k8s` is Kubernetes),
//! the résumé's own keywords, skills and tags that the posting names, and the posting's salient
//! phrases (see [`super::phrases`]). Highlights and entries
//! are ranked by BM25 over those terms, weighted towards recent entries. Nothing is rewritten:
//! the report only says where each term is and which highlights carry the most of them.

use crate::model::document::Document;
use indexmap::IndexMap;
use std::collections::HashSet;
use std::sync::LazyLock;

/// The bundled vocabulary: canonical name → aliases.
static VOCABULARY: LazyLock<IndexMap<String, Vec<String>>> = LazyLock::new(|| {
    // Checked by the unit test `the_vocabulary_parses`, so this is never reached.
    serde_yaml::from_str(include_str!("vocabulary.yaml"))
        .unwrap_or_else(|e| panic!("src/tailor/vocabulary.yaml is malformed: {e}"))
});

/// BM25's term-frequency saturation and length normalisation, at their usual values.
const K1: f64 = 1.2;
const B: f64 = 0.75;

/// How much an entry's age lowers its highlights' scores: the n-th entry of a section (0 is the
/// most recent) counts `1 / (1 + RECENCY * n)`.
const RECENCY: f64 = 0.15;

/// A term of the posting and where the résumé shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Coverage {
    /// The term as the vocabulary or the résumé names it, e.g. "Kubernetes".
    pub term: String,
    /// Fields of the résumé that show it, e.g. `work[0].highlights[2]`; empty when it lacks it.
    pub found_in: Vec<String>,
}

/// A highlight (or an entry without highlights) and why it is relevant.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Ranked {
    /// Where it is, e.g. `work[0].highlights[1]`.
    pub path: String,
    pub text: String,
    /// BM25 times the recency weight, rounded to three decimals so reports compare exactly.
    pub score: f64,
    /// The posting's terms it contains.
    pub terms: Vec<String>,
}

/// What `vitae match` reports.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MatchReport {
    /// Every term of the posting, in the order the posting first names them.
    pub terms: Vec<Coverage>,
    /// Highlights and entries that contain at least one term, most relevant first.
    pub ranked: Vec<Ranked>,
}

impl MatchReport {
    /// The terms the résumé shows.
    pub fn covered(&self) -> impl Iterator<Item = &Coverage> {
        self.terms.iter().filter(|t| !t.found_in.is_empty())
    }

    /// The terms the résumé lacks.
    pub fn missing(&self) -> impl Iterator<Item = &Coverage> {
        self.terms.iter().filter(|t| t.found_in.is_empty())
    }
}

/// Technologies named by an everyday English word: they count only when written with their
/// capital ("Go", not "go live"), or by an alias ("golang").
const EVERYDAY: [&str; 8] = [
    "Go", "Rust", "REST", "Ruby", "Spark", "Lambda", "React", "Swift",
];

/// A term with every way of writing it, each as a sequence of words.
pub(super) struct Term {
    pub(super) name: String,
    /// Lower-case forms.
    pub(super) forms: Vec<Vec<String>>,
    /// The name as written, for an everyday word, matched in its case only.
    pub(super) cased: Option<Vec<String>>,
}

impl Term {
    pub(super) fn new(name: &str, aliases: &[String]) -> Term {
        let everyday = EVERYDAY.contains(&name);
        let own = (!everyday).then_some(name);
        let mut forms: Vec<Vec<String>> = own
            .into_iter()
            .chain(aliases.iter().map(String::as_str))
            .map(words)
            .filter(|w| !w.is_empty())
            .collect();
        forms.dedup();
        Term {
            name: name.to_string(),
            forms,
            cased: everyday.then(|| cased_words(name)),
        }
    }

    /// How many times the term occurs in a text split into words.
    pub(super) fn count(&self, text: &Words) -> usize {
        let occurrences = |haystack: &[String], form: &[String]| {
            haystack.windows(form.len()).filter(|w| *w == form).count()
        };
        let aliases: usize = self.forms.iter().map(|f| occurrences(&text.lower, f)).sum();
        aliases
            + self
                .cased
                .as_ref()
                .map_or(0, |c| occurrences(&text.cased, c))
    }
}

/// A text's words, lower-case and as written.
pub(super) struct Words {
    pub(super) lower: Vec<String>,
    pub(super) cased: Vec<String>,
}

impl Words {
    pub(super) fn of(text: &str) -> Words {
        Words {
            lower: words(text),
            cased: cased_words(text),
        }
    }
}

/// Lower-case words; see [`cased_words`].
fn words(text: &str) -> Vec<String> {
    cased_words(&text.to_lowercase())
}

/// Words as written; `+`, `#`, `.` and `/` stay inside a word (C++, C#, Node.js, CI/CD), and a
/// trailing dot (the end of a sentence) is not part of it.
pub(super) fn cased_words(text: &str) -> Vec<String> {
    word_slices(text).map(str::to_string).collect()
}

/// [`cased_words`] as slices of `text`, for callers that keep only a few of them.
pub(crate) fn word_slices(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || "+#./-".contains(c)))
        .map(|w| {
            w.trim_end_matches(['.', '/', '-'])
                .trim_start_matches(['/', '-'])
        })
        .filter(|w| !w.is_empty())
}

/// The terms `posting` names: vocabulary terms and the résumé's own keywords, skills and tags,
/// in the order the posting first names them.
fn posting_terms(doc: &Document, posting: &str) -> Vec<Term> {
    let mut candidates: Vec<Term> = VOCABULARY
        .iter()
        .map(|(name, aliases)| Term::new(name, aliases))
        .collect();
    // Every form and lower-case name of the candidates so far, so that a résumé with thousands
    // of keywords costs a lookup per keyword, not a pass over every term.
    let mut forms: HashSet<Vec<String>> = candidates
        .iter()
        .flat_map(|t| t.forms.iter().cloned())
        .collect();
    let mut names: HashSet<String> = candidates.iter().map(|t| t.name.to_lowercase()).collect();
    let mut own: Vec<String> = Vec::new();
    for section in &doc.sections {
        for entry in &section.entries {
            own.extend(entry.keywords.iter().cloned());
            own.extend(entry.tags.iter().cloned());
            if section.kind == crate::model::document::SectionKind::Skills
                && let Some(title) = &entry.title
            {
                own.push(title.plain());
            }
        }
    }
    for name in own {
        let known = forms.contains(&words(&name)) || names.contains(&name.to_lowercase());
        if !name.trim().is_empty() && !known {
            let term = Term::new(name.trim(), &[]);
            forms.extend(term.forms.iter().cloned());
            names.insert(term.name.to_lowercase());
            candidates.push(term);
        }
    }
    let named = first_positions(&candidates, posting);
    candidates
        .into_iter()
        .zip(named)
        .filter_map(|(t, at)| at.map(|_| t))
        .collect()
}

/// Where the posting first names each of `terms`, in words; `None` where it does not.
///
/// One pass over the posting's words (lower-case, then as written), each looked up among the
/// words that end a form: a posting of half a million words costs half a million lookups, not
/// a pass per term, and its words are never copied.
fn first_positions(terms: &[Term], posting: &str) -> Vec<Option<usize>> {
    let mut lower = Ends::default();
    let mut cased = Ends::default();
    for (i, t) in terms.iter().enumerate() {
        for form in &t.forms {
            lower.add(i, form);
        }
        if let Some(form) = &t.cased {
            cased.add(i, form);
        }
    }
    let mut found: Vec<Option<usize>> = vec![None; terms.len()];
    lower.scan(word_slices(&posting.to_lowercase()), &mut found);
    cased.scan(word_slices(posting), &mut found);
    found
}

/// Forms of terms by their last word, to be found in one pass over a text. (hashbrown's map
/// hashes with foldhash: a posting's every word is looked up, and SipHash was most of that.)
#[derive(Default)]
struct Ends<'t> {
    forms: hashbrown::HashMap<&'t str, Vec<(usize, &'t [String])>>,
    longest: usize,
}

impl<'t> Ends<'t> {
    fn add(&mut self, term: usize, form: &'t [String]) {
        if let Some(last) = form.last() {
            self.forms.entry(last).or_default().push((term, form));
            self.longest = self.longest.max(form.len());
        }
    }

    /// Lowers `found[t]` to where a form of term `t` starts in `words`, if that is earlier.
    fn scan<'w>(&self, words: impl Iterator<Item = &'w str>, found: &mut [Option<usize>]) {
        if self.longest == 0 {
            return;
        }
        // The last words read, as many as the longest form has: all a form ending here needs.
        let mut recent: std::collections::VecDeque<&str> =
            std::collections::VecDeque::with_capacity(self.longest);
        for (at, word) in words.enumerate() {
            if recent.len() == self.longest {
                recent.pop_front();
            }
            recent.push_back(word);
            let Some(forms) = self.forms.get(word) else {
                continue;
            };
            for &(t, form) in forms {
                let Some(skip) = recent.len().checked_sub(form.len()) else {
                    continue;
                };
                let start = at + 1 - form.len();
                if found[t].is_none_or(|f| start < f)
                    && recent.iter().skip(skip).zip(form).all(|(w, f)| w == f)
                {
                    found[t] = Some(start);
                }
            }
        }
    }
}

/// How `doc` covers the posting `posting` (plain text or Markdown).
pub fn match_posting(doc: &Document, posting: &str) -> MatchReport {
    let texts: Vec<(String, Words)> = doc
        .texts()
        .into_iter()
        // `basics.summary#1` is the second paragraph of one field: name the field.
        .map(|(path, text)| (field_of(path), Words::of(&text)))
        .collect();
    let mut terms = posting_terms(doc, posting);
    let resume: Vec<&Words> = texts.iter().map(|(_, w)| w).collect();
    let phrases = super::phrases::salient(posting, &terms, &resume);
    terms.extend(phrases);
    // In the order the posting first names them; ties (one word starting two terms) by name.
    let firsts = first_positions(&terms, posting);
    let mut ordered: Vec<(Option<usize>, Term)> = firsts.into_iter().zip(terms).collect();
    ordered.sort_by(|(a, s), (b, t)| a.cmp(b).then_with(|| s.name.cmp(&t.name)));
    let terms: Vec<Term> = ordered.into_iter().map(|(_, t)| t).collect();
    let coverage = terms
        .iter()
        .map(|t| Coverage {
            term: t.name.clone(),
            found_in: {
                let mut found: Vec<String> = texts
                    .iter()
                    .filter(|(_, w)| t.count(w) > 0)
                    .map(|(p, _)| p.clone())
                    .collect();
                found.dedup();
                found
            },
        })
        .collect();
    MatchReport {
        terms: coverage,
        ranked: rank(doc, &terms),
    }
}

fn field_of(path: String) -> String {
    match path.split_once('#') {
        Some((field, _)) => field.to_string(),
        None => path,
    }
}

/// The units ranked: every highlight, and every entry that has none (by its title, organisation
/// and summary), each with the recency weight of its entry.
fn units(doc: &Document) -> Vec<(String, String, f64)> {
    let mut out = Vec::new();
    for section in &doc.sections {
        for (n, entry) in section.entries.iter().enumerate() {
            let weight = 1.0 / (1.0 + RECENCY * n as f64);
            if entry.highlights.is_empty() {
                let mut parts: Vec<String> =
                    [&entry.title, &entry.organization, &entry.description]
                        .into_iter()
                        .flatten()
                        .map(|i| i.plain())
                        .collect();
                parts.extend(entry.keywords.iter().cloned());
                out.push((entry.source.clone(), parts.join(" · "), weight));
            }
            for h in &entry.highlights {
                out.push((h.source.clone(), h.text.plain(), weight));
            }
        }
    }
    out
}

fn rank(doc: &Document, terms: &[Term]) -> Vec<Ranked> {
    let units = units(doc);
    let tokenised: Vec<Words> = units.iter().map(|(_, t, _)| Words::of(t)).collect();
    let n = tokenised.len() as f64;
    let average = tokenised.iter().map(|w| w.lower.len()).sum::<usize>() as f64 / n.max(1.0);
    let idf: Vec<f64> = terms
        .iter()
        .map(|t| {
            let df = tokenised.iter().filter(|w| t.count(w) > 0).count() as f64;
            ((n - df + 0.5) / (df + 0.5) + 1.0).ln()
        })
        .collect();
    let mut ranked: Vec<Ranked> = units
        .iter()
        .zip(&tokenised)
        .filter_map(|((path, text, weight), w)| {
            let len = w.lower.len() as f64;
            let mut score = 0.0;
            let mut found = Vec::new();
            for (t, idf) in terms.iter().zip(&idf) {
                let tf = t.count(w) as f64;
                if tf > 0.0 {
                    score +=
                        idf * tf * (K1 + 1.0) / (tf + K1 * (1.0 - B + B * len / average.max(1.0)));
                    found.push(t.name.clone());
                }
            }
            (!found.is_empty()).then(|| Ranked {
                path: path.clone(),
                text: text.clone(),
                score: (score * weight * 1000.0).round() / 1000.0,
                terms: found,
            })
        })
        .collect();
    // Ties keep the résumé's order: the same posting always gives the same report.
    ranked.sort_by(|a, b| b.score.total_cmp(&a.score));
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(highlights: &[(&str, &[&str])]) -> Document {
        use crate::markup::{Inline, Span};
        use crate::model::document::{Entry, Highlight, Section, SectionKind};
        let entries = highlights
            .iter()
            .enumerate()
            .map(|(e, (org, hs))| Entry {
                source: format!("work[{e}]"),
                organization: Some(Inline(vec![Span::Text(org.to_string())])),
                highlights: hs
                    .iter()
                    .enumerate()
                    .map(|(h, text)| Highlight {
                        source: format!("work[{e}].highlights[{h}]"),
                        text: Inline(vec![Span::Text(text.to_string())]),
                        tags: Vec::new(),
                    })
                    .collect(),
                ..Entry::default()
            })
            .collect();
        Document {
            photo: None,
            lang: "en".into(),
            locale: crate::locale::Locale::for_lang("en").clone(),
            basics: Default::default(),
            sections: vec![Section {
                id: "work".into(),
                kind: SectionKind::Work,
                title: "Experience".into(),
                entries,
            }],
            meta: Default::default(),
        }
    }

    #[test]
    fn more_and_rarer_terms_rank_higher_and_recent_roles_win_ties() {
        let d = doc(&[
            (
                "Acme",
                &[
                    "Ran Kubernetes",
                    "Wrote Go services on Kubernetes with Postgres",
                ],
            ),
            ("Initech", &["Ran Kubernetes"]),
        ]);
        let report = match_posting(&d, "Golang, k8s and PostgreSQL; go live fast.");
        let order: Vec<&str> = report.ranked.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(
            order,
            [
                "work[0].highlights[1]",
                "work[0].highlights[0]",
                "work[1].highlights[0]"
            ]
        );
        assert_eq!(report.ranked[0].terms, ["Go", "Kubernetes", "PostgreSQL"]);
        let terms: Vec<&str> = report.terms.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(terms, ["Go", "Kubernetes", "PostgreSQL"]);
        assert_eq!(report.missing().count(), 0);
        let report = match_posting(&d, "Haskell and Kubernetes");
        let missing: Vec<&str> = report.missing().map(|t| t.term.as_str()).collect();
        assert_eq!(missing, ["Haskell"]);
    }

    #[test]
    fn first_places_from_the_index_are_those_of_a_plain_search() {
        // The plain search: each form looked for from the start of the posting.
        let first_at = |t: &Term, posting: &Words| {
            let at = |haystack: &[String], form: &[String]| {
                haystack.windows(form.len()).position(|w| w == form)
            };
            t.forms
                .iter()
                .filter_map(|form| at(&posting.lower, form))
                .chain(t.cased.iter().filter_map(|c| at(&posting.cased, c)))
                .min()
        };
        let mut terms: Vec<Term> = VOCABULARY
            .iter()
            .map(|(name, aliases)| Term::new(name, aliases))
            .collect();
        terms.push(Term::new("Google Cloud Platform", &["gcp".into()]));
        let pool = [
            "Go",
            "go",
            "golang",
            "google",
            "Google",
            "cloud",
            "Cloud",
            "Platform",
            "k8s",
            "Kubernetes",
            "İstanbul",
            "Spark",
            "spark",
            "C++",
            "node.js",
            "and",
            "REST",
            "rest",
        ];
        let mut state = 7u64;
        let mut found = 0;
        for round in 0..200 {
            let text: Vec<&str> = (0..(round % 13) * 5)
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    pool[(state >> 33) as usize % pool.len()]
                })
                .collect();
            let text = text.join(" ");
            let indexed = first_positions(&terms, &text);
            let posting = Words::of(&text);
            found += indexed.iter().flatten().count();
            let plain: Vec<Option<usize>> = terms.iter().map(|t| first_at(t, &posting)).collect();
            assert_eq!(indexed, plain, "{text:?}");
        }
        assert!(found > 500, "{found}");
    }

    #[test]
    fn the_vocabulary_parses() {
        assert!(VOCABULARY.len() > 40);
        assert_eq!(VOCABULARY["Kubernetes"], ["k8s", "kube"]);
    }

    #[test]
    fn words_keep_the_marks_of_technology_names() {
        assert_eq!(
            words("C++, C#, Node.js and CI/CD. Go-to person."),
            ["c++", "c#", "node.js", "and", "ci/cd", "go-to", "person"]
        );
    }

    #[test]
    fn aliases_count_as_their_term_as_whole_words() {
        let k8s = Term::new("Kubernetes", &["k8s".into()]);
        assert_eq!(k8s.count(&Words::of("Runs on k8s and Kubernetes")), 2);
        assert_eq!(k8s.count(&Words::of("k8sfoo")), 0);
        let pg = Term::new("PostgreSQL", &["postgres".into()]);
        assert_eq!(pg.count(&Words::of("We use Postgres.")), 1);
        let multi = Term::new("GCP", &["google cloud".into()]);
        assert_eq!(multi.count(&Words::of("on Google Cloud today")), 1);
    }

    #[test]
    fn an_everyday_word_counts_only_with_its_capital_or_an_alias() {
        let go = Term::new("Go", &["golang".into()]);
        assert_eq!(go.count(&Words::of("Services in Go; golang experts")), 2);
        assert_eq!(go.count(&Words::of("ready to go live")), 0);
    }
}
