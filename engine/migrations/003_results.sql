-- Cadence schema, version 3: results. Figures are computed from the activity
-- log; these columns let them be counted without reading each row's JSON.

-- The A/B variant a row concerns (emails), and the one word that sorts it:
-- a call's outcome, a task's channel, an exit's reason, a message's kind, a
-- reply's tag.
ALTER TABLE activity ADD COLUMN variant INTEGER;
ALTER TABLE activity ADD COLUMN label TEXT;

-- Filling the new columns for rows already logged is the one change ever made
-- to logged rows; it adds what the rows' JSON and touches already said.
DROP TRIGGER activity_is_append_only_update;
UPDATE activity SET label = json_extract(data, '$.outcome') WHERE kind = 'call_logged';
UPDATE activity SET label = json_extract(data, '$.channel') WHERE kind IN ('touch_done', 'touch_skipped');
UPDATE activity SET label = json_extract(data, '$.reason') WHERE kind = 'exited';
UPDATE activity SET label = json_extract(data, '$.kind') WHERE kind = 'mail_received';
UPDATE activity SET label = json_extract(data, '$.to') WHERE kind = 'classification_corrected';
UPDATE activity SET variant = (SELECT t.variant FROM touches t WHERE t.id = activity.touch_id)
    WHERE touch_id IS NOT NULL AND kind LIKE 'email_%';
-- Mail read back is attributed to the email it answers.
UPDATE activity SET
    enrollment_id = (SELECT t.enrollment_id FROM touches t WHERE t.id = activity.touch_id),
    step = (SELECT t.step FROM touches t WHERE t.id = activity.touch_id),
    variant = (SELECT t.variant FROM touches t WHERE t.id = activity.touch_id),
    sequence_id = (SELECT e.sequence_id FROM touches t JOIN enrollments e ON e.id = t.enrollment_id WHERE t.id = activity.touch_id)
    WHERE touch_id IS NOT NULL AND kind IN ('mail_received', 'classification_corrected') AND sequence_id IS NULL;
CREATE TRIGGER activity_is_append_only_update BEFORE UPDATE ON activity
BEGIN SELECT RAISE(ABORT, 'the activity log is append-only'); END;

-- Rows of one sequence by kind (and the rest, for a few lookups).
DROP INDEX activity_sequence;
CREATE INDEX activity_results ON activity(sequence_id, kind, step, variant, label, at);
-- Mail read back, tags and meetings, settled per enrollment: read straight
-- from this index, without visiting the table.
CREATE INDEX activity_settled ON activity(sequence_id, kind, id, at, enrollment_id, prospect_id, step, variant, label, data)
    WHERE kind IN ('classification_corrected', 'mail_received', 'meeting_booked', 'reply_tagged');
-- The rep's own day, the activity export and the edges of a period read by time.
CREATE INDEX activity_at ON activity(at);

-- The counted kinds per sequence version, step, variant, label and UTC day:
-- kept by a trigger in the same transaction as each logged row, so figures
-- for a period add up a few thousand rows instead of walking the log (the
-- partial days at a period's edges are read from the log itself). Derived
-- from the log alone; store::results::rebuild_days rebuilds it. -1 and ''
-- stand for none.
CREATE TABLE activity_days (
    sequence_id INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    step        INTEGER NOT NULL,
    variant     INTEGER NOT NULL,
    label       TEXT NOT NULL,
    day         INTEGER NOT NULL,            -- at / 86400
    n           INTEGER NOT NULL,
    PRIMARY KEY (sequence_id, kind, step, variant, label, day)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER activity_counted_by_day AFTER INSERT ON activity
WHEN NEW.sequence_id IS NOT NULL AND NEW.kind IN ('call_logged', 'email_sent', 'enrolled', 'exited', 'finished', 'reinstated', 'touch_done', 'touch_skipped')
BEGIN
    INSERT OR IGNORE INTO activity_days VALUES (NEW.sequence_id, NEW.kind, coalesce(NEW.step, -1), coalesce(NEW.variant, -1), coalesce(NEW.label, ''), NEW.at / 86400, 0);
    UPDATE activity_days SET n = n + 1
        WHERE sequence_id = NEW.sequence_id AND kind = NEW.kind AND step = coalesce(NEW.step, -1) AND variant = coalesce(NEW.variant, -1)
          AND label = coalesce(NEW.label, '') AND day = NEW.at / 86400;
END;

INSERT INTO activity_days
    SELECT sequence_id, kind, coalesce(step, -1), coalesce(variant, -1), coalesce(label, ''), at / 86400, count(*) FROM activity
    WHERE sequence_id IS NOT NULL AND kind IN ('call_logged', 'email_sent', 'enrolled', 'exited', 'finished', 'reinstated', 'touch_done', 'touch_skipped')
    GROUP BY 1, 2, 3, 4, 5, 6;

-- How the rep judged a reply: positive | neutral | negative (NULL: not yet).
ALTER TABLE inbound ADD COLUMN sentiment TEXT;

-- The next A/B variant to hand out per sequence version and step: variants go
-- round in turn, so each step's split stays even (within one) whatever else
-- is enrolled meanwhile.
CREATE TABLE variant_turns (
    sequence_id INTEGER NOT NULL REFERENCES sequences(id),
    step        INTEGER NOT NULL,
    next        INTEGER NOT NULL,
    PRIMARY KEY (sequence_id, step)
) STRICT;
