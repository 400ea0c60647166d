//! Guildhall's content model: parse, validate, link and render a hub of Markdown documents.
//!
//! A *hub* is a folder of Markdown files with YAML front matter (see `docs/content-format.md`).
//! This crate turns one into a [`Catalog`]: every document that could be read, the links between
//! them resolved, glossary mentions found, and every problem reported as a [`Diagnostic`] with a
//! file and line. One bad file never stops the rest from loading.
//!
//! The crate is pure apart from [`Catalog::load`], which only reads files under the hub folder.
//! It knows nothing of search indexes, databases, async runtimes or user interfaces.
//!
//! ```
//! use guildhall_content::{Catalog, Assets, LoadOptions, RenderOptions, SourceFile};
//!
//! let file = |path: &str, text: &str| SourceFile { path: path.into(), bytes: Ok(text.as_bytes().to_vec()) };
//! let catalog = Catalog::build(
//!     "demo",
//!     vec![
//!         file("glossary/retry.md", "---\nterm: Retry\nplain: Trying the same thing again.\n---\nSee [[welcome]]."),
//!         file("guides/welcome.md", "---\ntitle: Welcome\n---\nWhen a call fails, a retry may help."),
//!     ],
//!     Assets::default(),
//!     None,
//!     &LoadOptions::default(),
//! );
//! assert_eq!(catalog.error_count(), 0);
//! let page = catalog.renderer(RenderOptions::default()).render_id("welcome").unwrap();
//! assert!(page.html.contains(r##"<a class="term" href="#/doc/retry""##));
//! ```

mod catalog;
mod config;
mod date;
mod diag;
mod document;
mod front_matter;
mod glossary;
mod hub_settings;
mod include;
mod load;
mod model;
mod placeholder;
mod render;
mod scan;

pub use catalog::{Assets, Catalog, LinkTarget, LoadOptions, Mention, SourceFile};
pub use config::{CONFIG_FILE, HubConfig, Member, ROLES};
pub use date::{Date, DateError};
pub use diag::{Code, Diagnostic, Severity};
pub use document::{Limits, is_valid_id, parse_document, parse_document_in, slugify_id};
pub use front_matter::MAX_FRONT_MATTER_BYTES;
pub use glossary::{Found, Glossary, is_abbreviation};
pub use hub_settings::HubSettings;
pub use load::{LoadError, fingerprint, is_markdown, read_hub};
pub use model::{
    Audience, Better, CaseStudyFields, Checkpoint, Document, Fit, GuideFields, Kind, KindFields, Meta, Metric,
    PathFields, PatternFields, Risk, Step, TermFields, fnv1a64,
};
pub use placeholder::{PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN, placeholders_in};
pub use render::{ID_PREFIX, RenderOptions, Rendered, Renderer, escape};
pub use scan::{Heading, LinkRef, LinkStyle, Outline, Segment, plain_text, prepare, slug};
