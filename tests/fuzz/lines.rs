//! Helpers that read the structure of a file from its lines (indentation, blocks, list items,
//! the value of a `key: value` line), shared by the mutators and the shrinker.

pub fn split_lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
}

pub fn join_lines(lines: &[Vec<u8>]) -> Vec<u8> {
    lines.join(&b'\n')
}

/// Indentation to add, at most this much.
pub const SPACES: &[u8] = b"                                                                ";

pub fn indent_of(line: &[u8]) -> usize {
    line.iter().take_while(|&&b| b == b' ').count()
}

pub fn blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where the scalar value of a `key: value` or `- value` line starts.
pub fn value_start(line: &[u8]) -> Option<usize> {
    let indent = indent_of(line);
    let rest = &line[indent..];
    if rest.is_empty() || rest.starts_with(b"#") {
        return None;
    }
    let mut at = indent;
    if rest.starts_with(b"- ") {
        at += 2;
    }
    if let Some(i) = find(&line[at..], b": ") {
        return Some(at + i + 2);
    }
    (at > indent && at < line.len()).then_some(at)
}

/// Lines that start a block-sequence item (`- …`).
pub fn item_starts(lines: &[Vec<u8>]) -> Vec<usize> {
    (0..lines.len())
        .filter(|&i| lines[i][indent_of(&lines[i])..].starts_with(b"- "))
        .collect()
}

/// The line at `at` and every following line indented more deeply (or blank).
pub fn block_at(lines: &[Vec<u8>], at: usize) -> std::ops::Range<usize> {
    let indent = indent_of(&lines[at]);
    let mut end = at + 1;
    while end < lines.len() && (blank(&lines[end]) || indent_of(&lines[end]) > indent) {
        end += 1;
    }
    at..end
}

/// The start of the character at byte `at` (`at` itself on a boundary).
pub fn floor_char(text: &str, mut at: usize) -> usize {
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
