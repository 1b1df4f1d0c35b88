//! The mutation operators, with the weights they are chosen by: structural changes to a file's
//! lines (deleted, duplicated, swapped, moved, re-indented or spliced from another seed),
//! truncation, invalid UTF-8, YAML tokens, anchors and aliases, hostile values, and the same at
//! the token level for JSON.

use std::fmt::Write as _;

use crate::corpus::Seed;
use crate::generate::Rng;
use crate::lines::{
    SPACES, blank, block_at, floor_char, indent_of, item_starts, join_lines, split_lines,
    value_start,
};
use crate::tokens::{
    JSON_TOKENS, JSON_VALUES, LINK_KEYS, ODD_CHARS, YAML_LINES, YAML_TOKENS, hostile,
};

/// A mutation of a file's lines (or bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Truncate,
    InvalidUtf8,
    DeleteLines,
    DuplicateLines,
    SwapLines,
    MoveLines,
    Reindent,
    Splice,
    YamlToken,
    YamlLine,
    AnchorAlias,
    InsertChar,
    HostileValue,
    DuplicateItem,
    DeleteBlock,
    MoveItem,
    SwapValues,
    Json(JsonOp),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JsonOp {
    Hostile,
    Replace,
    Deep,
    Delete,
    Duplicate,
    Swap,
    Insert,
}

/// Mutations that usually keep a file loadable, with weights.
const GENTLE_OPS: &[(Op, u64)] = &[
    (Op::HostileValue, 10),
    (Op::DuplicateItem, 3),
    (Op::DeleteBlock, 3),
    (Op::MoveItem, 2),
    (Op::AnchorAlias, 1),
    (Op::Splice, 1),
];

/// Every mutation, with weights.
const ROUGH_OPS: &[(Op, u64)] = &[
    (Op::Truncate, 2),
    (Op::InvalidUtf8, 1),
    (Op::DeleteLines, 3),
    (Op::DuplicateLines, 2),
    (Op::SwapLines, 2),
    (Op::MoveLines, 2),
    (Op::Reindent, 3),
    (Op::Splice, 2),
    (Op::YamlToken, 3),
    (Op::YamlLine, 2),
    (Op::AnchorAlias, 2),
    (Op::InsertChar, 2),
    (Op::HostileValue, 4),
    (Op::DuplicateItem, 1),
    (Op::DeleteBlock, 1),
    (Op::MoveItem, 1),
    (Op::SwapValues, 2),
];

const GENTLE_JSON_OPS: &[(Op, u64)] = &[
    (Op::Json(JsonOp::Hostile), 8),
    (Op::Json(JsonOp::Replace), 2),
];

const ROUGH_JSON_OPS: &[(Op, u64)] = &[
    (Op::Json(JsonOp::Hostile), 3),
    (Op::Json(JsonOp::Replace), 1),
    (Op::Json(JsonOp::Deep), 1),
    (Op::Json(JsonOp::Delete), 1),
    (Op::Json(JsonOp::Duplicate), 1),
    (Op::Json(JsonOp::Swap), 1),
    (Op::Json(JsonOp::Insert), 1),
];

fn choose(rng: &mut Rng, table: &[(Op, u64)]) -> Op {
    let total: u64 = table.iter().map(|(_, w)| w).sum();
    let mut roll = rng.next() % total;
    for &(op, weight) in table {
        if roll < weight {
            return op;
        }
        roll -= weight;
    }
    table[0].0
}

/// Applies one mutation, [`GENTLE_OPS`] or [`ROUGH_OPS`], to a file's lines (or bytes).
pub fn mutate_lines(rng: &mut Rng, seeds: &[&Seed], bytes: &mut Vec<u8>, gentle: bool) -> Op {
    let op = choose(rng, if gentle { GENTLE_OPS } else { ROUGH_OPS });
    match op {
        Op::Truncate => {
            let mut at = rng.below(bytes.len() + 1);
            if rng.chance(70) {
                while at > 0 && at < bytes.len() && bytes[at] & 0xC0 == 0x80 {
                    at -= 1;
                }
            }
            bytes.truncate(at);
            return op;
        }
        Op::InvalidUtf8 => {
            const JUNK: &[&[u8]] = &[
                &[0xFF],
                &[0xC3],
                &[0x80],
                &[0xED, 0xA0, 0x80],
                &[0xF4, 0x90, 0x80, 0x80],
                &[0xC0, 0xAF],
                &[0xFE, 0xFF],
                &[0x00],
            ];
            let junk = *rng.pick(JUNK);
            let at = rng.below(bytes.len() + 1);
            *bytes = [&bytes[..at], junk, &bytes[at..]].concat();
            return op;
        }
        _ => {}
    }
    let mut lines = split_lines(bytes);
    let n = lines.len(); // at least 1: splitting "" gives [""]
    let values: Vec<usize> = (0..n)
        .filter(|&i| value_start(&lines[i]).is_some())
        .collect();
    let items = item_starts(&lines);
    match op {
        Op::DeleteLines => {
            let len = if rng.chance(10) {
                rng.range(1, n)
            } else {
                rng.range(1, 4)
            };
            let at = rng.below(n);
            lines.drain(at..(at + len).min(n));
        }
        Op::DuplicateLines => {
            let at = rng.below(n);
            let block: Vec<Vec<u8>> = lines[at..(at + rng.range(1, 8)).min(n)].to_vec();
            let to = if rng.chance(50) {
                at + block.len()
            } else {
                rng.below(n + 1)
            };
            lines.splice(to..to, block);
        }
        Op::SwapLines => {
            let (a, b) = (rng.below(n), rng.below(n));
            lines.swap(a, b);
        }
        Op::MoveLines => {
            let at = rng.below(n);
            let len = rng.range(1, 6);
            let block: Vec<Vec<u8>> = lines.drain(at..(at + len).min(n)).collect();
            let to = rng.below(lines.len() + 1);
            lines.splice(to..to, block);
        }
        Op::Reindent => {
            let at = rng.below(n);
            let len = if rng.chance(70) { 1 } else { rng.range(2, 6) };
            let how = rng.below(5);
            let k = rng.range(1, 4);
            for line in lines.iter_mut().skip(at).take(len) {
                let indent = indent_of(line);
                let (remove, add): (usize, &[u8]) = match how {
                    0 => (0, &SPACES[..k]),
                    1 => (indent.min(k), b""),
                    2 => (indent, b""),
                    3 => (0, b"\t"),
                    _ => (0, &SPACES[..indent.min(SPACES.len())]),
                };
                *line = [add, &line[remove..]].concat();
            }
        }
        Op::Splice => {
            // Lines of another seed; gently, whole items re-indented to fit a list here.
            let yaml: Vec<&Seed> = seeds.iter().copied().filter(|s| !s.json).collect();
            let other = if gentle && !yaml.is_empty() {
                rng.pick(&yaml).bytes.as_slice()
            } else {
                rng.pick(seeds).bytes.as_slice()
            };
            let other = split_lines(other);
            let other_items = item_starts(&other);
            let (mut block, to) = if gentle && !items.is_empty() && !other_items.is_empty() {
                let from = block_at(&other, *rng.pick(&other_items));
                (other[from].to_vec(), *rng.pick(&items))
            } else {
                let from = rng.below(other.len());
                let len = rng.range(1, 12);
                let block = other[from..(from + len).min(other.len())].to_vec();
                (block, rng.below(n + 1))
            };
            if gentle || rng.chance(50) {
                let target = lines.get(to).map(|l| indent_of(l)).unwrap_or(0);
                let least = block
                    .iter()
                    .filter(|l| !blank(l))
                    .map(|l| indent_of(l))
                    .min()
                    .unwrap_or(0);
                for line in &mut block {
                    let cut = least.min(indent_of(line));
                    *line = [&SPACES[..target.min(SPACES.len())], &line[cut..]].concat();
                }
            }
            lines.splice(to..to, block);
        }
        Op::YamlToken => {
            let line = &mut lines[rng.below(n)];
            let token = *rng.pick(YAML_TOKENS);
            let at = match rng.below(4) {
                0 => indent_of(line),
                1 => line.len(),
                2 => value_start(line).unwrap_or(line.len()),
                _ => rng.below(line.len() + 1),
            };
            *line = [&line[..at], token.as_bytes(), &line[at..]].concat();
        }
        Op::YamlLine => {
            let at = rng.below(n + 1);
            let indent = if rng.chance(50) {
                lines.get(at).map(|l| indent_of(l)).unwrap_or(0)
            } else {
                0
            };
            let text = format!("{}{}", " ".repeat(indent), rng.pick(YAML_LINES));
            lines.insert(at, text.into_bytes());
        }
        Op::AnchorAlias => {
            // An anchor on one value (or item), an alias or a merge in place of another.
            let targets: Vec<usize> = values.iter().chain(&items).copied().collect();
            let a = targets.get(rng.below(targets.len())).copied().unwrap_or(n);
            let later: Vec<usize> = values.iter().copied().filter(|&b| b > a).collect();
            if !later.is_empty() {
                let b = *rng.pick(&later);
                let at = value_start(&lines[a]).unwrap_or(lines[a].len());
                lines[a] = [&lines[a][..at], b"&a ", &lines[a][at..]].concat();
                let body = block_at(&lines, b);
                lines.drain(b + 1..body.end);
                let at = value_start(&lines[b]).unwrap_or(lines[b].len());
                lines[b].truncate(at);
                lines[b].extend_from_slice(if rng.chance(70) { b"*a" } else { b"{<<: *a}" });
            }
        }
        Op::InsertChar => {
            let at = rng.below(n);
            let mut text = String::from_utf8_lossy(&lines[at]).into_owned();
            let cut = floor_char(&text, rng.below(text.len() + 1));
            text.insert(cut, *rng.pick(ODD_CHARS));
            lines[at] = text.into_bytes();
        }
        Op::HostileValue => {
            // A hostile value in place of a scalar, often of a key whose value becomes a link.
            let linky: Vec<usize> = values
                .iter()
                .copied()
                .filter(|&i| {
                    let line = String::from_utf8_lossy(&lines[i]).to_ascii_lowercase();
                    LINK_KEYS.iter().any(|k| line.contains(k))
                })
                .collect();
            let pool = if !linky.is_empty() && rng.chance(35) {
                &linky
            } else {
                &values
            };
            if !pool.is_empty() {
                let at = *rng.pick(pool);
                let start = value_start(&lines[at]).unwrap_or(0);
                let value = hostile(rng);
                let scalar = yaml_scalar(rng, &value, indent_of(&lines[at]), gentle);
                // The old value's continuation lines (a block scalar's body) go too.
                let body = block_at(&lines, at);
                if gentle || rng.chance(50) {
                    lines.drain(at + 1..body.end);
                }
                lines[at].truncate(start);
                lines[at].extend_from_slice(scalar.as_bytes());
            }
        }
        Op::DuplicateItem => {
            if !items.is_empty() {
                let item = block_at(&lines, *rng.pick(&items));
                let copy: Vec<Vec<u8>> = lines[item.clone()].to_vec();
                for _ in 0..if rng.chance(10) { 30 } else { 1 } {
                    lines.splice(item.end..item.end, copy.iter().cloned());
                }
            }
        }
        Op::DeleteBlock => {
            let starts: Vec<usize> = (0..n).filter(|&i| !blank(&lines[i])).collect();
            if !starts.is_empty() {
                let block = block_at(&lines, *rng.pick(&starts));
                lines.drain(block);
            }
        }
        Op::MoveItem => {
            if items.len() >= 2 {
                let from = block_at(&lines, *rng.pick(&items));
                let to = *rng.pick(&items);
                if !from.contains(&to) {
                    let indent = indent_of(&lines[to]);
                    let shift = indent as isize - indent_of(&lines[from.start]) as isize;
                    let block: Vec<Vec<u8>> = lines[from.clone()]
                        .iter()
                        .map(|l| {
                            let keep = indent_of(l) as isize + shift;
                            let keep = keep.clamp(0, SPACES.len() as isize) as usize;
                            [&SPACES[..keep], &l[indent_of(l)..]].concat()
                        })
                        .collect();
                    let len = block.len();
                    lines.splice(to..to, block);
                    let from = if to < from.start {
                        from.start + len..from.end + len
                    } else {
                        from
                    };
                    lines.drain(from);
                }
            }
        }
        Op::SwapValues => {
            if values.len() >= 2 {
                let (a, b) = (*rng.pick(&values), *rng.pick(&values));
                let va = lines[a][value_start(&lines[a]).unwrap_or(0)..].to_vec();
                let vb = lines[b][value_start(&lines[b]).unwrap_or(0)..].to_vec();
                let at = value_start(&lines[a]).unwrap_or(0);
                lines[a].truncate(at);
                lines[a].extend_from_slice(&vb);
                let at = value_start(&lines[b]).unwrap_or(0);
                lines[b].truncate(at);
                lines[b].extend_from_slice(&va);
            }
        }
        Op::Truncate | Op::InvalidUtf8 | Op::Json(_) => {}
    }
    *bytes = join_lines(&lines);
    op
}

/// What a hostile key or value for the importers is made of: every character a YAML reader may
/// break a line at, the tokens that start YAML of its own after one, quotes, tabs, anchors,
/// aliases and tags, control characters, and keys of the formats themselves.
#[rustfmt::skip]
const KEY_PIECES: &[&str] = &[
    "\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}", "#", "# ", " #", ": ", ":", "- ",
    "---", "...", "'", "\"", "\t", "&a ", "*a", "<<: *a", "!!str ", "!x ", "? ", "{", "}", "[",
    "]", ",", "|", ">", "%YAML 1.1", "\u{feff}", "\u{0}", "\u{1b}", "\u{7f}", "\u{202e}", "\\",
    "\\n", "\\L", "basics:", "basics: {name: Mallory}", "\nbasics:\n  name: Mallory\n",
    "cv:", "  name: Eve", "work: [{name: X}]", "custom: {x: {title: T}}", "x", "name", "summary",
    "é", "履歴", " ",
];

/// A hostile key or value: one to six of [`KEY_PIECES`], or a very long run of one of them.
fn hostile_text(rng: &mut Rng) -> String {
    if rng.chance(5) {
        return rng.pick(KEY_PIECES).repeat(rng.range(2_000, 12_000));
    }
    (0..rng.range(1, 6))
        .map(|_| *rng.pick(KEY_PIECES))
        .collect()
}

/// `text` as a double-quoted YAML scalar that reads as exactly `text`: YAML's escapes for line
/// breaks (`\N`, `\L`, `\P`) and control characters, so that the characters reach the importer.
fn yaml_quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{85}' => out.push_str("\\N"),
            '\u{2028}' => out.push_str("\\L"),
            '\u{2029}' => out.push_str("\\P"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if c.is_control() => {
                let _ = write!(out, "\\x{:02X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// For the importers, which write keys of the input into a comment: a key of the file renamed
/// to a hostile one, or a hostile `key: value` added beside it. Mostly written so that the file
/// still reads (quoted, escaped); sometimes raw, as a careless file would have it.
pub fn hostile_key(rng: &mut Rng, bytes: &mut Vec<u8>, json: bool) -> &'static str {
    let (key, value) = (hostile_text(rng), hostile_text(rng));
    if json {
        let mut toks = json_tokens(bytes);
        let quoted = |s: &str| serde_json::to_string(s).unwrap_or_default().into_bytes();
        let keys: Vec<usize> = (0..toks.len())
            .filter(|&i| {
                toks[i].0 == Tok::Str
                    && toks[i + 1..]
                        .iter()
                        .find(|t| t.0 != Tok::Space)
                        .is_some_and(|t| t.1 == b":")
            })
            .collect();
        let opens: Vec<usize> = (0..toks.len()).filter(|&i| toks[i].1 == b"{").collect();
        if !keys.is_empty() && (opens.is_empty() || rng.chance(40)) {
            let at = *rng.pick(&keys);
            toks[at].1 = quoted(&key);
            *bytes = toks.iter().flat_map(|(_, b)| b.iter().copied()).collect();
            return "HostileKey";
        }
        if opens.is_empty() {
            return "HostileKey(none)";
        }
        let at = *rng.pick(&opens);
        let mut pair = quoted(&key);
        pair.push(b':');
        pair.extend(quoted(&value));
        let closes = toks[at + 1..]
            .iter()
            .find(|t| t.0 != Tok::Space)
            .is_some_and(|t| t.1 == b"}");
        if !closes {
            pair.push(b',');
        }
        toks.insert(at + 1, (Tok::Str, pair));
        *bytes = toks.iter().flat_map(|(_, b)| b.iter().copied()).collect();
        return "HostileKeyValue";
    }
    let mut lines = split_lines(bytes);
    let keyed: Vec<usize> = (0..lines.len())
        .filter(|&i| value_start(&lines[i]).is_some_and(|v| v >= 2 && lines[i][v - 2] == b':'))
        .collect();
    if keyed.is_empty() {
        return "HostileKey(none)";
    }
    let at = *rng.pick(&keyed);
    let line = lines[at].clone();
    let mut indent = indent_of(&line);
    if line[indent..].starts_with(b"- ") {
        indent += 2;
    }
    let colon = value_start(&line).unwrap_or(indent + 2) - 2;
    let raw = rng.chance(10);
    let write = |s: &str| if raw { s.to_string() } else { yaml_quoted(s) };
    if colon > indent && rng.chance(40) {
        lines[at] = [&line[..indent], write(&key).as_bytes(), &line[colon..]].concat();
        *bytes = join_lines(&lines);
        return "HostileKey";
    }
    let pair = format!("{}{}: {}", " ".repeat(indent), write(&key), write(&value));
    lines.insert(at + 1, pair.into_bytes());
    *bytes = join_lines(&lines);
    "HostileKeyValue"
}

/// `value` as a YAML scalar in one of several styles (a plain scalar may break the file, which
/// is fine).
fn yaml_scalar(rng: &mut Rng, value: &str, indent: usize, gentle: bool) -> String {
    let style = match rng.below(20) {
        _ if gentle && value.chars().any(char::is_control) => 0,
        13..=16 if gentle => rng.below(13),
        style => style,
    };
    match style {
        0..=8 => {
            let mut out = String::from("\"");
            for c in value.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\u{feff}' => out.push_str("\\uFEFF"),
                    c if c.is_control() => {
                        let _ = write!(out, "\\x{:02X}", c as u32);
                    }
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        9..=12 => format!("'{}'", value.replace('\'', "''")),
        13..=16 => value.to_string(),
        _ => {
            let mut out = rng.pick(&["|", "|-", ">-", "|+", ">"]).to_string();
            let pad = " ".repeat(indent + 4);
            for line in value.split('\n') {
                out.push('\n');
                out.push_str(&pad);
                out.push_str(line);
            }
            out
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok {
    Space,
    Str,
    Num,
    Word,
    Punct,
}

/// A JSON text as tokens, with the whitespace between them (it need not be valid JSON).
fn json_tokens(bytes: &[u8]) -> Vec<(Tok, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let kind = if b.is_ascii_whitespace() {
            while i < bytes.len() && bytes[i].is_ascii_whitespace() {
                i += 1;
            }
            Tok::Space
        } else if b == b'"' {
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            i = (i + 1).min(bytes.len());
            Tok::Str
        } else if b == b'-' || b.is_ascii_digit() {
            while i < bytes.len() && (bytes[i].is_ascii_digit() || b"+-.eE".contains(&bytes[i])) {
                i += 1;
            }
            Tok::Num
        } else if b.is_ascii_alphabetic() {
            while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                i += 1;
            }
            Tok::Word
        } else {
            i += 1;
            Tok::Punct
        };
        out.push((kind, bytes[start..i].to_vec()));
    }
    out
}

/// Applies one mutation, [`GENTLE_JSON_OPS`] or [`ROUGH_JSON_OPS`], to a JSON file's tokens.
pub fn mutate_json(rng: &mut Rng, bytes: &mut Vec<u8>, gentle: bool) -> Op {
    let op = choose(
        rng,
        if gentle {
            GENTLE_JSON_OPS
        } else {
            ROUGH_JSON_OPS
        },
    );
    let Op::Json(json_op) = op else {
        return op;
    };
    let mut toks = json_tokens(bytes);
    let solid: Vec<usize> = (0..toks.len())
        .filter(|&i| toks[i].0 != Tok::Space)
        .collect();
    if solid.is_empty() {
        bytes.push(b'{');
        return Op::Json(JsonOp::Insert);
    }
    let is_key = |i: usize| {
        toks[i + 1..]
            .iter()
            .find(|t| t.0 != Tok::Space)
            .is_some_and(|t| t.1 == b":")
    };
    let values: Vec<usize> = solid
        .iter()
        .copied()
        .filter(|&i| matches!(toks[i].0, Tok::Str | Tok::Num | Tok::Word) && !is_key(i))
        .collect();
    let strings: Vec<usize> = values
        .iter()
        .copied()
        .filter(|&i| toks[i].0 == Tok::Str)
        .collect();
    match json_op {
        JsonOp::Hostile => {
            if !strings.is_empty() {
                let at = *rng.pick(&strings);
                let value = hostile(rng);
                toks[at].1 = serde_json::to_string(&value)
                    .unwrap_or_default()
                    .into_bytes();
            }
        }
        JsonOp::Replace => {
            let at = *rng.pick(if values.is_empty() { &solid } else { &values });
            toks[at] = (Tok::Word, rng.pick(JSON_VALUES).as_bytes().to_vec());
        }
        JsonOp::Deep => {
            let at = *rng.pick(&solid);
            let depth = *rng.pick(&[10, 63, 65, 300, 3000]);
            let (open, close) = *rng.pick(&[("[", "]"), ("{\"a\":", "}")]);
            let value = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            toks[at] = (Tok::Word, value.into_bytes());
        }
        JsonOp::Delete => {
            let at = *rng.pick(&solid);
            let len = rng.range(1, 4);
            toks.drain(at..(at + len).min(toks.len()));
        }
        JsonOp::Duplicate => {
            let at = *rng.pick(&solid);
            let len = rng.range(1, 12);
            let block: Vec<(Tok, Vec<u8>)> = toks[at..(at + len).min(toks.len())].to_vec();
            let to = if rng.chance(50) {
                at + block.len()
            } else {
                *rng.pick(&solid)
            };
            toks.splice(to..to, block);
        }
        JsonOp::Swap => {
            let (a, b) = (*rng.pick(&solid), *rng.pick(&solid));
            toks.swap(a, b);
        }
        JsonOp::Insert => {
            let at = rng.below(toks.len() + 1);
            toks.insert(at, (Tok::Punct, rng.pick(JSON_TOKENS).as_bytes().to_vec()));
        }
    }
    *bytes = toks.iter().flat_map(|(_, b)| b.iter().copied()).collect();
    op
}
