//! Tailoring: choosing what a variant shows (by tags, sections and limits) and fitting it to a
//! page budget.
//!
//! Selection rules, in order:
//! 1. An item (an entry, or a highlight) is dropped if it carries any `exclude` tag.
//! 2. An item without tags is kept, unless the variant says `untagged: drop`. A highlight
//!    without tags of its own has its entry's tags.
//! 3. An item with tags is kept if the variant names no `tags`, or if it carries one of them.
//! 4. `sections` keeps only those sections, in that order; then `limits` keeps the first N
//!    entries of a section and the first N highlights of an entry.
//! 5. Sections left empty are not shown.

pub mod ats;
pub mod fit;
pub mod job;
mod phrases;
pub mod relevance;

use crate::locale::PartialLocale;
use crate::model::document::{Document, Section};
use crate::model::{Limits, Resume, Text, Untagged, Variant};

/// What to keep: a variant's rules, possibly combined with ad-hoc command-line options.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub tags: Vec<String>,
    pub exclude: Vec<String>,
    pub untagged: Untagged,
    pub sections: Option<Vec<String>>,
    pub limits: Limits,
    pub label: Option<Text>,
    pub summary: Option<Text>,
    /// Show (`true`) or hide (`false`) the photo, whatever the settings say.
    pub photo: Option<bool>,
    /// vitae's own words, over `settings.labels`.
    pub labels: Option<PartialLocale>,
}

impl Selection {
    pub fn from_variant(variant: &Variant) -> Self {
        Selection {
            tags: variant.tags.clone(),
            exclude: variant.exclude.clone(),
            untagged: variant.untagged,
            sections: variant.sections.clone(),
            limits: variant.limits.clone(),
            label: variant.label.clone(),
            summary: variant.summary.clone(),
            photo: variant.photo,
            labels: variant.labels.clone(),
        }
    }

    /// Adds command-line `--tags` and `--exclude` to this selection.
    pub fn with_adhoc(mut self, tags: &[String], exclude: &[String]) -> Self {
        for t in tags {
            if !self.tags.contains(t) {
                self.tags.push(t.clone());
            }
        }
        for t in exclude {
            if !self.exclude.contains(t) {
                self.exclude.push(t.clone());
            }
        }
        self
    }

    /// Whether an item carrying `tags` is kept.
    pub fn keeps(&self, tags: &[String]) -> bool {
        if tags.iter().any(|t| self.exclude.contains(t)) {
            return false;
        }
        if tags.is_empty() {
            return self.untagged == Untagged::Keep;
        }
        self.tags.is_empty() || tags.iter().any(|t| self.tags.contains(t))
    }

    /// The résumé with this selection's replacements for `basics.label`, `basics.summary` and
    /// `settings.photo`, and its labels over `settings.labels`.
    pub fn apply_overrides(&self, resume: &Resume) -> Resume {
        let mut resume = resume.clone();
        if let Some(basics) = &mut resume.basics {
            if let Some(label) = &self.label {
                basics.label = Some(label.clone());
            }
            if let Some(summary) = &self.summary {
                basics.summary = Some(summary.clone());
            }
        }
        if self.photo.is_some() {
            resume.settings.photo = self.photo;
        }
        if let Some(labels) = &self.labels {
            resume.settings.labels = Some(match &resume.settings.labels {
                Some(settings) => settings.overlaid(labels),
                None => labels.clone(),
            });
        }
        resume
    }

    /// Keeps what this selection keeps of a resolved document.
    pub fn select(&self, mut doc: Document) -> Document {
        if let Some(order) = &self.sections {
            let mut sections = std::mem::take(&mut doc.sections);
            doc.sections = order
                .iter()
                .filter_map(|id| {
                    sections
                        .iter()
                        .position(|s| &s.id == id)
                        .map(|i| sections.remove(i))
                })
                .collect();
        }
        for section in &mut doc.sections {
            self.select_section(section);
        }
        doc.sections.retain(|s| !s.entries.is_empty());
        doc
    }

    fn select_section(&self, section: &mut Section) {
        section.entries.retain(|e| self.keeps(&e.tags));
        let highlight_limit = self
            .limits
            .highlights
            .as_ref()
            .and_then(|l| l.for_section(&section.id));
        for entry in &mut section.entries {
            let entry_tags = entry.tags.clone();
            entry.highlights.retain(|h| {
                self.keeps(if h.tags.is_empty() {
                    &entry_tags
                } else {
                    &h.tags
                })
            });
            if let Some(n) = highlight_limit {
                entry.highlights.truncate(n as usize);
            }
        }
        if let Some(&n) = self.limits.entries.get(&section.id) {
            section.entries.truncate(n as usize);
        }
        crate::model::resolve::mark_continuations(section);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variants_labels_go_over_the_settings_labels() {
        let resume: Resume = serde_yaml::from_str(
            "settings: {labels: {present: heute, sections: {work: Werdegang, skills: Können}}}\n\
             variants: {kurz: {labels: {sections: {work: Stationen}}}}\n",
        )
        .expect("parses");
        let selection = Selection::from_variant(&resume.variants["kurz"]);
        let labels = selection
            .apply_overrides(&resume)
            .settings
            .labels
            .expect("labels");
        assert_eq!(labels.present.as_deref(), Some("heute"));
        let sections = labels.sections.expect("sections");
        assert_eq!(sections.work.as_deref(), Some("Stationen"));
        assert_eq!(sections.skills.as_deref(), Some("Können"));

        // Without settings.labels the variant's are used as they are.
        let mut bare = resume.clone();
        bare.settings.labels = None;
        assert_eq!(
            selection.apply_overrides(&bare).settings.labels,
            resume.variants["kurz"].labels
        );
        // A selection without labels leaves the settings' alone.
        assert_eq!(
            Selection::default()
                .apply_overrides(&resume)
                .settings
                .labels,
            resume.settings.labels
        );
    }
}
