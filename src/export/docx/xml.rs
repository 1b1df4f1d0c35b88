//! A thin layer over quick-xml's writer for the OOXML parts: elements, attributes and text,
//! all escaped by quick-xml, into memory.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use std::borrow::Cow;

pub struct Xml {
    w: Writer<Vec<u8>>,
}

impl Xml {
    /// A part, starting with its XML declaration.
    pub fn new() -> Xml {
        let mut x = Xml {
            w: Writer::new(Vec::new()),
        };
        x.write(Event::Decl(BytesDecl::new(
            "1.0",
            Some("UTF-8"),
            Some("yes"),
        )));
        x.w.get_mut().extend_from_slice(b"\r\n");
        x
    }

    /// Writing into memory cannot fail; quick-xml's signature is for writers that can.
    fn write(&mut self, event: Event<'_>) {
        self.w
            .write_event(event)
            .expect("writing XML into memory cannot fail");
    }

    fn start<'a>(name: &'a str, attrs: &[(&'a str, &'a str)]) -> BytesStart<'a> {
        let mut start = BytesStart::new(name);
        for (key, value) in attrs {
            start.push_attribute((*key, valid(value).as_ref()));
        }
        start
    }

    pub fn open(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.write(Event::Start(Self::start(name, attrs)));
    }

    pub fn close(&mut self, name: &str) {
        self.write(Event::End(BytesEnd::new(name)));
    }

    pub fn empty(&mut self, name: &str, attrs: &[(&str, &str)]) {
        self.write(Event::Empty(Self::start(name, attrs)));
    }

    /// `<name attrs>text</name>`.
    pub fn element(&mut self, name: &str, attrs: &[(&str, &str)], text: &str) {
        self.open(name, attrs);
        self.write(Event::Text(BytesText::new(&valid(text))));
        self.close(name);
    }

    pub fn finish(self) -> Vec<u8> {
        self.w.into_inner()
    }
}

/// Text XML 1.0 can hold: C0 controls other than tab and line breaks, C1 controls and the
/// noncharacters U+FFFE and U+FFFF are not allowed anywhere (Word refuses the file), so each
/// becomes U+FFFD.
pub fn valid(text: &str) -> Cow<'_, str> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    if text.chars().any(bad) {
        Cow::Owned(
            text.chars()
                .map(|c| if bad(c) { '\u{fffd}' } else { c })
                .collect(),
        )
    } else {
        Cow::Borrowed(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_text_and_attributes() {
        let mut x = Xml::new();
        x.element("a", &[("v", "\"<&>'")], "</a><b>&amp;\u{1b}");
        let out = String::from_utf8(x.finish()).unwrap();
        assert!(
            out.ends_with(
                "<a v=\"&quot;&lt;&amp;&gt;&apos;\">&lt;/a&gt;&lt;b&gt;&amp;amp;\u{fffd}</a>"
            ),
            "{out}"
        );
    }
}
