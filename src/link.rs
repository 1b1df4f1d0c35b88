//! What may become a live link. A résumé is untrusted input: a `javascript:` or `data:` URL that
//! reaches a PDF's `/URI` action, a Markdown link or an HTML `href` runs or loads something when
//! a reader clicks it. Text becomes a link only as a [`LiveUrl`], which only [`policy`] makes.

/// The schemes a link may have; anything else is shown as text.
pub const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// What may be done with a URL as written in a résumé.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Policy {
    /// A web, mail or phone link, or a relative URL: it may be a live link.
    Live,
    /// A scheme that is not allowed (`javascript:`, `data:`, `file:` …): show the text only.
    Text {
        /// The scheme as written, lower-cased, e.g. `javascript`.
        scheme: String,
    },
    /// The URL holds a control character or a line break, which no real URL does, and which
    /// could break out of the syntax around a link.
    Invalid {
        /// The first offending character.
        found: char,
    },
}

impl Policy {
    pub fn is_live(&self) -> bool {
        matches!(self, Policy::Live)
    }
}

/// Decides what may be done with `url`.
///
/// Browsers ignore leading spaces and control characters and drop tabs and line breaks inside
/// a URL before reading its scheme (WHATWG URL), so ` java\tscript:` is `javascript:` to them.
/// Control characters are refused outright; the scheme is read the way a browser reads it.
pub fn policy(url: &str) -> Policy {
    if let Some(found) = url.chars().find(|c| c.is_control()) {
        return Policy::Invalid { found };
    }
    match scheme(url) {
        None => Policy::Live,
        Some(s) if ALLOWED_SCHEMES.contains(&s.as_str()) => Policy::Live,
        Some(scheme) => Policy::Text { scheme },
    }
}

/// True if `url` may be a live link.
pub fn is_live(url: &str) -> bool {
    policy(url).is_live()
}

/// The scheme of an absolute URL, lower-cased; `None` for a relative one.
pub(crate) fn scheme(url: &str) -> Option<String> {
    let trimmed = url.trim_start_matches(|c: char| c == ' ' || c.is_control());
    let (head, _) = trimmed.split_once(':')?;
    let mut chars = head.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| head.to_ascii_lowercase())
}

/// A URL the link policy allows: the only thing a renderer may turn into a live link. It can be
/// made only by [`LiveUrl::new`], so a field added later cannot reach a PDF's `/URI`, an `href`
/// or a Markdown destination without passing [`policy`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct LiveUrl(String);

impl LiveUrl {
    /// `url` as a live link, or the policy that refuses it.
    pub fn new(url: impl Into<String>) -> Result<LiveUrl, Policy> {
        let url = url.into();
        match policy(&url) {
            Policy::Live => Ok(LiveUrl(url)),
            refused => Err(refused),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for LiveUrl {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for LiveUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Read back through the policy, so a serialised document cannot smuggle a link in.
impl<'de> serde::Deserialize<'de> for LiveUrl {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let url = String::deserialize(d)?;
        LiveUrl::new(url.clone())
            .map_err(|_| serde::de::Error::custom(format!("\"{url}\" may not be a live link")))
    }
}

/// A `mailto:` link to `email`, if the address makes an allowed one.
pub fn mailto(email: &str) -> Option<LiveUrl> {
    LiveUrl::new(format!("mailto:{email}")).ok()
}

/// A control character shown in a message: `\u{1b}`, as Rust and JSON readers expect.
pub fn escape_char(c: char) -> String {
    c.escape_unicode().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_web_mail_phone_and_relative() {
        for url in [
            "https://example.com/a?b=c&d",
            "http://x.dev",
            "HTTPS://X.DEV",
            "mailto:ada@example.com",
            "tel:+49301234",
            "example.com/path",
            "/cv.pdf",
            "#top",
            "//cdn.example.com/x",
            "page.html?q=a:b",
        ] {
            assert_eq!(policy(url), Policy::Live, "{url}");
        }
    }

    #[test]
    fn dangerous_schemes_are_text() {
        for (url, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("JaVaScRiPt:alert(1)", "javascript"),
            ("  javascript:alert(1)", "javascript"),
            ("vbscript:msgbox", "vbscript"),
            ("data:text/html,<script>alert(1)</script>", "data"),
            ("file:///etc/passwd", "file"),
            ("ftp://example.com", "ftp"),
        ] {
            assert_eq!(
                policy(url),
                Policy::Text {
                    scheme: scheme.into()
                },
                "{url}"
            );
        }
    }

    #[test]
    fn control_characters_are_invalid() {
        for (url, found) in [
            ("https://a.dev/\nhttps://evil", '\n'),
            ("java\tscript:alert(1)", '\t'),
            ("https://a.dev\u{1b}[31m", '\u{1b}'),
            ("\u{0}javascript:x", '\u{0}'),
            ("https://a.dev/\r", '\r'),
        ] {
            assert_eq!(policy(url), Policy::Invalid { found }, "{url:?}");
        }
    }

    #[test]
    fn a_colon_after_a_path_is_not_a_scheme() {
        assert_eq!(scheme("a/b:c"), None);
        assert_eq!(scheme("1abc:x"), None);
        assert_eq!(scheme(":x"), None);
        assert_eq!(scheme("web+cv:x").as_deref(), Some("web+cv"));
    }

    #[test]
    fn a_live_url_is_made_only_through_the_policy() {
        assert_eq!(
            LiveUrl::new("https://a.dev").map(|u| u.to_string()),
            Ok("https://a.dev".into())
        );
        assert_eq!(
            LiveUrl::new(" JavaScript:alert(1)"),
            Err(Policy::Text {
                scheme: "javascript".into()
            })
        );
        assert_eq!(LiveUrl::new("a\nb"), Err(Policy::Invalid { found: '\n' }));
        let back: Result<LiveUrl, _> = serde_json::from_str("\"data:text/html,x\"");
        assert!(back.is_err());
        let ok: LiveUrl = serde_json::from_str("\"mailto:a@b.c\"").unwrap();
        assert_eq!(ok.as_str(), "mailto:a@b.c");
    }

    #[test]
    fn escapes_control_characters_for_messages() {
        assert_eq!(escape_char('\u{1b}'), "\\u{1b}");
        assert_eq!(escape_char('\u{7}'), "\\u{7}");
    }
}
