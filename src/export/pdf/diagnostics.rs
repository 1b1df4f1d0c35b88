//! Typst diagnostics as vitae diagnostics: `file:line:col` (1-based) with the source line.

use super::world::VitaeWorld;
use crate::diag::{Diagnostic, Location, SourceFile};
use typst::WorldExt;
use typst::diag::{Severity, SourceDiagnostic};

pub fn convert(world: &VitaeWorld, diagnostics: &[SourceDiagnostic]) -> Vec<Diagnostic> {
    diagnostics.iter().map(|d| one(world, d)).collect()
}

fn one(world: &VitaeWorld, d: &SourceDiagnostic) -> Diagnostic {
    let message = d.message.to_string();
    let mut out = match d.severity {
        Severity::Error => Diagnostic::error(message),
        Severity::Warning => Diagnostic::warning(message),
    };
    let location = d.span.id().and_then(|id| {
        let range = world.range(d.span)?;
        let (name, text) = world.text_of(id)?;
        Some(Location::at(&SourceFile::new(name, text), range))
    });
    out = out.with_location(location);
    let hints: Vec<String> = d.hints.iter().map(|h| h.v.to_string()).collect();
    if !hints.is_empty() {
        out = out.with_hint(hints.join("; "));
    }
    out
}
