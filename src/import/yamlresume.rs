//! YAMLResume: `content:` in a shape close to JSON Resume (with `headline`, a top-level
//! `location` and `profiles`, and Markdown summaries), `layout:` or `layouts:`, `locale:`.

use super::{Out, append, dates, education_dates, key_text, set, set_list, strings, text};
use serde_yaml::{Mapping, Value};

pub(super) fn convert(root: &Mapping, out: &mut Out) {
    for (key, value) in root {
        let key = key_text(key);
        match key.as_str() {
            "content" => content(value.as_mapping().cloned().unwrap_or_default(), out),
            "locale" => {
                let lang = value.get("language").and_then(text);
                match lang.filter(|l| crate::locale::Locale::resolve(l).is_some()) {
                    Some(l) => out.setting("lang", Value::from(l), "locale.language"),
                    None => out.unmapped("locale", value),
                }
            }
            "layout" | "layouts" => {
                out.note("YAMLResume's layout settings have no vitae equivalent; vitae's default layout is used");
                out.unmapped(&key, value);
            }
            other => out.unmapped(other, value),
        }
    }
}

fn content(c: Mapping, out: &mut Out) {
    let mut basics = Mapping::new();
    match c.get("basics") {
        Some(Value::Mapping(b)) => {
            for (k, v) in b {
                let k = key_text(k);
                match k.as_str() {
                    "name" | "email" | "phone" | "url" | "summary" => {
                        copy(b, &k, &mut basics, &k, "content.basics", out);
                    }
                    "headline" | "label" => {
                        copy(b, &k, &mut basics, "label", "content.basics", out)
                    }
                    "image" | "picture" => copy(b, &k, &mut basics, "image", "content.basics", out),
                    _ if v.is_null() => {}
                    _ => out.unmapped(&format!("content.basics.{k}"), v),
                }
            }
        }
        Some(other) if !other.is_null() => out.unmapped("content.basics", other),
        _ => {}
    }
    // A name missing from the output is missing from `content.basics`, or from `content` when
    // there is none.
    let basics_from = if c.contains_key("basics") {
        "content.basics"
    } else {
        "content"
    };
    out.from("basics", basics_from);
    match c.get("location") {
        Some(Value::Mapping(l)) => {
            let mut location = Mapping::new();
            for (k, v) in l {
                let k = key_text(k);
                match k.as_str() {
                    "address" | "city" | "region" | "postalCode" | "countryCode" => {
                        copy(l, &k, &mut location, &k, "content.location", out);
                    }
                    "country" => {
                        // vitae keeps a country code; a country's name reads best after the
                        // region.
                        if let Some(country) = text(v) {
                            append_inline(&mut location, "region", &country);
                        }
                    }
                    _ if v.is_null() => {}
                    _ => out.unmapped(&format!("content.location.{k}"), v),
                }
            }
            if !location.is_empty() {
                basics.insert(Value::from("location"), Value::Mapping(location));
                out.from("basics.location", "content.location");
            }
        }
        Some(other) if !other.is_null() => out.unmapped("content.location", other),
        _ => {}
    }
    if let Some(p) = c.get("profiles").and_then(Value::as_sequence) {
        let mut profiles: Vec<Value> = Vec::new();
        for (i, item) in p.iter().enumerate() {
            let path = format!("content.profiles[{i}]");
            let Some(p) = item.as_mapping() else {
                out.unmapped(&path, item);
                continue;
            };
            let mut m = Mapping::new();
            for (k, v) in p {
                let k = key_text(k);
                match k.as_str() {
                    "network" | "username" | "url" => copy(p, &k, &mut m, &k, &path, out),
                    _ if v.is_null() => {}
                    _ => out.unmapped(&format!("{path}.{k}"), v),
                }
            }
            out.from(format!("basics.profiles[{}]", profiles.len()), &path);
            profiles.push(Value::Mapping(m));
        }
        if !profiles.is_empty() {
            basics.insert(Value::from("profiles"), Value::Sequence(profiles));
        }
    }
    out.doc
        .insert(Value::from("basics"), Value::Mapping(basics));

    for (key, value) in &c {
        let key = key_text(key);
        let Some(items) = value.as_sequence() else {
            if !["basics", "location", "profiles"].contains(&key.as_str()) && !value.is_null() {
                out.unmapped(&format!("content.{key}"), value);
            }
            continue;
        };
        if key == "profiles" {
            continue;
        }
        for (i, item) in items.iter().enumerate() {
            let path = format!("content.{key}[{i}]");
            let Some(m) = item.as_mapping() else {
                out.unmapped(&path, item);
                continue;
            };
            let Some((section, entry)) = entry(&key, m, &path, out) else {
                out.unmapped(&path, item);
                continue;
            };
            out.push(section, entry, &path);
        }
    }
}

/// Copies the text of `from` (a key of `m`, at `path`) to `to` of `e`. A value that is not
/// text (a list, a mapping) is kept in the comment rather than dropped.
fn copy(m: &Mapping, from: &str, e: &mut Mapping, to: &str, path: &str, out: &mut Out) {
    let Some(v) = m.get(from) else { return };
    match text(v) {
        Some(t) => {
            e.insert(Value::from(to), Value::from(t));
        }
        None if v.is_null() || v.is_string() => {}
        None => out.unmapped(&format!("{path}.{from}"), v),
    }
}

/// Appends `, more` to a one-line field.
fn append_inline(map: &mut Mapping, key: &str, more: &str) {
    let merged = match map.get(key).and_then(text) {
        Some(existing) => format!("{existing}, {more}"),
        None => more.to_string(),
    };
    map.insert(Value::from(key), Value::from(merged));
}

/// One entry of a section: its vitae section and fields. Each key of the entry is either
/// carried into a field (listed in `used`) or reported and kept in the comment.
fn entry(section: &str, m: &Mapping, path: &str, out: &mut Out) -> Option<(&'static str, Mapping)> {
    let mut e = Mapping::new();
    let mut used: Vec<&str> = Vec::new();
    let mut carry = |e: &mut Mapping, from: &'static str, to: &str, out: &mut Out| {
        copy(m, from, e, to, path, out);
        used.push(from);
    };
    let target = match section {
        "work" => {
            carry(&mut e, "name", "name", out);
            carry(&mut e, "position", "position", out);
            carry(&mut e, "url", "url", out);
            carry(&mut e, "location", "location", out);
            summary_and_bullets(m, &mut e, "summary", "highlights");
            keywords_as_text(m, &mut e, "summary", path, out);
            used.extend(["summary", "keywords"]);
            "work"
        }
        "volunteer" => {
            carry(&mut e, "organization", "organization", out);
            carry(&mut e, "position", "position", out);
            carry(&mut e, "url", "url", out);
            summary_and_bullets(m, &mut e, "summary", "highlights");
            used.push("summary");
            "volunteer"
        }
        "education" => {
            carry(&mut e, "institution", "institution", out);
            carry(&mut e, "url", "url", out);
            carry(&mut e, "area", "area", out);
            carry(&mut e, "degree", "studyType", out);
            carry(&mut e, "score", "score", out);
            // Education has no text of its own: its summary, and a date vitae cannot read,
            // become courses, the list vitae shows under it.
            let mut courses = m.get("courses").map(strings).unwrap_or_default();
            education_dates(
                out,
                path,
                m,
                ["date", "startDate", "endDate"],
                &mut e,
                &mut courses,
            );
            if let Some(s) = m.get("summary").and_then(text) {
                out.kept_in(
                    &format!("{path}.summary"),
                    &Value::from(s.clone()),
                    "courses",
                );
                courses.extend(bullets_or_paragraph(&s));
            }
            set_list(&mut e, "courses", courses);
            used.extend(["courses", "summary", "date", "startDate", "endDate"]);
            "education"
        }
        "awards" => {
            carry(&mut e, "title", "title", out);
            carry(&mut e, "awarder", "awarder", out);
            carry(&mut e, "summary", "summary", out);
            single_date(m, "date", "date", &mut e, Some("summary"), path, out);
            used.push("date");
            "awards"
        }
        "certificates" => {
            carry(&mut e, "name", "name", out);
            carry(&mut e, "issuer", "issuer", out);
            carry(&mut e, "url", "url", out);
            single_date(m, "date", "date", &mut e, None, path, out);
            used.push("date");
            "certificates"
        }
        "publications" => {
            carry(&mut e, "name", "name", out);
            carry(&mut e, "publisher", "publisher", out);
            carry(&mut e, "url", "url", out);
            carry(&mut e, "summary", "summary", out);
            single_date(
                m,
                "releaseDate",
                "releaseDate",
                &mut e,
                Some("summary"),
                path,
                out,
            );
            used.push("releaseDate");
            "publications"
        }
        "skills" | "interests" => {
            carry(&mut e, "name", "name", out);
            if section == "skills" {
                carry(&mut e, "level", "level", out);
            }
            set_list(
                &mut e,
                "keywords",
                m.get("keywords").map(strings).unwrap_or_default(),
            );
            used.push("keywords");
            if section == "skills" {
                "skills"
            } else {
                "interests"
            }
        }
        "languages" => {
            carry(&mut e, "language", "language", out);
            carry(&mut e, "fluency", "fluency", out);
            if let Some(k) = m.get("keywords").map(strings).filter(|k| !k.is_empty()) {
                append_inline(&mut e, "fluency", &k.join(", "));
                out.kept_in(&format!("{path}.keywords"), m.get("keywords")?, "fluency");
            }
            used.push("keywords");
            "languages"
        }
        "references" => {
            carry(&mut e, "name", "name", out);
            let mut parts: Vec<String> = m.get("summary").and_then(text).into_iter().collect();
            let contact: Vec<String> = ["relationship", "email", "phone"]
                .iter()
                .filter_map(|k| m.get(*k).and_then(text))
                .collect();
            if !contact.is_empty() {
                parts.push(contact.join(" · "));
            }
            set(
                &mut e,
                "reference",
                Some(parts.join("\n\n")).filter(|p| !p.is_empty()),
            );
            used.extend(["summary", "relationship", "email", "phone"]);
            "references"
        }
        "projects" => {
            carry(&mut e, "name", "name", out);
            carry(&mut e, "url", "url", out);
            carry(&mut e, "description", "description", out);
            summary_and_bullets(m, &mut e, "description", "highlights");
            set_list(
                &mut e,
                "keywords",
                m.get("keywords").map(strings).unwrap_or_default(),
            );
            used.extend(["summary", "keywords"]);
            "projects"
        }
        _ => return None,
    };
    // Sections with a date range; a date vitae cannot read is kept as text of the entry.
    let fallback = match target {
        "work" | "projects" => Some("description"),
        "volunteer" => Some("summary"),
        _ => None,
    };
    if let Some(fallback) = fallback {
        dates(
            out,
            path,
            m,
            ["date", "startDate", "endDate"],
            &mut e,
            fallback,
        );
        used.extend(["date", "startDate", "endDate"]);
    }
    for (k, v) in m {
        let k = key_text(k);
        if !used.contains(&k.as_str()) && !v.is_null() {
            out.unmapped(&format!("{path}.{k}"), v);
        }
    }
    Some((target, e))
}

/// A single date of an entry (`key` in the input, `target` in vitae). One vitae cannot read is
/// appended to the entry's text `fallback`, or kept in the comment when the entry has none.
fn single_date(
    m: &Mapping,
    key: &str,
    target: &str,
    e: &mut Mapping,
    fallback: Option<&str>,
    path: &str,
    out: &mut Out,
) {
    let Some(v) = m.get(key).filter(|v| !v.is_null()) else {
        return;
    };
    if let Some(d) = super::date(v) {
        e.insert(Value::from(target), Value::from(d));
        return;
    }
    let at = format!("{path}.{key}");
    match (fallback, text(v)) {
        (Some(field), Some(t)) => {
            append(e, field, &t);
            out.kept_in(&at, v, field);
        }
        _ => out.unmapped(&at, v),
    }
}

/// A Markdown summary: its bullet lines become highlights, the rest stays text.
fn summary_and_bullets(m: &Mapping, e: &mut Mapping, text_key: &str, list_key: &str) {
    let Some(summary) = m.get("summary").and_then(text) else {
        return;
    };
    let mut prose: Vec<&str> = Vec::new();
    let mut items: Vec<String> = Vec::new();
    for line in summary.lines() {
        let t = line.trim();
        match t.strip_prefix("- ").or(t.strip_prefix("* ")) {
            Some(item) => items.push(item.trim().to_string()),
            None if !t.is_empty() => prose.push(t),
            None => {}
        }
    }
    if !prose.is_empty() {
        append(e, text_key, &prose.join(" "));
    }
    set_list(e, list_key, items);
}

/// Work keywords (vitae's work entries have none): a "Keywords: …" line of the summary.
fn keywords_as_text(m: &Mapping, e: &mut Mapping, key: &str, path: &str, out: &mut Out) {
    let keywords = m.get("keywords").map(strings).unwrap_or_default();
    if let (false, Some(v)) = (keywords.is_empty(), m.get("keywords")) {
        append(e, key, &format!("Keywords: {}", keywords.join(", ")));
        out.kept_in(&format!("{path}.keywords"), v, key);
    }
}

/// Bullet lines as items, or the whole text as one.
fn bullets_or_paragraph(text: &str) -> Vec<String> {
    let items: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- ").map(|s| s.trim().to_string()))
        .collect();
    if items.is_empty() {
        vec![text.trim().to_string()]
    } else {
        items
    }
}
