//! The editor: drafts kept in the personal store (so an acknowledged autosave survives a
//! crash), templates, a live preview checked against the loaded catalog, and turning a draft into
//! a proposal.

use guildhall_content::{Diagnostic, Heading, Kind, KindFields, LoadOptions, is_markdown};
use guildhall_store::NewDraft as StoredNewDraft;
use serde::{Deserialize, Serialize};

use crate::templates::{self, Template, TemplateKind};
use crate::views::{self, TermCard};
use crate::{Error, Hub, Proposal, ReviewError};

/// A draft: one document being written or edited before it is proposed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Draft {
    pub id: String,
    /// The file it will become, relative to the hub folder: `case-studies/faster-onboarding.md`.
    pub path: String,
    /// The published document it edits.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The proposal it revises.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revise: Option<String>,
    /// The proposal title and reason.
    pub title: String,
    pub reason: String,
    /// The whole file: front matter and Markdown.
    pub content: String,
    /// Unix seconds.
    pub created_at: i64,
    pub updated_at: i64,
}

impl From<guildhall_store::Draft> for Draft {
    fn from(d: guildhall_store::Draft) -> Draft {
        Draft {
            id: d.id.to_string(),
            path: d.path,
            doc: d.doc,
            revise: d.revise,
            title: d.title,
            reason: d.reason,
            content: d.content,
            created_at: d.created_at.as_millis().div_euclid(1000),
            updated_at: d.updated_at.as_millis().div_euclid(1000),
        }
    }
}

/// What a new draft starts from: a template, a published document, or one of the author's own
/// proposals (to revise it). Exactly one of `template`, `doc` and `proposal`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewDraft {
    /// A template kind: `case-study`, `pattern`, `guide`, `post-mortem`, `term`.
    #[serde(default)]
    pub template: Option<String>,
    /// The id of a published document to edit (its content is copied from `main`).
    #[serde(default)]
    pub doc: Option<String>,
    /// The id of the author's own proposal to revise (its content is copied from its branch).
    #[serde(default)]
    pub proposal: Option<String>,
    /// Where the document will live; default: from the template's folder, the document, or the
    /// proposal.
    #[serde(default)]
    pub path: Option<String>,
}

/// An autosave of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DraftUpdate {
    pub path: String,
    pub title: String,
    #[serde(default)]
    pub reason: String,
    pub content: String,
}

/// A document to preview.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PreviewRequest {
    /// The file it will become, relative to the hub folder.
    pub path: String,
    /// The whole file: front matter and Markdown.
    pub content: String,
}

/// A draft as it would be published: sanitized HTML and the problems `guildhall check` would
/// report for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Preview {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
    /// The summary, as the published page shows it above the text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// The kind's fields (a case study's metrics, a term's definitions), as the published page
    /// shows them: the same shape as a document view's `fields`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fields: Option<KindFields>,
    /// Sanitized HTML, rendered like a published page (glossary mentions included); empty when
    /// the document cannot be read at all (the diagnostics say why).
    pub html: String,
    /// The draft's problems; line numbers are lines of the draft.
    pub diagnostics: Vec<Diagnostic>,
    pub toc: Vec<Heading>,
    /// Glossary terms the draft mentions or links, for hover cards (as in a document view).
    pub terms: Vec<TermCard>,
}

/// Checks that `path` names a Markdown file inside the hub: relative, `/`-separated, no `.`,
/// `..` or hidden parts. Returns it normalised (backslashes are refused, not converted).
pub fn check_draft_path(path: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::Invalid(format!("`{path}` cannot be a hub document: {why}"));
    let path = path.trim();
    if path.is_empty() {
        return Err(bad("the path is empty"));
    }
    if path.starts_with('/') || path.contains('\\') || path.contains(':') {
        return Err(bad("give a path relative to the hub folder, with `/` between folders"));
    }
    if path.len() > 512 {
        return Err(bad("the path is longer than 512 bytes"));
    }
    let parts: Vec<&str> = path.split('/').collect();
    if parts.iter().any(|p| p.is_empty() || p.starts_with('.') || p.chars().any(char::is_control)) {
        return Err(bad("folders and file names must not be empty or start with `.`"));
    }
    if !is_markdown(path) {
        return Err(bad("documents are Markdown files ending in `.md`"));
    }
    Ok(parts.join("/"))
}

/// A draft id from the URL: the store's number.
fn draft_id(id: &str) -> Result<i64, Error> {
    id.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| Error::UnknownDraft(id.to_string()))
}

impl Hub {
    /// The editor's templates, one per kind of contribution.
    pub fn templates(&self) -> Vec<Template> {
        templates::templates(&self.today.to_string())
    }

    /// Every draft, most recently saved first.
    pub fn drafts(&self) -> Result<Vec<Draft>, Error> {
        Ok(self.store()?.drafts()?.into_iter().map(Draft::from).collect())
    }

    /// One draft.
    pub fn draft(&self, id: &str) -> Result<Draft, Error> {
        let n = draft_id(id)?;
        self.store()?.draft(n)?.map(Draft::from).ok_or_else(|| Error::UnknownDraft(id.to_string()))
    }

    /// Starts a draft from a template, a published document or the author's own proposal.
    pub fn create_draft(&self, new: &NewDraft) -> Result<Draft, Error> {
        let path = new.path.as_deref().map(check_draft_path).transpose()?;
        let record = match (&new.template, &new.doc, &new.proposal) {
            (Some(t), None, None) => {
                let kind = TemplateKind::parse(t).ok_or_else(|| {
                    Error::Invalid(format!(
                        "unknown template `{t}`; templates are: {}",
                        TemplateKind::ALL.map(TemplateKind::as_str).join(", ")
                    ))
                })?;
                let template = templates::template(kind, &self.today.to_string());
                let path = match path {
                    Some(p) => p,
                    None => self.free_path(&template.folder)?,
                };
                StoredNewDraft { path, content: template.content, ..StoredNewDraft::default() }
            }
            (None, Some(doc), None) => {
                let catalog = self.catalog();
                let d = catalog.get(doc).ok_or_else(|| self.unknown(doc))?;
                let published = self.repository()?.published_file(&d.path)?.ok_or_else(|| {
                    Error::Invalid(format!(
                        "`{}` is not published yet (it is in the hub folder but not on main); propose it first",
                        d.path
                    ))
                })?;
                StoredNewDraft {
                    path: path.unwrap_or_else(|| d.path.clone()),
                    doc: Some(d.id.clone()),
                    title: format!("Update {}", d.title),
                    content: String::from_utf8_lossy(&published).into_owned(),
                    ..StoredNewDraft::default()
                }
            }
            (None, None, Some(id)) => {
                let review = self.repository()?;
                let who = review.identity()?;
                let p = review.proposal(id)?;
                if !review.may_revise(&who, &p) {
                    if who.email.eq_ignore_ascii_case(&p.author.email) {
                        return Err(
                            ReviewError::WrongState { id: p.id, status: p.status, action: "revise it".into() }.into()
                        );
                    }
                    return Err(ReviewError::NotAuthor { id: p.id, author: p.author.to_string() }.into());
                }
                let [file] = p.files.as_slice() else {
                    return Err(Error::Invalid(format!(
                        "proposal {} changes {} files; the editor revises one document at a time (use `guildhall propose --revise`)",
                        p.id,
                        p.files.len()
                    )));
                };
                let content = review.proposed_file(&p.id, file)?.ok_or_else(|| {
                    Error::Invalid(format!("proposal {} deletes `{file}`; there is nothing to edit", p.id))
                })?;
                let doc = self.catalog().documents().iter().find(|d| &d.path == file).map(|d| d.id.clone());
                StoredNewDraft {
                    path: file.clone(),
                    doc,
                    revise: Some(p.id.clone()),
                    title: p.title.clone(),
                    reason: p.reason.clone(),
                    content: String::from_utf8_lossy(&content).into_owned(),
                }
            }
            _ => {
                return Err(Error::Invalid(
                    "a new draft starts from exactly one of `template`, `doc` and `proposal`".into(),
                ));
            }
        };
        Ok(self.store()?.create_draft(&record)?.into())
    }

    /// `folder/untitled.md`, or `untitled-2.md`, ...: a file neither the hub nor another draft
    /// uses.
    fn free_path(&self, folder: &str) -> Result<String, Error> {
        let catalog = self.catalog();
        let drafts = self.store()?.drafts()?;
        let taken = |p: &str| catalog.documents().iter().any(|d| d.path == p) || drafts.iter().any(|d| d.path == p);
        let mut n = 1;
        loop {
            let p = if n == 1 { format!("{folder}/untitled.md") } else { format!("{folder}/untitled-{n}.md") };
            if !taken(&p) {
                return Ok(p);
            }
            n += 1;
        }
    }

    /// Saves a draft (an autosave); it is durable when this returns.
    pub fn save_draft(&self, id: &str, update: &DraftUpdate) -> Result<Draft, Error> {
        let n = draft_id(id)?;
        let path = check_draft_path(&update.path)?;
        if update.title.contains('\n') {
            return Err(Error::Invalid("the proposal title is one line".into()));
        }
        self.store()?
            .save_draft(n, &path, &update.title, &update.reason, &update.content)?
            .map(Draft::from)
            .ok_or_else(|| Error::UnknownDraft(id.to_string()))
    }

    /// Deletes a draft.
    pub fn delete_draft(&self, id: &str) -> Result<(), Error> {
        let n = draft_id(id)?;
        if self.store()?.delete_draft(n)? { Ok(()) } else { Err(Error::UnknownDraft(id.to_string())) }
    }

    /// Renders and checks a document as if it were saved at `path`, against the catalog as it is
    /// loaded now (links, ids, glossary), without reading or writing any file.
    pub fn preview(&self, request: &PreviewRequest) -> Result<Preview, Error> {
        let path = check_draft_path(&request.path)?;
        if request.content.len() > guildhall_store::MAX_DRAFT_BYTES {
            return Err(Error::Invalid("a document is limited to 2 MiB".into()));
        }
        let options = LoadOptions::default().with_today(self.today);
        let catalog = self.catalog().with_document(&path, request.content.as_bytes(), &options);
        let diagnostics: Vec<Diagnostic> = catalog.diagnostics().iter().filter(|d| d.path == path).cloned().collect();
        let Some(index) = catalog.documents().iter().position(|d| d.path == path) else {
            return Ok(Preview {
                title: None,
                kind: None,
                summary: None,
                fields: None,
                html: String::new(),
                diagnostics,
                toc: Vec::new(),
                terms: Vec::new(),
            });
        };
        let doc = &catalog.documents()[index];
        let rendered = catalog.renderer(self.renderer_options.clone()).render(index);
        Ok(Preview {
            title: Some(doc.title.clone()),
            kind: Some(doc.kind()),
            summary: doc.meta.summary.clone(),
            fields: Some(doc.fields.clone()),
            html: rendered.html,
            diagnostics,
            toc: rendered.toc,
            terms: views::hover_terms(&catalog, index),
        })
    }

    /// Proposes a draft for review (revising its proposal when it has one) and deletes it.
    /// Content with errors is refused ([`ReviewError::Content`], with the diagnostics).
    pub fn propose_draft(&self, id: &str) -> Result<Proposal, Error> {
        let draft = self.draft(id)?;
        let proposal = self.repository()?.propose_content(
            &draft.path,
            Some(draft.content.into_bytes()),
            &draft.title,
            &draft.reason,
            draft.revise.as_deref(),
        )?;
        self.share_proposal(&proposal)?;
        self.delete_draft(id)?;
        Ok(proposal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_paths_stay_inside_the_hub() {
        assert_eq!(check_draft_path("patterns/a.md").expect("ok"), "patterns/a.md");
        for bad in ["", "/etc/x.md", "../x.md", "a/../b.md", ".git/x.md", "a//b.md", "a\\b.md", "c:x.md", "a.txt"] {
            assert!(matches!(check_draft_path(bad), Err(Error::Invalid(_))), "{bad}");
        }
    }
}
