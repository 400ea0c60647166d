//! The document model: what a parsed Markdown file is, per kind.
//!
//! Every field here maps to a front-matter key documented in `docs/content-format.md`.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::scan::Outline;

/// What a document is. Decided by its top-level folder, or by a `kind:` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Kind {
    /// A glossary term (`glossary/`).
    Term,
    /// A reusable solution to a recurring problem (`patterns/`).
    Pattern,
    /// A story of a real (or illustrative) project with measured outcomes (`case-studies/`).
    CaseStudy,
    /// A training path: ordered steps over other documents (`paths/`).
    Path,
    /// Everything else: policies, how-tos, templates, charters, any other Markdown (`guides/`).
    Guide,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Term, Kind::Pattern, Kind::CaseStudy, Kind::Path, Kind::Guide];

    /// The name used in front matter, queries and JSON: `case-study`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Term => "term",
            Kind::Pattern => "pattern",
            Kind::CaseStudy => "case-study",
            Kind::Path => "path",
            Kind::Guide => "guide",
        }
    }

    /// The top-level folder whose files are of this kind.
    pub fn folder(self) -> &'static str {
        match self {
            Kind::Term => "glossary",
            Kind::Pattern => "patterns",
            Kind::CaseStudy => "case-studies",
            Kind::Path => "paths",
            Kind::Guide => "guides",
        }
    }

    /// The kind whose folder is `name`, if any.
    pub fn from_folder(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.folder() == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = ();
    fn from_str(s: &str) -> Result<Kind, ()> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s).ok_or(())
    }
}

/// Who a document is written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Audience {
    CitizenDeveloper,
    Mentor,
    ItAdmin,
    DataSteward,
    AppOwner,
    Everyone,
}

impl Audience {
    pub const ALL: [Audience; 6] = [
        Audience::CitizenDeveloper,
        Audience::Mentor,
        Audience::ItAdmin,
        Audience::DataSteward,
        Audience::AppOwner,
        Audience::Everyone,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::CitizenDeveloper => "citizen-developer",
            Audience::Mentor => "mentor",
            Audience::ItAdmin => "it-admin",
            Audience::DataSteward => "data-steward",
            Audience::AppOwner => "app-owner",
            Audience::Everyone => "everyone",
        }
    }
}

/// How much damage getting a pattern wrong can do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Risk {
    Low,
    Medium,
    High,
}

/// Where a pattern is usually built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Fit {
    LowCode,
    Coded,
    Either,
}

/// Which direction of a metric is an improvement.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Better {
    Lower,
    Higher,
}

/// Front-matter fields every kind may have.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Meta {
    /// `title`: the page title as written; [`Document::title`] has the resolved one.
    pub title: Option<String>,
    /// `summary`: one or two sentences for lists and search results.
    pub summary: Option<String>,
    /// `tags`: free-form topic tags.
    pub tags: Vec<String>,
    /// `audience`: who the page is for.
    pub audience: Vec<Audience>,
    /// `owner`: who keeps the page current.
    pub owner: Option<String>,
    /// `updated`: when the page last changed in substance.
    pub updated: Option<Date>,
    /// `review_by`: after this date the page counts as stale.
    pub review_by: Option<Date>,
    /// `lang`: BCP 47 language tag.
    pub lang: Option<String>,
    /// Every front-matter key Guildhall does not know, kept as written.
    pub extra: BTreeMap<String, serde_json::Value>,
}

/// The fields specific to each kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum KindFields {
    Term(TermFields),
    Pattern(PatternFields),
    CaseStudy(CaseStudyFields),
    Path(PathFields),
    Guide(GuideFields),
}

impl KindFields {
    pub fn kind(&self) -> Kind {
        match self {
            KindFields::Term(_) => Kind::Term,
            KindFields::Pattern(_) => Kind::Pattern,
            KindFields::CaseStudy(_) => Kind::CaseStudy,
            KindFields::Path(_) => Kind::Path,
            KindFields::Guide(_) => Kind::Guide,
        }
    }
}

/// A glossary term.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermFields {
    /// `term` (required): the word or phrase as engineers write it.
    pub term: String,
    /// `aliases`: synonyms and abbreviations (`DLP`).
    pub aliases: Vec<String>,
    /// `plain` (required): one sentence in plain language.
    pub plain: String,
    /// `plain_phrases`: the everyday words people use for it (`try again later`).
    pub plain_phrases: Vec<String>,
    /// `technical`: the engineer's definition.
    pub technical: Option<String>,
}

/// A pattern of the pattern library.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PatternFields {
    /// `category`: `integration`, `security`, `data`, ...
    pub category: Option<String>,
    /// `risk`: how much damage getting it wrong can do.
    pub risk: Option<Risk>,
    /// `fit`: low-code, coded or either.
    pub fit: Option<Fit>,
    /// `related`: ids of related documents.
    pub related: Vec<String>,
}

/// A case study with measured outcomes.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CaseStudyFields {
    /// `authors`: who wrote it.
    pub authors: Vec<String>,
    /// `mentor`: who mentored the team.
    pub mentor: Option<String>,
    /// `department`: where the work happened.
    pub department: Option<String>,
    /// `date`: when the work was done or published.
    pub date: Option<Date>,
    /// `patterns`: ids of the patterns used.
    pub patterns: Vec<String>,
    /// `metrics`: before/after measurements.
    pub metrics: Vec<Metric>,
}

/// One before/after measurement of a case study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Metric {
    /// What was measured.
    pub name: String,
    /// The value before the change.
    pub before: f64,
    /// The value after the change.
    pub after: f64,
    /// The unit (`days`, `%`, `errors per month`).
    #[serde(default)]
    pub unit: Option<String>,
    /// Whether lower or higher values are an improvement.
    pub better: Better,
}

impl Metric {
    /// The improvement in percent of `before`, positive when the change went the `better` way;
    /// `None` when `before` is zero.
    pub fn improvement_percent(&self) -> Option<f64> {
        if self.before == 0.0 {
            return None;
        }
        let change = (self.after - self.before) / self.before.abs() * 100.0;
        Some(match self.better {
            Better::Higher => change,
            Better::Lower => -change,
        })
    }
}

/// A training path.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathFields {
    /// `prerequisites`: ids of paths to take first.
    pub prerequisites: Vec<String>,
    /// `steps`: the ordered steps.
    pub steps: Vec<Step>,
}

/// One step of a training path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Step {
    /// `ref`: the id of the document to read.
    #[serde(rename = "ref")]
    pub target: String,
    /// `note`: what the path says about this step.
    #[serde(default)]
    pub note: Option<String>,
    /// `minutes`: how long the step is expected to take.
    #[serde(default)]
    pub minutes: Option<u32>,
    /// `check`: an optional self-check question.
    #[serde(default)]
    pub check: Option<Checkpoint>,
}

/// A self-check question on a path step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Checkpoint {
    /// The question.
    pub question: String,
    /// The possible answers.
    pub options: Vec<String>,
    /// The right answer: one of `options`.
    pub answer: String,
    /// Why the answer is right.
    #[serde(default)]
    pub explain: Option<String>,
}

/// A guide: policy, how-to, template, charter, or any other Markdown.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GuideFields {
    /// `category`: `policy`, `how-to`, `template`, `charter`, ...
    pub category: Option<String>,
}

/// One parsed Markdown file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Unique across the hub: the file stem in the kind folders, else the relative path.
    pub id: String,
    /// The file, relative to the hub folder, with `/` separators.
    pub path: String,
    /// The resolved title: `title`, else `term`, else the first `#` heading, else the file name.
    pub title: String,
    /// Fields common to every kind.
    pub meta: Meta,
    /// Fields of this document's kind.
    pub fields: KindFields,
    /// The Markdown after the front matter.
    #[serde(skip)]
    pub body: String,
    /// The 1-based line of the file on which `body` starts.
    pub body_line: u32,
    /// A stable 64-bit FNV-1a hash of the whole file, for change detection.
    pub content_hash: u64,
    /// Headings, links and text found in the body.
    #[serde(skip)]
    pub outline: Outline,
    /// Whether the id is the file's path (no `id:` field, not in a kind folder): such ids give
    /// way to the exact path when two files would share one.
    #[serde(skip)]
    pub path_derived: bool,
    /// The raw front matter, to point diagnostics at the line of a value.
    #[serde(skip)]
    pub front_matter: String,
}

impl Document {
    pub fn kind(&self) -> Kind {
        self.fields.kind()
    }

    pub fn term(&self) -> Option<&TermFields> {
        match &self.fields {
            KindFields::Term(t) => Some(t),
            _ => None,
        }
    }

    pub fn path_fields(&self) -> Option<&PathFields> {
        match &self.fields {
            KindFields::Path(p) => Some(p),
            _ => None,
        }
    }

    /// The 1-based line of the first front-matter line that holds `value` at or after `key`.
    pub fn line_of(&self, key: &str, value: Option<&str>) -> u32 {
        let lines: Vec<&str> = self.front_matter.lines().collect();
        let Some(start) =
            lines.iter().position(|l| l.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')))
        else {
            return 1;
        };
        let found = match value {
            Some(v) => lines[start..].iter().position(|l| l.contains(v)).map_or(start, |i| start + i),
            None => start,
        };
        found as u32 + 2
    }

    /// The body without Markdown markup, for search and snippets.
    pub fn plain_text(&self) -> String {
        crate::scan::plain_text(&self.body)
    }

    /// Estimated reading time in whole minutes (200 words a minute, at least 1).
    pub fn reading_minutes(&self) -> u32 {
        (self.outline.words as u32).div_ceil(200).max(1)
    }
}

/// A stable FNV-1a 64-bit hash (unlike `std`'s hasher, it never changes between releases).
pub fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn improvement_follows_the_better_direction() {
        let m = |before, after, better| Metric { name: "x".into(), before, after, unit: None, better };
        assert_eq!(m(10.0, 5.0, Better::Lower).improvement_percent(), Some(50.0));
        assert_eq!(m(10.0, 15.0, Better::Lower).improvement_percent(), Some(-50.0));
        assert_eq!(m(4.0, 5.0, Better::Higher).improvement_percent(), Some(25.0));
        assert_eq!(m(0.0, 5.0, Better::Higher).improvement_percent(), None);
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for k in Kind::ALL {
            assert_eq!(k.as_str().parse(), Ok(k));
            assert_eq!(Kind::from_folder(k.folder()), Some(k));
        }
    }
}
