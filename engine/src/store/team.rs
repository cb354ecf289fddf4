//! The team: its settings row, the outbox of ops for the server, and the
//! cursor into the server's feed.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{secs, ts};
use crate::error::Result;

/// The team settings (JSON), if this desktop is on a team.
pub fn settings(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = 'team'", [], |r| r.get(0)).optional()?)
}

pub fn set_settings(conn: &Connection, value: Option<&str>) -> Result<()> {
    match value {
        Some(v) => conn
            .execute("INSERT INTO settings (key, value) VALUES ('team', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [v])?,
        None => conn.execute("DELETE FROM settings WHERE key = 'team'", [])?,
    };
    Ok(())
}

/// An op waiting for the server.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub id: i64,
    pub uid: Option<String>,
    pub kind: String,
    pub body: String,
    pub attempts: i64,
}

pub fn pending(conn: &Connection, limit: usize) -> Result<Vec<Pending>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, uid, kind, body, attempts FROM team_outbox WHERE acked_at IS NULL ORDER BY id LIMIT ?1")?;
    let rows = stmt.query_map([limit as i64], |r| {
        Ok(Pending { id: r.get(0)?, uid: r.get(1)?, kind: r.get(2)?, body: r.get(3)?, attempts: r.get(4)? })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count_pending(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM team_outbox WHERE acked_at IS NULL", [], |r| r.get::<_, i64>(0))? as u64)
}

pub fn set_uid(conn: &Connection, id: i64, uid: &str) -> Result<()> {
    conn.prepare_cached("UPDATE team_outbox SET uid = ?2 WHERE id = ?1 AND uid IS NULL")?.execute(params![id, uid])?;
    Ok(())
}

pub fn ack(conn: &Connection, id: i64, result: &str, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE team_outbox SET acked_at = ?2, result = ?3, attempts = attempts + 1, last_error = NULL WHERE id = ?1")?
        .execute(params![id, secs(now), result])?;
    Ok(())
}

pub fn failed(conn: &Connection, id: i64, error: &str) -> Result<()> {
    conn.prepare_cached("UPDATE team_outbox SET attempts = attempts + 1, last_error = ?2 WHERE id = ?1")?.execute(params![id, error])?;
    Ok(())
}

/// The last reason an op could not be pushed, if the newest attempt failed.
pub fn last_error(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT last_error FROM team_outbox WHERE acked_at IS NULL AND last_error IS NOT NULL ORDER BY id LIMIT 1", [], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Every entry this desktop listed itself, as ops (when it joins a team, so
/// the team learns what it knew).
pub fn enqueue_local_list(conn: &Connection) -> Result<usize> {
    Ok(conn.execute(
        "INSERT INTO team_outbox (kind, body, created_at)
         SELECT 'dnc_add', json_object('entry', email, 'reason', reason), added_at FROM do_not_contact WHERE origin = 'local'",
        [],
    )?)
}

/// Ops not yet pushed are dropped when the desktop leaves its team.
pub fn drop_pending(conn: &Connection) -> Result<usize> {
    Ok(conn.execute("DELETE FROM team_outbox WHERE acked_at IS NULL", [])?)
}

/// The feed position read so far and when the server was last heard from.
pub fn cursor(conn: &Connection) -> Result<(i64, Option<DateTime<Utc>>)> {
    Ok(conn
        .query_row("SELECT position, synced_at FROM team_cursor WHERE stream = 'feed'", [], |r| {
            Ok((r.get(0)?, r.get::<_, Option<i64>>(1)?.map(ts)))
        })
        .optional()?
        .unwrap_or((0, None)))
}

pub fn set_cursor(conn: &Connection, position: i64, synced_at: Option<DateTime<Utc>>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO team_cursor (stream, position, synced_at) VALUES ('feed', ?1, ?2)
         ON CONFLICT (stream) DO UPDATE SET position = excluded.position, synced_at = coalesce(excluded.synced_at, team_cursor.synced_at)",
    )?
    .execute(params![position, synced_at.map(secs)])?;
    Ok(())
}

/// Adds an entry pulled from the team (marked so it is not pushed back).
/// False when the list had it already.
pub fn add_team_entry(conn: &Connection, entry: &str, reason: &str, now: DateTime<Utc>) -> Result<bool> {
    Ok(conn
        .prepare_cached("INSERT OR IGNORE INTO do_not_contact (email, reason, added_at, origin) VALUES (?1, ?2, ?3, 'team')")?
        .execute(params![entry, reason, secs(now)])?
        > 0)
}

/// Takes off an entry that came from the team (one listed here stays).
pub fn remove_team_entry(conn: &Connection, entry: &str) -> Result<bool> {
    Ok(conn.prepare_cached("DELETE FROM do_not_contact WHERE email = ?1 AND origin = 'team'")?.execute([entry])? > 0)
}
