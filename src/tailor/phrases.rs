//! Salient phrases of a job posting: the two- and three-word phrases it stresses (it says them
//! twice or more, "automation strategy") or shares with the résumé, which neither the
//! vocabulary nor the résumé's keywords name. Plain counting over a stop-word list: no model,
//! the same on every run.

use super::relevance::{Term, Words, word_slices};
// hashbrown's maps hash with foldhash, seeded per process: several times faster than the
// standard library's SipHash on the short keys here, which a long posting looks up millions
// of times.
use hashbrown::{HashMap, HashSet};
use std::sync::LazyLock;

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

/// [`STOPWORDS`] to look up: a posting can hold half a million distinct words.
static STOPWORD_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| STOPWORDS.iter().copied().collect());

/// At most this many phrases: the posting's emphasis, not its every pair of words.
const MAX_PHRASES: usize = 10;

/// Characters that end a run of words: a phrase never crosses them.
fn breaks(c: char) -> bool {
    ",;:()[]!?\n|\"“”—–*".contains(c)
}

/// A word in its singular, roughly: "suites" → "suite", "tests" → "test"; "process" stays.
fn singular(word: &str) -> &str {
    let keep = ["ss", "us", "is"].iter().any(|end| word.ends_with(end));
    match word.strip_suffix('s') {
        Some(stem) if !keep && stem.chars().count() >= 3 => stem,
        _ => word,
    }
}

/// Runs of words between breaks and sentence ends, as written: slices of `posting`, without
/// the characters that end them.
fn runs(posting: &str) -> impl Iterator<Item = &str> {
    let mut chars = posting.char_indices().peekable();
    let mut start = Some(0);
    std::iter::from_fn(move || {
        let from = start?;
        while let Some((i, c)) = chars.next() {
            let sentence_end = c == '.' && chars.peek().is_none_or(|(_, n)| n.is_whitespace());
            if breaks(c) || sentence_end {
                start = Some(i + c.len_utf8());
                return Some(&posting[from..i]);
            }
        }
        start = None;
        Some(&posting[from..])
    })
}

/// A word that can be part of a phrase: a real word, not a stop word or a number. `lower` is
/// the word lower-case.
fn content(word: &str, lower: &str) -> bool {
    word.chars().any(char::is_alphabetic)
        && !word.starts_with(|c: char| c.is_ascii_digit())
        && !STOPWORD_SET.contains(lower)
}

/// A sequence of one to three words, by number; shorter ones end in [`NONE`]. Phrases are
/// counted and compared as these, so that a posting of half a million distinct words costs a
/// hash lookup per word and phrase rather than a comparison with every phrase seen before.
type Gram = [u32; 3];
const NONE: u32 = u32::MAX;

/// The gram of `ids`, if each word has a number and there are one to three of them.
fn gram(ids: impl IntoIterator<Item = Option<u32>>) -> Option<Gram> {
    let mut out = [NONE; 3];
    let mut n = 0;
    for id in ids {
        *out.get_mut(n)? = id?;
        n += 1;
    }
    (n > 0).then_some(out)
}

/// The words the terms and the résumé use, numbered, with the terms' forms and the résumé's
/// phrases as grams: a phrase of the posting is checked against them in a few lookups.
#[derive(Default)]
struct Known {
    ids: HashMap<String, u32>,
    /// The numbers of the known words that end in "s", by the word without it: a posting
    /// word's plural form is looked up here without writing it out.
    plurals: HashMap<String, u32>,
    /// The terms' forms of up to three words: lower-case, and as written for everyday words.
    forms: HashSet<Gram>,
    cased: HashSet<Gram>,
    /// Every run of two and three lower-case words of the résumé's texts.
    resume: HashSet<Gram>,
}

impl Known {
    fn new(terms: &[Term], resume: &[&Words]) -> Known {
        let mut known = Known::default();
        for t in terms {
            for form in &t.forms {
                if let Some(g) = known.gram_of(form) {
                    known.forms.insert(g);
                }
            }
            if let Some(g) = t.cased.as_ref().and_then(|form| known.gram_of(form)) {
                known.cased.insert(g);
            }
        }
        for text in resume {
            let ids: Vec<u32> = text.lower.iter().map(|w| known.number(w)).collect();
            for n in 2..=3 {
                for run in ids.windows(n) {
                    if let Some(g) = gram(run.iter().copied().map(Some)) {
                        known.resume.insert(g);
                    }
                }
            }
        }
        known.plurals = known
            .ids
            .iter()
            .filter_map(|(word, &id)| Some((word.strip_suffix('s')?.to_string(), id)))
            .collect();
        known
    }

    fn number(&mut self, word: &str) -> u32 {
        if let Some(&id) = self.ids.get(word) {
            return id;
        }
        let id = count(self.ids.len());
        self.ids.insert(word.to_string(), id);
        id
    }

    fn gram_of(&mut self, form: &[String]) -> Option<Gram> {
        if form.len() > 3 {
            return None;
        }
        gram(form.iter().map(|w| Some(self.number(w))))
    }
}

/// One distinct word of the posting, as written, with what phrases need of it, worked out once.
struct Word<'a> {
    written: &'a str,
    /// The word lower-case and singular, by number: phrases are counted by these.
    key: u32,
    /// Whether it can be part of a phrase (see [`content`]).
    content: bool,
    /// Its lower-case, singular and plural forms and the word as written, by their numbers
    /// among the [`Known`] words; [`NONE`] when no term or résumé text uses it. Not `Option`,
    /// which would double their size: a posting can hold half a million distinct words.
    lower: u32,
    singular: u32,
    plural: u32,
    cased: u32,
}

/// `n` as a word's number, or `None` for [`NONE`].
fn known(n: u32) -> Option<u32> {
    (n != NONE).then_some(n)
}

/// The posting's words, each distinct one numbered and worked out once.
struct Lexicon<'a> {
    numbers: HashMap<&'a str, u32>,
    words: Vec<Word<'a>>,
    keys: HashMap<String, u32>,
}

impl<'a> Lexicon<'a> {
    fn number(&mut self, written: &'a str, known: &Known) -> u32 {
        if let Some(&n) = self.numbers.get(written) {
            return n;
        }
        let lower = written.to_lowercase();
        let key = singular(&lower);
        let id = |word: &str| known.ids.get(word).copied().unwrap_or(NONE);
        let next = count(self.keys.len());
        let word = Word {
            written,
            key: *self.keys.entry_ref(key).or_insert(next),
            content: content(written, &lower),
            lower: id(&lower),
            singular: id(key),
            plural: known.plurals.get(key).copied().unwrap_or(NONE),
            cased: id(written),
        };
        let n = count(self.words.len());
        self.words.push(word);
        self.numbers.insert(written, n);
        n
    }
}

/// A number or count of words or phrases as a `u32`, which halves what a long posting's
/// tables take. A posting of four billion words would not fit in memory to begin with; the
/// cap only keeps the conversion total.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(NONE - 1)
}

/// A phrase's two or three words, and how many there are.
type Words3<'w, 'a> = ([&'w Word<'a>; 3], usize);

/// One candidate: where it is first written (in the posting's words), how many words it has,
/// how often the posting says it and at which candidate it first did.
struct Candidate {
    at: u32,
    len: u8,
    count: u32,
    first: u32,
}

/// The posting's salient phrases, as terms, besides `terms` (those it names already): phrases
/// said twice or more, or said once and found in one of `resume`'s texts. Phrases with one of
/// `terms` in them are left to that term.
pub fn salient(posting: &str, terms: &[Term], resume: &[&Words]) -> Vec<Term> {
    let known_words = Known::new(terms, resume);
    let mut lexicon = Lexicon {
        numbers: HashMap::new(),
        words: Vec::new(),
        keys: HashMap::new(),
    };
    // Every word of every run, by number: a candidate points into it.
    let mut said: Vec<u32> = Vec::new();
    let mut candidates: HashMap<Gram, Candidate> = HashMap::new();
    let mut at = 0;
    for run in runs(posting) {
        let start = said.len();
        for w in word_slices(run) {
            let n = lexicon.number(w, &known_words);
            said.push(n);
        }
        let words = |i: usize| &lexicon.words[said[i] as usize];
        for i in start..said.len() {
            for n in 2..=3 {
                if i + n > said.len() || !(i..i + n).all(|j| words(j).content) {
                    break;
                }
                at += 1;
                let key = [0, 1, 2].map(|k| if k < n { words(i + k).key } else { NONE });
                candidates
                    .entry(key)
                    .and_modify(|c| c.count = c.count.saturating_add(1))
                    .or_insert(Candidate {
                        at: count(i),
                        len: n as u8,
                        count: 1,
                        first: count(at),
                    });
            }
        }
    }
    // A candidate's words, looked up as needed rather than collected: there can be a million
    // candidates.
    let words = |c: &Candidate| -> Words3 {
        let at = c.at as usize;
        let mut ws = [&lexicon.words[said[at] as usize]; 3];
        for (k, w) in ws.iter_mut().enumerate().take(usize::from(c.len)) {
            *w = &lexicon.words[said[at + k] as usize];
        }
        (ws, usize::from(c.len))
    };
    // Whether one of `terms` is inside the phrase: a run of its words, lower-case or as written.
    let named = |(ws, len): Words3| {
        let ws = &ws[..len];
        (0..ws.len()).any(|from| {
            (from + 1..=ws.len()).any(|to| {
                let part = &ws[from..to];
                gram(part.iter().map(|w| known(w.lower)))
                    .is_some_and(|g| known_words.forms.contains(&g))
                    || gram(part.iter().map(|w| known(w.cased)))
                        .is_some_and(|g| known_words.cased.contains(&g))
            })
        })
    };
    // Whether a résumé text says the phrase, as written or with its last word singular or
    // plural: the forms of its term (see [`phrase_term`]).
    let in_resume = |(ws, len): Words3| {
        let Some((last, rest)) = ws[..len].split_last() else {
            return false;
        };
        [last.lower, last.singular, last.plural]
            .into_iter()
            .any(|end| {
                gram(rest.iter().map(|w| known(w.lower)).chain([known(end)]))
                    .is_some_and(|g| known_words.resume.contains(&g))
            })
    };
    let mut phrases: Vec<(Gram, Candidate)> = candidates
        .into_iter()
        .filter(|(_, c)| {
            let ws = words(c);
            // Said twice but not in the résumé: a name ("Northwind Fitness Cloud") is the
            // posting's company or product, not something asked of the applicant.
            let named_thing = ws.0[..ws.1]
                .iter()
                .all(|w| w.written.starts_with(char::is_uppercase));
            (in_resume(ws) || (c.count >= 2 && !named_thing)) && !named(ws)
        })
        .collect();
    // A pair inside a longer phrase said as often adds nothing: the most any longer phrase
    // around each pair is said.
    let mut longer: HashMap<[u32; 2], u32> = HashMap::new();
    for (key, c) in phrases.iter().filter(|(_, c)| c.len == 3) {
        for pair in [[key[0], key[1]], [key[1], key[2]]] {
            let most = longer.entry(pair).or_default();
            *most = (*most).max(c.count);
        }
    }
    phrases.retain(|(key, c)| {
        c.len == 3
            || longer
                .get(&[key[0], key[1]])
                .is_none_or(|&most| most < c.count)
    });
    // No two phrases were first said at the same place, so this order does not depend on the
    // order of the map above.
    phrases.sort_by(|(_, a), (_, b)| b.count.cmp(&a.count).then(a.first.cmp(&b.first)));
    phrases.truncate(MAX_PHRASES);
    phrases
        .into_iter()
        .map(|(_, c)| {
            let (ws, len) = words(&c);
            let written: Vec<&str> = ws[..len].iter().map(|w| w.written).collect();
            phrase_term(&written)
        })
        .collect()
}

/// A phrase as a term: as written, and with its last word singular or plural.
fn phrase_term(written: &[&str]) -> Term {
    let lower: Vec<String> = written.iter().map(|w| w.to_lowercase()).collect();
    let mut singular_form = lower.clone();
    let mut plural_form = lower.clone();
    if let (Some(last), Some(s), Some(p)) = (
        lower.last(),
        singular_form.last_mut(),
        plural_form.last_mut(),
    ) {
        *s = singular(last).to_string();
        *p = format!("{}s", singular(last));
    }
    let mut forms = vec![lower, singular_form, plural_form];
    forms.sort();
    forms.dedup();
    Term {
        name: written.join(" "),
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

    /// The first, plainly quadratic way of finding phrases, kept to show that the indexed one
    /// finds exactly the same.
    mod reference {
        use super::super::{STOPWORDS, breaks, singular};
        use crate::tailor::relevance::{Term, Words, cased_words};

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

        fn content(word: &str) -> bool {
            let lower = word.to_lowercase();
            word.chars().any(char::is_alphabetic)
                && !word.starts_with(|c: char| c.is_ascii_digit())
                && !STOPWORDS.contains(&lower.as_str())
        }

        struct Candidate {
            written: Vec<String>,
            key: Vec<String>,
            count: usize,
            first: usize,
        }

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
                        let key: Vec<String> = words
                            .iter()
                            .map(|w| singular(&w.to_lowercase()).to_string())
                            .collect();
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
                    let written: Vec<&str> = c.written.iter().map(String::as_str).collect();
                    let term = super::super::phrase_term(&written);
                    (c, term)
                })
                .filter(|(c, term)| {
                    let named_thing = c.written.iter().all(|w| w.starts_with(char::is_uppercase));
                    resume.iter().any(|w| term.count(w) > 0) || (c.count >= 2 && !named_thing)
                })
                .collect();
            let longer: Vec<(Vec<String>, usize)> = phrases
                .iter()
                .filter(|(c, _)| c.key.len() == 3)
                .map(|(c, _)| (c.key.clone(), c.count))
                .collect();
            phrases.retain(|(c, _)| {
                c.key.len() == 3
                    || !longer.iter().any(|(k, count)| {
                        *count >= c.count && k.windows(2).any(|w| w == c.key.as_slice())
                    })
            });
            phrases.sort_by(|(a, _), (b, _)| b.count.cmp(&a.count).then(a.first.cmp(&b.first)));
            phrases.truncate(super::super::MAX_PHRASES);
            phrases.into_iter().map(|(_, term)| term).collect()
        }
    }

    /// A text of `n` words drawn from a small pool, so that phrases repeat, with the marks
    /// that end runs and sentences; the same for the same seed.
    fn babble(seed: u64, n: usize) -> String {
        const POOL: &[&str] = &[
            "test",
            "tests",
            "Test",
            "strategy",
            "strategies",
            "data",
            "quality",
            "pipeline",
            "pipelines",
            "Kubernetes",
            "k8s",
            "clusters",
            "Go",
            "go",
            "golang",
            "Google",
            "Cloud",
            "cloud",
            "the",
            "and",
            "of",
            "experience",
            "42",
            "C++",
            "CI/CD",
            "Northwind",
            "process",
            "processes",
            "suite",
            "suites",
            "Release",
            "release",
            "ΟΔΟΣ",
            "Straße",
            "İstanbul",
            "node.js",
            "e.g",
            "a plus",
            "team",
            "teams",
        ];
        const MARKS: &[&str] = &[
            " ", " ", " ", " ", " ", ", ", ". ", "; ", "\n", " - ", ".x ",
        ];
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = |bound: usize| {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (state >> 33) as usize % bound
        };
        let mut out = String::new();
        for _ in 0..n {
            out.push_str(POOL[next(POOL.len())]);
            out.push_str(MARKS[next(MARKS.len())]);
        }
        out
    }

    #[test]
    fn the_indexed_phrases_are_those_of_the_plain_count() {
        let terms = [
            Term::new("Kubernetes", &["k8s".into()]),
            Term::new("Go", &["golang".into()]),
            Term::new("GCP", &["google cloud".into()]),
            Term::new("Data Quality Pipeline Suite", &[]),
        ];
        let describe = |found: Vec<Term>| -> Vec<(String, Vec<Vec<String>>)> {
            found.into_iter().map(|t| (t.name, t.forms)).collect()
        };
        let mut found = 0;
        for seed in 0..300 {
            let posting = babble(seed, 20 + (seed as usize % 7) * 40);
            let resume: Vec<Words> = (0..3)
                .map(|i| Words::of(&babble(seed * 31 + i, 25)))
                .collect();
            let resume: Vec<&Words> = resume.iter().collect();
            for terms in [&terms[..], &[]] {
                let indexed = describe(salient(&posting, terms, &resume));
                found += indexed.len();
                assert_eq!(
                    indexed,
                    describe(reference::salient(&posting, terms, &resume)),
                    "seed {seed}: {posting:?}"
                );
            }
        }
        // The texts do make phrases, so the comparison is not between two empty lists.
        assert!(found > 1000, "{found}");
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
