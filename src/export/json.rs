//! The resolved document as JSON: the data contract layouts read (see `layouts/README.md`).

use super::{Format, Rendered, Renderer};
use crate::Error;
use crate::model::document::Document;

/// Renders the resolved document as pretty-printed JSON.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json;

impl Renderer for Json {
    fn format(&self) -> Format {
        Format::Json
    }

    fn render(&self, doc: &Document) -> Result<Rendered, Error> {
        let mut text =
            serde_json::to_string_pretty(doc).map_err(|e| Error::Other(e.to_string()))?;
        text.push('\n');
        Ok(Rendered::single(text.into_bytes()))
    }
}
