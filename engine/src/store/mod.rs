//! SQLite storage. The only module that writes SQL. Functions take a
//! `&Connection` (a `Transaction` derefs to one), so callers decide what is
//! atomic.

pub mod activity;
pub mod enrollments;
pub mod inbound;
pub mod prospects;
pub mod queue;
pub mod results;
pub mod sends;
pub mod sequences;
pub mod settings;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::{DateTime, TimeZone, Utc};
use rusqlite::Connection;
use rusqlite_migration::{Migrations, M};

use crate::error::{Error, Result};

static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    Migrations::new(vec![
        M::up(include_str!("../../migrations/001_init.sql")),
        M::up(include_str!("../../migrations/002_mailbox.sql")),
        M::up(include_str!("../../migrations/003_results.sql")),
    ])
});

/// Opens (creating if needed) the database at `path` and brings it to the
/// latest schema. WAL, foreign keys on, a busy timeout for a second process.
pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })?;
    }
    let mut conn = Connection::open(path)?;
    prepare(&mut conn)?;
    Ok(conn)
}

pub fn open_in_memory() -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    prepare(&mut conn)?;
    Ok(conn)
}

fn prepare(conn: &mut Connection) -> Result<()> {
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    MIGRATIONS.to_latest(conn)?;
    Ok(())
}

/// Where the database lives when no path is given: the OS data directory.
pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("app", "Cadence", "Cadence")
        .map(|d| d.data_dir().join("cadence.db"))
        .unwrap_or_else(|| PathBuf::from("cadence.db"))
}

/// The schema as SQLite reports it, for the snapshot test.
#[cfg(test)]
fn schema(conn: &Connection) -> Result<String> {
    let mut stmt = conn.prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY type DESC, name")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = String::new();
    for sql in rows {
        out.push_str(&sql?);
        out.push_str(";\n");
    }
    Ok(out)
}

pub(crate) fn secs(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

pub(crate) fn ts(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        MIGRATIONS.validate().unwrap();
    }

    #[test]
    fn migrated_schema_snapshot() {
        let conn = open_in_memory().unwrap();
        insta::assert_snapshot!(schema(&conn).unwrap());
    }

    #[test]
    fn activity_log_is_append_only() {
        let conn = open_in_memory().unwrap();
        conn.execute("INSERT INTO activity (at, kind) VALUES (1, ?1)", [crate::activity::ActivityKind::Paused]).unwrap();
        let upd = conn.execute("UPDATE activity SET kind = ?1", [crate::activity::ActivityKind::Resumed]);
        let del = conn.execute("DELETE FROM activity", []);
        assert!(upd.unwrap_err().to_string().contains("append-only"));
        assert!(del.unwrap_err().to_string().contains("append-only"));
    }
}
