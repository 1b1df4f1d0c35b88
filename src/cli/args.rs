//! The command line, as clap reads it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

const EXAMPLES: &str = "\
Examples:
  vitae build data/resume.yaml                      PDF, Markdown and text into dist/
  vitae build data/resume.yaml -f md,txt --width 72
  vitae build data/resume.yaml --all-variants       every variant, each fitted to its page budget
  vitae build data/resume.yaml --tags go,aws --max-pages 1
  vitae check data/resume.yaml --strict
  cat resume.yaml | vitae build - -f txt -o -       read standard input, print the text
  vitae new \"Ada Lovelace\" -o resume.yaml
  vitae schema -o vitae.schema.json";

/// One YAML résumé → typeset PDF, HTML, Word, Markdown and plain text.
#[derive(Debug, Parser)]
#[command(name = "vitae", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// How to print errors and warnings.
    #[arg(long, global = true, value_enum, default_value_t = ErrorFormat::Human)]
    pub error_format: ErrorFormat,
    /// When to colour diagnostics.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print no messages on success (no `wrote …`, no warnings); errors are still printed.
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also print how long each stage took, to standard error.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour on a terminal, unless NO_COLOR is set; CLICOLOR_FORCE forces it elsewhere.
    Auto,
    /// Colour even when standard error is not a terminal, and despite NO_COLOR.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormat {
    /// Readable, with the source line and a caret.
    Human,
    /// GitHub Actions annotations (`::error file=…,line=…,col=…::…`).
    Github,
    /// One JSON object per line.
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build a résumé into PDF, PNG, Markdown, text or JSON.
    #[command(after_help = "Examples:
  vitae build data/resume.yaml
  vitae build data/resume.yaml -o public -f pdf,md --layout sidebar
  vitae build data/resume.yaml --variant backend --variant leadership
  vitae build data/resume.yaml --all-variants -f pdf,png --ppi 96
  vitae build data/resume.yaml --lang de --max-pages 2")]
    Build(BuildArgs),
    /// Rebuild on every change of the résumé (or a layout, photo or font it uses), optionally
    /// with a live preview in the browser.
    #[command(after_help = "Examples:
  vitae watch data/resume.yaml                      rebuild dist/ on every save
  vitae watch data/resume.yaml --serve              and preview it at the printed address
  vitae watch data/resume.yaml -f pdf --serve 127.0.0.1:8000")]
    Watch(WatchArgs),
    /// Check a résumé without building anything.
    #[command(after_help = "Example:\n  vitae check data/resume.yaml --strict")]
    Check(CheckArgs),
    /// Write a starter résumé.
    #[command(after_help = "Example:\n  vitae new \"Ada Lovelace\" -o resume.yaml")]
    New(NewArgs),
    /// Print the JSON Schema of the résumé format.
    #[command(after_help = "Example:\n  vitae schema -o vitae.schema.json")]
    Schema(SchemaArgs),
    /// List the built-in layouts, or draw page 1 of each with --gallery.
    #[command(after_help = "Example:\n  vitae layouts --gallery docs/layouts")]
    Layouts(LayoutsArgs),
    /// List a résumé's variants with what each keeps and drops.
    #[command(after_help = "Example:\n  vitae variants data/resume.yaml")]
    Variants(VariantsArgs),
    /// How a résumé covers a job posting: its terms found and missing, and the most relevant
    /// highlights. Offline; nothing is rewritten.
    #[command(after_help = "Examples:
  vitae match data/resume.yaml --job postings/acme.txt
  pbpaste | vitae match data/resume.yaml --job - --format json")]
    Match(MatchArgs),
    /// Convert a RenderCV, YAMLResume or JSON Resume file to vitae YAML.
    #[command(after_help = "Examples:
  vitae import John_Doe_CV.yaml -o resume.yaml     from RenderCV
  vitae import resume.json -o resume.yaml          from JSON Resume (any version)
  vitae import cv.yml > resume.yaml                from YAMLResume, to standard output")]
    Import(ImportArgs),
    /// List the languages vitae speaks (headings, months, labels), or print one as YAML.
    #[command(after_help = "Examples:\n  vitae locales\n  vitae locales fr > locales/fr.yaml")]
    Locales(LocalesArgs),
    /// Print a shell's completion script.
    #[command(after_help = "Examples:
  vitae completions bash > ~/.local/share/bash-completion/completions/vitae
  vitae completions zsh > ~/.zfunc/_vitae
  vitae completions fish > ~/.config/fish/completions/vitae.fish")]
    Completions(CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a folder.
    #[command(after_help = "Examples:\n  vitae man | man -l -\n  vitae man -o man/man1")]
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The résumé (YAML or JSON); `-` reads standard input.
    pub file: PathBuf,
    /// Output directory; `-` prints the one document to standard output (one of md, txt, json).
    #[arg(short, long = "out-dir", default_value = "dist")]
    pub out_dir: PathBuf,
    /// Formats, comma-separated: pdf, png, md, txt, json, html, docx, jsonresume.
    #[arg(short, long, value_delimiter = ',', default_value = "pdf,md,txt")]
    pub formats: Vec<vitae::export::Format>,
    /// Content language, e.g. de (translated fields fall back to settings.lang).
    #[arg(long, value_parser = language_tag)]
    pub lang: Option<String>,
    /// Unknown keys are errors.
    #[arg(long)]
    pub strict: bool,
    /// Wrap plain text at this many columns.
    #[arg(long, default_value_t = 80, value_parser = clap::value_parser!(u16).range(20..))]
    pub width: u16,
    /// A built-in layout (`vitae layouts` lists them) or a path to a .typ file.
    #[arg(long)]
    pub layout: Option<String>,
    /// Page size.
    #[arg(long, value_enum)]
    pub page_size: Option<PageSizeArg>,
    /// Build this variant (repeatable).
    #[arg(long = "variant", value_name = "NAME")]
    pub variants: Vec<String>,
    /// Build every variant.
    #[arg(long, conflicts_with = "variants")]
    pub all_variants: bool,
    /// Keep only items tagged with one of these (untagged items stay).
    #[arg(long, value_delimiter = ',')]
    pub tags: Vec<String>,
    /// Drop items tagged with any of these.
    #[arg(long, value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// Fit the PDF to at most this many pages.
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    pub max_pages: Option<u32>,
    /// Tailor to this job posting (a text or Markdown file, or `-`): highlights in order of
    /// relevance, and the most relevant kept when fitting to --max-pages.
    #[arg(long, value_name = "POSTING")]
    pub job: Option<PathBuf>,
    /// Only warn when a page budget cannot be met.
    #[arg(long)]
    pub allow_overflow: bool,
    /// PNG resolution in pixels per inch.
    #[arg(long, default_value_t = 144, value_parser = clap::value_parser!(u16).range(18..=1200))]
    pub ppi: u16,
    /// PDF standard: ua-1 (tagged, accessible; the default) or a-2b (archival, also UA-1).
    #[arg(long, value_enum, default_value_t = PdfStandardArg::Ua1)]
    pub pdf_standard: PdfStandardArg,
    /// Also use the fonts in this directory (repeatable).
    #[arg(long = "font-path", value_name = "DIR")]
    pub font_paths: Vec<PathBuf>,
    /// Never use the system's fonts, even for characters no bundled font has.
    #[arg(long)]
    pub no_system_fonts: bool,
    /// Fail the build on any warning.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Stop a layout that takes longer than this to compile.
    #[arg(long, value_name = "SECONDS", default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=3600))]
    pub timeout: u32,
}

#[derive(Debug, Args)]
pub struct WatchArgs {
    #[command(flatten)]
    pub build: BuildArgs,
    /// Serve a live preview on ADDR; without ADDR on 127.0.0.1 at a free port (printed).
    #[arg(
        long,
        value_name = "ADDR",
        num_args = 0..=1,
        default_missing_value = "127.0.0.1:0",
        value_parser = socket_address
    )]
    pub serve: Option<std::net::SocketAddr>,
}

/// `127.0.0.1:8000`, `[::1]:8000`, or `localhost:8000`.
fn socket_address(text: &str) -> Result<std::net::SocketAddr, String> {
    let local = text
        .strip_prefix("localhost:")
        .map(|port| format!("127.0.0.1:{port}"));
    local.as_deref().unwrap_or(text).parse().map_err(|_| {
        format!(
            "\"{text}\" is not an address such as 127.0.0.1:8000 (give the file before --serve)"
        )
    })
}

impl BuildArgs {
    /// The library's options for these arguments (`build` and `watch` alike), with the job
    /// posting already read.
    pub fn options(&self, job: Option<vitae::tailor::job::Posting>) -> vitae::build::BuildOptions {
        let mut formats = self.formats.clone();
        formats.dedup();
        vitae::build::BuildOptions {
            out_dir: self.out_dir.clone(),
            formats,
            lang: self.lang.clone(),
            text_width: usize::from(self.width),
            layout: self.layout.clone(),
            page_size: self.page_size.map(|p| match p {
                PageSizeArg::A4 => vitae::model::PageSize::A4,
                PageSizeArg::Letter => vitae::model::PageSize::Letter,
            }),
            variants: self.variants.clone(),
            all_variants: self.all_variants,
            tags: self.tags.clone(),
            exclude: self.exclude.clone(),
            max_pages: self.max_pages,
            job,
            allow_overflow: self.allow_overflow,
            ppi: f32::from(self.ppi),
            standard: match self.pdf_standard {
                PdfStandardArg::Ua1 => vitae::export::pdf::Standard::Ua1,
                PdfStandardArg::A2b => vitae::export::pdf::Standard::A2b,
            },
            font_dirs: self.font_paths.clone(),
            system_fonts: !self.no_system_fonts,
            deny_warnings: self.deny_warnings,
            timeout: std::time::Duration::from_secs(u64::from(self.timeout)),
            isolation: vitae::export::pdf::isolate::Isolation::this_program(),
        }
    }
}

/// A BCP 47 language tag such as `de` or `pt-BR`.
fn language_tag(text: &str) -> Result<String, String> {
    if vitae::model::is_language_code(text) {
        Ok(text.to_string())
    } else {
        Err(format!(
            "\"{text}\" is not a language code such as \"en\", \"de\" or \"pt-BR\""
        ))
    }
}

#[derive(Debug, Args)]
pub struct LayoutsArgs {
    /// Write `<layout>.png` into DIR for every layout: page 1 of the bundled example résumé.
    #[arg(long, value_name = "DIR")]
    pub gallery: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PageSizeArg {
    A4,
    Letter,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PdfStandardArg {
    #[value(name = "ua-1")]
    Ua1,
    #[value(name = "a-2b")]
    A2b,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The résumé (YAML or JSON); `-` reads standard input.
    pub file: PathBuf,
    /// Unknown keys are errors.
    #[arg(long)]
    pub strict: bool,
    /// Fail (exit 1) when there is any warning.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Also build the PDF and read its text back as an applicant-tracking system would:
    /// report which fields come back, in reading order.
    #[arg(long)]
    pub ats: bool,
    /// The layout for --ats: a built-in name or a .typ file (default: the résumé's).
    #[arg(long, requires = "ats")]
    pub layout: Option<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Your name.
    #[arg(default_value = "Your Name")]
    pub name: String,
    /// Where to write it; an existing file is never overwritten. `vitae.schema.json` is
    /// written beside it.
    #[arg(short, long, default_value = "resume.yaml")]
    pub output: PathBuf,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct VariantsArgs {
    /// The résumé (YAML or JSON); `-` reads standard input.
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct MatchArgs {
    /// The résumé (YAML or JSON).
    pub file: PathBuf,
    /// The job posting: a text or Markdown file, or `-` for standard input.
    #[arg(long, value_name = "POSTING")]
    pub job: PathBuf,
    /// `text` for people, `json` for tools.
    #[arg(long, value_enum, default_value_t = MatchFormat::Text)]
    pub format: MatchFormat,
    /// How many of the most relevant highlights to list (text only; JSON has them all).
    #[arg(long, default_value_t = 10)]
    pub top: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatchFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to convert (`-` for standard input).
    pub file: PathBuf,
    /// Where to write the vitae YAML; an existing file is never overwritten. Without it, the
    /// YAML goes to standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LocalesArgs {
    /// Print this language's words as YAML (the format of a file in `locales/`).
    pub lang: Option<String>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write `vitae.1` and one page per command (`vitae-build.1`, …) into this folder instead.
    #[arg(short, long = "out-dir", value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
}
