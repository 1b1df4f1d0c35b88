//! The data contract of layouts: what `/resume.json` holds for every Typst layout, and what
//! `vitae build -f json` writes.
//!
//! It is a view of the resolved [`Document`] made for printing, and kept apart from it so that
//! the internal model can change without breaking anyone's layout:
//!
//! - keys are camelCase, as in the input format (JSON Resume): `postalCode`, `countryCode`,
//!   `lastModified`;
//! - nothing internal: no `source` paths, no tailoring `tags`; a highlight is just its inline
//!   text, like a list item of a summary;
//! - optional values are `null` and lists are always present (possibly empty), so a layout can
//!   test `x != none` and loop over lists without checking first;
//! - inline text is the markup tree of [`crate::markup`] ([`Inline`], [`Block`]) as it
//!   serialises: `{text: str} | {strong: Inline} | {emph: Inline} | {code: str} | {link: {url,
//!   body}}` and `{paragraph: Inline} | {list: {ordered, items}}`;
//! - `version` is [`VERSION`]. Within a version fields are only ever added; renaming or removing
//!   one, or changing what it means, bumps the version.
//!
//! `layouts/README.md` documents the same contract for layout authors; `tests/contract.rs` pins
//! it for the bundled example.

use crate::markup::{Block, Inline};
use crate::model::document::{self, Document, SectionKind};
use serde::Serialize;

/// The version of the contract [`contract`] produces, written as `"version"`.
pub const VERSION: u32 = 1;

/// A résumé as layouts read it: the top level of `/resume.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Contract<'a> {
    /// The version of this contract, [`VERSION`]; a layout may check it.
    pub version: u32,
    /// The language the content was resolved for, e.g. "en".
    pub lang: &'a str,
    /// The person: name, label, contacts, summary, location, profiles.
    pub basics: Basics<'a>,
    /// The sections to show, in order, each with its heading. Empty sections are left out.
    pub sections: Vec<Section<'a>>,
    /// About the résumé itself, from its `meta` (and the variant built).
    pub meta: Meta<'a>,
}

/// The person, from `basics`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Basics<'a> {
    /// The person's name.
    pub name: &'a Inline,
    /// A headline under the name, e.g. "Senior Backend Engineer".
    pub label: Option<&'a Inline>,
    /// When and for what the person is available, e.g. "Open to senior roles from March 2025".
    pub availability: Option<&'a Inline>,
    /// The URL of a photo: print it, never fetch it.
    pub image: Option<Url<'a>>,
    /// The photo to show, as a file in the layout's virtual file system, e.g. `"/photo.jpg"`:
    /// `image(resume.basics.photo)`. Null when there is none or the settings hide it.
    pub photo: Option<String>,
    /// An e-mail address, as written.
    pub email: Option<&'a str>,
    /// A phone number, as written.
    pub phone: Option<&'a str>,
    /// The person's website.
    pub url: Option<Url<'a>>,
    /// A summary: paragraphs and lists.
    pub summary: &'a [Block],
    /// Where the person lives.
    pub location: Option<Location<'a>>,
    /// Accounts on other sites (GitHub, LinkedIn …), in the order written.
    pub profiles: Vec<Profile<'a>>,
}

/// Where the person lives, field by field and as one line.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location<'a> {
    /// The street address; may hold line breaks.
    pub address: Option<&'a str>,
    /// The postal code.
    pub postal_code: Option<&'a str>,
    /// The city.
    pub city: Option<&'a str>,
    /// The country as an ISO 3166-1 alpha-2 code, e.g. "DE".
    pub country_code: Option<&'a str>,
    /// The region, state or province.
    pub region: Option<&'a str>,
    /// One line for headers: "Berlin, DE", or the full address when there is one.
    pub text: &'a str,
}

/// An account on another site.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile<'a> {
    /// The site, e.g. "GitHub".
    pub network: Option<&'a str>,
    /// The name on that site.
    pub username: Option<&'a str>,
    /// The profile's address.
    pub url: Option<Url<'a>>,
}

/// A URL as written in the résumé, and whether it may be a live link.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Url<'a> {
    /// The URL exactly as written.
    pub url: &'a str,
    /// False for a scheme vitae never links (`javascript:`, `data:`, `file:` …, decided by
    /// [`crate::link::policy`]): show `url` as text, never as a link.
    pub live: bool,
}

/// One section: its heading and its entries.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Section<'a> {
    /// The id used in settings and variants: "work", "projects" …, or a custom section's key.
    pub id: &'a str,
    /// What kind of section, so a layout can choose a presentation: "work", "volunteer",
    /// "education", "awards", "certificates", "publications", "skills", "languages",
    /// "interests", "references", "projects" or "custom".
    pub kind: SectionKind,
    /// The heading, in the document's language.
    pub title: &'a str,
    /// The entries, in order.
    pub entries: Vec<Entry<'a>>,
}

/// One entry of any section, in a shape common to all of them.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Entry<'a> {
    /// The main line: a position, a degree, a project, skill or language name.
    pub title: Option<&'a Inline>,
    /// The organisation: company, institution, issuer, publisher, awarder.
    pub organization: Option<&'a Inline>,
    /// A one-line description (a company's business, a project's pitch).
    pub description: Option<&'a Inline>,
    /// Where it took place, as written.
    pub location: Option<&'a str>,
    /// When: a date or a range, as written and as shown.
    pub dates: Option<Dates<'a>>,
    /// The entry's website.
    pub url: Option<Url<'a>>,
    /// A skill's level or a language's fluency.
    pub level: Option<&'a Inline>,
    /// A summary: paragraphs and lists.
    pub summary: &'a [Block],
    /// Achievements, one bullet each, as inline text.
    pub highlights: Vec<&'a Inline>,
    /// Keywords (a skill's tools, a project's technologies), as written.
    pub keywords: &'a [String],
    /// Other facts with a label: an education's score and courses, a project's roles and type.
    pub facts: Vec<Fact<'a>>,
    /// True when this entry is at the same organisation as the one before it, so a layout can
    /// show the organisation once with the roles beneath it.
    pub continues: bool,
}

/// A fact with a label.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fact<'a> {
    /// The label in the document's language, e.g. "Courses".
    pub label: &'a str,
    /// The value, ready to print.
    pub value: &'a str,
}

/// A date or a range, as written and as shown.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Dates<'a> {
    /// The start (or the only date), ISO at the precision written: "2019", "2019-03",
    /// "2019-03-01".
    pub start: Option<&'a str>,
    /// The end, in the same form; null when there is none or it is "present".
    pub end: Option<&'a str>,
    /// True when the range has no end (`present`, or no end date).
    pub ongoing: bool,
    /// Formatted for the document's language: "Mar 2019 – present".
    pub text: &'a str,
}

/// About the résumé itself.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta<'a> {
    /// Where the canonical version of the résumé lives (a URL), as written.
    pub canonical: Option<&'a str>,
    /// The résumé's own version, as written (not the contract's: that is the top-level
    /// `version`).
    pub version: Option<&'a str>,
    /// When the résumé was last changed, as written.
    pub last_modified: Option<&'a str>,
    /// The variant this document was tailored for, if any.
    pub variant: Option<&'a str>,
}

/// Where a photo's bytes are in the layout's virtual file system: `/photo.jpg`.
pub fn photo_path(photo: &crate::model::photo::Photo) -> String {
    format!("/photo.{}", photo.format.extension())
}

/// The contract for `doc`. It borrows from `doc`; serialise it with serde.
///
/// Every internal struct is taken apart field by field, so a field added to the [`Document`]
/// does not compile here until it is either added to the contract or left out on purpose.
pub fn contract(doc: &Document) -> Contract<'_> {
    let Document {
        photo,
        lang,
        // Its words are in the document already (headings, dates, fact labels); layouts get
        // the rest from `/settings.json`, which is not versioned with the contract.
        locale: _,
        basics,
        sections,
        meta,
    } = doc;
    Contract {
        version: VERSION,
        lang,
        basics: Basics {
            photo: photo.as_ref().map(photo_path),
            ..Basics::from(basics)
        },
        sections: sections.iter().map(Section::from).collect(),
        meta: Meta::from(meta),
    }
}

impl<'a> From<&'a Document> for Contract<'a> {
    fn from(doc: &'a Document) -> Self {
        contract(doc)
    }
}

impl<'a> From<&'a document::Basics> for Basics<'a> {
    fn from(b: &'a document::Basics) -> Self {
        let document::Basics {
            name,
            label,
            availability,
            image,
            email,
            phone,
            url,
            summary,
            location,
            profiles,
        } = b;
        Basics {
            photo: None,
            name,
            label: label.as_ref(),
            availability: availability.as_ref(),
            image: image.as_ref().map(Url::from),
            email: email.as_deref(),
            phone: phone.as_deref(),
            url: url.as_ref().map(Url::from),
            summary,
            location: location.as_ref().map(Location::from),
            profiles: profiles.iter().map(Profile::from).collect(),
        }
    }
}

impl<'a> From<&'a document::Location> for Location<'a> {
    fn from(l: &'a document::Location) -> Self {
        let document::Location {
            address,
            postal_code,
            city,
            country_code,
            region,
            text,
        } = l;
        Location {
            address: address.as_deref(),
            postal_code: postal_code.as_deref(),
            city: city.as_deref(),
            country_code: country_code.as_deref(),
            region: region.as_deref(),
            text,
        }
    }
}

impl<'a> From<&'a document::Profile> for Profile<'a> {
    fn from(p: &'a document::Profile) -> Self {
        let document::Profile {
            network,
            username,
            url,
        } = p;
        Profile {
            network: network.as_deref(),
            username: username.as_deref(),
            url: url.as_ref().map(Url::from),
        }
    }
}

impl<'a> From<&'a document::Link> for Url<'a> {
    fn from(l: &'a document::Link) -> Self {
        Url {
            url: &l.url,
            live: l.live().is_some(),
        }
    }
}

impl<'a> From<&'a document::Section> for Section<'a> {
    fn from(s: &'a document::Section) -> Self {
        let document::Section {
            id,
            kind,
            title,
            entries,
        } = s;
        Section {
            id,
            kind: *kind,
            title,
            entries: entries.iter().map(Entry::from).collect(),
        }
    }
}

impl<'a> From<&'a document::Entry> for Entry<'a> {
    fn from(e: &'a document::Entry) -> Self {
        let document::Entry {
            source: _,
            title,
            organization,
            description,
            location,
            dates,
            url,
            level,
            summary,
            highlights,
            keywords,
            facts,
            continues,
            tags: _,
        } = e;
        Entry {
            title: title.as_ref(),
            organization: organization.as_ref(),
            description: description.as_ref(),
            location: location.as_deref(),
            dates: dates.as_ref().map(Dates::from),
            url: url.as_ref().map(Url::from),
            level: level.as_ref(),
            summary,
            highlights: highlights.iter().map(highlight).collect(),
            keywords,
            facts: facts.iter().map(Fact::from).collect(),
            continues: *continues,
        }
    }
}

/// A highlight is its text; where it came from and its tags are internal.
fn highlight(h: &document::Highlight) -> &Inline {
    let document::Highlight {
        source: _,
        text,
        tags: _,
    } = h;
    text
}

impl<'a> From<&'a document::Fact> for Fact<'a> {
    fn from(f: &'a document::Fact) -> Self {
        let document::Fact { label, value } = f;
        Fact { label, value }
    }
}

impl<'a> From<&'a document::Dates> for Dates<'a> {
    fn from(d: &'a document::Dates) -> Self {
        let document::Dates {
            start,
            end,
            ongoing,
            text,
        } = d;
        Dates {
            start: start.as_deref(),
            end: end.as_deref(),
            ongoing: *ongoing,
            text,
        }
    }
}

impl<'a> From<&'a document::Meta> for Meta<'a> {
    fn from(m: &'a document::Meta) -> Self {
        let document::Meta {
            canonical,
            version,
            last_modified,
            variant,
        } = m;
        Meta {
            canonical: canonical.as_deref(),
            version: version.as_deref(),
            last_modified: last_modified.as_deref(),
            variant: variant.as_deref(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markup::Span;

    fn doc() -> Document {
        let text = |s: &str| Inline(vec![Span::Text(s.into())]);
        Document {
            photo: None,
            lang: "en".into(),
            locale: crate::locale::Locale::for_lang("en").clone(),
            basics: document::Basics {
                name: text("Ada"),
                location: Some(document::Location {
                    postal_code: Some("10115".into()),
                    country_code: Some("DE".into()),
                    text: "Berlin, DE".into(),
                    ..Default::default()
                }),
                ..Default::default()
            },
            sections: vec![document::Section {
                id: "work".into(),
                kind: SectionKind::Work,
                title: "Experience".into(),
                entries: vec![document::Entry {
                    source: "work[0]".into(),
                    title: Some(text("Engineer")),
                    highlights: vec![document::Highlight {
                        source: "work[0].highlights[0]".into(),
                        text: text("Shipped it"),
                        tags: vec!["backend".into()],
                    }],
                    tags: vec!["backend".into()],
                    ..Default::default()
                }],
            }],
            meta: document::Meta {
                last_modified: Some("2025-01-01".into()),
                ..Default::default()
            },
        }
    }

    #[test]
    fn keys_are_camel_case_and_internals_stay_out() {
        let doc = doc();
        let json = serde_json::to_value(contract(&doc)).unwrap();
        assert_eq!(json["version"], VERSION);
        assert_eq!(json["basics"]["location"]["postalCode"], "10115");
        assert_eq!(json["basics"]["location"]["countryCode"], "DE");
        assert_eq!(json["meta"]["lastModified"], "2025-01-01");
        assert_eq!(json["sections"][0]["kind"], "work");
        let entry = &json["sections"][0]["entries"][0];
        assert_eq!(
            entry["highlights"],
            serde_json::json!([[{"text": "Shipped it"}]])
        );
        let keys: Vec<&String> = entry.as_object().unwrap().keys().collect();
        assert!(
            !keys.iter().any(|k| *k == "source" || *k == "tags"),
            "{keys:?}"
        );
    }
}
