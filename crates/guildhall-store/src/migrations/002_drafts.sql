-- Guildhall personal store, schema version 2: drafts of the editor.
-- A draft is one document being written or edited before it is proposed for review. Autosaves
-- replace the row in one transaction, so an acknowledged save survives a crash.
-- `doc` is the id of the published document being edited (NULL for a new one); `revise` the id
-- of the author's proposal this draft revises (NULL for a new proposal).
CREATE TABLE drafts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    path       TEXT NOT NULL,
    doc        TEXT,
    revise     TEXT,
    title      TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL DEFAULT '',
    content    TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) STRICT;

CREATE INDEX drafts_by_update ON drafts (updated_at DESC, id DESC);
