//! Links read back out of what vitae wrote, as a reader's software finds them: a PDF viewer's
//! link annotations, a Markdown renderer's links, a browser's `href`s.

/// The schemes that run or load something when a reader clicks the link.
pub const DANGEROUS: [&str; 4] = ["javascript:", "vbscript:", "data:", "file:"];

/// Whether `url` has a dangerous scheme as a browser reads it: case-insensitively, with white
/// space and control characters (which browsers drop or trim) left out.
pub fn is_dangerous(url: &str) -> bool {
    let url: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    DANGEROUS.iter().any(|d| url.starts_with(d))
}

/// The targets of a PDF's link annotations (`/URI (…)`).
pub fn pdf_uris(pdf: &[u8]) -> Vec<String> {
    let raw = String::from_utf8_lossy(pdf);
    raw.split("/URI(")
        .skip(1)
        .map(|rest| {
            let mut value = String::new();
            let mut chars = rest.chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    ')' => break,
                    c => value.push(c),
                }
            }
            value
        })
        .collect()
}

/// Every link and image a CommonMark reader (GitHub's autolinks included) finds in `markdown`.
pub fn markdown_links(markdown: &str) -> Vec<String> {
    use comrak::nodes::NodeValue;
    let arena = comrak::Arena::new();
    let mut options = comrak::Options::default();
    options.extension.autolink = true;
    let root = comrak::parse_document(&arena, markdown, &options);
    root.descendants()
        .filter_map(|node| match &node.data().value {
            NodeValue::Link(link) | NodeValue::Image(link) => Some(link.url.to_string()),
            _ => None,
        })
        .collect()
}

/// The values of every `name="…"` attribute in HTML, SVG or XML, unescaped as a reader would.
pub fn attributes(markup: &str, name: &str) -> Vec<String> {
    let open = format!("{name}=\"");
    markup
        .split(&open)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|v| v.replace("&amp;", "&").replace("&#x3A;", ":"))
        .collect()
}
