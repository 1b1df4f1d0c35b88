//! The built-in layouts, compiled into the binary from `layouts/`.

/// The shared helper every layout may import as `/vitae.typ`.
pub const HELPER: &str = include_str!("../../../layouts/vitae.typ");

/// A built-in layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    pub name: &'static str,
    pub description: &'static str,
    pub source: &'static str,
}

pub const BUILTIN: [Builtin; 6] = [
    Builtin {
        name: "classic",
        description: "one column, serif text with sans headings (the default)",
        source: include_str!("../../../layouts/classic.typ"),
    },
    Builtin {
        name: "sidebar",
        description: "two columns: contact, skills and languages in a side column",
        source: include_str!("../../../layouts/sidebar.typ"),
    },
    Builtin {
        name: "compact",
        description: "dense single column, made for one-page variants",
        source: include_str!("../../../layouts/compact.typ"),
    },
    Builtin {
        name: "academic",
        description: "Harvard-style: centred header, serif throughout, small-caps section rules",
        source: include_str!("../../../layouts/academic.typ"),
    },
    Builtin {
        name: "engineering",
        description: "dense and ruled: small-caps titles, contacts flush right, compact lists",
        source: include_str!("../../../layouts/engineering.typ"),
    },
    Builtin {
        name: "modern",
        description: "a coloured header band with the photo in a circle, sans text",
        source: include_str!("../../../layouts/modern.typ"),
    },
];

pub const DEFAULT: &str = "classic";

/// Whether a layout setting names a file rather than a built-in layout.
pub fn is_path(spec: &str) -> bool {
    spec.contains(['/', '\\']) || spec.ends_with(".typ")
}

pub fn builtin(name: &str) -> Option<&'static Builtin> {
    BUILTIN.iter().find(|b| b.name == name)
}
