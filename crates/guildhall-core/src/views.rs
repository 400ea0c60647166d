//! What the shells show: serialisable views over the catalog, computed here so that the CLI, the
//! HTTP API and the desktop app agree on every field.

use serde::Serialize;

use guildhall_content::{
    Audience, Catalog, Date, Document, Fit, Heading, Kind, KindFields, Metric, Renderer, Risk, Severity, Step,
};

/// A link to a document, with what a list needs to show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocRef {
    pub id: String,
    pub kind: Kind,
    pub title: String,
}

impl DocRef {
    pub fn of(d: &Document) -> DocRef {
        DocRef { id: d.id.clone(), kind: d.kind(), title: d.title.clone() }
    }
}

/// One document in a list: enough for a card or a row.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocSummary {
    pub id: String,
    pub kind: Kind,
    pub title: String,
    pub summary: Option<String>,
    /// The file, relative to the hub folder.
    pub path: String,
    pub tags: Vec<String>,
    pub audience: Vec<Audience>,
    pub owner: Option<String>,
    pub updated: Option<Date>,
    /// Past its `review_by` date.
    pub stale: bool,
    pub reading_minutes: u32,
    /// Patterns and guides: their category.
    pub category: Option<String>,
    /// Patterns: risk and fit.
    pub risk: Option<Risk>,
    pub fit: Option<Fit>,
    /// Case studies: department and the metric with the largest improvement.
    pub department: Option<String>,
    pub headline: Option<Headline>,
    /// Terms: the plain-language definition.
    pub plain: Option<String>,
}

/// The most improved metric of a case study.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Headline {
    pub metric: Metric,
    /// Improvement in percent, positive when it went the right way.
    pub improvement_percent: f64,
}

/// A glossary term as hover cards and the glossary screen need it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TermCard {
    pub id: String,
    pub term: String,
    pub aliases: Vec<String>,
    pub plain: String,
    pub plain_phrases: Vec<String>,
    pub technical: Option<String>,
}

/// A path step with the document it points to.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepView {
    pub step: Step,
    pub doc: Option<DocRef>,
}

/// Everything the document screen shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocView {
    #[serde(flatten)]
    pub summary: DocSummary,
    /// The kind-specific front matter.
    pub fields: KindFields,
    /// Sanitized HTML.
    pub html: String,
    pub toc: Vec<Heading>,
    /// Set when the page could not be rendered safely and is shown as text.
    pub refused: Option<String>,
    /// Documents that link here.
    pub backlinks: Vec<DocRef>,
    /// Terms: documents whose prose mentions this term.
    pub mentioned_by: Vec<DocRef>,
    /// Glossary terms this page mentions or links, for hover cards.
    pub terms: Vec<TermCard>,
    /// Patterns: related documents; case studies: the patterns used; paths: prerequisites.
    pub related: Vec<DocRef>,
    /// Patterns: the case studies that used them.
    pub used_in: Vec<DocRef>,
    /// Paths: the steps with their documents.
    pub steps: Vec<StepView>,
    /// Paths that include this document as a step.
    pub in_paths: Vec<DocRef>,
}

pub(crate) fn summary(d: &Document, today: Date) -> DocSummary {
    let (mut category, mut risk, mut fit, mut department, mut headline, mut plain) =
        (None, None, None, None, None, None);
    match &d.fields {
        KindFields::Pattern(p) => {
            category = p.category.clone();
            risk = p.risk;
            fit = p.fit;
        }
        KindFields::Guide(g) => category = g.category.clone(),
        KindFields::CaseStudy(cs) => {
            department = cs.department.clone();
            headline = cs
                .metrics
                .iter()
                .filter_map(|m| m.improvement_percent().map(|p| (p, m)))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(p, m)| Headline { metric: m.clone(), improvement_percent: (p * 10.0).round() / 10.0 });
        }
        KindFields::Term(t) => plain = Some(t.plain.clone()),
        KindFields::Path(_) => {}
    }
    DocSummary {
        id: d.id.clone(),
        kind: d.kind(),
        title: d.title.clone(),
        summary: d.meta.summary.clone(),
        path: d.path.clone(),
        tags: d.meta.tags.clone(),
        audience: d.meta.audience.clone(),
        owner: d.meta.owner.clone(),
        updated: d.meta.updated,
        stale: d.meta.review_by.is_some_and(|r| r < today),
        reading_minutes: d.reading_minutes(),
        category,
        risk,
        fit,
        department,
        headline,
        plain,
    }
}

pub(crate) fn term_card(d: &Document) -> Option<TermCard> {
    let t = d.term()?;
    Some(TermCard {
        id: d.id.clone(),
        term: t.term.clone(),
        aliases: t.aliases.clone(),
        plain: t.plain.clone(),
        plain_phrases: t.plain_phrases.clone(),
        technical: t.technical.clone(),
    })
}

/// The glossary terms a page mentions or links, for hover cards.
pub(crate) fn hover_terms(c: &Catalog, index: usize) -> Vec<TermCard> {
    let mut terms: Vec<TermCard> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let linked = c.links(index).iter().filter_map(|t| match t {
        guildhall_content::LinkTarget::Document { index, .. } => Some(*index),
        _ => None,
    });
    for i in c.mentions_of(index).chain(linked) {
        if seen.insert(i)
            && let Some(card) = term_card(&c.documents()[i])
        {
            terms.push(card);
        }
    }
    terms
}

pub(crate) fn document(c: &Catalog, r: &Renderer<'_>, index: usize, today: Date) -> DocView {
    let d = &c.documents()[index];
    let page = r.render(index);
    let refs = |ids: &mut dyn Iterator<Item = &String>| -> Vec<DocRef> {
        ids.filter_map(|id| c.get(id)).map(DocRef::of).collect()
    };
    let terms = hover_terms(c, index);
    let (related, steps) = match &d.fields {
        KindFields::Pattern(p) => (refs(&mut p.related.iter()), Vec::new()),
        KindFields::CaseStudy(cs) => (refs(&mut cs.patterns.iter()), Vec::new()),
        KindFields::Path(p) => (
            refs(&mut p.prerequisites.iter()),
            p.steps.iter().map(|s| StepView { step: s.clone(), doc: c.get(&s.target).map(DocRef::of) }).collect(),
        ),
        _ => (Vec::new(), Vec::new()),
    };
    let mut used_in = Vec::new();
    let mut in_paths = Vec::new();
    for other in c.documents() {
        match &other.fields {
            KindFields::CaseStudy(cs) if cs.patterns.contains(&d.id) => used_in.push(DocRef::of(other)),
            KindFields::Path(p) if p.steps.iter().any(|s| s.target == d.id) => in_paths.push(DocRef::of(other)),
            _ => {}
        }
    }
    DocView {
        summary: summary(d, today),
        fields: d.fields.clone(),
        html: page.html,
        toc: page.toc,
        refused: page.refused,
        backlinks: c.backlinks(index).map(DocRef::of).collect(),
        mentioned_by: c.mentioned_by(index).map(DocRef::of).collect(),
        terms,
        related,
        used_in,
        steps,
        in_paths,
    }
}

/// Counts for the hub overview (the governance screen).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overview {
    pub name: String,
    pub documents: usize,
    pub by_kind: Vec<KindCount>,
    pub stale: Vec<DocRef>,
    pub errors: usize,
    pub warnings: usize,
    /// The people of `guildhall.toml`'s `[[members]]`, for the editor's person fields (owner,
    /// authors, mentor).
    pub members: Vec<MemberRef>,
}

/// A member of the hub as the editor offers it: the name and the roles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRef {
    pub name: String,
    pub roles: Vec<String>,
}

/// How many documents a hub has of one kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KindCount {
    pub kind: Kind,
    pub count: usize,
}

pub(crate) fn overview(c: &Catalog, today: Date) -> Overview {
    let by_kind = Kind::ALL
        .iter()
        .map(|&kind| KindCount { kind, count: c.documents().iter().filter(|d| d.kind() == kind).count() })
        .collect();
    let stale = c.documents().iter().filter(|d| d.meta.review_by.is_some_and(|r| r < today)).map(DocRef::of).collect();
    let errors = c.diagnostics().iter().filter(|d| d.severity == Severity::Error).count();
    Overview {
        name: c.name().to_string(),
        documents: c.documents().len(),
        by_kind,
        stale,
        errors,
        warnings: c.diagnostics().len() - errors,
        members: c
            .config()
            .members
            .iter()
            .filter(|m| !m.name.trim().is_empty())
            .map(|m| MemberRef { name: m.name.trim().to_string(), roles: m.roles.clone() })
            .collect(),
    }
}
