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

-- Figures per sequence version, step, variant and label, for a period: one
-- walk of this index, in order, with no sorting.
DROP INDEX activity_sequence;
CREATE INDEX activity_results ON activity(sequence_id, kind, step, variant, label, at);
-- The rep's own day and the activity export read by time.
CREATE INDEX activity_at ON activity(at);

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
