//! SQLite storage. The only module that writes SQL. Functions take a
//! `&Connection` (a `Transaction` derefs to one), so callers decide what is
//! atomic.

pub mod activity;
pub mod enrollments;
pub mod file;
pub mod inbound;
pub mod prospects;
pub mod queue;
pub mod refusals;
pub mod results;
pub mod rows;
pub mod sends;
pub mod sequences;
pub mod settings;
pub mod signals;
pub mod team;

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
        M::up(include_str!("../../migrations/004_meta.sql")),
        M::up(include_str!("../../migrations/005_inbox.sql")),
        M::up(include_str!("../../migrations/006_undo.sql")),
        M::up(include_str!("../../migrations/007_signals.sql")),
        M::up(include_str!("../../migrations/008_team.sql")),
        M::up(include_str!("../../migrations/009_team_sequences.sql")),
    ])
});

/// The schema version this Cadence writes: one per migration above.
pub const SCHEMA: usize = 9;

/// Opens (creating if needed) the database at `path` and brings it to the
/// latest schema. WAL, foreign keys on, a busy timeout for a second process.
///
/// The files are the rep's alone. On Unix a directory Cadence creates is
/// 0700, and the database is 0600 before SQLite opens it: a new one is
/// created empty with that mode (exclusively), an existing one is narrowed
/// to it. SQLite gives the -wal and -shm files it creates the database
/// file's mode, so they are 0600 too; ones left from an earlier run are
/// narrowed as well. (Changing the process umask instead would race with
/// other threads creating files.)
///
/// An existing file is checked first, read-only (`file::inspect`): a
/// damaged one, or one from a newer Cadence, is refused before anything
/// writes to it.
pub fn open(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        create_private_dir(dir)?;
    }
    if std::fs::metadata(path).is_ok_and(|m| m.len() > 0) {
        file::inspect(path)?;
    }
    make_private(path)?;
    let mut conn = Connection::open(path)?;
    prepare(&mut conn)?;
    Ok(conn)
}

/// Creates `dir` and any missing parents, 0700 on Unix. A directory that
/// already exists is left as it is.
pub fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|source| Error::Io { path: dir.to_path_buf(), source })
}

/// The database file (created empty if missing) and any -wal/-shm beside it
/// readable and writable by the owner only.
#[cfg(unix)]
fn make_private(path: &Path) -> Result<()> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    match std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path) {
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
        Err(source) => return Err(Error::Io { path: path.to_path_buf(), source }),
    }
    let mut sidecars = vec![path.to_path_buf()];
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut s = path.as_os_str().to_owned();
        s.push(suffix);
        sidecars.push(s.into());
    }
    for p in sidecars {
        // symlink_metadata: a symlink is not followed (or changed).
        let Ok(meta) = std::fs::symlink_metadata(&p) else { continue };
        if meta.is_file() && meta.permissions().mode() & 0o077 != 0 {
            // Best effort: a file the rep cannot chmod (another owner, a
            // read-only mount) still opens as before.
            let _ = std::fs::set_permissions(&p, std::fs::Permissions::from_mode(meta.permissions().mode() & 0o600));
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn make_private(_path: &Path) -> Result<()> {
    Ok(())
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
    file::record_version(conn)?;
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
        let conn = open_in_memory().unwrap();
        let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        assert_eq!(version as usize, SCHEMA, "SCHEMA names the last migration");
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
