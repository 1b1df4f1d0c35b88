//! YAMLResume: `content:` in a shape close to JSON Resume (with `headline`, a top-level
//! `location` and `profiles`, and Markdown summaries), `layout:` or `layouts:`, `locale:`.

use super::{Out, append, dates, set, set_list, strings, text};
use serde_yaml::{Mapping, Value};

pub(super) fn convert(root: &Mapping, out: &mut Out) {
    for (key, value) in root {
        match key.as_str().unwrap_or("") {
            "content" => content(value.as_mapping().cloned().unwrap_or_default(), out),
            "locale" => {
                let lang = value.get("language").and_then(text);
                match lang.filter(|l| crate::locale::Locale::resolve(l).is_some()) {
                    Some(l) => {
                        out.settings().insert(Value::from("lang"), Value::from(l));
                    }
                    None => out.unmapped("locale", value),
                }
            }
            "layout" | "layouts" => {
                out.note("YAMLResume's layout settings have no vitae equivalent; vitae's default layout is used");
                out.unmapped(key.as_str().unwrap_or(""), value);
            }
            other => out.unmapped(other, value),
        }
    }
}

fn content(c: Mapping, out: &mut Out) {
    let mut basics = Mapping::new();
    if let Some(b) = c.get("basics").and_then(Value::as_mapping) {
        for (k, v) in b {
            let k = k.as_str().unwrap_or("");
            match k {
                "name" | "email" | "phone" | "url" | "summary" => set(&mut basics, k, text(v)),
                "headline" | "label" => set(&mut basics, "label", text(v)),
                "image" | "picture" => set(&mut basics, "image", text(v)),
                _ if v.is_null() => {}
                _ => out.unmapped(&format!("content.basics.{k}"), v),
            }
        }
    }
    if let Some(l) = c.get("location").and_then(Value::as_mapping) {
        let mut location = Mapping::new();
        for (k, v) in l {
            let k = k.as_str().unwrap_or("");
            match k {
                "address" | "city" | "region" | "postalCode" => set(&mut location, k, text(v)),
                "country" => {
                    // vitae keeps a country code; a country's name reads best after the region.
                    if let Some(country) = text(v) {
                        append_inline(&mut location, "region", &country);
                    }
                }
                "countryCode" => set(&mut location, k, text(v)),
                _ if v.is_null() => {}
                _ => out.unmapped(&format!("content.location.{k}"), v),
            }
        }
        if !location.is_empty() {
            basics.insert(Value::from("location"), Value::Mapping(location));
        }
    }
    if let Some(p) = c.get("profiles").and_then(Value::as_sequence) {
        let profiles: Vec<Value> = p
            .iter()
            .filter_map(Value::as_mapping)
            .map(|p| {
                let mut m = Mapping::new();
                for key in ["network", "username", "url"] {
                    set(&mut m, key, p.get(key).and_then(text));
                }
                Value::Mapping(m)
            })
            .collect();
        if !profiles.is_empty() {
            basics.insert(Value::from("profiles"), Value::Sequence(profiles));
        }
    }
    out.doc
        .insert(Value::from("basics"), Value::Mapping(basics));

    for (key, value) in &c {
        let key = key.as_str().unwrap_or("");
        let Some(items) = value.as_sequence() else {
            if !["basics", "location", "profiles"].contains(&key) && !value.is_null() {
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
            let Some((section, entry)) = entry(key, m, &path, out) else {
                out.unmapped(&path, item);
                continue;
            };
            out.push(section, entry);
        }
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

/// One entry of a section: its vitae section and fields.
fn entry(section: &str, m: &Mapping, path: &str, out: &mut Out) -> Option<(&'static str, Mapping)> {
    let mut e = Mapping::new();
    let mut used: Vec<&str> = Vec::new();
    let copy = |e: &mut Mapping, from: &'static str, to: &str, used: &mut Vec<&str>| {
        set(e, to, m.get(from).and_then(text));
        used.push(from);
    };
    let target = match section {
        "work" => {
            copy(&mut e, "name", "name", &mut used);
            copy(&mut e, "position", "position", &mut used);
            copy(&mut e, "url", "url", &mut used);
            copy(&mut e, "location", "location", &mut used);
            summary_and_bullets(m, &mut e, "summary", "highlights");
            keywords_as_text(m, &mut e, "summary", path, out);
            "work"
        }
        "volunteer" => {
            copy(&mut e, "organization", "organization", &mut used);
            copy(&mut e, "position", "position", &mut used);
            copy(&mut e, "url", "url", &mut used);
            summary_and_bullets(m, &mut e, "summary", "highlights");
            "volunteer"
        }
        "education" => {
            copy(&mut e, "institution", "institution", &mut used);
            copy(&mut e, "url", "url", &mut used);
            copy(&mut e, "area", "area", &mut used);
            copy(&mut e, "degree", "studyType", &mut used);
            copy(&mut e, "score", "score", &mut used);
            let mut courses = m.get("courses").map(strings).unwrap_or_default();
            if let Some(s) = m.get("summary").and_then(text) {
                out.kept_in(
                    &format!("{path}.summary"),
                    &Value::from(s.clone()),
                    "courses",
                );
                courses.extend(bullets_or_paragraph(&s));
            }
            set_list(&mut e, "courses", courses);
            used.extend(["courses", "summary"]);
            "education"
        }
        "awards" => {
            copy(&mut e, "title", "title", &mut used);
            copy(&mut e, "awarder", "awarder", &mut used);
            copy(&mut e, "summary", "summary", &mut used);
            if let Some(d) = m.get("date").and_then(super::date) {
                e.insert(Value::from("date"), Value::from(d));
            }
            used.push("date");
            "awards"
        }
        "certificates" => {
            copy(&mut e, "name", "name", &mut used);
            copy(&mut e, "issuer", "issuer", &mut used);
            copy(&mut e, "url", "url", &mut used);
            if let Some(d) = m.get("date").and_then(super::date) {
                e.insert(Value::from("date"), Value::from(d));
            }
            used.push("date");
            "certificates"
        }
        "publications" => {
            copy(&mut e, "name", "name", &mut used);
            copy(&mut e, "publisher", "publisher", &mut used);
            copy(&mut e, "url", "url", &mut used);
            copy(&mut e, "summary", "summary", &mut used);
            if let Some(d) = m.get("releaseDate").and_then(super::date) {
                e.insert(Value::from("releaseDate"), Value::from(d));
            }
            used.push("releaseDate");
            "publications"
        }
        "skills" | "interests" => {
            copy(&mut e, "name", "name", &mut used);
            if section == "skills" {
                copy(&mut e, "level", "level", &mut used);
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
            copy(&mut e, "language", "language", &mut used);
            copy(&mut e, "fluency", "fluency", &mut used);
            if let Some(k) = m.get("keywords").map(strings).filter(|k| !k.is_empty()) {
                append_inline(&mut e, "fluency", &k.join(", "));
                out.kept_in(&format!("{path}.keywords"), m.get("keywords")?, "fluency");
            }
            used.push("keywords");
            "languages"
        }
        "references" => {
            copy(&mut e, "name", "name", &mut used);
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
            copy(&mut e, "name", "name", &mut used);
            copy(&mut e, "url", "url", &mut used);
            copy(&mut e, "description", "description", &mut used);
            summary_and_bullets(m, &mut e, "description", "highlights");
            set_list(
                &mut e,
                "keywords",
                m.get("keywords").map(strings).unwrap_or_default(),
            );
            used.push("keywords");
            "projects"
        }
        _ => return None,
    };
    used.extend(["startDate", "endDate", "summary", "keywords"]);
    let fallback = match target {
        "work" => "description",
        "projects" => "description",
        _ => "summary",
    };
    if m.contains_key("startDate") || m.contains_key("endDate") {
        dates(
            out,
            path,
            m,
            ["date", "startDate", "endDate"],
            &mut e,
            fallback,
        );
    }
    for (k, v) in m {
        let k = k.as_str().unwrap_or("");
        if !used.contains(&k) && !v.is_null() {
            out.unmapped(&format!("{path}.{k}"), v);
        }
    }
    Some((target, e))
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
