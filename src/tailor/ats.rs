//! `vitae check --ats`: reads a built PDF back the way an applicant-tracking system does (its
//! text layer, in content order) and reports whether every field of the résumé comes back, in
//! reading order. It works for any layout, so a designer learns whether theirs reads correctly.

use crate::Error;
use crate::model::document::Document;

/// How one field came back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Found {
    /// Where a reader expects it: after the entry before it.
    InOrder,
    /// In the text, but before the entry it follows (a column read in the wrong order, or a
    /// part of an entry moved away from it).
    OutOfOrder,
    /// Not in the text at all (drawn as outlines or an image, split by hyphenation, or missing).
    Missing,
}

/// One field of the résumé and how it came back.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Field {
    /// Where it is in the résumé, e.g. `work[2].highlights[1]`.
    pub path: String,
    pub text: String,
    pub found: Found,
}

/// Every field, in the résumé's order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AtsReport {
    pub fields: Vec<Field>,
}

impl AtsReport {
    /// How many fields came back in reading order.
    pub fn in_order(&self) -> usize {
        self.fields
            .iter()
            .filter(|f| f.found == Found::InOrder)
            .count()
    }

    /// The share of fields in reading order, 0–100.
    pub fn percent(&self) -> f64 {
        if self.fields.is_empty() {
            return 100.0;
        }
        self.in_order() as f64 * 100.0 / self.fields.len() as f64
    }

    /// The fields that did not come back in reading order.
    pub fn misses(&self) -> impl Iterator<Item = &Field> {
        self.fields.iter().filter(|f| f.found != Found::InOrder)
    }
}

/// Checks the text of `pdf`, the PDF built from `doc`.
pub fn check(doc: &Document, pdf: &[u8]) -> Result<AtsReport, Error> {
    let text = pdf_extract::extract_text_from_mem(pdf)
        .map_err(|e| Error::Other(format!("cannot read the PDF's text back: {e}")))?;
    Ok(read_back(doc, &text))
}

/// Finds every field of `doc` in `extracted`, entry by entry: each entry's fields after the
/// start of the entry before it, in any order among themselves (a layout may set a company above
/// its roles, or dates before a title).
fn read_back(doc: &Document, extracted: &str) -> AtsReport {
    let extracted = fold(extracted);
    let texts = doc.texts();
    let mut fields = Vec::with_capacity(texts.len());
    let mut floor = 0;
    let mut i = 0;
    while i < texts.len() {
        let group = group_of(&texts[i].0).to_string();
        let mut start = usize::MAX;
        while i < texts.len() && group_of(&texts[i].0) == group {
            let (path, text) = &texts[i];
            let wanted = fold(text);
            let found = match extracted[floor..].find(&wanted) {
                Some(at) => {
                    start = start.min(floor + at);
                    Found::InOrder
                }
                None if extracted.contains(&wanted) => Found::OutOfOrder,
                None => Found::Missing,
            };
            fields.push(Field {
                path: path.clone(),
                text: text.clone(),
                found,
            });
            i += 1;
        }
        if start != usize::MAX {
            floor = start;
        }
    }
    AtsReport { fields }
}

/// The entry a field belongs to: `work[2].highlights[1]` → `work[2]`; the basics are one
/// group; a section title is a group of its own.
fn group_of(field: &str) -> &str {
    if let Some(end) = field.find(']') {
        &field[..=end]
    } else if field.starts_with("basics.") {
        "basics"
    } else {
        field
    }
}

/// Without white space and in lower case: extractors space words and lines their own way, and
/// layouts may set headings in capitals.
fn fold(text: &str) -> String {
    text.chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::{Inline, Span};
    use crate::model::document::{Basics, Entry, Section, SectionKind};

    fn plain(text: &str) -> Inline {
        Inline(vec![Span::Text(text.into())])
    }

    fn doc() -> Document {
        let entry = |source: &str, title: &str| Entry {
            source: source.into(),
            title: Some(plain(title)),
            ..Entry::default()
        };
        Document {
            photo: None,
            lang: "en".into(),
            locale: crate::locale::Locale::for_lang("en").clone(),
            basics: Basics {
                name: plain("Ada Lovelace"),
                ..Basics::default()
            },
            sections: vec![Section {
                id: "work".into(),
                kind: SectionKind::Work,
                title: "Experience".into(),
                entries: vec![entry("work[0]", "Analyst"), entry("work[1]", "Engineer")],
            }],
            meta: Default::default(),
        }
    }

    #[test]
    fn fields_in_the_text_in_order_are_all_found() {
        let report = read_back(&doc(), "ADA LOVELACE\nExperience\nAnalyst\nEngineer");
        assert_eq!(report.in_order(), 4);
        assert_eq!(report.percent(), 100.0);
        assert_eq!(report.misses().count(), 0);
    }

    #[test]
    fn a_field_out_of_place_or_absent_is_named() {
        let report = read_back(&doc(), "Ada Lovelace Engineer Experience Analyst");
        let misses: Vec<(&str, Found)> = report
            .misses()
            .map(|f| (f.path.as_str(), f.found))
            .collect();
        assert_eq!(misses, [("work[1].title", Found::OutOfOrder)]);
        let report = read_back(&doc(), "Ada Lovelace Experience Analyst");
        let misses: Vec<(&str, Found)> = report
            .misses()
            .map(|f| (f.path.as_str(), f.found))
            .collect();
        assert_eq!(misses, [("work[1].title", Found::Missing)]);
        assert_eq!(report.percent(), 75.0);
    }
}
