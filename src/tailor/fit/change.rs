//! What fitting changed, typed: the CLI prints it, the manifest serialises it, tests assert on
//! its fields.

/// One change fitting made, in the order made. Shown to people through `Display`; the
/// manifest and programs read the fields.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "change", rename_all = "camelCase")]
pub enum FitChange {
    /// Vertical spacing scaled from 100% to `to` (a fraction).
    Spacing { to: f64 },
    /// Line leading scaled to `to`.
    Leading { to: f64 },
    /// Page margins scaled to `to`.
    Margins { to: f64 },
    /// The font size, in points.
    Font { from: f64, to: f64 },
    /// A highlight left out: where it was, and its text (shortened).
    DroppedHighlight { source: String, text: String },
    /// An entry cut to its headline (title, organisation, dates): where it is, and its name.
    Collapsed { source: String, name: String },
    /// An entry folded into its section's one-line list of earlier roles.
    Folded { source: String, name: String },
    /// A whole entry left out: where it was, and its title and organisation (shortened).
    DroppedEntry { source: String, name: String },
    /// Every allowed change made, and still too long.
    StillOver { pages: usize, budget: usize },
}

impl FitChange {
    /// Where the changed content is, for a change of content.
    pub fn source(&self) -> Option<&str> {
        match self {
            FitChange::DroppedHighlight { source, .. }
            | FitChange::Collapsed { source, .. }
            | FitChange::Folded { source, .. }
            | FitChange::DroppedEntry { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl std::fmt::Display for FitChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pct = |x: f64| format!("{:.0}%", x * 100.0);
        match self {
            FitChange::Spacing { to } => write!(f, "spacing 100% → {}", pct(*to)),
            FitChange::Leading { to } => write!(f, "leading 100% → {}", pct(*to)),
            FitChange::Margins { to } => write!(f, "margins 100% → {}", pct(*to)),
            FitChange::Font { from, to } => write!(f, "font {from:.1}pt → {to:.1}pt"),
            FitChange::DroppedHighlight { source, text } => {
                write!(f, "dropped {source} \"{text}\"")
            }
            FitChange::Collapsed { source, name } => {
                write!(f, "shortened {source} \"{name}\" to one line")
            }
            FitChange::Folded { source, name } => {
                write!(f, "listed {source} \"{name}\" under earlier roles")
            }
            FitChange::DroppedEntry { source, name } => write!(f, "dropped {source} \"{name}\""),
            FitChange::StillOver { pages, budget } => write!(
                f,
                "still {pages} pages after every allowed change; the budget is {budget}"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_change_reads_as_a_person_would_say_it() {
        let shown: Vec<String> = [
            FitChange::Spacing { to: 0.6 },
            FitChange::Font {
                from: 10.5,
                to: 9.25,
            },
            FitChange::Collapsed {
                source: "work[7]".into(),
                name: "Tester, Initech".into(),
            },
            FitChange::Folded {
                source: "work[9]".into(),
                name: "Clerk, Acme".into(),
            },
            FitChange::DroppedEntry {
                source: "work[4]".into(),
                name: "Engineer, Acme".into(),
            },
            FitChange::StillOver {
                pages: 3,
                budget: 1,
            },
        ]
        .iter()
        .map(ToString::to_string)
        .collect();
        assert_eq!(
            shown,
            [
                "spacing 100% → 60%",
                "font 10.5pt → 9.2pt",
                "shortened work[7] \"Tester, Initech\" to one line",
                "listed work[9] \"Clerk, Acme\" under earlier roles",
                "dropped work[4] \"Engineer, Acme\"",
                "still 3 pages after every allowed change; the budget is 1",
            ]
        );
        let json = serde_json::to_value(FitChange::Font {
            from: 10.5,
            to: 9.0,
        })
        .expect("json");
        assert_eq!(
            json,
            serde_json::json!({"change": "font", "from": 10.5, "to": 9.0})
        );
        let json = serde_json::to_value(FitChange::Folded {
            source: "work[9]".into(),
            name: "Clerk, Acme".into(),
        })
        .expect("json");
        assert_eq!(
            json,
            serde_json::json!({"change": "folded", "source": "work[9]", "name": "Clerk, Acme"})
        );
    }
}
