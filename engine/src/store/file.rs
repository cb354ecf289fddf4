//! The database as a file: its health before Cadence writes to it, online
//! backups, and restoring one. A file is looked at through a read-only
//! connection first, so a damaged file or one from a newer Cadence is never
//! written to (not even by the checkpoint a read-write connection runs when
//! it closes).

use std::path::Path;
use std::time::Duration;

use rusqlite::backup::Backup;
use rusqlite::{Connection, OpenFlags};

use super::{MIGRATIONS, SCHEMA};
use crate::error::{Error, Result};

/// What a database file holds, read without writing to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileInfo {
    /// The schema version (`PRAGMA user_version`; one per migration).
    pub schema: usize,
    /// The Cadence that last opened it, when it says.
    pub written_by: Option<String>,
    pub prospects: i64,
}

/// This Cadence's version, recorded in every database it opens.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

fn read_only(path: &Path) -> Result<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(path, flags).map_err(|e| damaged(path, e))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    Ok(conn)
}

/// SQLite's "not a database" and "malformed" are damage; anything else
/// (busy, no permission) is a plain storage error.
fn damaged(path: &Path, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) => {
            Error::Damaged { path: path.to_path_buf(), detail: e.to_string() }
        }
        _ => Error::Store(e),
    }
}

/// Checks the file at `path` (SQLite's `quick_check`, the schema version)
/// without writing to it. A damaged file is `Error::Damaged`; one from a
/// newer Cadence is `Error::TooNew`, naming the version.
pub fn inspect(path: &Path) -> Result<FileInfo> {
    let conn = read_only(path)?;
    let problems: Vec<String> = (|| {
        let mut stmt = conn.prepare("PRAGMA quick_check(5)")?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
    })()
    .map_err(|e| damaged(path, e))?;
    if problems != ["ok"] {
        // SQLite's findings, less its "*** in database main ***" headings.
        let found: Vec<&str> = problems.iter().flat_map(|p| p.lines()).filter(|l| !l.starts_with("***") && !l.trim().is_empty()).collect();
        return Err(Error::Damaged { path: path.to_path_buf(), detail: format!("SQLite's check found: {}", found.join("; ")) });
    }
    let schema: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).map_err(|e| damaged(path, e))?;
    let schema = usize::try_from(schema).unwrap_or(usize::MAX);
    let written_by: Option<String> = conn.query_row("SELECT value FROM meta WHERE key = 'written_by'", [], |r| r.get(0)).ok();
    if schema > SCHEMA {
        return Err(Error::TooNew { path: path.to_path_buf(), schema, supported: SCHEMA, written_by });
    }
    let prospects = conn.query_row("SELECT count(*) FROM prospects", [], |r| r.get(0)).unwrap_or(-1);
    Ok(FileInfo { schema, written_by, prospects })
}

/// Like [`inspect`], and the file must be a Cadence database (a backup to
/// restore from).
pub fn inspect_backup(path: &Path) -> Result<FileInfo> {
    if !path.is_file() {
        return Err(Error::Io { path: path.to_path_buf(), source: std::io::Error::from(std::io::ErrorKind::NotFound) });
    }
    let info = inspect(path)?;
    if info.schema == 0 || info.prospects < 0 {
        return Err(Error::Invalid(format!("{} is not a Cadence database", path.display())));
    }
    Ok(info)
}

/// Writes a consistent copy of the database at `source` to `dest` (which
/// must not exist) with SQLite's online backup API, in one step on a
/// read-only connection of its own: writers go on meanwhile (WAL), and the
/// copy is the database as of the moment it started. The copy is written
/// under a temporary name beside `dest`, readable by the owner only, synced,
/// and renamed into place: a crash never leaves a half backup under the real
/// name.
pub fn backup(source: &Path, dest: &Path) -> Result<u64> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Io { path, source }
    };
    if dest.exists() {
        return Err(Error::Conflict(format!("{} already exists", dest.display())));
    }
    let mut partial = dest.as_os_str().to_owned();
    partial.push(".partial");
    let partial = std::path::PathBuf::from(partial);
    let _ = std::fs::remove_file(&partial);
    create_private_file(&partial)?;
    let result = (|| {
        let src = read_only(source)?;
        {
            let mut dst = Connection::open(&partial)?;
            copy_all(&src, &mut dst)?;
            // A backup is one file: no -wal beside it.
            dst.pragma_update(None, "journal_mode", "DELETE")?;
        }
        std::fs::File::open(&partial).and_then(|f| f.sync_all()).map_err(io(&partial))?;
        std::fs::rename(&partial, dest).map_err(io(dest))?;
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            let _ = std::fs::File::open(dir).and_then(|d| d.sync_all());
        }
        std::fs::metadata(dest).map(|m| m.len()).map_err(io(dest))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// Every page of `src` into `dst` in one step (one read transaction on the
/// source, so the copy is consistent); a busy source is waited for, up to
/// the busy timeout.
fn copy_all(src: &Connection, dst: &mut Connection) -> Result<()> {
    use rusqlite::backup::StepResult;
    let backup = Backup::new(src, dst)?;
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        match backup.step(-1)? {
            StepResult::Done => return Ok(()),
            StepResult::More => {}
            StepResult::Busy | StepResult::Locked if std::time::Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(20));
            }
            _ => return Err(Error::Conflict("the database stayed busy; try the backup again".into())),
        }
    }
}

/// An empty file only the owner can read and write (0600 on Unix).
fn create_private_file(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop).map_err(|source| Error::Io { path: path.to_path_buf(), source })
}

/// Replaces everything in the open database `conn` with the backup at
/// `source` (which the caller checked with [`inspect_backup`]), through
/// SQLite's backup API, so that other connections to the file (the app
/// while the CLI restores) see the restored data on their next read; then
/// brings it to this schema.
pub fn restore(conn: &mut Connection, source: &Path) -> Result<()> {
    let src = read_only(source)?;
    copy_all(&src, conn)?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    MIGRATIONS.to_latest(conn)?;
    record_version(conn)?;
    Ok(())
}

/// Notes this Cadence's version in the file (when it differs).
pub fn record_version(conn: &Connection) -> Result<()> {
    let known: Option<String> = conn.query_row("SELECT value FROM meta WHERE key = 'written_by'", [], |r| r.get(0)).ok();
    if known.as_deref() != Some(VERSION) {
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('written_by', ?1)", [VERSION])?;
    }
    Ok(())
}
