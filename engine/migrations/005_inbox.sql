-- Cadence schema, version 5: what receivers said about the rep's own sending.
-- A refusal is a bounce or an SMTP answer that blames the sender (policy,
-- reputation, SPF/DKIM/DMARC, reverse DNS, content, TLS, relaying). Enough of
-- them in a day pause sending from that mailbox until the rep resumes it.
CREATE TABLE refusals (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: sending_state.seen_id
    at          INTEGER NOT NULL,               -- unix seconds
    mailbox     TEXT NOT NULL,                  -- the sending address
    reason      TEXT NOT NULL,                  -- policy | reputation | authentication | ...
    said        TEXT NOT NULL,                  -- what the receiver said
    status      TEXT,                           -- 5.7.26, 550, ...
    source      TEXT NOT NULL,                  -- bounce | smtp
    prospect_id INTEGER REFERENCES prospects(id) ON DELETE SET NULL,
    touch_id    INTEGER,
    inbound_id  INTEGER
) STRICT;
CREATE INDEX refusals_by_time ON refusals(mailbox, at);

CREATE TABLE sending_state (
    mailbox         TEXT PRIMARY KEY,
    paused_at       INTEGER,                    -- sending paused since; NULL: sending
    paused_why      TEXT,
    acknowledged_at INTEGER,                    -- when the rep last resumed (or dismissed)
    seen_id         INTEGER NOT NULL DEFAULT 0  -- refusals up to this id were seen then
) STRICT;
