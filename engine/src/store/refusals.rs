//! What receivers said about the rep's own sending, and whether sending
//! from a mailbox is paused because of it.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension};

use super::{secs, ts};
use crate::domain::{ProspectId, TouchId};
use crate::error::Result;

/// One refusal, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub mailbox: String,
    pub reason: String,
    pub said: String,
    pub status: Option<String>,
    /// `bounce` or `smtp`.
    pub source: String,
    pub prospect_id: Option<ProspectId>,
    pub touch_id: Option<TouchId>,
    pub inbound_id: Option<i64>,
}

pub struct NewRefusal<'a> {
    pub mailbox: &'a str,
    pub reason: &'a str,
    pub said: &'a str,
    pub status: Option<&'a str>,
    pub source: &'a str,
    pub prospect_id: Option<ProspectId>,
    pub touch_id: Option<TouchId>,
    pub inbound_id: Option<i64>,
}

pub fn insert(conn: &Connection, r: &NewRefusal, at: DateTime<Utc>) -> Result<i64> {
    conn.execute(
        "INSERT INTO refusals (at, mailbox, reason, said, status, source, prospect_id, touch_id, inbound_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![secs(at), r.mailbox, r.reason, r.said, r.status, r.source, r.prospect_id, r.touch_id, r.inbound_id],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn delete(conn: &Connection, id: i64) -> Result<()> {
    conn.execute("DELETE FROM refusals WHERE id = ?1", [id])?;
    Ok(())
}

/// How many refusals of `mailbox` from `day_from` on that the rep has not
/// seen (their id is above `seen_id`).
pub fn count_counted(conn: &Connection, mailbox: &str, day_from: DateTime<Utc>, seen_id: i64) -> Result<u32> {
    Ok(conn.query_row(
        "SELECT count(*) FROM refusals WHERE mailbox = ?1 AND at >= ?2 AND id > ?3",
        params![mailbox, secs(day_from), seen_id],
        |r| r.get(0),
    )?)
}

/// The newest refusals of `mailbox` since `since`, newest first.
pub fn recent(conn: &Connection, mailbox: &str, since: DateTime<Utc>, limit: usize) -> Result<Vec<Refusal>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, at, mailbox, reason, said, status, source, prospect_id, touch_id, inbound_id FROM refusals
         WHERE mailbox = ?1 AND at >= ?2 ORDER BY at DESC, id DESC LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![mailbox, secs(since), limit as i64], |r| {
        Ok(Refusal {
            id: r.get(0)?,
            at: ts(r.get(1)?),
            mailbox: r.get(2)?,
            reason: r.get(3)?,
            said: r.get(4)?,
            status: r.get(5)?,
            source: r.get(6)?,
            prospect_id: r.get(7)?,
            touch_id: r.get(8)?,
            inbound_id: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sending from a mailbox: paused since when and why, and up to when the rep
/// has seen the refusals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SendingState {
    pub paused: Option<(DateTime<Utc>, String)>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// Refusals up to this id were seen when the rep resumed.
    pub seen_id: i64,
}

pub fn state(conn: &Connection, mailbox: &str) -> Result<SendingState> {
    Ok(conn
        .query_row("SELECT paused_at, paused_why, acknowledged_at, seen_id FROM sending_state WHERE mailbox = ?1", [mailbox], |r| {
            let paused: Option<i64> = r.get(0)?;
            let why: Option<String> = r.get(1)?;
            let ack: Option<i64> = r.get(2)?;
            Ok(SendingState { paused: paused.map(|a| (ts(a), why.unwrap_or_default())), acknowledged_at: ack.map(ts), seen_id: r.get(3)? })
        })
        .optional()?
        .unwrap_or_default())
}

pub fn pause(conn: &Connection, mailbox: &str, why: &str, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT INTO sending_state (mailbox, paused_at, paused_why) VALUES (?1, ?2, ?3)
         ON CONFLICT (mailbox) DO UPDATE SET paused_at = excluded.paused_at, paused_why = excluded.paused_why",
        params![mailbox, secs(now), why],
    )?;
    Ok(())
}

/// Sending goes on, and every refusal so far counts as seen.
pub fn resume(conn: &Connection, mailbox: &str, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "INSERT INTO sending_state (mailbox, acknowledged_at, seen_id)
         VALUES (?1, ?2, (SELECT coalesce(max(id), 0) FROM refusals WHERE mailbox = ?1))
         ON CONFLICT (mailbox) DO UPDATE SET paused_at = NULL, paused_why = NULL,
             acknowledged_at = excluded.acknowledged_at, seen_id = excluded.seen_id",
        params![mailbox, secs(now)],
    )?;
    Ok(())
}
