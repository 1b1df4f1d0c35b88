//! HTML: one self-contained page for a personal site. Inline CSS (light, dark, print, phone
//! widths), no scripts, nothing loaded from elsewhere (a photo is a `data:` URI), semantic
//! markup (`h1`, `h2`, `section`, `article`, `address`, `time`) and schema.org `Person`
//! JSON-LD for the basics.
//!
//! Markup comes from [maud] templates, which HTML-escape every interpolated string; the only
//! unescaped parts are the stylesheet (a constant, plus an accent colour checked to be a hex
//! colour) and the JSON-LD, in which `<`, `>` and `&` are JSON escapes so that no text can end
//! the `script` element. A link is live only where [`crate::link`] allows it.

use super::{Format, Rendered, Renderer};
use crate::Error;
use crate::link::{self, LiveUrl};
use crate::markup::{Block, Inline, Span};
use crate::model::document::{Dates, Document, Entry, Link, Section, SectionKind};
use crate::model::photo::ImageFormat;
use base64::Engine as _;
use maud::{DOCTYPE, Markup, PreEscaped, html};
use std::borrow::Cow;

/// The stylesheet; `--accent` is declared before it.
const CSS: &str = include_str!("style.css");

/// Renders a document as one HTML page.
#[derive(Debug, Clone, Default)]
pub struct Html {
    /// `settings.accent` (`#rrggbb`); the PDF's default when absent or not a hex colour.
    pub accent: Option<String>,
}

impl Renderer for Html {
    fn format(&self) -> Format {
        Format::Html
    }

    fn render(&self, doc: &Document) -> Result<Rendered, Error> {
        Ok(Rendered::single(
            render(doc, self.accent.as_deref()).into_bytes(),
        ))
    }
}

/// The HTML page of a document. `accent` is a CSS hex colour; anything else gives the default.
pub fn render(doc: &Document, accent: Option<&str>) -> String {
    let b = &doc.basics;
    let name = b.name.plain();
    let style = format!(
        ":root{{--accent:{}}}\n{CSS}",
        accent
            .filter(|a| is_hex_colour(a))
            .unwrap_or(super::pdf::DEFAULT_ACCENT)
    );
    let page = html! {
        (DOCTYPE)
        html lang=(clean(&doc.lang)) dir=(doc.locale.dir.as_str()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="color-scheme" content="light dark";
                title { (clean(&format!("{name} — Résumé"))) }
                @if let Some(label) = &b.label {
                    meta name="description" content=(clean(&label.plain()));
                }
                (nl())
                style { (PreEscaped(style)) }
                (nl())
                script type="application/ld+json" { (PreEscaped(json_ld(doc))) }
                (nl())
            }
            body {
                main {
                    (basics(doc))
                    @for section in &doc.sections {
                        (self::section(section, &doc.locale.range))
                    }
                }
                (nl())
            }
        }
    };
    let mut out = page.into_string();
    out.push('\n');
    out
}

/// A line break between blocks, so the source reads line by line; never inside a paragraph.
fn nl() -> PreEscaped<&'static str> {
    PreEscaped("\n")
}

fn basics(doc: &Document) -> Markup {
    let b = &doc.basics;
    let labels = &doc.locale.labels;
    html! {
        header.basics {
            div {
                h1 { (inline(&b.name)) }
                @if let Some(label) = &b.label {
                    (nl())
                    p.label { (inline(label)) }
                }
                (contact(doc))
                @if let Some(availability) = &b.availability {
                    (nl())
                    p.availability { (inline(availability)) }
                }
            }
            @if let Some(photo) = &doc.photo {
                (nl())
                img.photo src=(data_uri(photo.format, &photo.bytes)) alt=(clean(&b.name.plain()));
            }
        }
        @if !b.summary.is_empty() {
            (nl())
            section.summary aria-label=(clean(&labels.summary)) {
                (blocks(&b.summary))
            }
        }
    }
}

/// Location, e-mail, phone, website, profiles: the Markdown export's order.
fn contact(doc: &Document) -> Markup {
    let b = &doc.basics;
    let labels = &doc.locale.labels;
    let empty = b.location.is_none()
        && b.email.is_none()
        && b.phone.is_none()
        && b.url.is_none()
        && b.profiles.is_empty()
        && (b.image.is_none() || doc.photo.is_some());
    if empty {
        return html! {};
    }
    html! {
        (nl())
        address aria-label=(clean(&labels.contact)) {
            ul {
                @if let Some(location) = &b.location {
                    li { (clean(&location.text)) }
                }
                @if let Some(email) = &b.email {
                    li {
                        @match link::mailto(email) {
                            Some(url) => (anchor(&url, html! { (clean(email)) }, email)),
                            None => (clean(email)),
                        }
                    }
                }
                @if let Some(phone) = &b.phone {
                    li {
                        @match tel(phone) {
                            Some(href) => a href=(href.as_str()) { (clean(phone)) },
                            None => (clean(phone)),
                        }
                    }
                }
                @if let Some(url) = &b.url {
                    li { (link_or_text(url, &url.url)) }
                }
                @for p in &b.profiles {
                    li {
                        @if let Some(network) = &p.network {
                            (clean(network)) ": "
                        }
                        @let shown = p.username.clone()
                            .or_else(|| p.url.as_ref().map(|u| u.url.clone()))
                            .unwrap_or_default();
                        @match &p.url {
                            Some(u) => (link_or_text(u, &shown)),
                            None => (clean(&shown)),
                        }
                    }
                }
                // A photo given as a URL is never loaded: it is a link, as in Markdown.
                @if let (Some(image), None) = (&b.image, &doc.photo) {
                    li {
                        @if image.live().is_some() {
                            (link_or_text(image, &labels.photo))
                        } @else {
                            (clean(&labels.photo)) ": " (clean(&image.url))
                        }
                    }
                }
            }
        }
    }
}

fn section(section: &Section, range: &str) -> Markup {
    let id = section
        .id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        .then_some(section.id.as_str());
    html! {
        (nl())
        section id=[id] {
            h2 { (clean(&section.title)) }
            @if section.kind.is_compact() {
                ul.compact {
                    @for entry in &section.entries {
                        (nl())
                        li { (compact_entry(entry)) }
                    }
                }
            } @else {
                @for entry in &section.entries {
                    (self::entry(entry, range))
                }
            }
        }
    }
}

/// Skills, languages, interests: one line each, as in Markdown.
fn compact_entry(entry: &Entry) -> Markup {
    html! {
        @if let Some(title) = &entry.title {
            strong { (inline(title)) }
        }
        @if let Some(level) = &entry.level {
            @if entry.title.is_some() { " " }
            "(" (inline(level)) ")"
        }
        @if !entry.keywords.is_empty() {
            @if entry.title.is_some() || entry.level.is_some() { ": " }
            (clean(&entry.keywords.join(", ")))
        }
    }
}

/// `range` is the locale's separator between the two dates of a range.
fn entry(entry: &Entry, range: &str) -> Markup {
    let has_heading = entry.title.is_some() || entry.organization.is_some();
    let has_meta = entry.location.is_some() || entry.url.is_some() || entry.level.is_some();
    let class = if !has_heading {
        Some("untitled")
    } else if entry.continues {
        Some("continues")
    } else {
        None
    };
    html! {
        (nl())
        article class=[class] {
            @if has_heading || entry.dates.is_some() {
                div.head {
                    @if has_heading {
                        h3 {
                            @if let Some(title) = &entry.title {
                                span.title { (inline(title)) }
                            }
                            @if entry.title.is_some() && entry.organization.is_some() {
                                " · "
                            }
                            @if let Some(org) = &entry.organization {
                                span.org { (inline(org)) }
                            }
                        }
                    }
                    @if let Some(dates) = &entry.dates {
                        span.dates { (self::dates(dates, range)) }
                    }
                }
            }
            @if has_meta {
                p.meta {
                    @if let Some(location) = &entry.location {
                        span { (clean(location)) }
                    }
                    @if let Some(url) = &entry.url {
                        span { (link_or_text(url, &url.url)) }
                    }
                    @if let Some(level) = &entry.level {
                        span { (inline(level)) }
                    }
                }
            }
            @if let Some(description) = &entry.description {
                p.description { (inline(description)) }
            }
            (blocks(&entry.summary))
            @if !entry.highlights.is_empty() {
                ul.highlights {
                    @for h in &entry.highlights {
                        li { (inline(&h.text)) }
                    }
                }
            }
            @if !entry.facts.is_empty() {
                dl.facts {
                    @for f in &entry.facts {
                        div { dt { (clean(&f.label)) } dd { (clean(&f.value)) } }
                    }
                }
            }
            @if !entry.keywords.is_empty() {
                ul.keywords {
                    @for k in &entry.keywords {
                        li { (clean(k)) }
                    }
                }
            }
        }
    }
}

/// A date or a range as `time` elements carrying the ISO date. The text is split at the
/// locale's range separator; the open end of an ongoing range ("present") is plain text, and
/// text that cannot be matched to its dates is shown without `datetime` rather than guessed.
fn dates(d: &Dates, range: &str) -> Markup {
    let split = (!range.is_empty())
        .then(|| d.text.split_once(range))
        .flatten();
    match (&d.start, &d.end, split) {
        (Some(start), end, Some((from, to))) if end.is_some() || d.ongoing => html! {
            time datetime=(start) { (clean(from)) }
            (clean(range))
            @match end {
                Some(end) => time datetime=(end) { (clean(to)) },
                None => (clean(to)),
            }
        },
        // One date, or a range whose two ends are shown as one ("Mar 2019" to "Mar 2019").
        (Some(start), end, None) if end.is_none() || end.as_ref() == Some(start) => {
            html! { time datetime=(start) { (clean(&d.text)) } }
        }
        (None, Some(end), None) => html! { time datetime=(end) { (clean(&d.text)) } },
        _ => html! { (clean(&d.text)) },
    }
}

fn blocks(blocks: &[Block]) -> Markup {
    html! {
        @for block in blocks {
            @match block {
                Block::Paragraph(p) => p { (inline(p)) },
                Block::List { ordered: true, items } => ol {
                    @for item in items { li { (inline(item)) } }
                },
                Block::List { ordered: false, items } => ul {
                    @for item in items { li { (inline(item)) } }
                },
            }
        }
    }
}

/// Inline text: bold, italic, code and links, every string escaped.
pub fn inline(inline: &Inline) -> Markup {
    spans(&inline.0, false)
}

/// `in_link`: inside an `a`, where another `a` may not be (a link's text is then plain).
fn spans(spans: &[Span], in_link: bool) -> Markup {
    html! {
        @for span in spans {
            @match span {
                Span::Text(t) => (clean(t)),
                Span::Strong(c) => strong { (self::spans(c, in_link)) },
                Span::Emph(c) => em { (self::spans(c, in_link)) },
                Span::Code(c) => code { (clean(c)) },
                Span::Link { url, body } => {
                    @if in_link {
                        (self::spans(body, true))
                    } @else {
                        (anchor(url, self::spans(body, true), &Inline(body.clone()).plain()))
                    }
                }
            }
        }
    }
}

/// `<a href>` around `body`. A link whose text is not its address gets class `url`, so that
/// print shows the address.
fn anchor(url: &LiveUrl, body: Markup, text: &str) -> Markup {
    let url = url.as_str();
    let shown = url.strip_prefix("mailto:").unwrap_or(url);
    let differs = text.trim() != shown.trim();
    html! { a class=[differs.then_some("url")] href=(url) { (body) } }
}

/// A document link: live if the link policy allows it, else its text.
fn link_or_text(l: &Link, text: &str) -> Markup {
    let body = html! { (clean(text)) };
    match l.live() {
        Some(url) => anchor(url, body, text),
        None => body,
    }
}

/// A `tel:` URL from a phone number as written: its digits and a leading `+`; none when there
/// are too few digits to dial.
fn tel(phone: &str) -> Option<LiveUrl> {
    let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
    let plus = if phone.trim_start().starts_with('+') {
        "+"
    } else {
        ""
    };
    (digits.len() >= 3)
        .then(|| LiveUrl::new(format!("tel:{plus}{digits}")).ok())
        .flatten()
}

fn data_uri(format: ImageFormat, bytes: &[u8]) -> String {
    let mime = match format {
        ImageFormat::Png => "image/png",
        ImageFormat::Jpeg => "image/jpeg",
        ImageFormat::Gif => "image/gif",
        ImageFormat::Webp => "image/webp",
        // In an `img`, an SVG runs no script and loads nothing.
        ImageFormat::Svg => "image/svg+xml",
    };
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// Text without the characters HTML forbids in a document (C0 and C1 controls other than
/// white space, noncharacters), each replaced by U+FFFD so nothing disappears silently.
fn clean(text: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}'))
            || matches!(c as u32, 0xFDD0..=0xFDEF)
            || (c as u32 & 0xFFFE) == 0xFFFE
    };
    if text.chars().any(bad) {
        Cow::Owned(
            text.chars()
                .map(|c| if bad(c) { '\u{FFFD}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

/// `#rgb`, `#rrggbb` or `#rrggbbaa`: all that may reach the stylesheet unescaped.
fn is_hex_colour(s: &str) -> bool {
    s.strip_prefix('#').is_some_and(|hex| {
        matches!(hex.len(), 3 | 4 | 6 | 8) && hex.chars().all(|c| c.is_ascii_hexdigit())
    })
}

/// Schema.org `Person` for the basics, as JSON safe inside a `script` element.
fn json_ld(doc: &Document) -> String {
    use serde_json::{Map, Value, json};
    let b = &doc.basics;
    let mut person = Map::new();
    person.insert("@context".into(), json!("https://schema.org"));
    person.insert("@type".into(), json!("Person"));
    person.insert("name".into(), json!(b.name.plain()));
    if let Some(label) = &b.label {
        person.insert("jobTitle".into(), json!(label.plain()));
    }
    if let Some(email) = &b.email {
        person.insert("email".into(), json!(email));
    }
    if let Some(phone) = &b.phone {
        person.insert("telephone".into(), json!(phone));
    }
    if let Some(url) = b.url.as_ref().filter(|u| is_web(u)) {
        person.insert("url".into(), json!(url.url));
    }
    if let Some(l) = &b.location {
        let mut address = Map::new();
        address.insert("@type".into(), json!("PostalAddress"));
        for (key, value) in [
            ("streetAddress", &l.address),
            ("postalCode", &l.postal_code),
            ("addressLocality", &l.city),
            ("addressRegion", &l.region),
            ("addressCountry", &l.country_code),
        ] {
            if let Some(v) = value {
                address.insert(key.into(), json!(v));
            }
        }
        if address.len() > 1 {
            person.insert("address".into(), Value::Object(address));
        }
    }
    let summary: Vec<String> = b
        .summary
        .iter()
        .flat_map(|block| match block {
            Block::Paragraph(p) => vec![p.plain()],
            Block::List { items, .. } => items.iter().map(Inline::plain).collect(),
        })
        .collect();
    if !summary.is_empty() {
        person.insert("description".into(), json!(summary.join("\n")));
    }
    let same_as: Vec<&str> = b
        .profiles
        .iter()
        .filter_map(|p| p.url.as_ref().filter(|u| is_web(u)))
        .map(|u| u.url.as_str())
        .collect();
    if !same_as.is_empty() {
        person.insert("sameAs".into(), json!(same_as));
    }
    // Where the person works now, and where they studied.
    let organizations = |kind: SectionKind, current: bool| -> Vec<Value> {
        let mut names: Vec<String> = Vec::new();
        for s in doc.sections.iter().filter(|s| s.kind == kind) {
            for e in &s.entries {
                let ongoing = e.dates.as_ref().is_some_and(|d| d.ongoing);
                if let Some(org) = e.organization.as_ref().map(Inline::plain)
                    && (!current || ongoing)
                    && !names.contains(&org)
                {
                    names.push(org);
                }
            }
        }
        names
            .into_iter()
            .map(|n| json!({"@type": "Organization", "name": n}))
            .collect()
    };
    let works_for = organizations(SectionKind::Work, true);
    if !works_for.is_empty() {
        person.insert("worksFor".into(), Value::Array(works_for));
    }
    let alumni_of = organizations(SectionKind::Education, false);
    if !alumni_of.is_empty() {
        person.insert("alumniOf".into(), Value::Array(alumni_of));
    }
    let text = serde_json::to_string(&Value::Object(person)).unwrap_or_else(|_| "{}".into());
    script_safe(&text)
}

/// JSON that cannot end or confuse a `script` element: `<`, `>` and `&` only occur inside JSON
/// strings, where their `\u` escapes mean the same.
fn script_safe(json: &str) -> String {
    json.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// An absolute web address allowed as a link: what JSON-LD readers expect in `url`/`sameAs`.
fn is_web(l: &Link) -> bool {
    l.live().is_some() && matches!(link::scheme(&l.url).as_deref(), Some("http" | "https"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dates_html(start: Option<&str>, end: Option<&str>, ongoing: bool, text: &str) -> String {
        let d = Dates {
            start: start.map(str::to_string),
            end: end.map(str::to_string),
            ongoing,
            text: text.into(),
        };
        dates(&d, " – ").into_string()
    }

    #[test]
    fn dates_carry_their_iso_form() {
        assert_eq!(
            dates_html(Some("2019-03"), Some("2021"), false, "Mar 2019 – 2021"),
            r#"<time datetime="2019-03">Mar 2019</time> – <time datetime="2021">2021</time>"#
        );
        assert_eq!(
            dates_html(Some("2019-03"), None, true, "Mar 2019 – present"),
            r#"<time datetime="2019-03">Mar 2019</time> – present"#
        );
        assert_eq!(
            dates_html(Some("2019-03-01"), None, false, "Mar 2019"),
            r#"<time datetime="2019-03-01">Mar 2019</time>"#
        );
        assert_eq!(
            dates_html(Some("2019-03"), Some("2019-03"), false, "Mar 2019"),
            r#"<time datetime="2019-03">Mar 2019</time>"#
        );
        // Text that does not split at the separator is not given a guessed date.
        assert_eq!(
            dates_html(Some("2019"), Some("2020"), false, "2019 to 2020"),
            "2019 to 2020"
        );
    }

    #[test]
    fn json_ld_cannot_close_its_script() {
        assert_eq!(
            script_safe(r#"{"name":"</script><b>&amp;"}"#),
            r#"{"name":"\u003c/script\u003e\u003cb\u003e\u0026amp;"}"#
        );
        let back: serde_json::Value =
            serde_json::from_str(&script_safe(r#"{"a":"</script>&"}"#)).unwrap();
        assert_eq!(back["a"], "</script>&");
    }

    #[test]
    fn only_hex_colours_reach_the_stylesheet() {
        for ok in ["#1f4e79", "#FFF", "#11223344"] {
            assert!(is_hex_colour(ok), "{ok}");
        }
        for bad in ["red", "#12345", "#1f4e79;}body{display:none", "", "#ggg"] {
            assert!(!is_hex_colour(bad), "{bad}");
        }
    }

    #[test]
    fn forbidden_characters_become_replacement_characters() {
        assert_eq!(
            clean("a\u{1b}b\u{7f}c\u{fffe}"),
            "a\u{fffd}b\u{fffd}c\u{fffd}"
        );
        assert!(matches!(clean("plain\ttext"), Cow::Borrowed(_)));
    }

    #[test]
    fn links_never_nest_and_refused_ones_cannot_be_made() {
        let link = |url: &str, body: Vec<Span>| Span::Link {
            url: LiveUrl::new(url).unwrap(),
            body,
        };
        let nested = Inline(vec![link(
            "https://a.example",
            vec![link("https://b.example", vec![Span::Text("x".into())])],
        )]);
        assert_eq!(
            inline(&nested).into_string(),
            r#"<a class="url" href="https://a.example">x</a>"#
        );
        let refused = crate::markup::parse_inline("[<b>](javascript:alert(1))");
        assert_eq!(inline(&refused).into_string(), "&lt;b&gt;");
    }

    #[test]
    fn phone_numbers_dial_their_digits() {
        assert_eq!(
            tel("+385 91 555 0142").as_deref(),
            Some("tel:+385915550142")
        );
        assert_eq!(tel("(030) 1234").as_deref(), Some("tel:0301234"));
        assert_eq!(tel("ask me"), None);
    }
}
