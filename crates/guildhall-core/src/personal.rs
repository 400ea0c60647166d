//! What one person does with a hub: profile, bookmarks, notes, recently viewed, training-path
//! progress and the search log, kept in the personal store and joined with the catalog here.

use std::sync::MutexGuard;

use guildhall_content::{Kind, Step};
use guildhall_store::{Note, PersonalData, Profile, Store, Timestamp, ZeroResultQuery};
use serde::Serialize;

use crate::views::{self, DocRef, DocSummary};
use crate::{Error, Hub, lock};

/// Personal notes longer than this are refused.
pub const MAX_NOTE_BYTES: usize = 64 * 1024;

/// A bookmarked document. `doc` is `None` when the document no longer exists: the bookmark is
/// kept (and shown as such) rather than silently dropped.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BookmarkView {
    pub id: String,
    pub doc: Option<DocRef>,
    pub created_at: Timestamp,
}

/// A recently viewed document.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecentItem {
    pub id: String,
    pub doc: Option<DocRef>,
    pub last_viewed: Timestamp,
    pub view_count: u64,
}

/// A training path with the person's progress, for the paths overview and Home.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathCard {
    pub path: DocSummary,
    /// Sum of the steps' minutes, or their reading time where a step gives none.
    pub minutes: u32,
    pub prerequisites: Vec<DocRef>,
    pub steps_total: usize,
    pub steps_done: usize,
    pub started: bool,
    pub complete: bool,
    /// The step to go on with.
    pub next_step: Option<DocRef>,
    /// The path's steps changed after the person started it.
    pub updated_since_start: bool,
}

/// One step of a path with its state.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathStepView {
    pub step: Step,
    pub doc: Option<DocRef>,
    pub done_at: Option<Timestamp>,
    /// Added to the path after the person started it.
    pub is_new: bool,
}

/// A path with every step's state, for the path player.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathProgressView {
    pub card: PathCard,
    pub steps: Vec<PathStepView>,
    /// Where the person left off.
    pub current_step: Option<String>,
    /// Steps the person had done that the path no longer has: reported, never dropped.
    pub removed_done_steps: Vec<String>,
}

impl Hub {
    pub(crate) fn store(&self) -> Result<MutexGuard<'_, Store>, Error> {
        self.store.as_ref().map(lock).ok_or(Error::NoStore)
    }

    fn known(&self, id: &str) -> Result<(), Error> {
        if self.catalog().index_of(id).is_some() { Ok(()) } else { Err(self.unknown(id)) }
    }

    fn doc_ref(&self, id: &str) -> Option<DocRef> {
        self.catalog().get(id).map(DocRef::of)
    }

    /// The person's profile (defaults until they set one).
    pub fn profile(&self) -> Result<Profile, Error> {
        Ok(self.store()?.profile()?)
    }

    /// Saves the profile and returns it as stored.
    pub fn set_profile(&self, profile: &Profile) -> Result<Profile, Error> {
        let mut store = self.store()?;
        store.set_profile(profile)?;
        Ok(store.profile()?)
    }

    /// Bookmarks, newest first.
    pub fn bookmarks(&self) -> Result<Vec<BookmarkView>, Error> {
        let marks = self.store()?.bookmarks()?;
        Ok(marks
            .into_iter()
            .map(|b| BookmarkView { doc: self.doc_ref(&b.doc_id), id: b.doc_id, created_at: b.created_at })
            .collect())
    }

    /// Bookmarks a document (`on`) or removes its bookmark; returns whether anything changed.
    pub fn set_bookmark(&self, id: &str, on: bool) -> Result<bool, Error> {
        if on {
            self.known(id)?;
            Ok(self.store()?.add_bookmark(id)?)
        } else {
            Ok(self.store()?.remove_bookmark(id)?)
        }
    }

    /// The person's note on a document.
    pub fn note(&self, id: &str) -> Result<Option<Note>, Error> {
        Ok(self.store()?.note(id)?)
    }

    /// Saves a note on a document; an empty text deletes it.
    pub fn set_note(&self, id: &str, text: &str) -> Result<Option<Note>, Error> {
        if text.len() > MAX_NOTE_BYTES {
            return Err(Error::Invalid(format!("a note is limited to {} KiB", MAX_NOTE_BYTES / 1024)));
        }
        self.known(id)?;
        let mut store = self.store()?;
        store.set_note(id, text)?;
        Ok(store.note(id)?)
    }

    /// Recently viewed documents, most recent first.
    pub fn recent(&self, limit: usize) -> Result<Vec<RecentItem>, Error> {
        let views = self.store()?.recent_views(limit)?;
        Ok(views
            .into_iter()
            .map(|v| RecentItem {
                doc: self.doc_ref(&v.doc_id),
                id: v.doc_id,
                last_viewed: v.last_viewed,
                view_count: v.view_count,
            })
            .collect())
    }

    /// Records that the person opened a document.
    pub fn record_view(&self, id: &str) -> Result<(), Error> {
        self.known(id)?;
        Ok(self.store()?.record_view(id)?)
    }

    /// All personal data as one document (`guildhall export`).
    pub fn export_personal(&self) -> Result<PersonalData, Error> {
        Ok(self.store()?.export()?)
    }

    /// Replaces all personal data with `data`, all or nothing (`guildhall import`).
    pub fn import_personal(&self, data: &PersonalData) -> Result<(), Error> {
        Ok(self.store()?.import(data)?)
    }

    /// Queries that found nothing in the last `days` days, most frequent first: the content-gap
    /// report.
    pub fn content_gaps(&self, days: u32) -> Result<Vec<ZeroResultQuery>, Error> {
        let since = Timestamp::now().minus_days(days);
        let mut gaps = self.store()?.zero_result_queries(since)?;
        gaps.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.query.cmp(&b.query)));
        Ok(gaps)
    }

    /// Every training path with the person's progress; paths recommended for their role first.
    pub fn paths(&self) -> Result<Vec<PathCard>, Error> {
        let catalog = self.catalog();
        let role = self.profile()?.role.map(|r| r.as_str().to_string());
        let mut cards = Vec::new();
        for d in catalog.documents().iter().filter(|d| d.kind() == Kind::Path) {
            cards.push(self.path_progress(&d.id)?.card);
        }
        cards.sort_by_key(|c| {
            let for_role = role.as_deref().is_some_and(|r| c.path.audience.iter().any(|a| a.as_str() == r));
            (!for_role, c.prerequisites.len(), c.path.title.to_lowercase())
        });
        Ok(cards)
    }

    /// One path with the state of every step.
    pub fn path_progress(&self, id: &str) -> Result<PathProgressView, Error> {
        let catalog = self.catalog();
        let doc = catalog.get(id).filter(|d| d.kind() == Kind::Path).ok_or_else(|| self.unknown(id))?;
        let fields = doc.path_fields().cloned().unwrap_or_default();
        let refs: Vec<&str> = fields.steps.iter().map(|s| s.target.as_str()).collect();
        let progress = self.store()?.path_progress(id, &refs)?;
        let minutes = fields
            .steps
            .iter()
            .map(|s| s.minutes.unwrap_or_else(|| catalog.get(&s.target).map_or(0, |d| d.reading_minutes())))
            .sum();
        let steps: Vec<PathStepView> = fields
            .steps
            .iter()
            .map(|s| {
                let state = progress.as_ref().and_then(|p| p.steps.iter().find(|st| st.step_ref == s.target));
                PathStepView {
                    step: s.clone(),
                    doc: catalog.get(&s.target).map(DocRef::of),
                    done_at: state.and_then(|st| st.done_at),
                    is_new: progress.as_ref().is_some_and(|p| p.added_since_start.contains(&s.target)),
                }
            })
            .collect();
        let next = progress
            .as_ref()
            .and_then(|p| p.next_step().map(str::to_string))
            .or_else(|| if progress.is_none() { refs.first().map(|r| (*r).to_string()) } else { None });
        let card = PathCard {
            path: views::summary(doc, self.today),
            minutes,
            prerequisites: fields.prerequisites.iter().filter_map(|p| catalog.get(p)).map(DocRef::of).collect(),
            steps_total: steps.len(),
            steps_done: steps.iter().filter(|s| s.done_at.is_some()).count(),
            started: progress.is_some(),
            complete: progress.as_ref().is_some_and(|p| p.is_complete()),
            next_step: next.as_deref().and_then(|r| catalog.get(r)).map(DocRef::of),
            updated_since_start: progress.as_ref().is_some_and(|p| p.changed_since_start),
        };
        Ok(PathProgressView {
            card,
            steps,
            current_step: progress.as_ref().and_then(|p| p.current_step.clone()),
            removed_done_steps: progress
                .map(|p| p.removed_done_steps.into_iter().map(|s| s.step_ref).collect())
                .unwrap_or_default(),
        })
    }

    /// Marks a step of a path done or not done (starting the path if needed), and makes it the
    /// step the person is on.
    pub fn set_step_done(&self, path: &str, step: &str, done: bool) -> Result<PathProgressView, Error> {
        let refs = self.step_refs(path, step)?;
        {
            let mut store = self.store()?;
            store.start_path(path, &refs)?;
            if done {
                store.mark_step_done(path, step)?;
            } else {
                store.mark_step_not_done(path, step)?;
            }
            store.set_current_step(path, Some(step))?;
        }
        self.path_progress(path)
    }

    /// Remembers which step of a path the person is on (starting the path if needed).
    pub fn set_current_step(&self, path: &str, step: &str) -> Result<PathProgressView, Error> {
        let refs = self.step_refs(path, step)?;
        {
            let mut store = self.store()?;
            store.start_path(path, &refs)?;
            store.set_current_step(path, Some(step))?;
        }
        self.path_progress(path)
    }

    fn step_refs(&self, path: &str, step: &str) -> Result<Vec<String>, Error> {
        let catalog = self.catalog();
        let doc = catalog.get(path).filter(|d| d.kind() == Kind::Path).ok_or_else(|| self.unknown(path))?;
        let refs: Vec<String> =
            doc.path_fields().map(|p| p.steps.iter().map(|s| s.target.clone()).collect()).unwrap_or_default();
        if !refs.iter().any(|r| r == step) {
            return Err(Error::Invalid(format!("the path `{path}` has no step `{step}`")));
        }
        Ok(refs)
    }
}
