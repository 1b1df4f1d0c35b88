//! Fitting a document to a page budget.
//!
//! 1. If the layout already fits, it is left exactly as the layout made it.
//! 2. Otherwise the layout is tightened within the floors it declares (`fit-floors`): first
//!    spacing, then leading, then margins, then font size (never below 9 pt). One "tightness"
//!    number from 0 (the layout's own) to 1 (every floor) drives the four in that order; it is
//!    searched by interpolating on how full the last page is, not stepped blindly.
//! 3. If even the tightest layout is too long, content is dropped in this order, until it fits:
//!    a. highlights, last first, of the oldest entries first: sections from the last shown to
//!    the first, entries from the last to the first; each entry keeps its first highlight;
//!    b. whole entries, oldest first: first of the lower-priority sections (all but work,
//!    education, skills and languages), from the last shown to the first; then work roles;
//!    then education, skills and languages, which are short and which readers look for.
//!    The name, the contact details, the summary and the most recent role are never dropped.
//!    The fewest drops that fit are found by binary search over that order.
//! 4. If nothing fits, the result says so, with the report.

use crate::diag::Diagnostics;
use crate::export::pdf::{Compiled, Density};
use crate::model::document::{Document, SectionKind};
use std::collections::HashSet;

/// The smallest font size fitting may use, whatever a layout declares.
pub const MIN_FONT_PT: f64 = 9.0;

/// Floors used when a layout declares none.
const DEFAULT_FLOORS: Density = Density {
    spacing: 0.5,
    leading: 0.8,
    margin: 0.7,
    size: Some(MIN_FONT_PT),
};

/// The font size assumed when a layout does not declare its own.
const DEFAULT_BASE_SIZE: f64 = 10.5;

/// Interpolation steps after the first two compiles; each costs one compile.
const SEARCH_STEPS: usize = 3;

/// What fitting produced.
pub struct Fitted {
    pub compiled: Compiled,
    /// The document as laid out (with any dropped content removed).
    pub doc: Document,
    pub density: Density,
    /// Every change, in order, for people and the manifest.
    pub report: Vec<FitChange>,
    /// Whether the budget was met.
    pub fits: bool,
}

impl Fitted {
    /// A document laid out as the layout made it, with no budget to meet.
    pub fn natural(compiled: Compiled, doc: Document) -> Fitted {
        Fitted {
            compiled,
            doc,
            density: Density::default(),
            report: Vec::new(),
            fits: true,
        }
    }
}

/// Fits `doc` into `budget` pages. `compile` lays out a document at a density.
pub fn fit(
    doc: Document,
    budget: usize,
    compile: impl Fn(&Document, Density) -> Result<Compiled, Diagnostics>,
) -> Result<Fitted, Diagnostics> {
    let natural = compile(&doc, Density::default())?;
    if natural.pages() <= budget {
        return Ok(Fitted {
            compiled: natural,
            doc,
            density: Density::default(),
            report: Vec::new(),
            fits: true,
        });
    }
    let floors = natural.floors.unwrap_or(DEFAULT_FLOORS);
    let base = natural.base_size.unwrap_or(DEFAULT_BASE_SIZE);
    let natural_extent = natural.extent;
    // From here on only one layout is held at a time: each attempt keeps its measures, and the
    // one chosen is compiled again at the end. Typst has memoised it, so that costs nothing for
    // a résumé; a long document's layout is tens of megabytes, and two would be too many.
    drop(natural);
    let at = |t: f64| density_at(t, &floors, base);

    let tightest = compile(&doc, at(1.0))?;
    let (tightest_fits, tightest_extent) = (tightest.pages() <= budget, tightest.extent);
    drop(tightest);
    if tightest_fits {
        let t = search(
            &doc,
            budget,
            (0.0, natural_extent),
            (1.0, tightest_extent),
            &at,
            &compile,
        )?;
        let density = at(t);
        let compiled = compile(&doc, density)?;
        let report = density_report(&density, base);
        return Ok(Fitted {
            compiled,
            doc,
            density,
            report,
            fits: true,
        });
    }

    let steps = drop_steps(&doc);
    let all_dropped_doc = apply(&doc, &steps);
    let all_dropped = compile(&all_dropped_doc, at(1.0))?;
    if all_dropped.pages() > budget {
        let density = at(1.0);
        let mut report = density_report(&density, base);
        report.extend(steps.iter().map(|s| s.describe(&doc)));
        report.push(FitChange::StillOver {
            pages: all_dropped.pages(),
            budget,
        });
        return Ok(Fitted {
            compiled: all_dropped,
            doc: all_dropped_doc,
            density,
            report,
            fits: false,
        });
    }
    drop(all_dropped);
    // Invariant: dropping `hi` steps fits; dropping `lo` does not.
    let (mut lo, mut hi) = (0usize, steps.len());
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if compile(&apply(&doc, &steps[..mid]), at(1.0))?.pages() <= budget {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let density = at(1.0);
    let mut report = density_report(&density, base);
    report.extend(steps[..hi].iter().map(|s| s.describe(&doc)));
    let fitted = apply(&doc, &steps[..hi]);
    Ok(Fitted {
        compiled: compile(&fitted, density)?,
        doc: fitted,
        density,
        report,
        fits: true,
    })
}

/// The loosest tightness that fits, by regula falsi on the content's extent in pages.
fn search(
    doc: &Document,
    budget: usize,
    (mut lo, mut lo_extent): (f64, f64),
    (mut hi, mut hi_extent): (f64, f64),
    at: &impl Fn(f64) -> Density,
    compile: &impl Fn(&Document, Density) -> Result<Compiled, Diagnostics>,
) -> Result<f64, Diagnostics> {
    // Aim a little inside the budget: page breaks make the extent jump, not slide.
    let target = budget as f64 - 0.02;
    for _ in 0..SEARCH_STEPS {
        let span = lo_extent - hi_extent;
        let mut t = if span > 1e-6 {
            lo + (hi - lo) * (lo_extent - target) / span
        } else {
            (lo + hi) / 2.0
        };
        // Keep each guess well inside the bracket so the search always narrows.
        t = t.clamp(lo + (hi - lo) * 0.1, hi - (hi - lo) * 0.1);
        if hi - lo < 0.02 {
            break;
        }
        let compiled = compile(doc, at(t))?;
        if compiled.pages() <= budget {
            hi = t;
            hi_extent = compiled.extent;
        } else {
            lo = t;
            lo_extent = compiled.extent;
        }
    }
    Ok(hi)
}

/// The density at tightness `t`: spacing, leading, margins, then size, a quarter each.
fn density_at(t: f64, floors: &Density, base_size: f64) -> Density {
    let stage = |i: f64| (t * 4.0 - i).clamp(0.0, 1.0);
    let lerp = |from: f64, to: f64, s: f64| from + (to - from) * s;
    let min_size = floors
        .size
        .unwrap_or(MIN_FONT_PT)
        .max(MIN_FONT_PT)
        .min(base_size);
    let size = lerp(base_size, min_size, stage(3.0));
    Density {
        spacing: lerp(1.0, floors.spacing.min(1.0), stage(0.0)),
        leading: lerp(1.0, floors.leading.min(1.0), stage(1.0)),
        margin: lerp(1.0, floors.margin.min(1.0), stage(2.0)),
        size: (stage(3.0) > 0.0).then_some(round2(size)),
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn density_report(d: &Density, base_size: f64) -> Vec<FitChange> {
    let mut out = Vec::new();
    if d.spacing < 1.0 {
        out.push(FitChange::Spacing { to: d.spacing });
    }
    if d.leading < 1.0 {
        out.push(FitChange::Leading { to: d.leading });
    }
    if d.margin < 1.0 {
        out.push(FitChange::Margins { to: d.margin });
    }
    if let Some(size) = d.size
        && size < base_size
    {
        out.push(FitChange::Font {
            from: base_size,
            to: size,
        });
    }
    out
}

/// One change fitting made, in the order made. Shown to people through `Display`; the
/// manifest and programs read the fields.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "change", rename_all = "camelCase")]
pub enum FitChange {
    /// Vertical spacing scaled from 100% to `to` (a fraction).
    Spacing { to: f64 },
    /// Line leading scaled to `to`.
    Leading { to: f64 },
    /// Page margins scaled to `to`.
    Margins { to: f64 },
    /// The font size, in points.
    Font { from: f64, to: f64 },
    /// A highlight left out: where it was, and its text (shortened).
    DroppedHighlight { source: String, text: String },
    /// A whole entry left out: where it was, and its title and organisation (shortened).
    DroppedEntry { source: String, name: String },
    /// Every allowed change made, and still too long.
    StillOver { pages: usize, budget: usize },
}

impl FitChange {
    /// Where the dropped content was, for a drop.
    pub fn dropped(&self) -> Option<&str> {
        match self {
            FitChange::DroppedHighlight { source, .. } | FitChange::DroppedEntry { source, .. } => {
                Some(source)
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for FitChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |x: f64| format!("{:.0}%", x * 100.0);
        match self {
            FitChange::Spacing { to } => write!(f, "spacing 100% → {}", pct(*to)),
            FitChange::Leading { to } => write!(f, "leading 100% → {}", pct(*to)),
            FitChange::Margins { to } => write!(f, "margins 100% → {}", pct(*to)),
            FitChange::Font { from, to } => write!(f, "font {from:.1}pt → {to:.1}pt"),
            FitChange::DroppedHighlight { source, text } => {
                write!(f, "dropped {source} \"{text}\"")
            }
            FitChange::DroppedEntry { source, name } => write!(f, "dropped {source} \"{name}\""),
            FitChange::StillOver { pages, budget } => write!(
                f,
                "still {pages} pages after every allowed change; the budget is {budget}"
            ),
        }
    }
}

/// One removal: a highlight or a whole entry, by position in the document being fitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Step {
    Highlight {
        section: usize,
        entry: usize,
        highlight: usize,
    },
    Entry {
        section: usize,
        entry: usize,
    },
}

impl Step {
    fn describe(&self, doc: &Document) -> FitChange {
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
            Step::Entry { section, entry } => {
                let e = &doc.sections[section].entries[entry];
                let name: Vec<String> = [&e.title, &e.organization]
                    .into_iter()
                    .flatten()
                    .map(|i| i.plain())
                    .collect();
                FitChange::DroppedEntry {
                    source: e.source.clone(),
                    name: ellipsis(&name.join(", ")),
                }
            }
        }
    }
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

/// The drop order described in the module documentation.
fn drop_steps(doc: &Document) -> Vec<Step> {
    let most_recent_role = doc
        .sections
        .iter()
        .position(|s| s.kind == SectionKind::Work)
        .map(|s| (s, 0));
    let age_order: Vec<(usize, usize)> = doc
        .sections
        .iter()
        .enumerate()
        .rev()
        .flat_map(|(s, section)| (0..section.entries.len()).rev().map(move |e| (s, e)))
        .collect();
    let mut steps = Vec::new();
    for &(section, entry) in &age_order {
        let count = doc.sections[section].entries[entry].highlights.len();
        steps.extend((1..count).rev().map(|highlight| Step::Highlight {
            section,
            entry,
            highlight,
        }));
    }
    let tier = |kind: SectionKind| crate::model::sections::by_kind(kind).map_or(0, |s| s.keep);
    for wanted in 0..=2 {
        for &(section, entry) in &age_order {
            if tier(doc.sections[section].kind) == wanted
                && Some((section, entry)) != most_recent_role
            {
                steps.push(Step::Entry { section, entry });
            }
        }
    }
    steps
}

/// `doc` without what `steps` remove; sections left empty go too.
fn apply(doc: &Document, steps: &[Step]) -> Document {
    let removed: HashSet<Step> = steps.iter().copied().collect();
    let mut out = doc.clone();
    for (s, section) in out.sections.iter_mut().enumerate() {
        let mut e = 0;
        section.entries.retain_mut(|entry| {
            let keep = !removed.contains(&Step::Entry {
                section: s,
                entry: e,
            });
            let mut h = 0;
            entry.highlights.retain(|_| {
                let keep = !removed.contains(&Step::Highlight {
                    section: s,
                    entry: e,
                    highlight: h,
                });
                h += 1;
                keep
            });
            e += 1;
            keep
        });
        crate::model::resolve::mark_continuations(section);
    }
    out.sections.retain(|s| !s.entries.is_empty());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_change_reads_as_a_person_would_say_it() {
        let shown: Vec<String> = [
            FitChange::Spacing { to: 0.6 },
            FitChange::Font {
                from: 10.5,
                to: 9.25,
            },
            FitChange::DroppedEntry {
                source: "work[4]".into(),
                name: "Engineer, Acme".into(),
            },
            FitChange::StillOver {
                pages: 3,
                budget: 1,
            },
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            shown,
            [
                "spacing 100% → 60%",
                "font 10.5pt → 9.2pt",
                "dropped work[4] \"Engineer, Acme\"",
                "still 3 pages after every allowed change; the budget is 1",
            ]
        );
        let json = serde_json::to_value(FitChange::Font {
            from: 10.5,
            to: 9.0,
        })
        .expect("json");
        assert_eq!(
            json,
            serde_json::json!({"change": "font", "from": 10.5, "to": 9.0})
        );
    }
}
