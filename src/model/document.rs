//! The resolved résumé: one language picked, Markdown parsed, dates formatted, sections in
//! their final order with their headings. Every exporter reads this and only this.
//!
//! It is internal and may change freely: layouts and `vitae build -f json` see the versioned
//! data contract made from it, [`crate::export::contract`] (documented in `layouts/README.md`).
//! `contract.rs` takes every struct here apart field by field, so a field added here does not
//! compile until it is added to the contract or left out there on purpose.

use crate::link::LiveUrl;
use crate::locale::Locale;
use crate::markup::{Block, Inline};
use serde::{Deserialize, Serialize};

/// A résumé ready to render.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The photo to show, if the résumé names an image file and the settings do not hide it.
    /// Layouts get its bytes as a file, never its path.
    #[serde(skip)]
    pub photo: Option<super::photo::Photo>,
    /// The language the content was resolved for, e.g. "en".
    pub lang: String,
    /// vitae's own words for this document (headings, months, "present", labels, footer):
    /// the locale of `lang` (English when vitae has none) with `settings.labels` and the
    /// variant's `labels` over it. Every exporter takes its words from here, so all formats
    /// agree.
    pub locale: Locale,
    pub basics: Basics,
    /// Sections to show, in order. Empty sections are left out.
    pub sections: Vec<Section>,
    pub meta: Meta,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Basics {
    pub name: Inline,
    pub label: Option<Inline>,
    pub availability: Option<Inline>,
    pub image: Option<Link>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub url: Option<Link>,
    pub summary: Vec<Block>,
    pub location: Option<Location>,
    pub profiles: Vec<Profile>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub address: Option<String>,
    pub postal_code: Option<String>,
    pub city: Option<String>,
    pub country_code: Option<String>,
    pub region: Option<String>,
    /// One line for headers: "Berlin, DE", or the full address when there is one.
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub network: Option<String>,
    pub username: Option<String>,
    pub url: Option<Link>,
}

/// A URL as written, and whether it may be a live link (decided by [`crate::link::policy`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "WireLink")]
pub struct Link {
    pub url: String,
    /// The URL as a live link; `None` for a scheme vitae never links (`javascript:`, `data:`,
    /// `file:` …): renderers show `url` as plain text.
    #[serde(serialize_with = "is_some")]
    live: Option<LiveUrl>,
}

impl Link {
    /// A URL field's value, live only if the link policy allows it.
    pub fn new(url: impl Into<String>) -> Link {
        let url = url.into();
        let live = LiveUrl::new(url.clone()).ok();
        Link { url, live }
    }

    /// The URL as a live link, if the policy allows one.
    pub fn live(&self) -> Option<&LiveUrl> {
        self.live.as_ref()
    }
}

/// A link as serialised: the policy decides again what is live when it is read back.
#[derive(Deserialize)]
struct WireLink {
    url: String,
}

impl From<WireLink> for Link {
    fn from(wire: WireLink) -> Link {
        Link::new(wire.url)
    }
}

fn is_some<S: serde::Serializer>(live: &Option<LiveUrl>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_bool(live.is_some())
}

/// What kind of section, so renderers can choose a presentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    Work,
    Volunteer,
    Education,
    Awards,
    Certificates,
    Publications,
    Skills,
    Languages,
    Interests,
    References,
    Projects,
    Custom,
}

impl SectionKind {
    /// Sections whose entries are short facts (a name, a level, keywords) rather than stories.
    pub fn is_compact(self) -> bool {
        super::sections::by_kind(self).is_some_and(|s| s.compact)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    /// The id used in settings and variants: "work", or a custom section's key.
    pub id: String,
    pub kind: SectionKind,
    /// The heading, in the document's language.
    pub title: String,
    pub entries: Vec<Entry>,
}

/// One entry of any section, in a shape common to all of them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Where it came from in the source, e.g. `work[3]`; names entries in fit reports.
    pub source: String,
    /// The main line: a position, a degree, a project or skill name.
    pub title: Option<Inline>,
    /// The organisation: company, institution, issuer, publisher.
    pub organization: Option<Inline>,
    /// A one-line description (a company's business, a project's pitch).
    pub description: Option<Inline>,
    pub location: Option<String>,
    pub dates: Option<Dates>,
    pub url: Option<Link>,
    /// A skill level or a language's fluency.
    pub level: Option<Inline>,
    pub summary: Vec<Block>,
    pub highlights: Vec<Highlight>,
    pub keywords: Vec<String>,
    /// Other facts with a label: an education's grade and courses, a project's roles and type.
    pub facts: Vec<Fact>,
    /// True when this entry is at the same organisation as the one before it, so layouts can
    /// group a promotion under one company heading.
    pub continues: bool,
    /// Tags for tailoring; never printed.
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Highlight {
    /// Where it came from, e.g. `work[3].highlights[1]`; names it in fit reports.
    pub source: String,
    pub text: Inline,
    /// Tags for tailoring; never printed.
    pub tags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fact {
    /// In the document's language, e.g. "Courses".
    pub label: String,
    pub value: String,
}

/// A date or a range, as written and as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Dates {
    /// ISO form at the precision written (`2019`, `2019-03`, `2019-03-01`).
    pub start: Option<String>,
    pub end: Option<String>,
    /// The range has no end (`present`, or no endDate).
    pub ongoing: bool,
    /// Formatted for the document's language: "Mar 2019 – present".
    pub text: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub canonical: Option<String>,
    pub version: Option<String>,
    pub last_modified: Option<String>,
    /// The variant this document was tailored for, if any.
    pub variant: Option<String>,
}

impl Document {
    /// Every piece of text the document shows, with where it came from, in reading order.
    pub fn texts(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut push = |path: String, text: String| {
            if !text.is_empty() {
                out.push((path, text));
            }
        };
        let b = &self.basics;
        push("basics.name".into(), b.name.plain());
        if let Some(l) = &b.label {
            push("basics.label".into(), l.plain());
        }
        if let Some(a) = &b.availability {
            push("basics.availability".into(), a.plain());
        }
        for (i, text) in blocks_plain(&b.summary).into_iter().enumerate() {
            push(format!("basics.summary#{i}"), text);
        }
        for section in &self.sections {
            push(format!("{}.title", section.id), section.title.clone());
            for e in &section.entries {
                let at = &e.source;
                for (field, value) in [("title", &e.title), ("organization", &e.organization)] {
                    if let Some(v) = value {
                        push(format!("{at}.{field}"), v.plain());
                    }
                }
                if let Some(d) = &e.dates {
                    push(format!("{at}.dates"), d.text.clone());
                }
                if let Some(v) = &e.level {
                    push(format!("{at}.level"), v.plain());
                }
                if let Some(v) = &e.description {
                    push(format!("{at}.description"), v.plain());
                }
                for (i, text) in blocks_plain(&e.summary).into_iter().enumerate() {
                    push(format!("{at}.summary#{i}"), text);
                }
                for h in &e.highlights {
                    push(h.source.clone(), h.text.plain());
                }
                for f in &e.facts {
                    push(format!("{at}.{}", f.label), f.value.clone());
                }
                for (i, k) in e.keywords.iter().enumerate() {
                    push(format!("{at}.keywords[{i}]"), k.clone());
                }
            }
        }
        out
    }

    /// Every string a layout receives and may print, with where it came from: the
    /// [`Document::texts`], then the contact details, addresses, links and fact labels around
    /// them. Fonts are chosen for all of these, so no field can hold a character the PDF then
    /// cannot show.
    pub fn shown_texts(&self) -> Vec<(String, String)> {
        let mut out = self.texts();
        let mut push = |path: String, text: Option<&str>| {
            if let Some(text) = text.filter(|t| !t.is_empty()) {
                out.push((path, text.to_string()));
            }
        };
        let b = &self.basics;
        push("basics.email".into(), b.email.as_deref());
        push("basics.phone".into(), b.phone.as_deref());
        push("basics.url".into(), b.url.as_ref().map(|l| l.url.as_str()));
        push(
            "basics.image".into(),
            b.image.as_ref().map(|l| l.url.as_str()),
        );
        if let Some(l) = &b.location {
            for (field, value) in [
                ("address", &l.address),
                ("postalCode", &l.postal_code),
                ("city", &l.city),
                ("countryCode", &l.country_code),
                ("region", &l.region),
            ] {
                push(format!("basics.location.{field}"), value.as_deref());
            }
            push("basics.location".into(), Some(&l.text));
        }
        for (i, p) in b.profiles.iter().enumerate() {
            let at = format!("basics.profiles[{i}]");
            push(format!("{at}.network"), p.network.as_deref());
            push(format!("{at}.username"), p.username.as_deref());
            push(format!("{at}.url"), p.url.as_ref().map(|l| l.url.as_str()));
        }
        for section in &self.sections {
            for e in &section.entries {
                let at = &e.source;
                push(format!("{at}.location"), e.location.as_deref());
                push(format!("{at}.url"), e.url.as_ref().map(|l| l.url.as_str()));
                for f in &e.facts {
                    push(format!("{at}.{}", f.label), Some(&f.label));
                }
            }
        }
        let m = &self.meta;
        for (field, value) in [
            ("canonical", &m.canonical),
            ("version", &m.version),
            ("lastModified", &m.last_modified),
            ("variant", &m.variant),
        ] {
            push(format!("meta.{field}"), value.as_deref());
        }
        out
    }
}

pub(crate) fn blocks_plain(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .flat_map(|b| match b {
            Block::Paragraph(p) => vec![p.plain()],
            Block::List { items, .. } => items.iter().map(Inline::plain).collect(),
        })
        .collect()
}
