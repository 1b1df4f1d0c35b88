//! "Did you mean …?" for unknown keys, from the JSON Schema of what the parser accepts, so the
//! suggestions can never drift from the real field names. The same schema tells the recovery
//! from wrong values (`recover`) the shape of each section and what may stand in for a value.

use serde_json::Value;
use std::sync::OnceLock;

fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| serde_json::to_value(super::json_schema()).unwrap_or(Value::Null))
}

/// The field names accepted at a path such as `work[0]` or `basics.location` ("" is the top).
pub fn fields_at(path: &str) -> Vec<String> {
    node_at(path)
        .map(|n| properties(schema(), n))
        .unwrap_or_default()
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
    let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
        return node;
    };
    ["$defs", "definitions"]
        .into_iter()
        .find_map(|defs| {
            let name = reference.strip_prefix(&format!("#/{defs}/"))?;
            root.get(defs)?.get(name)
        })
        .unwrap_or(node)
}

/// The schema of the value at `path`, if the format has one there.
fn node_at(path: &str) -> Option<&'static Value> {
    let root = schema();
    let mut node = Some(root);
    for segment in segments(path) {
        node = node.and_then(|n| step(root, n, &segment));
    }
    node
}

/// The alternatives of a node other than `null`.
fn non_null<'a>(root: &'a Value, node: &'a Value) -> Vec<&'a Value> {
    branches(root, node)
        .into_iter()
        .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
        .collect()
}

/// What shape a top-level section has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A list of entries (`work`).
    List,
    /// A map from ids of the user's choice to entries (`custom`, `variants`).
    Map,
    Other,
}

/// The shape of the value at `path`.
pub fn kind_at(path: &str) -> Kind {
    let root = schema();
    let Some(node) = node_at(path) else {
        return Kind::Other;
    };
    let shapes = non_null(root, node);
    if shapes.iter().any(|b| b.get("items").is_some()) {
        Kind::List
    } else if shapes.iter().any(|b| {
        b.get("properties").is_none() && b.get("additionalProperties").is_some_and(Value::is_object)
    }) {
        Kind::Map
    } else {
        Kind::Other
    }
}

/// Whether the field at `path` may be removed without another complaint: it is not required,
/// and not a group of fields (a missing `basics` is a problem of its own).
pub fn may_be_left_out(path: &str) -> bool {
    let root = schema();
    let (parent, key) = match path.rfind('.') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    };
    let required = node_at(parent).is_some_and(|p| {
        branches(root, p).iter().any(|b| {
            b.get("required")
                .and_then(Value::as_array)
                .is_some_and(|r| r.iter().any(|k| k == key))
        })
    });
    let group = node_at(path).is_some_and(|n| {
        non_null(root, n)
            .iter()
            .any(|b| b.get("properties").is_some())
    });
    !required && !group
}

/// The smallest value the schema allows at `path`: `{}` for an entry, with its required
/// fields; `[]` for a list; text; 0 for a number.
pub fn smallest_at(path: &str) -> Option<Value> {
    smallest(schema(), node_at(path)?)
}

fn smallest(root: &Value, node: &Value) -> Option<Value> {
    let node = resolve(root, node);
    if let Some([only]) = node
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        return smallest(root, only);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(list) = node.get(key).and_then(Value::as_array) {
            return list
                .iter()
                .filter(|b| b.get("type").and_then(Value::as_str) != Some("null"))
                .find_map(|b| smallest(root, b));
        }
    }
    if let Some(first) = node
        .get("enum")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        return Some(first.clone());
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        let mut out = serde_json::Map::new();
        for key in node
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            out.insert(key.to_string(), smallest(root, properties.get(key)?)?);
        }
        return Some(Value::Object(out));
    }
    let types: Vec<&str> = match node.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let at_least = |key: &str| node.get(key).and_then(Value::as_u64).unwrap_or(0);
    types.into_iter().find_map(|t| match t {
        "string" if node.get("pattern").is_none() && at_least("minLength") == 0 => {
            Some(Value::String(super::recover::STAND_IN.to_string()))
        }
        "integer" | "number" => Some(Value::from(at_least("minimum"))),
        "boolean" => Some(Value::Bool(false)),
        "array" if at_least("minItems") == 0 => Some(Value::Array(Vec::new())),
        "object" if at_least("minProperties") == 0 => Some(Value::Object(Default::default())),
        _ => None,
    })
}

/// The schema alternatives of a node: itself, and each of its anyOf/oneOf/allOf branches (a
/// draft-07 `$ref` with a description beside it is wrapped in an allOf), recursively.
fn branches<'a>(root: &'a Value, node: &'a Value) -> Vec<&'a Value> {
    let node = resolve(root, node);
    let mut out = vec![node];
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(list) = node.get(key).and_then(Value::as_array) {
            out.extend(list.iter().flat_map(|b| branches(root, b)));
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
