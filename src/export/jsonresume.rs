//! The JSON Resume export (`-f jsonresume`, written as `<stem>.resume.json`): strict JSON Resume
//! 1.0, valid against the official schema, for any JSON Resume theme or site.
//!
//! It is made from the resolved [`Document`], so variant selection and the language are already
//! applied. Only JSON Resume keys are written (every object below is a struct, so no other key
//! can appear):
//!
//! - Summaries (`basics.summary`, `work[].summary`, `awards[].summary`, …, `references[].reference`)
//!   and highlights are Markdown, which JSON Resume themes commonly render; every other text
//!   (names, positions, titles, descriptions, keywords) is plain text without markup. The
//!   Markdown is the Markdown export's: literal `*`, `_`, `~`, `[` … are backslash-escaped and
//!   `<` is `&lt;`, so a theme that renders it shows the text as written and never raw HTML.
//! - Dates are ISO at the precision written; an ongoing range has no `endDate`, and a custom
//!   entry's single `date` is both `startDate` and `endDate` (so themes do not show it ongoing).
//! - URLs must be absolute URIs (`format: uri`): characters a URI cannot hold are
//!   percent-encoded, and a relative URL is left out with a warning; so is an e-mail address the
//!   schema's `email` format refuses, a date outside its pattern, and an image that is a file
//!   rather than an `http(s)` URL.
//! - vitae's extensions are folded in or dropped, each with a warning: a custom section's
//!   entries become `projects` (name = title; description = subtitle, then location, then the
//!   summary as Markdown; highlights, url, dates, keywords), and `basics.availability` is left
//!   out. Tags (of entries and highlights), settings and variants are applied already and
//!   never written.
//! - An education's title is "studyType, area" in the document; it is split at its first ", "
//!   (studyType before, area after), and a title without one is written as `area`.
//! - Facts go back to their fields by their label in the document's locale: an education's
//!   score and courses (split at "; "), a project's roles (split at ", ") and type.

use super::markdown;
use super::{Format, Rendered, Renderer};
use crate::Error;
use crate::diag::Diagnostic;
use crate::markup::{Block, Inline};
use crate::model::document::{Dates, Document, Entry, Link, SectionKind};
use serde::Serialize;

/// The schema the export declares in `$schema`.
pub const SCHEMA_URL: &str =
    "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json";

/// Renders the document as JSON Resume 1.0.
#[derive(Debug, Clone, Copy, Default)]
pub struct JsonResume;

impl Renderer for JsonResume {
    fn format(&self) -> Format {
        Format::JsonResume
    }

    fn render(&self, doc: &Document) -> Result<Rendered, Error> {
        let (resume, warnings) = export(doc);
        let mut text =
            serde_json::to_string_pretty(&resume).map_err(|e| Error::Other(e.to_string()))?;
        text.push('\n');
        let mut rendered = Rendered::single(text.into_bytes());
        rendered.warnings = warnings;
        Ok(rendered)
    }
}

/// A JSON Resume 1.0 document.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Resume {
    #[serde(rename = "$schema")]
    pub schema: String,
    pub basics: Basics,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub work: Vec<Work>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub volunteer: Vec<Volunteer>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub education: Vec<Education>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub awards: Vec<Award>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub certificates: Vec<Certificate>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub publications: Vec<Publication>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub skills: Vec<Skill>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<Language>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interests: Vec<Interest>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub projects: Vec<Project>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Basics {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub profiles: Vec<Profile>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Profile {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub network: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Work {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Volunteer {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Education {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub institution: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub study_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub courses: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Award {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub awarder: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Certificate {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Publication {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Skill {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Language {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fluency: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Interest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Reference {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Project {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Meta {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub canonical: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
}

/// The JSON Resume of `doc`, with a warning for everything left out or folded in.
pub fn export(doc: &Document) -> (Resume, Vec<Diagnostic>) {
    let mut x = Exporter {
        doc,
        warnings: Vec::new(),
    };
    let resume = x.resume();
    (resume, x.warnings)
}

struct Exporter<'a> {
    doc: &'a Document,
    warnings: Vec<Diagnostic>,
}

/// A range's start and end; a single date (no end, not ongoing) ends when it starts.
struct Range {
    start: Option<String>,
    end: Option<String>,
}

impl Exporter<'_> {
    fn warn(&mut self, message: String) {
        self.warnings.push(Diagnostic::warning(message));
    }

    fn resume(&mut self) -> Resume {
        let doc = self.doc;
        let mut out = Resume {
            schema: SCHEMA_URL.to_string(),
            basics: self.basics(),
            ..Resume::default()
        };
        for section in &doc.sections {
            for e in &section.entries {
                let at = e.source.as_str();
                match section.kind {
                    SectionKind::Work => {
                        let r = self.range(e);
                        out.work.push(Work {
                            name: plain(&e.organization),
                            location: e.location.clone(),
                            description: plain(&e.description),
                            position: plain(&e.title),
                            url: self.url(&e.url, &format!("{at}.url")),
                            start_date: r.start,
                            end_date: r.end,
                            summary: blocks(&e.summary),
                            highlights: highlights(e),
                        });
                    }
                    SectionKind::Volunteer => {
                        let r = self.range(e);
                        out.volunteer.push(Volunteer {
                            organization: plain(&e.organization),
                            position: plain(&e.title),
                            url: self.url(&e.url, &format!("{at}.url")),
                            start_date: r.start,
                            end_date: r.end,
                            summary: blocks(&e.summary),
                            highlights: highlights(e),
                        });
                    }
                    SectionKind::Education => {
                        let r = self.range(e);
                        let (study_type, area) = split_degree(plain(&e.title));
                        let labels = &doc.locale.labels;
                        out.education.push(Education {
                            institution: plain(&e.organization),
                            url: self.url(&e.url, &format!("{at}.url")),
                            area,
                            study_type,
                            start_date: r.start,
                            end_date: r.end,
                            score: fact(e, &labels.score),
                            courses: fact(e, &labels.courses)
                                .map(|c| split_list(&c, "; "))
                                .unwrap_or_default(),
                        });
                    }
                    SectionKind::Awards => out.awards.push(Award {
                        title: plain(&e.title),
                        date: self.single(e),
                        awarder: plain(&e.organization),
                        summary: blocks(&e.summary),
                    }),
                    SectionKind::Certificates => out.certificates.push(Certificate {
                        name: plain(&e.title),
                        date: self.single(e),
                        url: self.url(&e.url, &format!("{at}.url")),
                        issuer: plain(&e.organization),
                    }),
                    SectionKind::Publications => out.publications.push(Publication {
                        name: plain(&e.title),
                        publisher: plain(&e.organization),
                        release_date: self.single(e),
                        url: self.url(&e.url, &format!("{at}.url")),
                        summary: blocks(&e.summary),
                    }),
                    SectionKind::Skills => out.skills.push(Skill {
                        name: plain(&e.title),
                        level: plain(&e.level),
                        keywords: e.keywords.clone(),
                    }),
                    SectionKind::Languages => out.languages.push(Language {
                        language: plain(&e.title),
                        fluency: plain(&e.level),
                    }),
                    SectionKind::Interests => out.interests.push(Interest {
                        name: plain(&e.title),
                        keywords: e.keywords.clone(),
                    }),
                    SectionKind::References => out.references.push(Reference {
                        name: plain(&e.title),
                        reference: blocks(&e.summary),
                    }),
                    SectionKind::Projects => {
                        let r = self.range(e);
                        let labels = &doc.locale.labels;
                        out.projects.push(Project {
                            name: plain(&e.title),
                            description: plain(&e.description),
                            highlights: highlights(e),
                            keywords: e.keywords.clone(),
                            start_date: r.start,
                            end_date: r.end,
                            url: self.url(&e.url, &format!("{at}.url")),
                            roles: fact(e, &labels.roles)
                                .map(|c| split_list(&c, ", "))
                                .unwrap_or_default(),
                            entity: plain(&e.organization),
                            kind: fact(e, &labels.kind),
                        });
                    }
                    SectionKind::Custom => {
                        let r = self.range(e);
                        let description = [plain(&e.organization), e.location.clone()]
                            .into_iter()
                            .flatten()
                            .collect::<Vec<_>>()
                            .join(", ");
                        let description = [Some(description), blocks(&e.summary)]
                            .into_iter()
                            .flatten()
                            .filter(|s| !s.is_empty())
                            .collect::<Vec<_>>()
                            .join("\n\n");
                        out.projects.push(Project {
                            name: plain(&e.title),
                            description: (!description.is_empty()).then_some(description),
                            highlights: highlights(e),
                            keywords: e.keywords.clone(),
                            start_date: r.start,
                            end_date: r.end,
                            url: self.url(&e.url, &format!("{at}.url")),
                            ..Project::default()
                        });
                    }
                }
            }
            if section.kind == SectionKind::Custom {
                self.warn(format!(
                    "custom section \"{}\" is exported as projects",
                    section.id
                ));
            }
        }
        let m = &doc.meta;
        let meta = Meta {
            canonical: m
                .canonical
                .as_deref()
                .and_then(|c| self.uri(c, "meta.canonical")),
            version: m.version.clone(),
            last_modified: m.last_modified.clone(),
        };
        out.meta = (meta != Meta::default()).then_some(meta);
        out
    }

    fn basics(&mut self) -> Basics {
        let b = &self.doc.basics;
        if b.availability.is_some() {
            self.warn("basics.availability is not part of JSON Resume; it is left out".to_string());
        }
        let image = b.image.as_ref().and_then(|i| {
            let scheme = crate::link::scheme(&i.url);
            if matches!(scheme.as_deref(), Some("http" | "https")) {
                self.uri(&i.url, "basics.image")
            } else {
                self.warn(format!(
                    "basics.image \"{}\" is not an http(s) URL, which JSON Resume wants; \
                     it is left out",
                    i.url
                ));
                None
            }
        });
        let email = b.email.as_ref().and_then(|e| {
            if is_email(e) {
                Some(e.clone())
            } else {
                self.warn(format!(
                    "basics.email \"{e}\" is not an e-mail address JSON Resume accepts; \
                     it is left out"
                ));
                None
            }
        });
        let profiles = b
            .profiles
            .iter()
            .enumerate()
            .map(|(i, p)| Profile {
                network: p.network.clone(),
                username: p.username.clone(),
                url: self.url(&p.url, &format!("basics.profiles[{i}].url")),
            })
            .filter(|p| p != &Profile::default())
            .collect();
        Basics {
            name: Some(b.name.plain()).filter(|n| !n.is_empty()),
            label: plain(&b.label),
            image,
            email,
            phone: b.phone.clone(),
            url: self.url(&b.url, "basics.url"),
            summary: blocks(&b.summary),
            location: b.location.as_ref().map(|l| Location {
                address: l.address.clone(),
                postal_code: l.postal_code.clone(),
                city: l.city.clone(),
                country_code: l.country_code.clone(),
                region: l.region.clone(),
            }),
            profiles,
        }
    }

    fn url(&mut self, link: &Option<Link>, path: &str) -> Option<String> {
        let link = link.as_ref()?;
        self.uri(&link.url, path)
    }

    /// `url` as an absolute URI, or `None` with a warning.
    fn uri(&mut self, url: &str, path: &str) -> Option<String> {
        let uri = absolute_uri(url);
        if uri.is_none() {
            self.warn(format!(
                "{path} \"{url}\" is not an absolute URL, which JSON Resume wants; it is left out"
            ));
        }
        uri
    }

    fn date(&mut self, date: &Option<String>, path: &str) -> Option<String> {
        let date = date.as_ref()?;
        if is_iso8601(date) {
            Some(date.clone())
        } else {
            self.warn(format!(
                "{path} \"{date}\" is outside the years JSON Resume accepts (1000-2999); \
                 it is left out"
            ));
            None
        }
    }

    /// A range: no `endDate` when ongoing; a single date ends when it starts.
    fn range(&mut self, e: &Entry) -> Range {
        let Some(d) = &e.dates else {
            return Range {
                start: None,
                end: None,
            };
        };
        let at = &e.source;
        match (&d.end, d.ongoing) {
            // A single date (a custom entry's `date`): it ends when it starts.
            (None, false) => {
                let date = self.date(&d.start, &format!("{at}.date"));
                Range {
                    start: date.clone(),
                    end: date,
                }
            }
            (end, _) => Range {
                start: self.date(&d.start, &format!("{at}.startDate")),
                end: self.date(end, &format!("{at}.endDate")),
            },
        }
    }

    /// The one date of an award, certificate or publication.
    fn single(&mut self, e: &Entry) -> Option<String> {
        let d: &Dates = e.dates.as_ref()?;
        self.date(&d.start, &format!("{}.date", e.source))
    }
}

fn plain(inline: &Option<Inline>) -> Option<String> {
    inline.as_ref().map(Inline::plain).filter(|s| !s.is_empty())
}

/// Paragraphs and lists as Markdown.
fn blocks(blocks: &[Block]) -> Option<String> {
    let parts: Vec<String> = blocks
        .iter()
        .map(|b| match b {
            Block::Paragraph(p) => markdown::inline(p),
            Block::List { ordered, items } => items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    let marker = if *ordered {
                        format!("{}.", i + 1)
                    } else {
                        "-".to_string()
                    };
                    format!("{marker} {}", markdown::inline(item))
                })
                .collect::<Vec<_>>()
                .join("\n"),
        })
        .filter(|s| !s.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("\n\n"))
}

fn highlights(e: &Entry) -> Vec<String> {
    e.highlights
        .iter()
        .map(|h| markdown::inline(&h.text))
        .filter(|s| !s.is_empty())
        .collect()
}

/// The value of the fact labelled `label`.
fn fact(e: &Entry, label: &str) -> Option<String> {
    e.facts
        .iter()
        .find(|f| f.label == label)
        .map(|f| f.value.clone())
}

fn split_list(text: &str, separator: &str) -> Vec<String> {
    text.split(separator)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// "studyType, area" back into its two fields: split at the first ", ".
fn split_degree(title: Option<String>) -> (Option<String>, Option<String>) {
    match title {
        None => (None, None),
        Some(t) => match t.split_once(", ") {
            Some((study, area)) => (Some(study.to_string()), Some(area.to_string())),
            None => (None, Some(t)),
        },
    }
}

/// The date pattern of JSON Resume's `iso8601`: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, years
/// 1000–2999.
fn is_iso8601(date: &str) -> bool {
    let b = date.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let year = b.len() >= 4 && matches!(b[0], b'1' | b'2') && digits(0..4);
    match b.len() {
        4 => year,
        7 => year && b[4] == b'-' && matches!(b[5], b'0' | b'1') && digits(5..7),
        10 => {
            year && b[4] == b'-'
                && matches!(b[5], b'0' | b'1')
                && digits(5..7)
                && b[7] == b'-'
                && matches!(b[8], b'0'..=b'3')
                && digits(8..10)
        }
        _ => false,
    }
}

/// `url` as an absolute URI (RFC 3986): it needs a scheme; characters a URI cannot hold
/// (spaces, non-ASCII, a stray `%`, a second `#`, brackets outside the host) are
/// percent-encoded as UTF-8.
pub fn absolute_uri(url: &str) -> Option<String> {
    let url = url.trim();
    let (scheme, rest) = url.split_once(':')?;
    let mut chars = scheme.chars();
    let first = chars.next()?;
    if !(first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    {
        return None;
    }
    // Where the authority ends: brackets are allowed only inside it (an IPv6 host).
    let authority_end = rest
        .strip_prefix("//")
        .map(|a| 2 + a.find(['/', '?', '#']).unwrap_or(a.len()));
    let mut out = format!("{scheme}:");
    let mut seen_hash = false;
    let bytes = rest.as_bytes();
    for (i, c) in rest.char_indices() {
        let in_authority = authority_end.is_some_and(|end| i < end);
        let keep = match c {
            'A'..='Z' | 'a'..='z' | '0'..='9' | '-' | '.' | '_' | '~' => true,
            ':' | '/' | '?' | '@' => true,
            '!' | '$' | '&' | '\'' | '(' | ')' | '*' | '+' | ',' | ';' | '=' => true,
            '[' | ']' => in_authority,
            '#' => !std::mem::replace(&mut seen_hash, true),
            '%' => {
                bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit)
            }
            _ => false,
        };
        if keep {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for byte in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{byte:02X}"));
            }
        }
    }
    Some(out)
}

/// An e-mail address of the shape the schema's `email` format accepts: an ASCII local part
/// without spaces or quotes, and a host name of letters, digits and hyphens.
fn is_email(email: &str) -> bool {
    let Some((local, domain)) = email.rsplit_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local.len() <= 64
        && !local.starts_with('.')
        && !local.ends_with('.')
        && !local.contains("..")
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c));
    let domain_ok = !domain.is_empty()
        && domain.len() <= 253
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    local_ok && domain_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_absolute_and_encoded() {
        assert_eq!(absolute_uri("portfolio.html"), None);
        assert_eq!(absolute_uri("/cv"), None);
        assert_eq!(
            absolute_uri("https://example.com/café a#x#y").as_deref(),
            Some("https://example.com/caf%C3%A9%20a#x%23y")
        );
        assert_eq!(
            absolute_uri("https://[::1]:8080/a[1]%2Fb%zz").as_deref(),
            Some("https://[::1]:8080/a%5B1%5D%2Fb%25zz")
        );
        assert_eq!(
            absolute_uri("mailto:ada@example.com").as_deref(),
            Some("mailto:ada@example.com")
        );
    }

    #[test]
    fn dates_follow_the_schema_pattern() {
        for ok in ["2019", "2019-03", "2019-03-01", "1000", "2999-12-31"] {
            assert!(is_iso8601(ok), "{ok}");
        }
        for bad in [
            "0999",
            "3000",
            "2019-3",
            "2019-03-1",
            "20190301",
            "",
            "abcd",
        ] {
            assert!(!is_iso8601(bad), "{bad}");
        }
    }

    #[test]
    fn emails_of_the_schema_shape() {
        assert!(is_email("ada.k+cv@mail.example.com"));
        for bad in [
            "ada",
            "ada@",
            "@example.com",
            "a b@example.com",
            "ada@exa mple.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn degrees_split_at_the_first_comma() {
        assert_eq!(
            split_degree(Some("MSc, Computer Science, Logic".into())),
            (Some("MSc".into()), Some("Computer Science, Logic".into()))
        );
        assert_eq!(
            split_degree(Some("Physics".into())),
            (None, Some("Physics".into()))
        );
    }
}
