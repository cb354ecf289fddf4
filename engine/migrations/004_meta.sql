-- Cadence schema, version 4: which Cadence last opened this file, so that an
-- older Cadence that finds a newer schema can say which version made it.
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;
