-- Cadence schema, version 9: team sequences. A version published by the
-- team's manager arrives with its own number and cannot be edited here; a
-- retired version takes no new enrollments (running ones keep it).
ALTER TABLE sequences ADD COLUMN origin TEXT NOT NULL DEFAULT 'local';   -- local | team
ALTER TABLE sequences ADD COLUMN sha256 TEXT;                            -- a team version's checksum
ALTER TABLE sequences ADD COLUMN retired_at INTEGER;
