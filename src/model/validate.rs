//! Checks serde cannot make: required values that are empty, end dates before start dates,
//! settings and variants that name things that do not exist.

use super::date::{Date, EndDate};
use super::load::Loaded;
use super::text::{Text, is_language_code};
use crate::diag::Diagnostic;

/// Every problem found, errors and warnings mixed.
pub fn check(loaded: &Loaded) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let resume = &loaded.resume;
    let error =
        |path: &str, message: String| Diagnostic::error(message).with_location(loaded.locate(path));

    match &resume.basics {
        None => out.push(
            Diagnostic::error(
                "the résumé has no `basics` section; it needs at least `basics: {name: …}`",
            )
            .with_location(loaded.locate("")),
        ),
        Some(basics) if is_empty(&basics.name) => out.push(error(
            "basics.name",
            "basics.name is empty; a résumé needs a name".to_string(),
        )),
        Some(_) => {}
    }

    let ranges = resume
        .work
        .iter()
        .enumerate()
        .map(|(i, w)| (format!("work[{i}]"), w.start_date, w.end_date));
    let ranges = ranges
        .chain(
            resume
                .volunteer
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("volunteer[{i}]"), v.start_date, v.end_date)),
        )
        .chain(
            resume
                .education
                .iter()
                .enumerate()
                .map(|(i, e)| (format!("education[{i}]"), e.start_date, e.end_date)),
        )
        .chain(
            resume
                .projects
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("projects[{i}]"), p.start_date, p.end_date)),
        )
        .chain(resume.custom.iter().flat_map(|(id, s)| {
            s.entries.iter().enumerate().map(move |(i, e)| {
                (
                    format!("custom.{id}.entries[{i}]"),
                    e.start_date,
                    e.end_date,
                )
            })
        }));
    for (path, start, end) in ranges {
        out.extend(check_range(loaded, &path, start, end));
    }

    out.extend(url_fields(resume).into_iter().filter_map(|(path, url)| {
        match crate::link::policy(url) {
            crate::link::Policy::Invalid { found } => Some(error(
                &path,
                format!(
                    "{path} holds a control character ({}); a URL cannot contain line breaks or control characters",
                    crate::link::escape_char(found)
                ),
            )),
            _ => None,
        }
    }));

    let known_sections = super::section_ids(resume);
    let settings = &resume.settings;
    if let Some(lang) = &settings.lang
        && !is_language_code(lang)
    {
        out.push(error(
            "settings.lang",
            format!("\"{lang}\" is not a language code such as \"en\" or \"de\""),
        ));
    }
    if let Some(lang) = &settings.lang
        && is_language_code(lang)
        && crate::locale::Locale::resolve(lang).is_none()
    {
        out.push(error("settings.lang", crate::locale::Locale::unknown(lang)));
    }
    if let Some(accent) = &settings.accent
        && !is_hex_colour(accent)
    {
        out.push(error(
            "settings.accent",
            format!("the accent colour \"{accent}\" is not of the form #rrggbb"),
        ));
    }
    if let Some(layout) = &settings.layout {
        out.extend(layout_problem(loaded, "settings.layout", layout));
    }
    for (i, id) in settings.order.iter().enumerate() {
        out.extend(unknown_section(
            loaded,
            &format!("settings.order[{i}]"),
            id,
            &known_sections,
        ));
    }
    for id in settings.titles.keys() {
        out.extend(unknown_section(
            loaded,
            &format!("settings.titles.{id}"),
            id,
            &known_sections,
        ));
    }

    for (name, variant) in &resume.variants {
        let at = format!("variants.{name}");
        if variant.pages == Some(0) {
            out.push(error(
                &format!("{at}.pages"),
                format!("variant \"{name}\" has a page budget of 0; it needs at least 1"),
            ));
        }
        if let Some(layout) = &variant.layout {
            out.extend(layout_problem(loaded, &format!("{at}.layout"), layout));
        }
        if let Some(lang) = &variant.lang
            && !is_language_code(lang)
        {
            out.push(error(
                &format!("{at}.lang"),
                format!("\"{lang}\" is not a language code such as \"en\" or \"de\""),
            ));
        }
        if let Some(lang) = &variant.lang
            && is_language_code(lang)
            && crate::locale::Locale::resolve(lang).is_none()
        {
            out.push(error(
                &format!("{at}.lang"),
                crate::locale::Locale::unknown(lang),
            ));
        }
        for (i, id) in variant.sections.iter().flatten().enumerate() {
            out.extend(unknown_section(
                loaded,
                &format!("{at}.sections[{i}]"),
                id,
                &known_sections,
            ));
        }
        for id in variant.limits.entries.keys() {
            out.extend(unknown_section(
                loaded,
                &format!("{at}.limits.entries.{id}"),
                id,
                &known_sections,
            ));
        }
    }
    out
}

/// Every field that becomes a link (or part of one: an e-mail address, a phone number), by path.
fn url_fields<'r>(resume: &'r super::Resume) -> Vec<(String, &'r str)> {
    let mut out: Vec<(String, &str)> = Vec::new();
    let mut add = |path: String, value: &'r Option<String>| {
        if let Some(v) = value.as_deref() {
            out.push((path, v));
        }
    };
    if let Some(b) = &resume.basics {
        add("basics.url".into(), &b.url);
        add("basics.image".into(), &b.image);
        add("basics.email".into(), &b.email);
        add("basics.phone".into(), &b.phone);
        for (i, p) in b.profiles.iter().enumerate() {
            add(format!("basics.profiles[{i}].url"), &p.url);
        }
    }
    let sections: [(&str, Vec<&'r Option<String>>); 6] = [
        ("work", resume.work.iter().map(|x| &x.url).collect()),
        (
            "volunteer",
            resume.volunteer.iter().map(|x| &x.url).collect(),
        ),
        (
            "education",
            resume.education.iter().map(|x| &x.url).collect(),
        ),
        (
            "certificates",
            resume.certificates.iter().map(|x| &x.url).collect(),
        ),
        (
            "publications",
            resume.publications.iter().map(|x| &x.url).collect(),
        ),
        ("projects", resume.projects.iter().map(|x| &x.url).collect()),
    ];
    for (name, urls) in sections {
        for (i, url) in urls.into_iter().enumerate() {
            add(format!("{name}[{i}].url"), url);
        }
    }
    for (id, section) in &resume.custom {
        for (i, x) in section.entries.iter().enumerate() {
            add(format!("custom.{id}.entries[{i}].url"), &x.url);
        }
    }
    if let Some(meta) = &resume.meta {
        add("meta.canonical".into(), &meta.canonical);
    }
    out
}

/// A layout a résumé names is a built-in one, or a `.typ` file inside the résumé's own folder.
/// A résumé is untrusted: anything else could make vitae read, and quote, any file.
fn layout_problem(loaded: &Loaded, path: &str, spec: &str) -> Option<Diagnostic> {
    use crate::confine::resolve_inside;
    use crate::export::pdf::layouts;
    let located = |message: String| {
        Diagnostic::error(message)
            .with_location(loaded.locate(path))
            .with_hint(
                "name a built-in layout (`vitae layouts` lists them), or a .typ file inside the résumé's folder given relative to it; --layout on the command line may name any file",
            )
    };
    if !layouts::is_path(spec) {
        if layouts::builtin(spec).is_some() {
            return None;
        }
        let names: Vec<String> = layouts::BUILTIN
            .iter()
            .map(|b| b.name.to_string())
            .collect();
        let mut message = format!("there is no layout \"{spec}\"");
        if let Some(best) = super::suggest::closest(spec, &names) {
            message.push_str(&format!("; did you mean \"{best}\"?"));
        }
        return Some(located(message));
    }
    let Some(dir) = &loaded.dir else {
        return Some(located(format!(
            "layout \"{spec}\" is a file, but this résumé was not read from a folder; it can name only a built-in layout"
        )));
    };
    if !spec.ends_with(".typ") {
        return Some(located(format!(
            "layout \"{spec}\" is not a layout: a layout is a Typst file ending in .typ"
        )));
    }
    let reason = match resolve_inside(dir, std::path::Path::new(spec)) {
        Ok(_) => return None,
        Err(refused) => refused.in_folder(),
    };
    Some(located(format!(
        "layout \"{spec}\" cannot be used: {reason}"
    )))
}

fn check_range(
    loaded: &Loaded,
    path: &str,
    start: Option<Date>,
    end: Option<EndDate>,
) -> Option<Diagnostic> {
    let (Some(start), Some(EndDate::Date(end))) = (start, end) else {
        return None;
    };
    end.ends_before(&start).then(|| {
        Diagnostic::error(format!("{path} ends ({end}) before it starts ({start})"))
            .with_location(loaded.locate(&format!("{path}.endDate")))
    })
}

fn unknown_section(loaded: &Loaded, path: &str, id: &str, known: &[String]) -> Option<Diagnostic> {
    if known.iter().any(|k| k == id) {
        return None;
    }
    let mut message = format!("there is no section \"{id}\"");
    if let Some(best) = super::suggest::closest(id, known) {
        message.push_str(&format!("; did you mean \"{best}\"?"));
    }
    Some(Diagnostic::error(message).with_location(loaded.locate(path)))
}

fn is_empty(text: &Text) -> bool {
    match text {
        Text::Plain(t) | Text::Number(t) => t.trim().is_empty(),
        Text::Translated(map) => map.iter().all(|(_, t)| t.trim().is_empty()),
    }
}

fn is_hex_colour(text: &str) -> bool {
    text.strip_prefix('#')
        .is_some_and(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()))
}
