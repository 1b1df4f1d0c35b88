//! What mutations insert: YAML and JSON tokens and lines, odd characters, Markdown tokens, and
//! hostile values (unsafe link targets, control characters, markup syntax, odd numbers and dates,
//! scripts and invisible characters, very long and deeply nested strings).

use crate::generate::Rng;

#[rustfmt::skip]
pub const YAML_TOKENS: &[&str] = &[
    "&a ", "*a", "<<: *a", "---", "...", "[", "{", "]", "}", ": ", "- ", "? ", "!!binary ",
    "!!str ", "%YAML 1.1", "|", ">-", "\t", "#", "!!int ", "!!null ", "!!map ", "!!seq ", "'",
    "\"", "!", "%TAG ! tag:x,2000:", "@", "`", "*", "|+", ">2", ",", "&", "!<tag:x> ", "~",
    "\r", "\u{feff}", "- - - ", "? - ", "{a: [", "]}", "*missing", "&a &b ",
];

/// Whole lines of YAML, inserted as lines of their own.
#[rustfmt::skip]
pub const YAML_LINES: &[&str] = &[
    "---", "...", "%YAML 1.1", "%YAML 1.2\n---", "? complex", ": value", "<<: *a", "- item",
    "x-extra: &a {name: Anchored, highlights: [a, b]}", "x-list: &a [one, two]", "basics: *a",
    "  <<: *a", "#", "\t", "---\nbasics: {name: Second}",
    "variants: {v: {tags: [x], sections: [work, nope], limits: {highlights: 0}}}",
    "variants: {v: {limits: {entries: {work: -1}, highlights: 18446744073709551615}}}",
    "settings: {lang: \"\", layout: '', pageSize: nope}",
    "work: ~", "work: []", "work: {}", "work: [[]]", "work: [{}]", "skills: [~]",
    "work: [{startDate: '2020-13', endDate: '2019'}]", "basics: {name: ''}",
];

/// Characters inserted one at a time.
pub const ODD_CHARS: &[char] = &[
    '\0', '\u{1b}', '\u{7}', '\r', '\u{feff}', '\u{2028}', '\u{85}', '\u{200d}', '\u{fffd}', '"',
    '\'', '\\', '%', '@', '`', '|', '>', '*', '&', '!',
];

/// Keys whose values become links.
pub const LINK_KEYS: &[&str] = &[
    "url", "email", "image", "website", "network", "username", "phone",
];

#[rustfmt::skip]
const HOSTILE: &[&str] = &[
    // Link targets that must never be live.
    "javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
    "java\tscript:alert(1)", "java\nscript:alert(1)", "\u{1}javascript:alert(1)",
    "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>", "file:///etc/passwd",
    "[x](javascript:alert(1))", "[x]( javascript:alert(1) )", "[x](<javascript:alert(1)>)",
    "[x](JAVASCRIPT:alert(1) \"t\")", "![i](javascript:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)", "<javascript:x>", "<JavaScript:alert(1)>",
    "<vbscript:x>", "<data:text/html,x>", "[d](data:text/html,<script>)",
    "[f](file:///etc/passwd)", "<file:///etc/passwd>", "<a href=\"javascript:alert(1)\">x</a>",
    "[x](&#106;avascript:alert(1))", "[x](javascript&#58;alert(1))",
    "x) [y](javascript:alert(1)", "x)[y](javascript:alert(1))", "a> <javascript:alert(1)>",
    "https://example.com/a)b(c", "https://example.com/<x>", "https://example.com/a b",
    "mailto:a@b.c", "a@b.c)(javascript:alert(1)", "a@b.c>[x](javascript:alert(1))",
    // Line breaks and control characters.
    "a\nb", "a\r\nb", "a\rb", "\u{1b}[31mred\u{1b}[0m", "bell\u{7}", "nul\u{0}byte",
    "\u{8}\u{8}back", "\u{7f}del", "\u{85}nel",
    "\u{1b}]8;;javascript:alert(1)\u{1b}\\x\u{1b}]8;;\u{1b}\\",
    // Typst and Markdown syntax.
    "#eval(\"1\")", "#read(\"/etc/passwd\")", "]", ")", "*", "_", "`", "``", "```", "\\",
    "\\\\", "](", "[", "**", "**a", "*a**", "~~x~~", "<b>x</b>", "&amp;", "&#0;",
    "|a|b|\n|-|-|", "- a\n- b", "1. a\n2. b", "# h", "> q", "    code", "---",
    // Numbers, dates and YAML's special words.
    "99999999999999999999999999", "-1", "1e999", ".nan", "0x1F", "0o17", "2020-13", "2020-00",
    "2020-02-30", "2020-1", "0000-01", "9999-12-31", "2020-01-01T00:00:00Z", "present",
    "Present", "~", "null", "", " ", "true", "no",
    // Scripts, combining marks, invisible and special characters.
    "שלום עולם مرحبا بالعالم", "履歴書 이력서 简历", "👩🏽‍💻🚀🇭🇷", "e\u{301}\u{301}\u{301}\u{301}",
    "\u{feff}bom", "line\u{2028}sep\u{2029}para", "\u{202e}override", "\u{200b}\u{200d}",
    "\u{fffd}", "\u{10ffff}", "a\u{0}",
];

/// Units repeated to about 10,000 bytes.
const LONG_UNITS: &[&str] = &[
    "a", "word ", "[", "*", "_a", "`", "**a ", "é", "\\", "](", "<", "&#", "- ", "\n",
];

/// A hostile value: one of [`HOSTILE`] or two, a very long run of one unit, a long URL or
/// deep brackets.
pub fn hostile(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => {
            let unit = *rng.pick(LONG_UNITS);
            unit.repeat(10_000 / unit.len())
        }
        1 => format!("https://example.com/{}", "a".repeat(10_000)),
        2 => {
            let depth = *rng.pick(&[10, 63, 64, 65, 200, 5000]);
            if rng.chance(50) {
                "[".repeat(depth)
            } else {
                format!("{}x{}", "[".repeat(depth), "]".repeat(depth))
            }
        }
        3 => format!("{}{}", rng.pick(HOSTILE), rng.pick(HOSTILE)),
        _ => rng.pick(HOSTILE).to_string(),
    }
}

#[rustfmt::skip]
pub const JSON_VALUES: &[&str] = &[
    "1e999", "-0", "99999999999999999999999", "-1", "0.5", "null", "true", "[]", "{}", "\"\"",
    "\"2020-13\"", "\"present\"", "[\"x\", 1, null, {}]",
];

#[rustfmt::skip]
pub const JSON_TOKENS: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "\"\"", "null", "\"k\":", "\"basics\": {}", "//", "/*", "\t",
    "\u{feff}", "\"\\u0000\"", "\"\\ud800\"", "\"\\u001b[31m\"", "'x'", "NaN", "Infinity",
];

#[rustfmt::skip]
pub const MARKDOWN_TOKENS: &[&str] = &[
    "**", "*", "_", "__", "`", "``", "[", "]", "(", ")", "](", "<", ">", "\\", "\n", "\n\n",
    "- ", "1. ", "# ", "> ", "|", "~~", "![", "http://", "www.", "javascript:", "<a href=\"x\">",
    "&#", "&amp;", "    ", "\t", "\u{1b}", " ", "[^1]", "* * *", "```\n", "<!--", "-->", "\r",
    "\u{0}", "[x]: javascript:y\n", "<javascript:x>", "2. ", "+ ", "===\n", "---\n",
];
