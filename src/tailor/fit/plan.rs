//! What fitting gives up, and in which order, when tightening the layout is not enough: the
//! choices a résumé writer makes for a long career, as a list of steps that fitting applies a
//! prefix of (the fewest that fit).
//!
//! Roles are the entries of work sections; a role's age is its place in its section (0 is the
//! most recent). The three most recent roles are the *recent* ones.
//!
//! 1. **Older roles shrink.** Highlights of older roles, each role keeping its first: the
//!    least valued first, where a highlight's value falls with its place in its role and with
//!    its role's age (each place of age counts half a place in the role). So the oldest roles
//!    thin out first, and a role a little older than another loses its third highlight before
//!    the other loses its second.
//! 2. **Lower-priority sections go.** Highlights of lower-priority sections (projects, awards,
//!    volunteering, custom sections…; see [`crate::model::sections`]) and of education, skills
//!    and languages, from the last shown; then whole entries of the lower-priority sections,
//!    oldest first.
//! 3. **The oldest roles collapse** to one line (title, organisation, dates), oldest first.
//! 4. **Then into "Earlier career"**: the oldest one-line roles are listed together in one
//!    paragraph under that heading, two at first and then one more at a time.
//! 5. **Recent roles shrink**: their highlights beyond the first, the oldest role's first, each
//!    role's last first. Until here no recent highlight has gone.
//! 6. The recent roles other than the most recent collapse to one line.
//! 7. Entries of education, skills and languages go, from the last shown.
//!
//! The name, contact details, summary, the most recent role and its first highlight are never
//! dropped.
//!
//! For a job posting ([`Relevance`]), steps 1, 2, 3 and 5 become one, the least relevant
//! first whatever its kind (relevance includes recency), in the order above among equals;
//! then step 4, which stays oldest first so that roles stay in date order; steps 6 and 7 take
//! the least relevant first.

use super::change::FitChange;
use crate::markup::{Block, Inline};
use crate::model::document::{Document, Entry, SectionKind};
use std::collections::{HashMap, HashSet};

/// The most recent roles of a work section, which keep their highlights until everything
/// older has given way.
pub const RECENT_ROLES: usize = 3;

/// How much a role's age counts against its highlights, in places within a role.
const AGE_WEIGHT: f64 = 0.5;

/// Characters in a line of a one-column page at about 10 pt: only to weigh steps against each
/// other, since fitting measures every guess it makes.
const LINE_CHARS: f64 = 95.0;

/// How relevant each highlight and entry is to a job posting, by source (`work[2]`,
/// `work[2].highlights[1]`); what is not named has none.
pub type Relevance = HashMap<String, f64>;

/// One change to the document, by position in the document being fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Highlight {
        section: usize,
        entry: usize,
        highlight: usize,
    },
    /// Cut an entry to one line: title, organisation, dates.
    Collapse {
        section: usize,
        entry: usize,
    },
    /// List the entries of a section from `entry` on together, under "Earlier career".
    Fold {
        section: usize,
        entry: usize,
    },
    Entry {
        section: usize,
        entry: usize,
    },
}

/// The steps in order, with what each is expected to save.
#[derive(Debug, Clone)]
pub struct Plan {
    pub steps: Vec<Step>,
    /// `saved[k]`: the lines the first `k` steps are expected to save; `saved[0]` is 0.
    pub saved: Vec<f64>,
}

/// The plan for `doc`, by age alone or, with `relevance`, by relevance first.
pub fn plan(doc: &Document, relevance: Option<&Relevance>) -> Plan {
    let score = |source: &str| {
        relevance
            .and_then(|r| r.get(source))
            .copied()
            .unwrap_or(0.0)
    };
    let entry_score = |s: usize, e: usize| {
        let entry = &doc.sections[s].entries[e];
        entry
            .highlights
            .iter()
            .map(|h| score(&h.source))
            .fold(score(&entry.source), f64::max)
    };
    let tier = |s: usize| {
        crate::model::sections::by_kind(doc.sections[s].kind).map_or(0, |info| info.keep)
    };
    let work = |s: usize| doc.sections[s].kind == SectionKind::Work;
    let most_recent = (0..doc.sections.len()).find(|&s| work(s)).map(|s| (s, 0));
    // Every (section, entry), the last shown first.
    let backwards: Vec<(usize, usize)> = (0..doc.sections.len())
        .rev()
        .flat_map(|s| {
            (0..doc.sections[s].entries.len())
                .rev()
                .map(move |e| (s, e))
        })
        .collect();
    let roles = |recent: bool| {
        backwards
            .iter()
            .copied()
            .filter(move |&(s, e)| work(s) && (e < RECENT_ROLES) == recent)
    };
    let highlights = |(s, e): (usize, usize), from: usize| {
        let n = doc.sections[s].entries[e].highlights.len();
        (from..n).rev().map(move |h| Step::Highlight {
            section: s,
            entry: e,
            highlight: h,
        })
    };
    // Orders steps by relevance (if any), keeping the given order among equals.
    let by_relevance = |mut steps: Vec<Step>| {
        if relevance.is_some() {
            let key = |step: &Step| match *step {
                Step::Highlight {
                    section,
                    entry,
                    highlight,
                } => score(&doc.sections[section].entries[entry].highlights[highlight].source),
                Step::Collapse { section, entry }
                | Step::Fold { section, entry }
                | Step::Entry { section, entry } => entry_score(section, entry),
            };
            steps.sort_by(|a, b| key(a).total_cmp(&key(b)));
        }
        steps
    };

    // 1. Older roles shrink: by value, the least first.
    let mut older: Vec<(f64, Step)> = roles(false)
        .flat_map(|(section, entry)| {
            let n = doc.sections[section].entries[entry].highlights.len();
            (1..n).rev().map(move |highlight| {
                let value = highlight as f64 + AGE_WEIGHT * entry as f64;
                let step = Step::Highlight {
                    section,
                    entry,
                    highlight,
                };
                (value, step)
            })
        })
        .collect();
    older.sort_by(|a, b| b.0.total_cmp(&a.0));
    let older: Vec<Step> = older.into_iter().map(|(_, s)| s).collect();
    // 2. Lower-priority sections, and the highlights of the short sections.
    let lower: Vec<Step> = backwards
        .iter()
        .filter(|&&(s, _)| tier(s) != 1)
        .flat_map(|&at| highlights(at, 0))
        .chain(
            backwards
                .iter()
                .filter(|&&(s, _)| tier(s) == 0)
                .map(|&(section, entry)| Step::Entry { section, entry }),
        )
        .collect();
    // 3. The oldest roles collapse.
    let collapsible = |&(s, e): &(usize, usize)| !is_brief(&doc.sections[s].entries[e]);
    let collapse_older = roles(false)
        .filter(collapsible)
        .map(|(section, entry)| Step::Collapse { section, entry });
    // 4. Then into "Earlier career", two at first, oldest first.
    let mut fold = Vec::new();
    for s in (0..doc.sections.len()).filter(|&s| work(s)) {
        let n = doc.sections[s].entries.len();
        if n >= RECENT_ROLES + 2 {
            fold.extend(
                (RECENT_ROLES..n - 1)
                    .rev()
                    .map(|entry| Step::Fold { section: s, entry }),
            );
        }
    }
    // 5. Recent roles shrink, then 6. collapse, the most recent excepted.
    let recent = roles(true).flat_map(|at| highlights(at, 1));
    let collapse_recent = roles(true)
        .filter(|&at| Some(at) != most_recent && collapsible(&at))
        .map(|(section, entry)| Step::Collapse { section, entry });
    // 7. Education, skills and languages.
    let short = backwards
        .iter()
        .filter(|&&(s, _)| tier(s) == 2)
        .map(|&(section, entry)| Step::Entry { section, entry });

    let mut steps: Vec<Step> = older;
    steps.extend(lower);
    steps.extend(collapse_older);
    if relevance.is_some() {
        // For a posting, relevance rather than age protects a highlight: the least relevant
        // of all of these goes first, whichever role or section it is in.
        steps.extend(recent);
        steps = by_relevance(steps);
        steps.extend(fold);
    } else {
        steps.extend(fold);
        steps.extend(recent);
    }
    steps.extend(by_relevance(collapse_recent.collect()));
    steps.extend(by_relevance(short.collect()));
    estimate(doc, steps)
}

/// True when an entry is its headline alone, so collapsing it changes nothing.
fn is_brief(e: &Entry) -> bool {
    e.summary.is_empty()
        && e.highlights.is_empty()
        && e.description.is_none()
        && e.location.is_none()
        && e.level.is_none()
        && e.facts.is_empty()
        && e.keywords.is_empty()
}

/// Lines a text of `chars` characters takes.
fn lines_of(chars: usize) -> f64 {
    (chars as f64 / LINE_CHARS).ceil().max(1.0)
}

fn blocks_lines(blocks: &[Block]) -> f64 {
    crate::model::document::blocks_plain(blocks)
        .iter()
        .map(|t| lines_of(t.chars().count()))
        .sum()
}

/// A highlight's lines, with the gap before it.
fn highlight_lines(text: &Inline) -> f64 {
    lines_of(text.plain().chars().count()) + 0.2
}

/// An entry's lines besides its highlights, with the gap before it.
fn frame_lines(e: &Entry) -> f64 {
    let second = e.description.is_some() || e.location.is_some() || e.url.is_some();
    1.0 + f64::from(u8::from(second))
        + blocks_lines(&e.summary)
        + f64::from(u8::from(e.level.is_some()))
        + f64::from(u8::from(!e.facts.is_empty()))
        + f64::from(u8::from(!e.keywords.is_empty()))
        + 0.8
}

/// One collapsed entry: a headline and a small gap.
const COLLAPSED_LINES: f64 = 1.3;

/// What each step is expected to save, in order: a step saves what is left of its part.
fn estimate(doc: &Document, steps: Vec<Step>) -> Plan {
    let mut entry_lines: HashMap<(usize, usize), f64> = HashMap::new();
    for (s, section) in doc.sections.iter().enumerate() {
        for (e, entry) in section.entries.iter().enumerate() {
            let own = frame_lines(entry)
                + entry
                    .highlights
                    .iter()
                    .map(|h| highlight_lines(&h.text))
                    .sum::<f64>();
            entry_lines.insert((s, e), own);
        }
    }
    let mut gone: HashSet<(usize, usize)> = HashSet::new();
    let mut saved = vec![0.0];
    let mut total = 0.0;
    for step in &steps {
        let save = match *step {
            Step::Highlight {
                section,
                entry,
                highlight,
            } => {
                let h = highlight_lines(
                    &doc.sections[section].entries[entry].highlights[highlight].text,
                );
                if let Some(l) = entry_lines.get_mut(&(section, entry)) {
                    *l -= h;
                }
                h
            }
            Step::Collapse { section, entry } => {
                let now = entry_lines.get(&(section, entry)).copied().unwrap_or(0.0);
                entry_lines.insert((section, entry), COLLAPSED_LINES);
                (now - COLLAPSED_LINES).max(0.0)
            }
            Step::Fold { section, entry } => {
                // Each role folded leaves its headline for a part of one paragraph line; the
                // first fold of a section also folds the last role, and adds the heading.
                let n = doc.sections[section].entries.len();
                let mut save = 0.0;
                for e in entry..n {
                    if gone.insert((section, e)) {
                        let fragment = fragment(&doc.sections[section].entries[e]);
                        save += entry_lines.get(&(section, e)).copied().unwrap_or(0.0)
                            - fragment.chars().count() as f64 / LINE_CHARS;
                    }
                }
                if entry == n - 2 {
                    save -= 0.5;
                }
                save
            }
            Step::Entry { section, entry } => {
                gone.insert((section, entry));
                entry_lines.get(&(section, entry)).copied().unwrap_or(0.0)
            }
        };
        total += save;
        saved.push(total);
    }
    Plan { steps, saved }
}

/// `doc` with the changes of `steps` made; sections left empty go too. `earlier` heads the
/// paragraph of folded roles.
pub fn apply(doc: &Document, steps: &[Step], earlier: &str) -> Document {
    let mut highlights = HashSet::new();
    let mut collapsed = HashSet::new();
    let mut dropped = HashSet::new();
    let mut fold_from: HashMap<usize, usize> = HashMap::new();
    for step in steps {
        match *step {
            Step::Highlight {
                section,
                entry,
                highlight,
            } => {
                highlights.insert((section, entry, highlight));
            }
            Step::Collapse { section, entry } => {
                collapsed.insert((section, entry));
            }
            Step::Fold { section, entry } => {
                let from = fold_from.entry(section).or_insert(entry);
                *from = (*from).min(entry);
            }
            Step::Entry { section, entry } => {
                dropped.insert((section, entry));
            }
        }
    }
    let mut out = doc.clone();
    for (s, section) in out.sections.iter_mut().enumerate() {
        let entries = std::mem::take(&mut section.entries);
        let mut folded = Vec::new();
        for (e, mut entry) in entries.into_iter().enumerate() {
            if dropped.contains(&(s, e)) {
                continue;
            }
            if fold_from.get(&s).is_some_and(|&from| e >= from) {
                folded.push(fragment(&entry));
                continue;
            }
            if collapsed.contains(&(s, e)) {
                collapse(&mut entry);
            } else {
                let mut h = 0;
                entry.highlights.retain(|_| {
                    h += 1;
                    !highlights.contains(&(s, e, h - 1))
                });
            }
            section.entries.push(entry);
        }
        if !folded.is_empty() {
            section.entries.push(Entry {
                source: format!("{}.earlier", section.id),
                title: Some(Inline::literal(earlier)),
                summary: vec![Block::Paragraph(Inline::literal(&folded.join("; ")))],
                ..Entry::default()
            });
        }
        crate::model::resolve::mark_continuations(section);
    }
    out.sections.retain(|s| !s.entries.is_empty());
    out
}

/// An entry cut to one line: its title, organisation and dates; an entry with neither title
/// nor organisation keeps its description, which names it.
fn collapse(entry: &mut Entry) {
    entry.summary.clear();
    entry.highlights.clear();
    entry.url = None;
    if entry.title.is_some() || entry.organization.is_some() {
        entry.description = None;
    }
    entry.location = None;
    entry.level = None;
    entry.facts.clear();
    entry.keywords.clear();
}

/// A role in a list of earlier roles: "Engineer, Acme (2001–2003)".
fn fragment(entry: &Entry) -> String {
    let name = name(entry);
    let years = entry.dates.as_ref().map(|d| {
        let year =
            |iso: &Option<String>| iso.as_deref().and_then(|i| i.get(..4)).map(str::to_string);
        match (year(&d.start), year(&d.end)) {
            (Some(a), Some(b)) if a == b => a,
            (Some(a), Some(b)) if !d.ongoing => format!("{a}–{b}"),
            _ => d.text.clone(),
        }
    });
    match years {
        Some(y) if !name.is_empty() => format!("{name} ({y})"),
        Some(y) => y,
        None => name,
    }
}

/// An entry's title and organisation, "Engineer, Acme"; else its description.
fn name(entry: &Entry) -> String {
    let parts: Vec<String> = [&entry.title, &entry.organization]
        .into_iter()
        .flatten()
        .map(Inline::plain)
        .collect();
    match &entry.description {
        Some(description) if parts.is_empty() => description.plain(),
        _ => parts.join(", "),
    }
}

impl Step {
    /// The change this step makes, for the report.
    pub fn describe(&self, doc: &Document) -> FitChange {
        match *self {
            Step::Highlight {
                section,
                entry,
                highlight,
            } => {
                let h = &doc.sections[section].entries[entry].highlights[highlight];
                FitChange::DroppedHighlight {
                    source: h.source.clone(),
                    text: ellipsis(&h.text.plain()),
                }
            }
            Step::Collapse { section, entry } => {
                let e = &doc.sections[section].entries[entry];
                FitChange::Collapsed {
                    source: e.source.clone(),
                    name: ellipsis(&name(e)),
                }
            }
            Step::Fold { section, entry } => {
                let e = &doc.sections[section].entries[entry];
                FitChange::Folded {
                    source: e.source.clone(),
                    name: ellipsis(&name(e)),
                }
            }
            Step::Entry { section, entry } => {
                let e = &doc.sections[section].entries[entry];
                FitChange::DroppedEntry {
                    source: e.source.clone(),
                    name: ellipsis(&name(e)),
                }
            }
        }
    }
}

/// The changes `steps` make, for the report, in order: each part once, by what became of it.
/// A highlight dropped from a role that later collapsed is not listed, nor the collapse of a
/// role later folded; a fold that also folds the last role names it too.
pub fn describe(doc: &Document, steps: &[Step]) -> Vec<FitChange> {
    let mut whole: HashMap<(usize, usize), Step> = HashMap::new();
    let mut fold_from: HashMap<usize, usize> = HashMap::new();
    for step in steps {
        match *step {
            Step::Highlight { .. } => {}
            Step::Fold { section, entry } => {
                let from = fold_from.entry(section).or_insert(entry);
                *from = (*from).min(entry);
            }
            Step::Collapse { section, entry } | Step::Entry { section, entry } => {
                whole.insert((section, entry), *step);
            }
        }
    }
    let folded = |s: usize, e: usize| fold_from.get(&s).is_some_and(|&from| e >= from);
    let mut out = Vec::new();
    for step in steps {
        match *step {
            Step::Highlight { section, entry, .. }
                if whole.contains_key(&(section, entry)) || folded(section, entry) =>
            {
                continue;
            }
            Step::Collapse { section, entry } if folded(section, entry) => continue,
            Step::Fold { section, entry } if entry + 2 == doc.sections[section].entries.len() => {
                out.push(
                    Step::Fold {
                        section,
                        entry: entry + 1,
                    }
                    .describe(doc),
                );
            }
            _ => {}
        }
        out.push(step.describe(doc));
    }
    out
}

fn ellipsis(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        text.to_string()
    } else {
        format!(
            "{}…",
            text.chars().take(MAX - 1).collect::<String>().trim_end()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::Span;
    use crate::model::document::{Dates, Highlight, Section};

    fn text(t: &str) -> Inline {
        Inline(vec![Span::Text(t.to_string())])
    }

    /// Roles with this many highlights each, most recent first, and a projects section of
    /// `projects` entries with one highlight each.
    fn doc(roles: &[usize], projects: usize) -> Document {
        let entry = |id: &str, e: usize, highlights: usize| Entry {
            source: format!("{id}[{e}]"),
            title: Some(text(&format!("T{e}"))),
            organization: Some(text(&format!("O{e}"))),
            dates: Some(Dates {
                start: Some(format!("{}-01", 2020 - 2 * e)),
                end: Some(format!("{}-01", 2021 - 2 * e)),
                ongoing: false,
                text: String::new(),
            }),
            summary: vec![Block::Paragraph(text("A summary."))],
            highlights: (0..highlights)
                .map(|h| Highlight {
                    source: format!("{id}[{e}].highlights[{h}]"),
                    text: text("A highlight."),
                    tags: Vec::new(),
                })
                .collect(),
            ..Entry::default()
        };
        let section = |id: &str, kind, entries| Section {
            id: id.into(),
            kind,
            title: id.into(),
            entries,
        };
        Document {
            photo: None,
            lang: "en".into(),
            locale: crate::locale::Locale::for_lang("en").clone(),
            basics: Default::default(),
            sections: vec![
                section(
                    "work",
                    SectionKind::Work,
                    roles
                        .iter()
                        .enumerate()
                        .map(|(e, &n)| entry("work", e, n))
                        .collect(),
                ),
                section(
                    "projects",
                    SectionKind::Projects,
                    (0..projects).map(|e| entry("projects", e, 1)).collect(),
                ),
            ],
            meta: Default::default(),
        }
    }

    /// A step as a short string: `h0.2` (highlight 2 of role 0), `c5`, `f5`, `e0` (an entry of
    /// the second section is prefixed with `p`).
    fn short(step: &Step) -> String {
        let prefix = |s: usize| if s == 0 { "" } else { "p" };
        match *step {
            Step::Highlight {
                section,
                entry,
                highlight,
            } => format!("{}h{entry}.{highlight}", prefix(section)),
            Step::Collapse { section, entry } => format!("{}c{entry}", prefix(section)),
            Step::Fold { section, entry } => format!("{}f{entry}", prefix(section)),
            Step::Entry { section, entry } => format!("{}e{entry}", prefix(section)),
        }
    }

    fn order(doc: &Document, relevance: Option<&Relevance>) -> Vec<String> {
        plan(doc, relevance).steps.iter().map(short).collect()
    }

    #[test]
    fn older_roles_shrink_then_projects_go_then_roles_collapse_and_fold_then_recent_shrink() {
        let doc = doc(&[3, 3, 3, 3, 3, 2], 1);
        assert_eq!(
            order(&doc, None),
            [
                // 1. By value: role 4's third highlight (2 + 4 × 0.5) first; then role 5's
                //    second (1 + 2.5) and role 3's third (2 + 1.5), equal, the older first.
                "h4.2", "h5.1", "h3.2", "h4.1", "h3.1",
                // 2. The project's highlight, then the project.
                "ph0.0", "pe0", // 3. The oldest roles collapse, oldest first.
                "c5", "c4", "c3", // 4. Two roles listed as earlier roles, then one more.
                "f4", "f3", // 5. Recent roles shrink, the oldest of them first.
                "h2.2", "h2.1", "h1.2", "h1.1", "h0.2", "h0.1",
                // 6. They collapse, but never the most recent.
                "c2", "c1",
            ]
        );
    }

    #[test]
    fn for_a_posting_the_least_relevant_goes_first_and_folding_stays_in_date_order() {
        let doc = doc(&[3, 3, 3, 3, 3, 2], 1);
        let relevance: Relevance = [
            ("work[0].highlights[2]", 1.0),
            ("work[5].highlights[1]", 3.0),
            ("projects[0].highlights[0]", 2.0),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let steps = order(&doc, Some(&relevance));
        let at = |s: &str| steps.iter().position(|x| x == s).expect(s);
        // Irrelevant highlights of recent roles go before relevant ones of old roles.
        assert!(at("h0.1") < at("h5.1"));
        assert!(at("h0.1") < at("h0.2"));
        // A relevant project outlives irrelevant role highlights, but not its own rank.
        assert!(at("h1.2") < at("pe0") && at("pe0") > at("ph0.0"));
        assert!(at("pe0") < at("h5.1"));
        // Folding comes after all of those, oldest first.
        assert_eq!(&steps[at("f4")..=at("f3")], ["f4", "f3"]);
        assert!(at("f4") > at("h5.1"));
    }

    #[test]
    fn applying_a_prefix_collapses_folds_and_names_each_change_once() {
        let doc = doc(&[3, 3, 3, 3, 3, 2], 1);
        let plan = plan(&doc, None);
        let k = plan
            .steps
            .iter()
            .position(|s| short(s) == "f3")
            .expect("f3")
            + 1;
        let applied = apply(&doc, &plan.steps[..k], "Earlier career");
        let work = &applied.sections[0];
        // Roles 0-2 whole, then one paragraph for roles 3-5, newest first.
        assert_eq!(work.entries.len(), 4);
        assert_eq!(work.entries[0].highlights.len(), 3);
        let earlier = &work.entries[3];
        assert_eq!(
            earlier.title.as_ref().map(Inline::plain).as_deref(),
            Some("Earlier career")
        );
        assert_eq!(
            crate::model::document::blocks_plain(&earlier.summary),
            ["T3, O3 (2014–2015); T4, O4 (2012–2013); T5, O5 (2010–2011)"]
        );
        // The projects section went whole.
        assert_eq!(applied.sections.len(), 1);
        let report: Vec<String> = describe(&doc, &plan.steps[..k])
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            report,
            [
                "dropped projects[0] \"T0, O0\"",
                "listed work[5] \"T5, O5\" under earlier roles",
                "listed work[4] \"T4, O4\" under earlier roles",
                "listed work[3] \"T3, O3\" under earlier roles",
            ]
        );
        // What each step saves is estimated, and fewer steps never save more.
        assert!(plan.saved.windows(2).all(|w| w[1] >= w[0] - 1.0));
        assert!(plan.saved[k] > 0.0);
    }
}
