//! `vitae import FILE [-o OUT]`: another tool's résumé as vitae YAML, with a report of every
//! value that had no field.

use super::Outcome;
use super::report::Reporter;
use std::path::Path;
use vitae::Error;
use vitae::import::{Kept, convert};
use vitae::model::{LoadOptions, load_bytes};
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
    let name = file.display().to_string();
    let text = super::read_text(file, "")?;
    let imported =
        convert(&name, &text).map_err(|e| Error::Other(format!("cannot import {name}: {e}")))?;
    // What vitae writes must read back under --strict; anything else is vitae's own bug.
    load_bytes(
        "imported.yaml",
        imported.yaml.as_bytes(),
        false,
        LoadOptions { strict: true },
    )
    .map_err(Error::Invalid)?;
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
