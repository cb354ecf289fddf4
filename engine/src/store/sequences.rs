//! Sequence versions. A sequence's source is stored whole, and a changed file
//! becomes a new version, so every enrollment keeps the exact steps it had.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::secs;
use crate::domain::SequenceVersionId;
use crate::error::Result;

#[derive(Debug, Clone)]
pub struct StoredSequence {
    pub id: SequenceVersionId,
    pub slug: String,
    pub version: i64,
    pub name: String,
    pub source: String,
    pub builtin: bool,
    /// Published by the team's manager (read-only here).
    pub team: bool,
}

const COLUMNS: &str = "id, slug, version, name, source, builtin, origin = 'team'";

fn from_row(r: &rusqlite::Row) -> rusqlite::Result<StoredSequence> {
    Ok(StoredSequence {
        id: r.get(0)?,
        slug: r.get(1)?,
        version: r.get(2)?,
        name: r.get(3)?,
        source: r.get(4)?,
        builtin: r.get(5)?,
        team: r.get(6)?,
    })
}

/// Stores `source` as the newest version of `slug` unless it is already that.
pub fn upsert(conn: &Connection, slug: &str, name: &str, source: &str, builtin: bool, now: DateTime<Utc>) -> Result<StoredSequence> {
    if let Some(latest) = latest(conn, slug)? {
        if latest.source == source {
            return Ok(latest);
        }
    }
    conn.execute(
        "INSERT INTO sequences (slug, version, name, source, builtin, created_at)
         VALUES (?1, COALESCE((SELECT max(version) FROM sequences WHERE slug = ?1), 0) + 1, ?2, ?3, ?4, ?5)",
        params![slug, name, source, builtin, secs(now)],
    )?;
    let id = conn.last_insert_rowid();
    Ok(get(conn, id)?.expect("row just inserted"))
}

pub fn latest(conn: &Connection, slug: &str) -> Result<Option<StoredSequence>> {
    let sql = format!("SELECT {COLUMNS} FROM sequences WHERE slug = ?1 AND retired_at IS NULL ORDER BY version DESC LIMIT 1");
    Ok(conn.query_row(&sql, [slug], from_row).optional()?)
}

pub fn get(conn: &Connection, id: SequenceVersionId) -> Result<Option<StoredSequence>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM sequences WHERE id = ?1"))?;
    Ok(stmt.query_row([id], from_row).optional()?)
}

/// The newest version of each sequence.
pub fn list_latest(conn: &Connection) -> Result<Vec<StoredSequence>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM sequences s WHERE retired_at IS NULL
         AND version = (SELECT max(version) FROM sequences t WHERE t.slug = s.slug AND t.retired_at IS NULL) ORDER BY slug"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Enrollments per state across all versions of `slug`.
pub fn enrollment_counts(conn: &Connection, slug: &str) -> Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT e.state, count(*) FROM enrollments e JOIN sequences s ON s.id = e.sequence_id WHERE s.slug = ?1 GROUP BY e.state ORDER BY e.state",
    )?;
    let rows = stmt.query_map([slug], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Per step of a sequence (every version): enrollments waiting at it, touches
/// worked (done or approved), skipped, and enrollments that left there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StepCount {
    pub waiting: i64,
    pub done: i64,
    pub skipped: i64,
    pub exited: i64,
}

pub fn step_counts(conn: &Connection, slug: &str, steps: usize) -> Result<Vec<StepCount>> {
    let mut out = vec![StepCount::default(); steps];
    let mut stmt = conn.prepare(
        "SELECT t.step, sum(t.state IN ('done', 'approved')), sum(t.state = 'skipped') FROM touches t \
         JOIN enrollments e ON e.id = t.enrollment_id JOIN sequences s ON s.id = e.sequence_id \
         WHERE s.slug = ?1 GROUP BY t.step",
    )?;
    let rows = stmt.query_map([slug], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))?;
    for row in rows {
        let (step, done, skipped) = row?;
        if let Some(c) = out.get_mut(step as usize) {
            c.done = done;
            c.skipped = skipped;
        }
    }
    let mut stmt = conn.prepare(
        "SELECT e.step, sum(e.state IN ('active', 'paused')), sum(e.state = 'exited') FROM enrollments e \
         JOIN sequences s ON s.id = e.sequence_id WHERE s.slug = ?1 GROUP BY e.step",
    )?;
    let rows = stmt.query_map([slug], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, i64>(2)?)))?;
    for row in rows {
        let (step, waiting, exited) = row?;
        if let Some(c) = out.get_mut(step as usize) {
            c.waiting = waiting;
            c.exited = exited;
        }
    }
    Ok(out)
}

/// (version id, name) of every stored version.
pub fn list_all_names(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare("SELECT id, name FROM sequences")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Every version of `slug`, oldest first.
pub fn versions(conn: &Connection, slug: &str) -> Result<Vec<StoredSequence>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM sequences WHERE slug = ?1 ORDER BY version"))?;
    let rows = stmt.query_map([slug], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stores a version the team published, with its own number. False when the
/// slug is this desktop's own sequence (or that version is here already).
pub fn insert_team(
    conn: &Connection,
    slug: &str,
    version: i64,
    name: &str,
    source: &str,
    sha256: &str,
    now: DateTime<Utc>,
) -> Result<bool> {
    let own: bool = conn.query_row("SELECT EXISTS (SELECT 1 FROM sequences WHERE slug = ?1 AND origin = 'local')", [slug], |r| r.get(0))?;
    if own {
        return Ok(false);
    }
    Ok(conn.execute(
        "INSERT OR IGNORE INTO sequences (slug, version, name, source, builtin, created_at, origin, sha256) VALUES (?1, ?2, ?3, ?4, 0, ?5, 'team', ?6)",
        params![slug, version, name, source, secs(now), sha256],
    )? > 0)
}

pub fn retire(conn: &Connection, slug: &str, version: i64, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn.execute(
        "UPDATE sequences SET retired_at = ?3 WHERE slug = ?1 AND version = ?2 AND origin = 'team' AND retired_at IS NULL",
        params![slug, version, secs(now)],
    )? > 0)
}

/// Whether `slug` is a team sequence here.
pub fn is_team(conn: &Connection, slug: &str) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM sequences WHERE slug = ?1 AND origin = 'team')", [slug], |r| r.get(0))?)
}

/// The newest team version of `slug` this desktop has (retired or not), 0 if none.
pub fn team_version(conn: &Connection, slug: &str) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(version), 0) FROM sequences WHERE slug = ?1 AND origin = 'team'", [slug], |r| r.get(0))?)
}
