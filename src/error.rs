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
    /// Another build held the output folder's lock for longer than a build waits.
    #[error(
        "another vitae build is writing into {} (waited {} s for {})",
        dir.display(),
        waited.as_secs_f64(),
        lock.display()
    )]
    Locked {
        dir: PathBuf,
        lock: PathBuf,
        waited: std::time::Duration,
    },
    /// Swapping in a set of outputs failed, and so did putting the earlier set back; the
    /// folder's journal lets the next build finish restoring it.
    #[error(
        "{error}; putting back the earlier outputs failed too ({reason}); the next build into {} \
         will restore them",
        dir.display()
    )]
    Rollback {
        error: Box<Error>,
        dir: PathBuf,
        reason: String,
    },
    /// An interrupted build left a half-swapped set of outputs that could not be rolled back.
    #[error("cannot restore the outputs of an interrupted build in {}: {reason}", dir.display())]
    Recover { dir: PathBuf, reason: String },
    /// A variant was asked for that the résumé does not define.
    #[error("the résumé has no variant \"{name}\"{}", known_list(known))]
    UnknownVariant { name: String, known: Vec<String> },
    /// A layout was asked for that does not exist.
    #[error("there is no layout \"{name}\"; built-in layouts: {}", known.join(", "))]
    UnknownLayout { name: String, known: Vec<String> },
    /// A layout file cannot be used; its contents are never quoted.
    #[error("cannot use layout {layout}: {reason}")]
    Layout {
        layout: String,
        reason: crate::export::pdf::NotALayout,
    },
    /// A document does not fit its page budget even after every allowed change.
    #[error("{message}")]
    Overflow {
        message: String,
        report: Vec<crate::tailor::fit::FitChange>,
    },
    /// A job posting could not be read.
    #[error("cannot read the job posting {name}: {reason}")]
    Posting { name: String, reason: String },
    /// The preview server could not listen on its address, or start.
    #[error("cannot serve the preview on {addr}: {source}")]
    Serve {
        addr: std::net::SocketAddr,
        source: std::io::Error,
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
