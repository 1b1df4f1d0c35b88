//! "Did you mean …?" for unknown keys, from the JSON Schema of what the parser accepts, so the
//! suggestions can never drift from the real field names.

use serde_json::Value;
use std::sync::OnceLock;

fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::to_value(super::json_schema()).unwrap_or(Value::Null))
}

/// The field names accepted at a path such as `work[0]` or `basics.location` ("" is the top).
pub fn fields_at(path: &str) -> Vec<String> {
    let root = schema();
    let mut node = Some(root);
    for segment in segments(path) {
        node = node.and_then(|n| step(root, n, &segment));
    }
    node.map(|n| properties(root, n)).unwrap_or_default()
}

/// The closest known name, when it is close enough to be a likely typo.
pub fn closest<'a>(key: &str, known: &'a [String]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| {
            (
                strsim::jaro_winkler(&key.to_lowercase(), &k.to_lowercase()),
                k,
            )
        })
        .filter(|(score, _)| *score >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k.as_str())
}

enum Segment {
    Key(String),
    Index,
}

fn segments(path: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    for part in path.split('.').filter(|p| !p.is_empty()) {
        let mut pieces = part.split('[');
        if let Some(key) = pieces.next().filter(|k| !k.is_empty()) {
            out.push(Segment::Key(key.to_string()));
        }
        out.extend(pieces.map(|_| Segment::Index));
    }
    out
}

fn resolve<'a>(root: &'a Value, node: &'a Value) -> &'a Value {
    match node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
    {
        Some(name) => root.get("$defs").and_then(|d| d.get(name)).unwrap_or(node),
        None => node,
    }
}

/// The schema alternatives of a node: itself, or each of its anyOf/oneOf branches.
fn branches<'a>(root: &'a Value, node: &'a Value) -> Vec<&'a Value> {
    let node = resolve(root, node);
    let mut out = vec![node];
    for key in ["anyOf", "oneOf"] {
        if let Some(list) = node.get(key).and_then(Value::as_array) {
            out.extend(list.iter().map(|b| resolve(root, b)));
        }
    }
    out
}

fn step<'a>(root: &'a Value, node: &'a Value, segment: &Segment) -> Option<&'a Value> {
    branches(root, node)
        .into_iter()
        .find_map(|b| match segment {
            Segment::Key(key) => b
                .get("properties")
                .and_then(|p| p.get(key))
                .or_else(|| b.get("additionalProperties").filter(|a| a.is_object())),
            Segment::Index => b.get("items"),
        })
}

fn properties(root: &Value, node: &Value) -> Vec<String> {
    branches(root, node)
        .into_iter()
        .filter_map(|b| b.get("properties").and_then(Value::as_object))
        .flat_map(|p| p.keys().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_fields_at_nested_paths() {
        assert!(fields_at("work[3]").contains(&"position".to_string()));
        assert!(fields_at("basics.location").contains(&"postalCode".to_string()));
        assert!(fields_at("work[0].highlights[1]").contains(&"tags".to_string()));
        assert!(fields_at("custom.caseStudies.entries[0]").contains(&"subtitle".to_string()));
        assert!(fields_at("").contains(&"volunteer".to_string()));
    }

    #[test]
    fn suggests_only_near_misses() {
        let known = fields_at("work[0]");
        assert_eq!(closest("positon", &known), Some("position"));
        assert_eq!(closest("startdate", &known), Some("startDate"));
        assert_eq!(closest("colour", &known), None);
    }
}
