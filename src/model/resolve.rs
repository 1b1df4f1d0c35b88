//! From the résumé as written to a [`Document`]: pick a language, parse Markdown, format dates,
//! order and title the sections.

use super::date::{Date, EndDate};
use super::document::*;
use super::load::Loaded;
use super::resume::{self as raw, Highlight as RawHighlight};
use super::text::{Pick, Text};
use crate::diag::Diagnostic;
use crate::link;
use crate::locale::Locale;
use crate::markup::{self, Block, Inline};
use std::borrow::Cow;

/// Said whenever a link is shown as text.
const LINK_RULE: &str = "vitae links only http, https, mailto and tel URLs and relative ones";

/// Choices made when resolving.
#[derive(Debug, Clone, Default)]
pub struct ResolveOptions {
    /// The language to resolve for; else `settings.lang`; else English.
    pub lang: Option<String>,
}

/// The language a résumé resolves to with these options.
pub fn effective_lang(resume: &raw::Resume, options: &ResolveOptions) -> String {
    options
        .lang
        .clone()
        .or_else(|| resume.settings.lang.clone())
        .unwrap_or_else(|| "en".to_string())
}

/// A language given from outside the résumé (`--lang`) that vitae has no locale for: English
/// words, with a warning. One the file names (`settings.lang`, a variant's `lang`) was reported
/// where it is written when the file was loaded ([`super::validate`]), and the command line
/// refuses `--lang` without labels before building ([`super::check_lang_flag`]).
fn without_locale(resume: &raw::Resume, lang: &str) -> Option<Diagnostic> {
    let named_in_file = resume.settings.lang.as_deref() == Some(lang)
        || resume
            .variants
            .values()
            .any(|v| v.lang.as_deref() == Some(lang));
    if Locale::resolve(lang).is_some() || named_in_file {
        return None;
    }
    let message = match &resume.settings.labels {
        Some(labels) => super::validate::english_for(lang, "--lang", labels, "settings.labels")?,
        None => format!("--lang: {}; English words are used", Locale::unknown(lang)),
    };
    Some(Diagnostic::warning(message))
}

/// Resolves `loaded.resume` (or `resume`, a tailored copy of it) into a document, with warnings
/// for missing translations.
pub fn resolve(
    loaded: &Loaded,
    resume: &raw::Resume,
    options: &ResolveOptions,
) -> (Document, Vec<Diagnostic>) {
    let lang = effective_lang(resume, options);
    let mut r = Resolver {
        loaded,
        default_lang: resume.settings.lang.clone().unwrap_or_default(),
        locale: Locale::with_labels(&lang, None),
        warnings: without_locale(resume, &lang).into_iter().collect(),
        untranslated: Vec::new(),
        translated: false,
        lang,
    };
    if let Some(labels) = &resume.settings.labels {
        let labels = r.clean_labels(labels);
        r.locale = Locale::with_labels(&r.lang, Some(&labels));
    }
    let basics = resume
        .basics
        .as_ref()
        .map(|b| r.basics(b))
        .unwrap_or_default();
    let mut sections: Vec<Section> = section_order(resume)
        .into_iter()
        .filter_map(|id| r.section(resume, &id))
        .filter(|s| !s.entries.is_empty())
        .collect();
    for section in &mut sections {
        mark_continuations(section);
    }
    let meta = resume.meta.as_ref().map(|m| Meta {
        canonical: r.plain(&m.canonical, "meta.canonical"),
        version: r.string(&m.version, "meta.version"),
        last_modified: r.plain(&m.last_modified, "meta.lastModified"),
        variant: None,
    });
    let photo = loaded
        .photo
        .clone()
        .filter(|_| resume.settings.photo != Some(false));
    let document = Document {
        photo,
        lang: r.lang.clone(),
        locale: r.locale.clone(),
        basics,
        sections,
        meta: meta.unwrap_or_default(),
    };
    let mut warnings = r.warnings;
    // A file with no text at all in the language asked for wants that language's headings and
    // dates around its own words; a file with some wants to hear what it still lacks.
    if r.translated {
        warnings.extend(r.untranslated);
    }
    (document, warnings)
}

/// Every section id, ordered: those in `settings.order` first, then the default order.
pub fn section_order(resume: &raw::Resume) -> Vec<String> {
    let mut order: Vec<String> = resume.settings.order.clone();
    let defaults = super::sections::ids().map(str::to_string);
    let customs = resume.custom.keys().cloned();
    let (before, after): (Vec<_>, Vec<_>) = defaults.partition(|s| s == "work" || s == "projects");
    for id in before.into_iter().chain(customs).chain(after) {
        if !order.contains(&id) {
            order.push(id);
        }
    }
    order
}

struct Resolver<'a> {
    loaded: &'a Loaded,
    lang: String,
    default_lang: String,
    locale: Locale,
    warnings: Vec<Diagnostic>,
    /// Fields with translations, none in the language asked for.
    untranslated: Vec<Diagnostic>,
    /// Whether any field has a translation in the language asked for.
    translated: bool,
}

impl<'a> Resolver<'a> {
    fn pick<'t>(&mut self, text: &'t Text, path: &str) -> Cow<'t, str>
    where
        'a: 't,
    {
        let picked = self.pick_raw(text, path);
        self.clean(picked, path)
    }

    fn pick_raw<'t>(&mut self, text: &'t Text, path: &str) -> &'t str
    where
        'a: 't,
    {
        if let Text::Number(shortest) = text {
            return self.loaded.map.plain_scalar(path).unwrap_or(shortest);
        }
        match text.pick(&self.lang, &self.default_lang) {
            Pick::Exact(t) => {
                self.translated |= matches!(text, Text::Translated(_));
                t
            }
            Pick::Fallback { lang, text } => {
                let message = format!(
                    "{path} has no \"{}\" translation; using \"{lang}\"",
                    self.lang
                );
                let location = self.loaded.locate(path);
                self.untranslated
                    .push(Diagnostic::warning(message).with_location(location));
                text
            }
        }
    }

    /// Control characters (ESC, BEL, carriage returns …) would reach a terminal or a text
    /// export and act there, and invisible format characters pasted with text (a byte-order
    /// mark, a noncharacter) break fonts and searches; they are removed. Unicode's line and
    /// paragraph separators, which no exporter knows, become line breaks. Each with a warning
    /// that names the field.
    fn clean<'t>(&mut self, text: &'t str, path: &str) -> Cow<'t, str> {
        self.scrub(text, path, is_stray)
    }

    /// [`Resolver::clean`] for a field that is one token (a URL, an address, a phone number, a
    /// user name): zero-width and direction marks are removed too, since they only hide what
    /// the token really is.
    fn clean_token<'t>(&mut self, text: &'t str, path: &str) -> Cow<'t, str> {
        self.scrub(text, path, |c| {
            is_stray(c) || is_invisible_in_token(c) || matches!(c, '\u{2028}' | '\u{2029}')
        })
    }

    fn scrub<'t>(
        &mut self,
        text: &'t str,
        path: &str,
        stray: impl Fn(char) -> bool,
    ) -> Cow<'t, str> {
        let separator = |c: char| matches!(c, '\u{2028}' | '\u{2029}');
        if !text.chars().any(|c| stray(c) || separator(c)) {
            return Cow::Borrowed(text);
        }
        let mut found: Vec<char> = text.chars().filter(|c| stray(*c)).collect();
        found.sort_unstable();
        found.dedup();
        let location = self.loaded.locate(path);
        if !found.is_empty() {
            let shown: Vec<String> = found.iter().map(|c| link::escape_char(*c)).collect();
            self.warnings.push(
                Diagnostic::warning(format!(
                    "{path} holds control or invisible characters ({}); they are removed",
                    shown.join(" ")
                ))
                .with_location(location.clone()),
            );
        }
        let mut separators: Vec<char> = text
            .chars()
            .filter(|c| separator(*c) && !stray(*c))
            .collect();
        separators.sort_unstable();
        separators.dedup();
        if !separators.is_empty() {
            let shown: Vec<String> = separators.iter().map(|c| link::escape_char(*c)).collect();
            self.warnings.push(
                Diagnostic::warning(format!(
                    "{path} holds Unicode line separators ({}); they are read as line breaks",
                    shown.join(" ")
                ))
                .with_location(location),
            );
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                c if stray(c) => {}
                '\u{2028}' => out.push('\n'),
                '\u{2029}' => out.push_str("\n\n"),
                c => out.push(c),
            }
        }
        Cow::Owned(out)
    }

    /// The résumé's own words for headings and labels, cleaned like every other field: they
    /// are printed as much as the content.
    fn clean_labels(
        &mut self,
        labels: &crate::locale::PartialLocale,
    ) -> crate::locale::PartialLocale {
        fn walk(value: &mut serde_json::Value, path: &str, r: &mut Resolver<'_>) {
            match value {
                serde_json::Value::String(s) => {
                    if let Cow::Owned(cleaned) = r.clean(s, path) {
                        *s = cleaned;
                    }
                }
                serde_json::Value::Array(items) => {
                    for (i, item) in items.iter_mut().enumerate() {
                        walk(item, &format!("{path}[{i}]"), r);
                    }
                }
                serde_json::Value::Object(map) => {
                    for (key, item) in map.iter_mut() {
                        walk(item, &format!("{path}.{key}"), r);
                    }
                }
                _ => {}
            }
        }
        let Ok(mut value) = serde_json::to_value(labels) else {
            return labels.clone();
        };
        walk(&mut value, "settings.labels", self);
        serde_json::from_value(value).unwrap_or_else(|_| labels.clone())
    }

    fn string(&mut self, text: &Option<Text>, path: &str) -> Option<String> {
        let text = text.as_ref()?;
        let picked = self.pick(text, path);
        let s = picked.trim();
        (!s.is_empty()).then(|| s.to_string())
    }

    /// A plain string field (a username, an e-mail address, a URL), trimmed and cleaned.
    fn plain(&mut self, value: &Option<String>, path: &str) -> Option<String> {
        let value = non_empty(value)?;
        let cleaned = self.clean_token(&value, path);
        let trimmed = cleaned.trim();
        (!trimmed.is_empty()).then(|| trimmed.to_string())
    }

    fn inline(&mut self, text: &Option<Text>, path: &str) -> Option<Inline> {
        self.string(text, path)
            .map(|s| self.parse_inline(&s, path))
            .filter(|i| !i.is_empty())
    }

    fn blocks(&mut self, text: &Option<Text>, path: &str) -> Vec<Block> {
        let Some(s) = self.string(text, path) else {
            return Vec::new();
        };
        let mut refused = Vec::new();
        let blocks = markup::parse_blocks_reporting(&s, &mut refused);
        self.warn_unlinked(refused, path);
        blocks
    }

    /// Inline markup from `text`; every link the link policy refuses is its text, with a warning
    /// at `path`. All inline text in the document is parsed here.
    fn parse_inline(&mut self, text: &str, path: &str) -> Inline {
        let mut refused = Vec::new();
        let inline = markup::parse_inline_reporting(text, &mut refused);
        self.warn_unlinked(refused, path);
        inline
    }

    fn warn_unlinked(&mut self, urls: Vec<String>, path: &str) {
        for url in urls {
            let warning = Diagnostic::warning(format!(
                "{path} links to \"{url}\", which is shown as text: {}",
                LINK_RULE
            ))
            .with_location(self.loaded.locate(path));
            self.warnings.push(warning);
        }
    }

    /// A URL field: kept as written, live only if the link policy allows it.
    fn url(&mut self, value: &Option<String>, path: &str) -> Option<Link> {
        let url = self.plain(value, path)?;
        let link = Link::new(url);
        if link.live().is_none() {
            self.warn_unlinked(vec![link.url.clone()], path);
        }
        Some(link)
    }

    fn strings(&mut self, list: &[Text], path: &str) -> Vec<String> {
        list.iter()
            .enumerate()
            .filter_map(|(i, t)| {
                let picked = self.pick(t, &format!("{path}[{i}]"));
                let s = picked.trim();
                (!s.is_empty()).then(|| s.to_string())
            })
            .collect()
    }

    fn highlights(&mut self, list: &[RawHighlight], path: &str) -> Vec<Highlight> {
        list.iter()
            .enumerate()
            .filter_map(|(i, h)| {
                let text_path = match h {
                    RawHighlight::Plain(_) => format!("{path}[{i}]"),
                    RawHighlight::Tagged(_) => format!("{path}[{i}].text"),
                };
                let picked = self.pick(h.text(), &text_path).into_owned();
                let text = self.parse_inline(&picked, &text_path);
                (!text.is_empty()).then(|| Highlight {
                    source: format!("{path}[{i}]"),
                    text,
                    tags: h.tags().to_vec(),
                })
            })
            .collect()
    }

    fn dates(&self, start: Option<Date>, end: Option<EndDate>) -> Option<Dates> {
        let start_text = start.map(|d| self.format_date(d));
        let (end_iso, end_text, ongoing) = match end {
            Some(EndDate::Date(d)) => (Some(d.to_string()), Some(self.format_date(d)), false),
            Some(EndDate::Present) => (None, Some(self.locale.present.clone()), true),
            None if start.is_some() => (None, Some(self.locale.present.clone()), true),
            None => (None, None, false),
        };
        let text = match (start_text, end_text) {
            (Some(s), Some(e)) if s == e => s,
            (Some(s), Some(e)) => format!("{s}{}{e}", self.locale.range),
            (Some(s), None) => s,
            (None, Some(e)) => e,
            (None, None) => return None,
        };
        Some(Dates {
            start: start.map(|d| d.to_string()),
            end: end_iso,
            ongoing,
            text,
        })
    }

    fn date(&self, date: Option<Date>) -> Option<Dates> {
        let d = date?;
        Some(Dates {
            start: Some(d.to_string()),
            end: None,
            ongoing: false,
            text: self.format_date(d),
        })
    }

    fn format_date(&self, date: Date) -> String {
        match date.month {
            Some(m) => self.locale.month_year(m, date.year),
            None => date.year.to_string(),
        }
    }

    fn fact(&self, label: &str, value: Option<String>) -> Option<Fact> {
        value.filter(|v| !v.is_empty()).map(|value| Fact {
            label: label.to_string(),
            value,
        })
    }

    fn basics(&mut self, b: &raw::Basics) -> Basics {
        let location = b.location.as_ref().map(|l| {
            let address = self.string(&l.address, "basics.location.address");
            let postal_code = self.string(&l.postal_code, "basics.location.postalCode");
            let city = self.string(&l.city, "basics.location.city");
            let region = self.string(&l.region, "basics.location.region");
            let country_code = self.plain(&l.country_code, "basics.location.countryCode");
            let town = [postal_code.clone(), city.clone()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" ");
            let parts = [
                address.clone(),
                Some(town),
                region.clone(),
                country_code.clone(),
            ];
            let text = parts
                .into_iter()
                .flatten()
                .filter(|p| !p.is_empty())
                .collect::<Vec<_>>()
                .join(", ");
            Location {
                address,
                postal_code,
                city,
                country_code,
                region,
                text,
            }
        });
        let profiles = b
            .profiles
            .iter()
            .enumerate()
            .map(|(i, p)| Profile {
                network: self.string(&p.network, &format!("basics.profiles[{i}].network")),
                username: self.plain(&p.username, &format!("basics.profiles[{i}].username")),
                url: self.url(&p.url, &format!("basics.profiles[{i}].url")),
            })
            .filter(|p| p.network.is_some() || p.username.is_some() || p.url.is_some())
            .collect();
        Basics {
            name: self
                .inline(&Some(b.name.clone()), "basics.name")
                .unwrap_or_default(),
            label: self.inline(&b.label, "basics.label"),
            availability: self.inline(&b.availability, "basics.availability"),
            image: self.url(&b.image, "basics.image"),
            email: self.plain(&b.email, "basics.email"),
            phone: self.plain(&b.phone, "basics.phone"),
            url: self.url(&b.url, "basics.url"),
            summary: self.blocks(&b.summary, "basics.summary"),
            location: location.filter(|l| !l.text.is_empty()),
            profiles,
        }
    }

    fn section(&mut self, resume: &raw::Resume, id: &str) -> Option<Section> {
        let kind = super::sections::by_id(id).map_or(SectionKind::Custom, |s| s.kind);
        let entries = match kind {
            SectionKind::Work => self.each(&resume.work, id, Self::work),
            SectionKind::Volunteer => self.each(&resume.volunteer, id, Self::volunteer),
            SectionKind::Education => self.each(&resume.education, id, Self::education),
            SectionKind::Awards => self.each(&resume.awards, id, Self::award),
            SectionKind::Certificates => self.each(&resume.certificates, id, Self::certificate),
            SectionKind::Publications => self.each(&resume.publications, id, Self::publication),
            SectionKind::Skills => self.each(&resume.skills, id, Self::skill),
            SectionKind::Languages => self.each(&resume.languages, id, Self::language),
            SectionKind::Interests => self.each(&resume.interests, id, Self::interest),
            SectionKind::References => self.each(&resume.references, id, Self::reference),
            SectionKind::Projects => self.each(&resume.projects, id, Self::project),
            SectionKind::Custom => {
                let section = resume.custom.get(id)?;
                let at = format!("custom.{id}.entries");
                self.each(&section.entries, &at, Self::custom_entry)
            }
        };
        let given = match resume.settings.titles.get(id) {
            Some(t) => Some(self.pick(t, &format!("settings.titles.{id}")).into_owned()),
            None => resume.custom.get(id).map(|section| {
                self.pick(&section.title, &format!("custom.{id}.title"))
                    .into_owned()
            }),
        };
        // A heading left blank (or emptied of control characters) falls back to the locale's:
        // an empty heading cannot be tagged, which PDF/UA forbids.
        let title = given
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| self.locale.section_title(id).unwrap_or(id).to_string());
        Some(Section {
            id: id.to_string(),
            kind,
            title,
            entries,
        })
    }

    fn each<T>(
        &mut self,
        items: &[T],
        at: &str,
        f: fn(&mut Self, &T, &str) -> Entry,
    ) -> Vec<Entry> {
        items
            .iter()
            .enumerate()
            .map(|(i, item)| f(self, item, &format!("{at}[{i}]")))
            .collect()
    }

    fn work(&mut self, w: &raw::Work, at: &str) -> Entry {
        Entry {
            title: self.inline(&w.position, &format!("{at}.position")),
            organization: self.inline(&w.name, &format!("{at}.name")),
            description: self.inline(&w.description, &format!("{at}.description")),
            location: self.string(&w.location, &format!("{at}.location")),
            dates: self.dates(w.start_date, w.end_date),
            url: self.url(&w.url, &format!("{at}.url")),
            summary: self.blocks(&w.summary, &format!("{at}.summary")),
            highlights: self.highlights(&w.highlights, &format!("{at}.highlights")),
            ..entry(at, &w.tags)
        }
    }

    fn volunteer(&mut self, v: &raw::Volunteer, at: &str) -> Entry {
        Entry {
            title: self.inline(&v.position, &format!("{at}.position")),
            organization: self.inline(&v.organization, &format!("{at}.organization")),
            dates: self.dates(v.start_date, v.end_date),
            url: self.url(&v.url, &format!("{at}.url")),
            summary: self.blocks(&v.summary, &format!("{at}.summary")),
            highlights: self.highlights(&v.highlights, &format!("{at}.highlights")),
            ..entry(at, &v.tags)
        }
    }

    fn education(&mut self, e: &raw::Education, at: &str) -> Entry {
        // Each part is parsed in its own field, so a refused link is reported where it is.
        let study = self.inline(&e.study_type, &format!("{at}.studyType"));
        let area = self.inline(&e.area, &format!("{at}.area"));
        let title = join_inline([study, area], ", ");
        let score = self.string(&e.score, &format!("{at}.score"));
        let courses = self
            .strings(&e.courses, &format!("{at}.courses"))
            .join("; ");
        let labels = self.locale.labels.clone();
        Entry {
            title,
            organization: self.inline(&e.institution, &format!("{at}.institution")),
            dates: self.dates(e.start_date, e.end_date),
            url: self.url(&e.url, &format!("{at}.url")),
            facts: [
                self.fact(&labels.score, score),
                self.fact(&labels.courses, Some(courses)),
            ]
            .into_iter()
            .flatten()
            .collect(),
            ..entry(at, &e.tags)
        }
    }

    fn award(&mut self, a: &raw::Award, at: &str) -> Entry {
        Entry {
            title: self.inline(&a.title, &format!("{at}.title")),
            organization: self.inline(&a.awarder, &format!("{at}.awarder")),
            dates: self.date(a.date),
            summary: self.blocks(&a.summary, &format!("{at}.summary")),
            ..entry(at, &a.tags)
        }
    }

    fn certificate(&mut self, c: &raw::Certificate, at: &str) -> Entry {
        Entry {
            title: self.inline(&c.name, &format!("{at}.name")),
            organization: self.inline(&c.issuer, &format!("{at}.issuer")),
            dates: self.date(c.date),
            url: self.url(&c.url, &format!("{at}.url")),
            ..entry(at, &c.tags)
        }
    }

    fn publication(&mut self, p: &raw::Publication, at: &str) -> Entry {
        Entry {
            title: self.inline(&p.name, &format!("{at}.name")),
            organization: self.inline(&p.publisher, &format!("{at}.publisher")),
            dates: self.date(p.release_date),
            url: self.url(&p.url, &format!("{at}.url")),
            summary: self.blocks(&p.summary, &format!("{at}.summary")),
            ..entry(at, &p.tags)
        }
    }

    fn skill(&mut self, s: &raw::Skill, at: &str) -> Entry {
        Entry {
            title: self.inline(&s.name, &format!("{at}.name")),
            level: self.inline(&s.level, &format!("{at}.level")),
            keywords: self.strings(&s.keywords, &format!("{at}.keywords")),
            ..entry(at, &s.tags)
        }
    }

    fn language(&mut self, l: &raw::Language, at: &str) -> Entry {
        Entry {
            title: self.inline(&l.language, &format!("{at}.language")),
            level: self.inline(&l.fluency, &format!("{at}.fluency")),
            ..entry(at, &l.tags)
        }
    }

    fn interest(&mut self, i: &raw::Interest, at: &str) -> Entry {
        Entry {
            title: self.inline(&i.name, &format!("{at}.name")),
            keywords: self.strings(&i.keywords, &format!("{at}.keywords")),
            ..entry(at, &i.tags)
        }
    }

    fn reference(&mut self, r: &raw::Reference, at: &str) -> Entry {
        Entry {
            title: self.inline(&r.name, &format!("{at}.name")),
            summary: self.blocks(&r.reference, &format!("{at}.reference")),
            ..entry(at, &r.tags)
        }
    }

    fn project(&mut self, p: &raw::Project, at: &str) -> Entry {
        let labels = self.locale.labels.clone();
        let roles = self.strings(&p.roles, &format!("{at}.roles")).join(", ");
        let kind = self.string(&p.kind, &format!("{at}.type"));
        Entry {
            title: self.inline(&p.name, &format!("{at}.name")),
            organization: self.inline(&p.entity, &format!("{at}.entity")),
            description: self.inline(&p.description, &format!("{at}.description")),
            dates: self.dates(p.start_date, p.end_date),
            url: self.url(&p.url, &format!("{at}.url")),
            highlights: self.highlights(&p.highlights, &format!("{at}.highlights")),
            keywords: self.strings(&p.keywords, &format!("{at}.keywords")),
            facts: [
                self.fact(&labels.roles, Some(roles)),
                self.fact(&labels.kind, kind),
            ]
            .into_iter()
            .flatten()
            .collect(),
            ..entry(at, &p.tags)
        }
    }

    fn custom_entry(&mut self, c: &raw::CustomEntry, at: &str) -> Entry {
        let dates = match c.date {
            Some(_) => self.date(c.date),
            None => self.dates(c.start_date, c.end_date),
        };
        Entry {
            title: self.inline(&Some(c.title.clone()), &format!("{at}.title")),
            organization: self.inline(&c.subtitle, &format!("{at}.subtitle")),
            location: self.string(&c.location, &format!("{at}.location")),
            dates,
            url: self.url(&c.url, &format!("{at}.url")),
            summary: self.blocks(&c.summary, &format!("{at}.summary")),
            highlights: self.highlights(&c.highlights, &format!("{at}.highlights")),
            keywords: self.strings(&c.keywords, &format!("{at}.keywords")),
            ..entry(at, &c.tags)
        }
    }
}

fn entry(source: &str, tags: &[String]) -> Entry {
    Entry {
        source: source.to_string(),
        tags: tags.to_vec(),
        ..Entry::default()
    }
}

/// A control character other than a line break or a tab.
/// Removed from every field: control characters but line breaks and tabs, the byte-order mark,
/// noncharacters and interlinear annotation marks.
fn is_stray(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{FDD0}'..='\u{FDEF}')
        || (c as u32 & 0xFFFE) == 0xFFFE
}

/// Removed from one-token fields besides [`is_stray`]: zero-width spaces and joiners, direction
/// marks, embeddings and isolates, and invisible operators. In prose these carry meaning
/// (a joiner in Persian, a mark in Hebrew), so prose keeps them.
fn is_invisible_in_token(c: char) -> bool {
    matches!(c,
        '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}' | '\u{00AD}')
}

fn non_empty(value: &Option<String>) -> Option<String> {
    value
        .as_ref()
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
        .map(str::to_string)
}

/// Marks consecutive work or volunteer entries at the same organisation.
pub fn mark_continuations(section: &mut Section) {
    if !matches!(section.kind, SectionKind::Work | SectionKind::Volunteer) {
        return;
    }
    let mut previous: Option<String> = None;
    for entry in &mut section.entries {
        let org = entry.organization.as_ref().map(Inline::plain);
        entry.continues = org.is_some() && org == previous;
        previous = org;
    }
}

/// The present parts of a compound line, joined by `separator`.
fn join_inline(parts: impl IntoIterator<Item = Option<Inline>>, separator: &str) -> Option<Inline> {
    let joined = Inline::join(parts.into_iter().flatten(), separator);
    (!joined.is_empty()).then_some(joined)
}
