-- Guildhall personal store, schema version 1.
-- One database file per hub, so no table has a hub column.
-- Times are milliseconds since the Unix epoch (UTC). Ids are the hub's document and path ids,
-- stored as given: the store never checks them against the content, so personal data outlives
-- content edits.

-- Key/value facts about the hub this file belongs to (`hub_name`, `content_path`), for export.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The one profile of the person using this hub. At most one row (id = 1); no row means defaults.
CREATE TABLE profile (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    display_name  TEXT NOT NULL DEFAULT '',
    role          TEXT CHECK (role IN ('citizen-developer', 'mentor', 'it-admin', 'data-steward', 'app-owner')),
    glossary_view TEXT NOT NULL DEFAULT 'plain' CHECK (glossary_view IN ('plain', 'technical')),
    theme         TEXT NOT NULL DEFAULT 'system' CHECK (theme IN ('system', 'light', 'dark')),
    language      TEXT
) STRICT;

-- A training path the person has started. `steps_at_start` is the JSON array of step refs the
-- path had when it was started, so that later content edits can be detected and reported.
CREATE TABLE path_runs (
    path_id        TEXT PRIMARY KEY,
    started_at     INTEGER NOT NULL,
    steps_at_start TEXT NOT NULL CHECK (json_valid(steps_at_start) AND json_type(steps_at_start) = 'array'),
    current_step   TEXT,
    updated_at     INTEGER NOT NULL
) STRICT;

-- Steps done, keyed by step ref (a document id), never by position: reordering the path keeps them.
CREATE TABLE step_progress (
    path_id  TEXT NOT NULL REFERENCES path_runs (path_id) ON DELETE CASCADE,
    step_ref TEXT NOT NULL,
    done_at  INTEGER NOT NULL,
    PRIMARY KEY (path_id, step_ref)
) STRICT, WITHOUT ROWID;

-- Every answer given to a step's self-check question.
CREATE TABLE checkpoint_attempts (
    id       INTEGER PRIMARY KEY,
    path_id  TEXT NOT NULL,
    step_ref TEXT NOT NULL,
    answer   TEXT NOT NULL,
    correct  INTEGER NOT NULL CHECK (correct IN (0, 1)),
    at       INTEGER NOT NULL
) STRICT;
CREATE INDEX checkpoint_attempts_by_step ON checkpoint_attempts (path_id, step_ref, at);

-- Each time a path was completed, with the content version it was completed against.
CREATE TABLE path_completions (
    id              INTEGER PRIMARY KEY,
    path_id         TEXT NOT NULL,
    completed_at    INTEGER NOT NULL,
    content_version TEXT NOT NULL
) STRICT;
CREATE INDEX path_completions_by_path ON path_completions (path_id, completed_at);

CREATE TABLE bookmarks (
    doc_id     TEXT PRIMARY KEY,
    created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- One personal note (Markdown text, never rendered by the store) per document.
CREATE TABLE notes (
    doc_id     TEXT PRIMARY KEY,
    body       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Recently viewed documents, bounded by the store (the most recent few hundred are kept).
CREATE TABLE recent_views (
    doc_id      TEXT PRIMARY KEY,
    last_viewed INTEGER NOT NULL,
    view_count  INTEGER NOT NULL CHECK (view_count >= 1)
) STRICT, WITHOUT ROWID;
CREATE INDEX recent_views_by_time ON recent_views (last_viewed);

-- What was searched for, and how many results it had: feeds the content-gap report.
-- `normalized` is the query trimmed, lowercased and with runs of whitespace made one space.
CREATE TABLE search_log (
    id           INTEGER PRIMARY KEY,
    query        TEXT NOT NULL,
    normalized   TEXT NOT NULL,
    result_count INTEGER NOT NULL CHECK (result_count >= 0),
    at           INTEGER NOT NULL
) STRICT;
CREATE INDEX search_log_by_time ON search_log (at);
CREATE INDEX search_log_zero_results ON search_log (normalized, at) WHERE result_count = 0;
