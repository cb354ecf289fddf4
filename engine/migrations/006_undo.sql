-- Cadence schema, version 6: undo. The log stays append-only: an undone
-- action is logged as a reversal of each row it logged, a row of the same
-- kind naming the row it takes back. Figures count a reversal as minus one.
ALTER TABLE activity ADD COLUMN undoes INTEGER;                -- the id of the row taken back

DROP TRIGGER activity_counted_by_day;
CREATE TRIGGER activity_counted_by_day AFTER INSERT ON activity
WHEN NEW.sequence_id IS NOT NULL AND NEW.kind IN ('call_logged', 'email_sent', 'enrolled', 'exited', 'finished', 'reinstated', 'touch_done', 'touch_skipped')
BEGIN
    INSERT OR IGNORE INTO activity_days VALUES (NEW.sequence_id, NEW.kind, coalesce(NEW.step, -1), coalesce(NEW.variant, -1), coalesce(NEW.label, ''), NEW.at / 86400, 0);
    UPDATE activity_days SET n = n + iif(NEW.undoes IS NULL, 1, -1)
        WHERE sequence_id = NEW.sequence_id AND kind = NEW.kind AND step = coalesce(NEW.step, -1) AND variant = coalesce(NEW.variant, -1)
          AND label = coalesce(NEW.label, '') AND day = NEW.at / 86400;
END;

-- Whether a row was taken back.
CREATE INDEX activity_undoes ON activity(undoes) WHERE undoes IS NOT NULL;

-- Undoing a worked touch deletes the next touch it created; the foreign key
-- from the log to touches is checked on that delete, through this index
-- (without it, a scan of the whole log for each touch).
CREATE INDEX activity_touch ON activity(touch_id);
