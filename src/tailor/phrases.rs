//! Salient phrases of a job posting: the two- and three-word phrases it stresses (it says them
//! twice or more, "automation strategy") or shares with the résumé, which neither the
//! vocabulary nor the résumé's keywords name. Plain counting over a stop-word list: no model,
//! the same on every run.

use super::relevance::{Term, Words, cased_words};

/// Words that never start, end or sit inside a phrase: function words, and the words every
/// posting uses about itself.
const STOPWORDS: &[&str] = &[
    "a",
    "about",
    "across",
    "after",
    "all",
    "also",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "be",
    "been",
    "before",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "do",
    "does",
    "down",
    "during",
    "e.g",
    "each",
    "etc",
    "every",
    "for",
    "from",
    "had",
    "has",
    "have",
    "how",
    "i.e",
    "if",
    "in",
    "including",
    "into",
    "is",
    "it",
    "its",
    "just",
    "like",
    "may",
    "more",
    "most",
    "must",
    "new",
    "no",
    "not",
    "of",
    "on",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "per",
    "plus",
    "same",
    "should",
    "similar",
    "so",
    "some",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "these",
    "they",
    "this",
    "those",
    "to",
    "two",
    "under",
    "up",
    "us",
    "very",
    "via",
    "was",
    "we",
    "we're",
    "well",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "will",
    "with",
    "within",
    "would",
    "year",
    "years",
    "you",
    "you'll",
    "your",
    "ability",
    "experience",
    "strong",
    "good",
    "great",
    "excellent",
    "knowledge",
    "understanding",
    "skills",
    "hands-on",
    "proven",
    "fluent",
    "a plus",
    "nice",
    "role",
    "join",
    "looking",
    "want",
    "need",
    "needs",
    "offer",
    "help",
    "make",
    "keep",
    "set",
];

/// At most this many phrases: the posting's emphasis, not its every pair of words.
const MAX_PHRASES: usize = 10;

/// Characters that end a run of words: a phrase never crosses them.
fn breaks(c: char) -> bool {
    ",;:()[]!?\n|\"“”—–*".contains(c)
}

/// A word in its singular, roughly: "suites" → "suite", "tests" → "test"; "process" stays.
fn singular(word: &str) -> String {
    let keep = ["ss", "us", "is"].iter().any(|end| word.ends_with(end));
    match word.strip_suffix('s') {
        Some(stem) if !keep && stem.chars().count() >= 3 => stem.to_string(),
        _ => word.to_string(),
    }
}

/// Runs of words between breaks and sentence ends, as written.
fn runs(posting: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut run = String::new();
    let mut chars = posting.chars().peekable();
    while let Some(c) = chars.next() {
        let sentence_end = c == '.' && chars.peek().is_none_or(|n| n.is_whitespace());
        if breaks(c) || sentence_end {
            out.push(cased_words(&std::mem::take(&mut run)));
        } else {
            run.push(c);
        }
    }
    out.push(cased_words(&run));
    out
}

/// A word that can be part of a phrase: a real word, not a stop word or a number.
fn content(word: &str) -> bool {
    let lower = word.to_lowercase();
    word.chars().any(char::is_alphabetic)
        && !word.starts_with(|c: char| c.is_ascii_digit())
        && !STOPWORDS.contains(&lower.as_str())
}

/// One candidate: its words as first written, its singular form, how often the posting says
/// it and where first.
struct Candidate {
    written: Vec<String>,
    key: Vec<String>,
    count: usize,
    first: usize,
}

/// The posting's salient phrases, as terms, besides `terms` (those it names already): phrases
/// said twice or more, or said once and found in one of `resume`'s texts. Phrases with one of
/// `terms` in them are left to that term.
pub fn salient(posting: &str, terms: &[Term], resume: &[&Words]) -> Vec<Term> {
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut at = 0;
    for run in runs(posting) {
        for i in 0..run.len() {
            for n in 2..=3 {
                let Some(words) = run.get(i..i + n) else {
                    break;
                };
                if !words.iter().all(|w| content(w)) {
                    break;
                }
                at += 1;
                let key: Vec<String> = words.iter().map(|w| singular(&w.to_lowercase())).collect();
                match candidates.iter_mut().find(|c| c.key == key) {
                    Some(c) => c.count += 1,
                    None => candidates.push(Candidate {
                        written: words.to_vec(),
                        key,
                        count: 1,
                        first: at,
                    }),
                }
            }
        }
    }
    let named = |c: &Candidate| {
        let lower: Vec<String> = c.written.iter().map(|w| w.to_lowercase()).collect();
        terms.iter().any(|t| {
            t.forms
                .iter()
                .any(|f| lower.windows(f.len()).any(|w| w == f.as_slice()))
                || t.cased
                    .as_ref()
                    .is_some_and(|f| c.written.windows(f.len()).any(|w| w == f.as_slice()))
        })
    };
    let mut phrases: Vec<(Candidate, Term)> = candidates
        .into_iter()
        .filter(|c| !named(c))
        .map(|c| {
            let term = phrase_term(&c);
            (c, term)
        })
        .filter(|(c, term)| {
            // Said twice but not in the résumé: a name ("Northwind Fitness Cloud") is the
            // posting's company or product, not something asked of the applicant.
            let named_thing = c.written.iter().all(|w| w.starts_with(char::is_uppercase));
            resume.iter().any(|w| term.count(w) > 0) || (c.count >= 2 && !named_thing)
        })
        .collect();
    // A pair inside a longer phrase said as often adds nothing.
    let longer: Vec<(Vec<String>, usize)> = phrases
        .iter()
        .filter(|(c, _)| c.key.len() == 3)
        .map(|(c, _)| (c.key.clone(), c.count))
        .collect();
    phrases.retain(|(c, _)| {
        c.key.len() == 3
            || !longer
                .iter()
                .any(|(k, count)| *count >= c.count && k.windows(2).any(|w| w == c.key.as_slice()))
    });
    phrases.sort_by(|(a, _), (b, _)| b.count.cmp(&a.count).then(a.first.cmp(&b.first)));
    phrases.truncate(MAX_PHRASES);
    phrases.into_iter().map(|(_, term)| term).collect()
}

/// A phrase as a term: as written, and with its last word singular or plural.
fn phrase_term(c: &Candidate) -> Term {
    let lower: Vec<String> = c.written.iter().map(|w| w.to_lowercase()).collect();
    let mut singular_form = lower.clone();
    let mut plural_form = lower.clone();
    if let (Some(last), Some(s), Some(p)) = (
        lower.last(),
        singular_form.last_mut(),
        plural_form.last_mut(),
    ) {
        *s = singular(last);
        *p = format!("{}s", singular(last));
    }
    let mut forms = vec![lower, singular_form, plural_form];
    forms.sort();
    forms.dedup();
    Term {
        name: c.written.join(" "),
        forms,
        cased: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(terms: &[Term]) -> Vec<&str> {
        terms.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn phrases_said_twice_or_shared_with_the_resume_are_salient() {
        let posting = "## Responsibilities\n\
            - Own the test strategy and the release process.\n\
            - Report quality metrics; grow the test strategy with the team.\n\
            - Keep regression suites fast.\n";
        let resume = Words::of("Cut the regression suite from 40 to 9 minutes.");
        let found = salient(posting, &[], &[&resume]);
        assert_eq!(names(&found), ["test strategy", "regression suites"]);
        // The plural in the posting finds the singular in the résumé.
        assert_eq!(found[1].count(&resume), 1);
    }

    #[test]
    fn a_name_the_posting_repeats_is_not_asked_of_the_applicant() {
        let posting = "At Northwind Cloud you build Northwind Cloud with data pipelines. \
            Own data pipelines.";
        assert_eq!(names(&salient(posting, &[], &[])), ["data pipelines"]);
        let resume = Words::of("Ran Northwind Cloud for a year");
        assert_eq!(
            names(&salient(posting, &[], &[&resume])),
            ["Northwind Cloud", "data pipelines"]
        );
    }

    #[test]
    fn a_phrase_with_a_known_term_in_it_is_left_to_the_term() {
        let posting = "Kubernetes clusters, Kubernetes clusters, and more Kubernetes clusters.";
        let k8s = Term::new("Kubernetes", &["k8s".into()]);
        assert!(salient(posting, &[k8s], &[]).is_empty());
        assert_eq!(names(&salient(posting, &[], &[])), ["Kubernetes clusters"]);
    }

    #[test]
    fn phrases_never_cross_punctuation_or_stop_words() {
        let posting = "Python, SQL. Python, SQL. We need data quality and data quality checks.";
        assert_eq!(names(&salient(posting, &[], &[])), ["data quality"]);
        assert_eq!(singular("processes"), "processe");
        assert_eq!(singular("process"), "process");
        assert_eq!(singular("suites"), "suite");
        assert_eq!(singular("ops"), "ops");
    }
}
