//! Training-path progress, self-check attempts and completions.

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, params};
use serde::{Deserialize, Serialize};

use crate::{MAX_TEXT_BYTES, Store, StoreError, Timestamp, check_id, check_text, ts};

/// A path the person has started, as stored (no comparison with the content).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathRun {
    /// The path id.
    pub path_id: String,
    /// When the person started it.
    pub started_at: Timestamp,
    /// When its progress last changed.
    pub updated_at: Timestamp,
    /// The step refs the path had when it was started, in order.
    pub steps_at_start: Vec<String>,
    /// Where the person left off, if recorded.
    pub current_step: Option<String>,
    /// How many step refs are marked done (including refs no longer in the path).
    pub done_count: usize,
}

/// One step of a path as it is now, with the person's state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepState {
    /// The step ref (a document id).
    pub step_ref: String,
    /// When the person marked it done; `None` when not done.
    pub done_at: Option<Timestamp>,
}

impl StepState {
    /// Whether the step is done.
    pub fn is_done(&self) -> bool {
        self.done_at.is_some()
    }
}

/// A person's progress on a path, measured against the path's current list of steps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathProgress {
    /// The path id.
    pub path_id: String,
    /// When the person started the path.
    pub started_at: Timestamp,
    /// When the progress last changed.
    pub updated_at: Timestamp,
    /// Every step the path has now, in the path's order, each with its state.
    pub steps: Vec<StepState>,
    /// Steps the person marked done that are no longer in the path: reported, never dropped.
    /// Oldest first.
    pub removed_done_steps: Vec<StepState>,
    /// Where the person left off, if recorded (it may no longer be in the path, see
    /// [`PathProgress::current_step_removed`]).
    pub current_step: Option<String>,
    /// Whether [`PathProgress::current_step`] names a step that is no longer in the path.
    pub current_step_removed: bool,
    /// Whether the path's steps (their refs or their order) differ from when the person started.
    pub changed_since_start: bool,
    /// Steps in the path now that it did not have when the person started.
    pub added_since_start: Vec<String>,
    /// Steps the path had when the person started that it no longer has (done or not).
    pub removed_since_start: Vec<String>,
}

impl PathProgress {
    /// How many of the path's current steps are done.
    pub fn done_count(&self) -> usize {
        self.steps.iter().filter(|s| s.is_done()).count()
    }

    /// Whether the path has steps and all of them are done.
    pub fn is_complete(&self) -> bool {
        !self.steps.is_empty() && self.steps.iter().all(StepState::is_done)
    }

    /// Where to go on: the current step if it is still in the path and not done, else the first
    /// step not done.
    pub fn next_step(&self) -> Option<&str> {
        let current = self.current_step.as_deref().filter(|_| !self.current_step_removed);
        if let Some(c) = current.filter(|c| self.steps.iter().any(|s| s.step_ref == *c && !s.is_done())) {
            return Some(c);
        }
        self.steps.iter().find(|s| !s.is_done()).map(|s| s.step_ref.as_str())
    }
}

/// One answer to a step's self-check question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckpointAttempt {
    /// The path id.
    pub path_id: String,
    /// The step ref whose question was answered.
    pub step_ref: String,
    /// The option the person chose, as text.
    pub answer: String,
    /// Whether it was the right answer.
    pub correct: bool,
    /// When.
    pub at: Timestamp,
}

/// A completion of a path.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathCompletion {
    /// The path id.
    pub path_id: String,
    /// When the person completed it.
    pub completed_at: Timestamp,
    /// The content version (a hash or tag chosen by the caller) the path was completed against.
    pub content_version: String,
}

fn steps_json<S: AsRef<str>>(steps: &[S]) -> String {
    serde_json::Value::Array(steps.iter().map(|s| serde_json::Value::String(s.as_ref().to_string())).collect())
        .to_string()
}

pub(crate) fn parse_steps(json: &str) -> Result<Vec<String>, StoreError> {
    serde_json::from_str(json).map_err(|_| StoreError::InvalidStoredValue {
        column: "path_runs.steps_at_start",
        value: json.chars().take(200).collect(),
    })
}

impl Store {
    /// Starts a path: records the time and the path's current steps (to detect later edits).
    /// Starting a path already started changes nothing; returns whether it was newly started.
    pub fn start_path<S: AsRef<str>>(&mut self, path_id: &str, steps: &[S]) -> Result<bool, StoreError> {
        check_id("path id", path_id)?;
        for s in steps {
            check_id("step ref", s.as_ref())?;
        }
        let now = self.now().as_millis();
        let json = steps_json(steps);
        self.write(|tx| {
            let n = tx.execute(
                "INSERT INTO path_runs (path_id, started_at, steps_at_start, updated_at) VALUES (?1, ?2, ?3, ?2)
                 ON CONFLICT (path_id) DO NOTHING",
                params![path_id, now, json],
            )?;
            Ok(n == 1)
        })
    }

    /// Forgets a started path: its run and done steps (attempts and completions are history and
    /// stay). Returns whether it had been started.
    pub fn reset_path(&mut self, path_id: &str) -> Result<bool, StoreError> {
        self.write(|tx| Ok(tx.execute("DELETE FROM path_runs WHERE path_id = ?1", [path_id])? == 1))
    }

    /// Marks a step done (the first time counts: marking it again keeps the original time).
    pub fn mark_step_done(&mut self, path_id: &str, step_ref: &str) -> Result<(), StoreError> {
        check_id("step ref", step_ref)?;
        let now = self.now().as_millis();
        self.write(|tx| {
            touch_run(tx, path_id, now)?;
            tx.execute(
                "INSERT INTO step_progress (path_id, step_ref, done_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (path_id, step_ref) DO NOTHING",
                params![path_id, step_ref, now],
            )?;
            Ok(())
        })
    }

    /// Marks a step not done. Returns whether it had been done.
    pub fn mark_step_not_done(&mut self, path_id: &str, step_ref: &str) -> Result<bool, StoreError> {
        let now = self.now().as_millis();
        self.write(|tx| {
            touch_run(tx, path_id, now)?;
            let n =
                tx.execute("DELETE FROM step_progress WHERE path_id = ?1 AND step_ref = ?2", [path_id, step_ref])?;
            Ok(n == 1)
        })
    }

    /// Records where the person left off (`None` clears it).
    pub fn set_current_step(&mut self, path_id: &str, step_ref: Option<&str>) -> Result<(), StoreError> {
        if let Some(s) = step_ref {
            check_id("step ref", s)?;
        }
        let now = self.now().as_millis();
        self.write(|tx| {
            touch_run(tx, path_id, now)?;
            tx.execute("UPDATE path_runs SET current_step = ?2 WHERE path_id = ?1", params![path_id, step_ref])?;
            Ok(())
        })
    }

    /// Every started path, most recently active first.
    pub fn started_paths(&self) -> Result<Vec<PathRun>, StoreError> {
        let mut stmt = self.conn.prepare(
            "SELECT r.path_id, r.started_at, r.updated_at, r.steps_at_start, r.current_step,
                    (SELECT count(*) FROM step_progress s WHERE s.path_id = r.path_id)
             FROM path_runs r ORDER BY r.updated_at DESC, r.path_id",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((r.get::<_, String>(0)?, ts(r, 1)?, ts(r, 2)?, r.get::<_, String>(3)?, r.get(4)?, r.get::<_, i64>(5)?))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (path_id, started_at, updated_at, steps, current_step, done) = row?;
            out.push(PathRun {
                path_id,
                started_at,
                updated_at,
                steps_at_start: parse_steps(&steps)?,
                current_step,
                done_count: usize::try_from(done).unwrap_or(0),
            });
        }
        Ok(out)
    }

    /// The person's progress on `path_id` measured against the path's steps as they are now
    /// (`current_steps`, the refs in order); `None` if the path was never started.
    ///
    /// A step keeps its state for as long as its ref stays in the path, whatever its position;
    /// steps done but no longer in the path come back in
    /// [`PathProgress::removed_done_steps`].
    pub fn path_progress<S: AsRef<str>>(
        &self,
        path_id: &str,
        current_steps: &[S],
    ) -> Result<Option<PathProgress>, StoreError> {
        let tx = self.read_snapshot()?;
        let run = tx
            .query_row(
                "SELECT started_at, updated_at, steps_at_start, current_step FROM path_runs WHERE path_id = ?1",
                [path_id],
                |r| Ok((ts(r, 0)?, ts(r, 1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?)),
            )
            .optional()?;
        let Some((started_at, updated_at, steps_json, current_step)) = run else {
            return Ok(None);
        };
        let mut done: Vec<(String, Timestamp)> = {
            let mut stmt = tx
                .prepare("SELECT step_ref, done_at FROM step_progress WHERE path_id = ?1 ORDER BY done_at, step_ref")?;
            stmt.query_map([path_id], |r| Ok((r.get(0)?, ts(r, 1)?)))?.collect::<Result<_, _>>()?
        };
        drop(tx);
        let at_start = parse_steps(&steps_json)?;

        let now: Vec<&str> = current_steps.iter().map(AsRef::as_ref).collect();
        let now_set: HashSet<&str> = now.iter().copied().collect();
        let start_set: HashSet<&str> = at_start.iter().map(String::as_str).collect();
        let done_map: HashMap<&str, Timestamp> = done.iter().map(|(s, t)| (s.as_str(), *t)).collect();

        let steps =
            now.iter().map(|s| StepState { step_ref: (*s).to_string(), done_at: done_map.get(s).copied() }).collect();
        let current_step_removed = current_step.as_deref().is_some_and(|c| !now_set.contains(c));
        let changed_since_start = at_start.iter().map(String::as_str).ne(now.iter().copied());
        let added_since_start = now.iter().filter(|s| !start_set.contains(*s)).map(|s| (*s).to_string()).collect();
        let removed_since_start = at_start.iter().filter(|s| !now_set.contains(s.as_str())).cloned().collect();
        done.retain(|(s, _)| !now_set.contains(s.as_str()));
        let removed_done_steps =
            done.into_iter().map(|(step_ref, t)| StepState { step_ref, done_at: Some(t) }).collect();

        Ok(Some(PathProgress {
            path_id: path_id.to_string(),
            started_at,
            updated_at,
            steps,
            removed_done_steps,
            current_step,
            current_step_removed,
            changed_since_start,
            added_since_start,
            removed_since_start,
        }))
    }

    /// Records an answer to a step's self-check question.
    pub fn record_checkpoint_attempt(
        &mut self,
        path_id: &str,
        step_ref: &str,
        answer: &str,
        correct: bool,
    ) -> Result<(), StoreError> {
        check_id("path id", path_id)?;
        check_id("step ref", step_ref)?;
        // Options are free text from the content (they may span lines): only the length is capped.
        if answer.len() > MAX_TEXT_BYTES {
            return Err(StoreError::InvalidInput {
                field: "answer",
                problem: crate::InputProblem::TooLong { max: MAX_TEXT_BYTES },
            });
        }
        let now = self.now().as_millis();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO checkpoint_attempts (path_id, step_ref, answer, correct, at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![path_id, step_ref, answer, correct, now],
            )?;
            Ok(())
        })
    }

    /// Every self-check answer given on `path_id`, oldest first.
    pub fn checkpoint_attempts(&self, path_id: &str) -> Result<Vec<CheckpointAttempt>, StoreError> {
        query_attempts(&self.conn, Some(path_id))
    }

    /// Records that the person completed `path_id` against `content_version`.
    pub fn record_path_completion(&mut self, path_id: &str, content_version: &str) -> Result<(), StoreError> {
        check_id("path id", path_id)?;
        check_text("content version", content_version, MAX_TEXT_BYTES, true)?;
        let now = self.now().as_millis();
        self.write(|tx| {
            tx.execute(
                "INSERT INTO path_completions (path_id, completed_at, content_version) VALUES (?1, ?2, ?3)",
                params![path_id, now, content_version],
            )?;
            Ok(())
        })
    }

    /// Every completion of `path_id`, oldest first.
    pub fn path_completions(&self, path_id: &str) -> Result<Vec<PathCompletion>, StoreError> {
        query_completions(&self.conn, Some(path_id))
    }
}

/// Bumps the run's `updated_at`; the run must exist.
fn touch_run(tx: &rusqlite::Transaction<'_>, path_id: &str, now: i64) -> Result<(), StoreError> {
    let n = tx.execute("UPDATE path_runs SET updated_at = ?2 WHERE path_id = ?1", params![path_id, now])?;
    if n == 0 {
        return Err(StoreError::PathNotStarted { path_id: path_id.to_string() });
    }
    Ok(())
}

pub(crate) fn query_attempts(
    conn: &rusqlite::Connection,
    path_id: Option<&str>,
) -> Result<Vec<CheckpointAttempt>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT path_id, step_ref, answer, correct, at FROM checkpoint_attempts
         WHERE ?1 IS NULL OR path_id = ?1 ORDER BY at, id",
    )?;
    let rows = stmt.query_map([path_id], |r| {
        Ok(CheckpointAttempt {
            path_id: r.get(0)?,
            step_ref: r.get(1)?,
            answer: r.get(2)?,
            correct: r.get(3)?,
            at: ts(r, 4)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

pub(crate) fn query_completions(
    conn: &rusqlite::Connection,
    path_id: Option<&str>,
) -> Result<Vec<PathCompletion>, StoreError> {
    let mut stmt = conn.prepare(
        "SELECT path_id, completed_at, content_version FROM path_completions
         WHERE ?1 IS NULL OR path_id = ?1 ORDER BY completed_at, id",
    )?;
    let rows = stmt.query_map([path_id], |r| {
        Ok(PathCompletion { path_id: r.get(0)?, completed_at: ts(r, 1)?, content_version: r.get(2)? })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
