//! The JSON export: the versioned data contract layouts read as `/resume.json` (see
//! [`super::contract`] and `layouts/README.md`), not the internal [`Document`].

use super::contract::contract;
use super::{Format, Rendered, Renderer};
use crate::Error;
use crate::model::document::Document;

/// Renders the document's [`contract`](super::contract::Contract) as pretty-printed JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl Renderer for Json {
    fn format(&self) -> Format {
        Format::Json
    }

    fn render(&self, doc: &Document) -> Result<Rendered, Error> {
        let mut text = serde_json::to_string_pretty(&contract(doc))
            .map_err(|e| Error::Other(e.to_string()))?;
        text.push('\n');
        Ok(Rendered::single(text.into_bytes()))
    }
}
