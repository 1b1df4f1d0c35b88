//! `vitae import FILE [-o OUT]`: another tool's résumé as vitae YAML, with a report of every
//! value that had no field.

use super::Outcome;
use super::report::Reporter;
use std::path::Path;
use vitae::Error;
use vitae::import::{ImportError, Kept, convert};
use vitae::output;

pub fn import(file: &Path, out: Option<&Path>, rep: &mut Reporter) -> Outcome {
    rep.with_summary();
    if let Some(out) = out.filter(|o| o.exists()) {
        return Err(Error::Other(format!(
            "{} already exists; vitae import never overwrites a file",
            out.display()
        ))
        .into());
    }
    let name = super::display_name(file);
    let text = super::read_text(file, "")?;
    // The library has read back what it would write, and located any problem in the input;
    // problems of the input are shown there, like `vitae check` shows a résumé's.
    let imported = convert(&name, &text).map_err(|e| match e {
        ImportError::Invalid(problems) => Error::Invalid(problems),
        other => Error::Other(format!("cannot import {name}: {other}")),
    })?;
    rep.emit(&imported.warnings);
    for note in &imported.report.notes {
        rep.note(note);
    }
    for u in &imported.report.unmapped {
        let kept = match &u.kept {
            Kept::Comment => "kept in the comment at the top".to_string(),
            Kept::Field(field) => format!("kept in {field}"),
        };
        rep.note(&format!("{} has no vitae field; {kept}", u.path));
    }
    match out {
        Some(out) => {
            output::write_atomic(out, imported.yaml.as_bytes())?;
            rep.file(out, imported.yaml.len(), None, "");
            rep.status(&format!(
                "imported {} from {}; check it with `vitae check {} --strict`",
                name,
                imported.source.name(),
                out.display()
            ));
        }
        None => print!("{}", imported.yaml),
    }
    Ok(())
}
