//! PDF and PNG behind the same [`Renderer`] trait as every other format. A [`Typesetter`] lays
//! a document out with one layout and style, fitted to a page budget; [`Pdf`] and [`Png`] write
//! what it laid out. Building both formats lays the document out twice, which costs next to
//! nothing: Typst memoises every compile, so the second one reuses the first.

use super::{Engine, Layout, Standard, Style, check_length, check_pages};
use crate::Error;
use crate::diag::Diagnostic;
use crate::export::{Format, Overflow, Rendered, Renderer};
use crate::model::document::Document;
use crate::tailor::fit::{self, Fitted};
use typst::foundations::Datetime;

/// Lays documents out with one layout and style, fitted to a page budget.
pub struct Typesetter<'a> {
    /// The fonts and Typst's caches, shared by every target of a build.
    pub engine: &'a Engine,
    pub layout: Layout,
    pub style: Style,
    /// The PDF's date, and what the layout's `today()` returns.
    pub date: Option<Datetime>,
    /// At most this many pages; `None` keeps the layout's natural length.
    pub budget: Option<usize>,
    /// When fitting to the budget: how relevant each part is to a job posting.
    pub relevance: Option<fit::Relevance>,
}

/// A laid-out document, with what laying it out found.
pub(crate) struct Typeset {
    pub(crate) fitted: Fitted,
    /// Characters no font has, then the layout's own warnings.
    warnings: Vec<Diagnostic>,
    /// Whether some character has no font (PDF/UA-1 then cannot be claimed).
    missing_glyphs: bool,
    /// System fonts taken for characters vitae's own fonts lack.
    fallback_fonts: Vec<super::FallbackFont>,
}

impl Typesetter<'_> {
    /// Lays `doc` out, fitted to the budget: what the PDF, the PNG and the live preview show.
    /// A user's layout runs in a layout process first, when the engine has one
    /// ([`super::isolate`]).
    pub(crate) fn typeset(&self, doc: &Document) -> Result<Typeset, Error> {
        check_length(doc)?;
        if let Some(isolation) = &self.engine.isolation {
            super::isolate::probe(self, doc, isolation)?;
        }
        self.lay_out(doc)
    }

    /// [`Typesetter::typeset`] in this process: what a layout process runs.
    pub(crate) fn typeset_here(&self, doc: &Document) -> Result<Typeset, Error> {
        check_length(doc)?;
        self.lay_out(doc)
    }

    /// Lays out a document whose length was checked.
    fn lay_out(&self, doc: &Document) -> Result<Typeset, Error> {
        let prepared = self.engine.prepare(doc);
        let mut warnings = prepared.check.warnings();
        let missing_glyphs = prepared.check.incomplete();
        let compile = |d: &Document, density| {
            self.engine.compile_prepared(
                &prepared,
                &self.layout,
                d,
                &self.style,
                density,
                self.date,
            )
        };
        let fitted = match self.budget {
            Some(budget) => fit::fit(doc.clone(), budget, self.relevance.as_ref(), compile)?,
            None => Fitted::natural(compile(doc, Default::default())?, doc.clone()),
        };
        check_pages(&fitted.compiled)?;
        warnings.extend(fitted.compiled.warnings.iter().cloned());
        Ok(Typeset {
            fitted,
            warnings,
            missing_glyphs,
            fallback_fonts: prepared.check.added.clone(),
        })
    }

    /// What every paged format reports besides its files.
    fn rendered(&self, typeset: Typeset, files: Vec<Vec<u8>>) -> Rendered {
        let pages = typeset.fitted.compiled.pages();
        Rendered {
            files,
            pages: Some(pages),
            warnings: typeset.warnings,
            fit_report: typeset.fitted.report,
            overflow: (!typeset.fitted.fits).then(|| Overflow {
                budget: self.budget.unwrap_or(pages),
                pages,
            }),
            fallback_fonts: typeset.fallback_fonts,
            laid_out: Some(typeset.fitted.doc),
        }
    }
}

/// A tagged PDF.
pub struct Pdf<'a> {
    pub typesetter: &'a Typesetter<'a>,
    pub standard: Standard,
    /// Names the document stably (file and variant), so the PDF's ID does not change between
    /// builds.
    pub ident: String,
}

impl Renderer for Pdf<'_> {
    fn format(&self) -> Format {
        Format::Pdf
    }

    fn render(&self, doc: &Document) -> Result<Rendered, Error> {
        let mut typeset = self.typesetter.typeset(doc)?;
        // PDF/UA-1 forbids text without glyphs; rather than fail the default build over one
        // character, write a tagged PDF that claims no standard, and say so.
        let standard = match self.standard {
            Standard::Ua1 if typeset.missing_glyphs => {
                typeset.warnings.push(Diagnostic::warning(
                    "the PDF is tagged but not PDF/UA-1: some characters have no font (see above)",
                ));
                Standard::TaggedOnly
            }
            other => other,
        };
        let ts = self.typesetter;
        let bytes = ts
            .engine
            .pdf(&typeset.fitted.compiled, &self.ident, ts.date, standard)?;
        Ok(ts.rendered(typeset, vec![bytes]))
    }
}

/// One PNG image per page.
pub struct Png<'a> {
    pub typesetter: &'a Typesetter<'a>,
    /// Pixels per inch.
    pub ppi: f32,
}

impl Renderer for Png<'_> {
    fn format(&self) -> Format {
        Format::Png
    }

    fn render(&self, doc: &Document) -> Result<Rendered, Error> {
        let typeset = self.typesetter.typeset(doc)?;
        let ts = self.typesetter;
        let pages = ts.engine.png(&typeset.fitted.compiled, self.ppi)?;
        Ok(ts.rendered(typeset, pages))
    }
}
