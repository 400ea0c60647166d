//! What one person does with a hub: profile, bookmarks, notes, recently viewed, training-path
//! progress and the search log, kept in the personal store and joined with the catalog here.

use std::sync::MutexGuard;

use guildhall_content::{Document, Kind, Step, fnv1a64};
use guildhall_store::{CheckpointAttempt, Note, PersonalData, Profile, Store, Timestamp};
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
    /// When the person last completed the path (all its steps done), if ever. A completion is
    /// kept when the path changes afterwards (then `complete` may be false again).
    pub completed_at: Option<Timestamp>,
    /// The path's content version now: a hash of its title and steps (see [`path_version`]).
    pub content_version: String,
}

/// The person's answers to one step's self-check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckState {
    /// How many answers were given.
    pub attempts: u32,
    /// Which attempt (1 = the first) was the first right answer, if any.
    pub correct_on_attempt: Option<u32>,
    /// The last answer given.
    pub last_answer: Option<String>,
    /// Whether the last answer was right.
    pub last_correct: bool,
}

impl CheckState {
    fn of<'a>(attempts: impl Iterator<Item = &'a CheckpointAttempt>) -> Option<CheckState> {
        let mut state = CheckState { attempts: 0, correct_on_attempt: None, last_answer: None, last_correct: false };
        for a in attempts {
            state.attempts += 1;
            if a.correct && state.correct_on_attempt.is_none() {
                state.correct_on_attempt = Some(state.attempts);
            }
            state.last_answer = Some(a.answer.clone());
            state.last_correct = a.correct;
        }
        (state.attempts > 0).then_some(state)
    }
}

/// The core's verdict on an answer to a step's self-check, decided from the content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckResult {
    /// Whether the answer given is the right one.
    pub correct: bool,
    /// The right answer.
    pub answer: String,
    /// Why it is right, as the path explains it.
    pub explain: Option<String>,
    /// Every answer to this question so far, this one included.
    pub state: CheckState,
}

/// A path's content version: a hash of its title and of its steps (refs, order, notes, minutes
/// and self-checks), as 16 hex digits. Completions record it, so a certificate says which
/// version of the path was completed.
pub fn path_version(doc: &Document) -> String {
    let steps = doc.path_fields().map(|p| p.steps.as_slice()).unwrap_or_default();
    let canonical = serde_json::json!({ "id": doc.id, "title": doc.title, "steps": steps });
    format!("{:016x}", fnv1a64(canonical.to_string().as_bytes()))
}

/// Where a step stands for the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum StepStatus {
    /// Marked as done.
    Done,
    /// Where the person goes on (where they left off, or the first step not done).
    Current,
    /// Not done, and added to the path after the person started it.
    New,
    /// Not done yet.
    Todo,
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
    /// Done, current, new or to do (done wins over new; current over new).
    pub status: StepStatus,
    /// The person's answers to the step's self-check (`None`: not answered, or no self-check).
    pub check_state: Option<CheckState>,
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
        let (progress, attempts, completions) = {
            let store = self.store()?;
            (store.path_progress(id, &refs)?, store.checkpoint_attempts(id)?, store.path_completions(id)?)
        };
        let minutes = fields
            .steps
            .iter()
            .map(|s| s.minutes.unwrap_or_else(|| catalog.get(&s.target).map_or(0, |d| d.reading_minutes())))
            .sum();
        let next = progress
            .as_ref()
            .and_then(|p| p.next_step().map(str::to_string))
            .or_else(|| if progress.is_none() { refs.first().map(|r| (*r).to_string()) } else { None });
        let steps: Vec<PathStepView> = fields
            .steps
            .iter()
            .map(|s| {
                let state = progress.as_ref().and_then(|p| p.steps.iter().find(|st| st.step_ref == s.target));
                let is_new = progress.as_ref().is_some_and(|p| p.added_since_start.contains(&s.target));
                let status = if state.is_some_and(|st| st.is_done()) {
                    StepStatus::Done
                } else if next.as_deref() == Some(s.target.as_str()) {
                    StepStatus::Current
                } else if is_new {
                    StepStatus::New
                } else {
                    StepStatus::Todo
                };
                PathStepView {
                    step: s.clone(),
                    doc: catalog.get(&s.target).map(DocRef::of),
                    done_at: state.and_then(|st| st.done_at),
                    is_new,
                    status,
                    check_state: s
                        .check
                        .as_ref()
                        .and_then(|_| CheckState::of(attempts.iter().filter(|a| a.step_ref == s.target))),
                }
            })
            .collect();
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
            completed_at: completions.last().map(|c| c.completed_at),
            content_version: path_version(doc),
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
        let view = self.path_progress(path)?;
        if done && view.card.complete {
            self.record_completion(path, &view.card.content_version)?;
            return self.path_progress(path);
        }
        Ok(view)
    }

    /// Records a completion of `path` at `version` unless one is recorded for that version
    /// already: marking the last step done again, or twice, records nothing new. Returns whether
    /// a completion was recorded.
    fn record_completion(&self, path: &str, version: &str) -> Result<bool, Error> {
        let mut store = self.store()?;
        if store.path_completions(path)?.iter().any(|c| c.content_version == version) {
            return Ok(false);
        }
        store.record_path_completion(path, version)?;
        Ok(true)
    }

    /// Records an answer to the self-check of `step` in `path` and says whether it is right. The
    /// core decides from the content (the answer must be one of the question's options, as
    /// text); the path is started if it was not.
    pub fn answer_check(&self, path: &str, step: &str, answer: &str) -> Result<CheckResult, Error> {
        let refs = self.step_refs(path, step)?;
        let catalog = self.catalog();
        let check = catalog
            .get(path)
            .and_then(|d| d.path_fields())
            .and_then(|p| p.steps.iter().find(|s| s.target == step))
            .and_then(|s| s.check.clone())
            .ok_or_else(|| Error::Invalid(format!("the step `{step}` of `{path}` has no self-check question")))?;
        if !check.options.iter().any(|o| o == answer) {
            return Err(Error::Invalid(format!(
                "“{}” is not one of the options of the question “{}”",
                answer.chars().take(200).collect::<String>(),
                check.question
            )));
        }
        let correct = answer == check.answer;
        let attempts = {
            let mut store = self.store()?;
            store.start_path(path, &refs)?;
            store.record_checkpoint_attempt(path, step, answer, correct)?;
            store.checkpoint_attempts(path)?
        };
        let state = CheckState::of(attempts.iter().filter(|a| a.step_ref == step)).ok_or_else(|| Error::Damaged {
            message: format!("the answer to `{step}` of `{path}` was not recorded by the personal store"),
            hint: "try again; if it keeps failing, export your personal data (Settings) and check the store"
                .to_string(),
        })?;
        Ok(CheckResult { correct, answer: check.answer, explain: check.explain, state })
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
