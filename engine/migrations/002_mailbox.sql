-- Cadence schema, version 2: the mailbox. Sending ledger, what was read back, and where reading stopped.

-- Every approved email, from approval until it is sent, fails for good or is cancelled.
-- The Message-ID is fixed before the first SMTP attempt and never changes, so a message
-- left in 'sending' by a crash can be looked up in the mailbox before any retry.
CREATE TABLE sends (
    touch_id    INTEGER PRIMARY KEY REFERENCES touches(id),
    state       TEXT NOT NULL,               -- queued | sending | sent | failed | held | cancelled
    message_id  TEXT UNIQUE,                 -- without <>; NULL until the first attempt
    attempts    INTEGER NOT NULL DEFAULT 0,
    not_before  INTEGER NOT NULL,            -- earliest next attempt: the send time or a retry
    started_at  INTEGER,                     -- when the latest attempt began
    sent_at     INTEGER,
    reason      TEXT,                        -- why it waits, is held or failed, as the rep reads it
    from_addr   TEXT,                        -- the sender used; a thread keeps its sender
    in_reply_to TEXT,                        -- the message this one answers (no <>)
    refs        TEXT NOT NULL DEFAULT '',    -- the References chain, space separated (no <>)
    updated_at  INTEGER NOT NULL
) STRICT;
CREATE INDEX sends_state ON sends(state, not_before);
CREATE INDEX sends_sent_at ON sends(sent_at) WHERE state = 'sent';

INSERT INTO sends (touch_id, state, not_before, updated_at)
    SELECT id, 'queued', due_at, created_at FROM touches WHERE state = 'approved' AND channel = 'email';

-- Mail read back from the rep's mailbox that concerns a prospect or a sent email.
-- Mail that concerns neither is not stored.
CREATE TABLE inbound (
    id          INTEGER PRIMARY KEY,
    folder      TEXT NOT NULL,
    uidvalidity INTEGER NOT NULL,
    uid         INTEGER NOT NULL,
    message_id  TEXT,
    from_addr   TEXT,
    subject     TEXT,
    received_at INTEGER NOT NULL,
    kind        TEXT NOT NULL,               -- reply | auto_reply | bounce | unsubscribe | other
    detail      TEXT NOT NULL DEFAULT '{}',  -- JSON: evidence, bounce fields, return date
    prospect_id INTEGER REFERENCES prospects(id),
    touch_id    INTEGER REFERENCES touches(id),  -- the sent email it answers, when known
    action      TEXT NOT NULL,               -- what Cadence did, in words
    corrected   INTEGER NOT NULL DEFAULT 0,  -- 1 when `kind` is the rep's correction
    UNIQUE (folder, uidvalidity, uid)
) STRICT;
CREATE INDEX inbound_message ON inbound(message_id);
CREATE INDEX inbound_prospect ON inbound(prospect_id, received_at);
CREATE INDEX inbound_received ON inbound(received_at);

-- Where reading stopped, per folder. A new UIDVALIDITY means the folder was rebuilt: read it again.
CREATE TABLE mail_folders (
    name        TEXT PRIMARY KEY,
    uidvalidity INTEGER NOT NULL,
    last_uid    INTEGER NOT NULL
) STRICT;

ALTER TABLE prospects ADD COLUMN email_status TEXT NOT NULL DEFAULT 'ok';  -- ok | soft_bounced | invalid
ALTER TABLE enrollments ADD COLUMN resume_at INTEGER;                        -- paused by an out-of-office
CREATE INDEX enrollments_resume ON enrollments(resume_at) WHERE state = 'paused' AND resume_at IS NOT NULL;
