//! Mail read back from the mailbox, and where reading stopped per folder.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::Value;

use super::{secs, ts};
use crate::domain::{ProspectId, TouchId};
use crate::error::Result;

pub struct NewInbound<'a> {
    pub folder: &'a str,
    pub uidvalidity: u32,
    pub uid: u32,
    pub message_id: Option<&'a str>,
    pub from: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub received_at: DateTime<Utc>,
    pub kind: &'a str,
    pub prospect_id: Option<ProspectId>,
    pub touch_id: Option<TouchId>,
}

#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub message_id: Option<String>,
    pub from: Option<String>,
    pub subject: Option<String>,
    pub received_at: DateTime<Utc>,
    pub kind: String,
    pub detail: Value,
    pub prospect_id: Option<ProspectId>,
    pub touch_id: Option<TouchId>,
    pub action: String,
    pub corrected: bool,
    /// The rep's tag: positive, neutral or negative.
    pub sentiment: Option<String>,
}

const COLUMNS: &str = "id, message_id, from_addr, subject, received_at, kind, detail, prospect_id, touch_id, action, corrected, sentiment";

fn stored(r: &Row) -> rusqlite::Result<Stored> {
    Ok(Stored {
        id: r.get(0)?,
        message_id: r.get(1)?,
        from: r.get(2)?,
        subject: r.get(3)?,
        received_at: ts(r.get(4)?),
        kind: r.get(5)?,
        detail: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or(Value::Null),
        prospect_id: r.get(7)?,
        touch_id: r.get(8)?,
        action: r.get(9)?,
        corrected: r.get::<_, i64>(10)? != 0,
        sentiment: r.get(11)?,
    })
}

pub fn insert(conn: &Connection, m: &NewInbound, detail: &Value) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO inbound (folder, uidvalidity, uid, message_id, from_addr, subject, received_at, kind, detail, prospect_id, touch_id, action)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '')
         ON CONFLICT (folder, uidvalidity, uid) DO UPDATE SET kind = excluded.kind",
    )?
    .execute(params![m.folder, m.uidvalidity, m.uid, m.message_id, m.from, m.subject, secs(m.received_at), m.kind, detail.to_string(), m.prospect_id, m.touch_id])?;
    Ok(conn.query_row("SELECT id FROM inbound WHERE folder = ?1 AND uidvalidity = ?2 AND uid = ?3", params![m.folder, m.uidvalidity, m.uid], |r| r.get(0))?)
}

pub fn set_outcome(conn: &Connection, id: i64, kind: &str, action: &str, detail: &Value, corrected: bool) -> Result<()> {
    conn.prepare_cached("UPDATE inbound SET kind = ?2, action = ?3, detail = ?4, corrected = ?5 WHERE id = ?1")?
        .execute(params![id, kind, action, detail.to_string(), corrected as i64])?;
    Ok(())
}

pub fn set_sentiment(conn: &Connection, id: i64, sentiment: &str) -> Result<()> {
    conn.prepare_cached("UPDATE inbound SET sentiment = ?2 WHERE id = ?1")?.execute(params![id, sentiment])?;
    Ok(())
}

/// A message with this Message-ID was already taken (from another folder, or
/// before its folder's UIDVALIDITY changed).
pub fn seen(conn: &Connection, message_id: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM inbound WHERE message_id = ?1")?.exists([message_id])?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Stored>> {
    Ok(conn.prepare_cached(&format!("SELECT {COLUMNS} FROM inbound WHERE id = ?1"))?.query_row([id], stored).optional()?)
}

pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<Stored>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM inbound ORDER BY received_at DESC, id DESC LIMIT ?1"))?;
    let rows = stmt.query_map([limit as i64], stored)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn folder_mark(conn: &Connection, folder: &str) -> Result<Option<(u32, u32)>> {
    Ok(conn
        .prepare_cached("SELECT uidvalidity, last_uid FROM mail_folders WHERE name = ?1")?
        .query_row([folder], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn set_folder_mark(conn: &Connection, folder: &str, uidvalidity: u32, last_uid: u32) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO mail_folders (name, uidvalidity, last_uid) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid",
    )?
    .execute(params![folder, uidvalidity, last_uid])?;
    Ok(())
}
