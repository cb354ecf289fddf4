-- Cadence schema, version 1. Never edit a migration that has shipped: add a new one.
-- Instants are UTC Unix seconds (INTEGER). Text enums are the engine's `as_str` values.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE imports (
    id       INTEGER PRIMARY KEY,
    file     TEXT NOT NULL,
    at       INTEGER NOT NULL,
    imported INTEGER NOT NULL DEFAULT 0,
    updated  INTEGER NOT NULL DEFAULT 0,
    skipped  INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE prospects (
    id             INTEGER PRIMARY KEY,
    email          TEXT NOT NULL UNIQUE,        -- normalised: trimmed, lower-case
    first_name     TEXT,
    last_name      TEXT,
    company        TEXT,
    title          TEXT,
    phone          TEXT,
    linkedin       TEXT,
    city           TEXT,
    state          TEXT,
    country        TEXT,
    timezone       TEXT,                        -- IANA name, NULL when unknown
    tz_source      TEXT NOT NULL,               -- file | location | phone | unknown
    domain         TEXT NOT NULL,
    tags           TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
    extra          TEXT NOT NULL DEFAULT '{}',  -- JSON object: custom CSV columns
    last_import_id INTEGER REFERENCES imports(id),
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX prospects_domain ON prospects(domain);
CREATE INDEX prospects_import ON prospects(last_import_id);

CREATE TABLE do_not_contact (
    email    TEXT PRIMARY KEY,
    reason   TEXT NOT NULL,
    added_at INTEGER NOT NULL
) STRICT;

-- Every version of every sequence a prospect was ever enrolled in is kept.
CREATE TABLE sequences (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL,
    version    INTEGER NOT NULL,
    name       TEXT NOT NULL,
    source     TEXT NOT NULL,                   -- the TOML file as loaded
    builtin    INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    UNIQUE (slug, version)
) STRICT;

CREATE TABLE enrollments (
    id          INTEGER PRIMARY KEY,
    prospect_id INTEGER NOT NULL REFERENCES prospects(id),
    sequence_id INTEGER NOT NULL REFERENCES sequences(id),
    state       TEXT NOT NULL,                  -- active | paused | exited | finished
    exit_reason TEXT,
    step        INTEGER NOT NULL,               -- index of the step now pending
    enrolled_at INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX enrollments_prospect ON enrollments(prospect_id, state);
CREATE INDEX enrollments_sequence ON enrollments(sequence_id, state);

CREATE TABLE touches (
    id            INTEGER PRIMARY KEY,
    enrollment_id INTEGER NOT NULL REFERENCES enrollments(id),
    prospect_id   INTEGER NOT NULL REFERENCES prospects(id),
    step          INTEGER NOT NULL,
    channel       TEXT NOT NULL,
    state         TEXT NOT NULL,                -- pending | held | approved | done | skipped | cancelled
    due_at        INTEGER NOT NULL,
    closes_at     INTEGER NOT NULL,             -- end of the window the due time falls in
    variant       INTEGER NOT NULL DEFAULT 0,
    subject       TEXT,                         -- approved email, as it will be sent
    body          TEXT,
    outcome       TEXT,
    notes         TEXT,
    duration_s    INTEGER,
    completed_at  INTEGER,
    created_at    INTEGER NOT NULL
) STRICT;
-- The daily queue reads pending touches by due time, by window close, and
-- counts them per channel.
CREATE INDEX touches_queue_due ON touches(due_at) WHERE state = 'pending';
CREATE INDEX touches_queue_channel ON touches(channel, due_at) WHERE state = 'pending';
CREATE INDEX touches_queue_closes ON touches(closes_at, due_at) WHERE state = 'pending';
CREATE INDEX touches_enrollment ON touches(enrollment_id, step);
CREATE INDEX touches_prospect ON touches(prospect_id);
CREATE INDEX touches_state ON touches(state) WHERE state IN ('approved', 'held');

-- Append-only: history and results are rebuilt from it.
CREATE TABLE activity (
    id            INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    prospect_id   INTEGER REFERENCES prospects(id),
    enrollment_id INTEGER REFERENCES enrollments(id),
    touch_id      INTEGER REFERENCES touches(id),
    sequence_id   INTEGER REFERENCES sequences(id),
    step          INTEGER,
    data          TEXT NOT NULL DEFAULT '{}'    -- JSON object
) STRICT;
CREATE INDEX activity_prospect ON activity(prospect_id, at);
CREATE INDEX activity_sequence ON activity(sequence_id, kind, at);

CREATE TRIGGER activity_is_append_only_update BEFORE UPDATE ON activity
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
CREATE TRIGGER activity_is_append_only_delete BEFORE DELETE ON activity
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;
