//! Fitting a document to a page budget.
//!
//! 1. If the layout already fits, it is left exactly as the layout made it.
//! 2. Otherwise the layout is tightened within the floors it declares (`fit-floors`): first
//!    spacing, then leading, then margins, then font size (never below 9 pt). One "tightness"
//!    number from 0 (the layout's own) to 1 (every floor) drives the four in that order; it is
//!    searched by interpolating on how far the content reaches, not stepped blindly.
//! 3. If even the tightest layout is too long, content gives way in the order of [`plan`]: older
//!    roles shrink, lower-priority sections go, the oldest roles collapse to one line and then
//!    into one "Earlier career" paragraph, and only then do recent roles lose highlights. The
//!    fewest steps that fit are found by interpolating on each step's expected size, then
//!    bisecting, at the tightest layout.
//! 4. Then the spacing is searched again for that content, so that the last page is full
//!    instead of ending in a blank band.
//! 5. If nothing fits, the result says so, with the report.

mod change;
pub mod plan;

pub use change::FitChange;
pub use plan::{Plan, Relevance};

use crate::diag::Diagnostics;
use crate::export::pdf::{Compiled, Density};
use crate::model::document::Document;

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

/// How far inside the budget the searches aim, in pages: page breaks make the reach jump,
/// not slide.
const AIM_INSIDE: f64 = 0.01;

/// How much shorter the tightest layout makes a document, as a fraction of its natural
/// length. Measured on the built-in layouts and three long résumés, their floors take away a
/// fifth to a third (0.66 to 0.81): `MOST_SHRINK` is beyond the most, so a document it cannot
/// fit is not worth a compile of its tightest layout; `TYPICAL_SHRINK` guesses where content
/// must start giving way.
const MOST_SHRINK: f64 = 0.6;
const TYPICAL_SHRINK: f64 = 0.72;

/// A last page filled this far (of the space between its margins) ends the spacing search.
const FULL_ENOUGH: f64 = 0.95;

/// A last page with less than about a line free: no step could be undone and still fit.
const FULL_PAGE: f64 = 0.985;

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

/// Fits `doc` into `budget` pages. `compile` lays out a document at a density. With
/// `relevance`, what is dropped is chosen by relevance to a job posting first.
pub fn fit(
    doc: Document,
    budget: usize,
    relevance: Option<&Relevance>,
    compile: impl Fn(&Document, Density) -> Result<Compiled, Diagnostics>,
) -> Result<Fitted, Diagnostics> {
    let natural = compile(&doc, Density::default())?;
    if natural.pages() <= budget {
        return Ok(Fitted::natural(natural, doc));
    }
    let floors = natural.floors.unwrap_or(DEFAULT_FLOORS);
    let base = natural.base_size.unwrap_or(DEFAULT_BASE_SIZE);
    let natural_reach = natural.reach;
    // From here on few layouts are held at a time: a long document's layout is tens of
    // megabytes, and the first ones are the longest.
    drop(natural);
    let at = |t: f64| density_at(t, &floors, base);
    let target = budget as f64 - AIM_INSIDE;

    let mut tightest_reach = None;
    if natural_reach * MOST_SHRINK <= target {
        let tightest = compile(&doc, at(1.0))?;
        if tightest.pages() <= budget {
            let (t, compiled) = loosest(
                &doc,
                budget,
                Some((0.0, natural_reach)),
                tightest,
                &at,
                &compile,
            )?;
            return Ok(Fitted {
                compiled,
                doc,
                density: at(t),
                report: density_report(&at(t), base),
                fits: true,
            });
        }
        tightest_reach = Some(tightest.reach);
    }

    let earlier = doc.locale.labels.earlier.clone();
    let plan = plan::plan(&doc, relevance);
    let everything = plan::apply(&doc, &plan.steps, &earlier);
    let least = compile(&everything, at(1.0))?;
    if least.pages() > budget {
        let density = at(1.0);
        let mut report = density_report(&density, base);
        report.extend(plan::describe(&doc, &plan.steps));
        report.push(FitChange::StillOver {
            pages: least.pages(),
            budget,
        });
        return Ok(Fitted {
            compiled: least,
            doc: everything,
            density,
            report,
            fits: false,
        });
    }
    let first = tightest_reach.unwrap_or(natural_reach * TYPICAL_SHRINK);
    let (k, compiled) = fewest(&doc, &plan, budget, first, least, &at, &compile)?;
    let fitted = plan::apply(&doc, &plan.steps[..k], &earlier);
    let (t, compiled) = loosest(&fitted, budget, None, compiled, &at, &compile)?;
    let density = at(t);
    let mut report = density_report(&density, base);
    report.extend(plan::describe(&doc, &plan.steps[..k]));
    Ok(Fitted {
        compiled,
        doc: fitted,
        density,
        report,
        fits: true,
    })
}

/// The fewest steps of `plan` that fit at the tightest density, and that layout. Dropping
/// every step fits (`all`); dropping none is expected to reach `first` pages.
///
/// Each guess extrapolates, over the lines each step is expected to save, through the two
/// attempts that fit with the fewest steps: the estimate orders the steps' sizes well, and the
/// attempts measure the rest. Attempts that overflow only bound the search, since a page break
/// leaves a gap that makes them look longer than they are; a guess the line places among them
/// halves what is left instead. The search stops early once an attempt that fits leaves less
/// than a line free on its last page, since undoing any step would then overflow.
fn fewest(
    doc: &Document,
    plan: &Plan,
    budget: usize,
    first: f64,
    all: Compiled,
    at: &impl Fn(f64) -> Density,
    compile: &impl Fn(&Document, Density) -> Result<Compiled, Diagnostics>,
) -> Result<(usize, Compiled), Diagnostics> {
    let target = budget as f64 - AIM_INSIDE;
    let n = plan.steps.len();
    // Invariant: `hi` steps fit (its layout is kept); `lo` steps do not, or are untried (0).
    let (mut lo, mut hi) = (0usize, n);
    // Lines saved and how far the content reached, of the attempts that fit, fewest steps last.
    let mut fitting: Vec<(f64, f64)> = vec![(plan.saved[n], all.reach)];
    let mut best = all;
    let earlier = &doc.locale.labels.earlier;
    while hi - lo > 1 && best.fill < FULL_PAGE {
        let (a, b) = match fitting.as_slice() {
            [.., b, a] => (*a, *b),
            _ => (fitting[0], (0.0, first)),
        };
        // A layout that does not mark its end gives no slope: then, and when the line points
        // among the attempts that overflow, halve what is left.
        let guess = ((b.1 - a.1).abs() > 1e-6).then(|| {
            let wanted = a.0 + (b.0 - a.0) * (a.1 - target) / (a.1 - b.1);
            plan.saved.partition_point(|&s| s < wanted)
        });
        let k = match guess {
            Some(guess) if guess > lo => guess.min(hi - 1),
            _ => lo + (hi - lo) / 2,
        };
        let compiled = compile(&plan::apply(doc, &plan.steps[..k], earlier), at(1.0))?;
        if compiled.pages() <= budget {
            fitting.push((plan.saved[k], compiled.reach));
            (hi, best) = (k, compiled);
        } else {
            lo = k;
        }
    }
    Ok((hi, best))
}

/// The loosest tightness at which `doc` fits, by regula falsi on how far the content reaches,
/// with its layout. `tight` fits at tightness 1; `loose` is tightness 0 with its reach, if known.
fn loosest(
    doc: &Document,
    budget: usize,
    loose: Option<(f64, f64)>,
    tight: Compiled,
    at: &impl Fn(f64) -> Density,
    compile: &impl Fn(&Document, Density) -> Result<Compiled, Diagnostics>,
) -> Result<(f64, Compiled), Diagnostics> {
    let (mut hi, mut hi_reach, mut best) = (1.0, tight.reach, tight);
    let (mut lo, mut lo_reach) = match loose {
        Some(known) => known,
        None => {
            if best.fill >= FULL_ENOUGH {
                return Ok((hi, best));
            }
            let natural = compile(doc, at(0.0))?;
            if natural.pages() <= budget {
                return Ok((0.0, natural));
            }
            (0.0, natural.reach)
        }
    };
    // Aim a little inside the budget: page breaks make the reach jump, not slide.
    let target = budget as f64 - AIM_INSIDE;
    for _ in 0..SEARCH_STEPS {
        if hi - lo < 0.02 || best.fill >= FULL_ENOUGH {
            break;
        }
        let span = lo_reach - hi_reach;
        let mut t = if span > 1e-6 {
            lo + (hi - lo) * (lo_reach - target) / span
        } else {
            (lo + hi) / 2.0
        };
        // Keep each guess well inside the bracket so the search always narrows.
        t = t.clamp(lo + (hi - lo) * 0.1, hi - (hi - lo) * 0.1);
        let compiled = compile(doc, at(t))?;
        if compiled.pages() <= budget {
            (hi, hi_reach, best) = (t, compiled.reach, compiled);
        } else {
            (lo, lo_reach) = (t, compiled.reach);
        }
    }
    Ok((hi, best))
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
