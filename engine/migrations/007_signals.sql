-- Cadence schema, version 7: buying signals, the rules that turn them into
-- enrollments, and the proposals waiting for the rep.

-- Something that happened to a person (email) or a company (domain only).
CREATE TABLE signals (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,              -- job_change | new_role | funding | ... | custom
    email       TEXT,                       -- normalised; NULL for a company signal
    domain      TEXT NOT NULL,
    text        TEXT NOT NULL,              -- one line a rep could quote
    source      TEXT NOT NULL,
    happened_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    origin      TEXT NOT NULL,              -- "cli" or the file it came in
    fingerprint TEXT NOT NULL UNIQUE        -- kind, who, day and text: the same signal twice is refused
) STRICT;
CREATE INDEX signals_domain ON signals(domain);

-- "A signal of this kind -> this sequence": one rule per kind.
CREATE TABLE signal_rules (
    kind          TEXT PRIMARY KEY,
    sequence      TEXT NOT NULL,            -- slug; the newest version is used
    enroll        INTEGER NOT NULL,         -- 1: enroll directly; 0: propose
    cooldown_days INTEGER NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE proposals (
    id            INTEGER PRIMARY KEY,
    signal_id     INTEGER NOT NULL REFERENCES signals(id),
    prospect_id   INTEGER NOT NULL REFERENCES prospects(id),
    sequence      TEXT NOT NULL,
    state         TEXT NOT NULL,            -- open | accepted | dismissed
    enrollment_id INTEGER REFERENCES enrollments(id),
    created_at    INTEGER NOT NULL,
    decided_at    INTEGER,
    UNIQUE (signal_id, prospect_id)
) STRICT;
CREATE INDEX proposals_open ON proposals(created_at) WHERE state = 'open';
CREATE INDEX proposals_prospect ON proposals(prospect_id, created_at);

-- The signal an enrollment was made from (NULL: enrolled by hand).
ALTER TABLE enrollments ADD COLUMN signal_id INTEGER REFERENCES signals(id);
CREATE INDEX enrollments_signal ON enrollments(signal_id) WHERE signal_id IS NOT NULL;
