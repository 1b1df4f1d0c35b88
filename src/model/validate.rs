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
    if let Some(accent) = &settings.accent
        && !is_hex_colour(accent)
    {
        out.push(error(
            "settings.accent",
            format!("the accent colour \"{accent}\" is not of the form #rrggbb"),
        ));
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
        if let Some(lang) = &variant.lang
            && !is_language_code(lang)
        {
            out.push(error(
                &format!("{at}.lang"),
                format!("\"{lang}\" is not a language code such as \"en\" or \"de\""),
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
