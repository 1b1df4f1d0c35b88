//! `vitae match FILE --job POSTING`: the library's coverage report, for people or as JSON.

use super::args::{MatchArgs, MatchFormat};
use super::report::{Reporter, escape_controls};
use super::{Outcome, load};
use vitae::Error;
use vitae::build::{self, BuildOptions};
use vitae::tailor::job::Posting;
use vitae::tailor::relevance::{MatchReport, match_posting};

pub fn run(a: MatchArgs, rep: &mut Reporter) -> Outcome {
    let posting = Posting::new(
        a.job.display().to_string(),
        super::read_text(&a.job, "the posting ")?,
    );
    let loaded = load(&a.file, false, rep)?;
    rep.emit(&posting.cut_warning().into_iter().collect::<Vec<_>>());
    let target = build::targets(&loaded, &BuildOptions::default())?.remove(0);
    let (doc, _) = build::document(&loaded, &target);
    let report = match_posting(&doc, &posting.text);
    match a.format {
        MatchFormat::Json => {
            let json =
                serde_json::to_string_pretty(&report).map_err(|e| Error::Other(e.to_string()))?;
            println!("{json}");
        }
        MatchFormat::Text => print!("{}", text(&report, a.top)),
    }
    Ok(())
}

/// The report for people: coverage, what is missing, the most relevant highlights.
fn text(report: &MatchReport, top: usize) -> String {
    let total = report.terms.len();
    let covered = report.covered().count();
    let mut out = String::new();
    if total == 0 {
        out.push_str("The posting names no term vitae knows or the résumé uses.\n");
        return out;
    }
    out.push_str(&format!(
        "The résumé shows {covered} of the posting's {total} terms ({:.0}%).\n",
        covered as f64 * 100.0 / total as f64
    ));
    for t in report.covered() {
        let more = t.found_in.len().saturating_sub(3);
        let places = t
            .found_in
            .iter()
            .take(3)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ");
        let more = if more > 0 {
            format!(" and {more} more")
        } else {
            String::new()
        };
        out.push_str(&format!("  {}: {places}{more}\n", t.term));
    }
    let missing: Vec<&str> = report.missing().map(|t| t.term.as_str()).collect();
    if !missing.is_empty() {
        out.push_str(&format!("Missing: {}.\n", missing.join(", ")));
    }
    if !report.ranked.is_empty() {
        out.push_str("Most relevant:\n");
        for (i, r) in report.ranked.iter().take(top).enumerate() {
            let text: String = r.text.chars().take(70).collect();
            let cut = if r.text.chars().count() > 70 {
                "…"
            } else {
                ""
            };
            out.push_str(&format!(
                "  {}. {} ({:.3}; {}): {}{cut}\n",
                i + 1,
                r.path,
                r.score,
                r.terms.join(", "),
                escape_controls(&text)
            ));
        }
    }
    out
}
