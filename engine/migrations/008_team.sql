-- Cadence schema, version 8: the team. Off until the rep joins a team (the
-- settings row `team`); then every local change to the do-not-contact list
-- writes an op into the outbox in the same transaction (triggers: no call
-- site can forget), and entries pulled from the team are marked so they are
-- not sent back.
CREATE TABLE team_outbox (
    id         INTEGER PRIMARY KEY,
    uid        TEXT UNIQUE,                     -- UUIDv7, fixed before the first push
    kind       TEXT NOT NULL,                   -- dnc_add | dnc_remove
    body       TEXT NOT NULL,                   -- JSON
    created_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    acked_at   INTEGER,
    result     TEXT
) STRICT;
CREATE INDEX team_outbox_pending ON team_outbox(id) WHERE acked_at IS NULL;

-- How far this desktop has read the team's feed, and when it last heard
-- from the server (the freshness of its copy of the team's list).
CREATE TABLE team_cursor (
    stream    TEXT PRIMARY KEY,                 -- feed
    position  INTEGER NOT NULL,
    synced_at INTEGER
) STRICT;

ALTER TABLE do_not_contact ADD COLUMN origin TEXT NOT NULL DEFAULT 'local';   -- local | team

CREATE TRIGGER team_dnc_added AFTER INSERT ON do_not_contact
WHEN NEW.origin = 'local' AND EXISTS (SELECT 1 FROM settings WHERE key = 'team')
BEGIN
    INSERT INTO team_outbox (kind, body, created_at) VALUES ('dnc_add', json_object('entry', NEW.email, 'reason', NEW.reason), NEW.added_at);
END;

CREATE TRIGGER team_dnc_removed AFTER DELETE ON do_not_contact
WHEN OLD.origin = 'local' AND EXISTS (SELECT 1 FROM settings WHERE key = 'team')
BEGIN
    INSERT INTO team_outbox (kind, body, created_at) VALUES ('dnc_remove', json_object('entry', OLD.email), unixepoch());
END;
