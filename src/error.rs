//! The library's error type. Only the CLI turns these into text for people.

use crate::diag::Diagnostics;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The résumé or a layout has problems; each is located.
    #[error(transparent)]
    Invalid(#[from] Diagnostics),
    /// An output could not be written.
    #[error("cannot write {}: {reason}", path.display())]
    Write { path: PathBuf, reason: String },
    /// A variant was asked for that the résumé does not define.
    #[error("the résumé has no variant \"{name}\"{}", known_list(known))]
    UnknownVariant { name: String, known: Vec<String> },
    /// A layout was asked for that does not exist.
    #[error("there is no layout \"{name}\"; built-in layouts: {}", known.join(", "))]
    UnknownLayout { name: String, known: Vec<String> },
    /// A document does not fit its page budget even after every allowed change.
    #[error("{message}")]
    Overflow {
        message: String,
        report: Vec<String>,
    },
    /// Something other than the résumé went wrong (fonts, Typst internals).
    #[error("{0}")]
    Other(String),
}

fn known_list(known: &[String]) -> String {
    if known.is_empty() {
        "; it defines no variants".to_string()
    } else {
        format!("; it defines: {}", known.join(", "))
    }
}
