//! The send ledger: one row per approved email, from approval until it is
//! sent, fails for good or is cancelled.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{secs, ts};
use crate::domain::{ProspectId, TouchId};
use crate::error::Result;

crate::domain::str_enum!(
    /// Where an approved email is on its way out.
    SendState {
        Queued = "queued",
        Sending = "sending",
        Sent = "sent",
        Failed = "failed",
        Held = "held",
        Cancelled = "cancelled",
    }
);

#[derive(Debug, Clone, PartialEq)]
pub struct Send {
    pub touch_id: TouchId,
    pub state: SendState,
    pub message_id: Option<String>,
    pub attempts: u32,
    pub not_before: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
    pub from_addr: Option<String>,
    pub in_reply_to: Option<String>,
    pub refs: Vec<String>,
    pub prospect_id: ProspectId,
    pub enrollment_id: i64,
    pub step: usize,
    /// When the window the email is due in closes.
    pub closes_at: DateTime<Utc>,
    /// The A/B variant the email was drafted from.
    pub variant: usize,
}

const COLUMNS: &str = "s.touch_id, s.state, s.message_id, s.attempts, s.not_before, s.started_at, s.sent_at, s.reason, s.from_addr, s.in_reply_to, s.refs, t.prospect_id, t.enrollment_id, t.step, t.closes_at, t.variant";
const FROM: &str = "sends s JOIN touches t ON t.id = s.touch_id";

fn send(r: &Row) -> rusqlite::Result<Send> {
    Ok(Send {
        touch_id: r.get(0)?,
        state: SendState::parse(&r.get::<_, String>(1)?).unwrap_or(SendState::Failed),
        message_id: r.get(2)?,
        attempts: r.get(3)?,
        not_before: ts(r.get(4)?),
        started_at: r.get::<_, Option<i64>>(5)?.map(ts),
        sent_at: r.get::<_, Option<i64>>(6)?.map(ts),
        reason: r.get(7)?,
        from_addr: r.get(8)?,
        in_reply_to: r.get(9)?,
        refs: r.get::<_, String>(10)?.split_whitespace().map(str::to_string).collect(),
        prospect_id: r.get(11)?,
        enrollment_id: r.get(12)?,
        step: r.get::<_, i64>(13)? as usize,
        closes_at: ts(r.get(14)?),
        variant: r.get::<_, i64>(15)? as usize,
    })
}

pub fn queue(conn: &Connection, touch: TouchId, not_before: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("INSERT INTO sends (touch_id, state, not_before, updated_at) VALUES (?1, 'queued', ?2, ?3)")?.execute(params![
        touch,
        secs(not_before),
        secs(now)
    ])?;
    Ok(())
}

pub fn get(conn: &Connection, touch: TouchId) -> Result<Option<Send>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE s.touch_id = ?1"))?;
    Ok(stmt.query_row([touch], send).optional()?)
}

pub fn by_message_id(conn: &Connection, message_id: &str) -> Result<Option<Send>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE s.message_id = ?1"))?;
    Ok(stmt.query_row([message_id], send).optional()?)
}

/// Sends in `state`, earliest `not_before` first.
pub fn in_state(conn: &Connection, state: SendState, limit: usize) -> Result<Vec<Send>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM {FROM} WHERE s.state = ?1 ORDER BY s.not_before, s.touch_id LIMIT ?2"))?;
    let rows = stmt.query_map(params![state.as_str(), limit as i64], send)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Queued sends whose time has come, earliest first.
pub fn due(conn: &Connection, now: DateTime<Utc>, limit: usize) -> Result<Vec<Send>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE s.state = 'queued' AND s.not_before <= ?1 ORDER BY s.not_before, s.touch_id LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![secs(now), limit as i64], send)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The earliest time a queued send may go.
pub fn next_not_before(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let t: Option<i64> = conn.query_row("SELECT MIN(not_before) FROM sends WHERE state = 'queued'", [], |r| r.get(0))?;
    Ok(t.map(ts))
}

/// Every send of the enrollment that went out, oldest first (the thread).
pub fn sent_in_enrollment(conn: &Connection, enrollment: i64) -> Result<Vec<Send>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE t.enrollment_id = ?1 AND s.state = 'sent' ORDER BY s.sent_at, s.touch_id"
    ))?;
    let rows = stmt.query_map([enrollment], send)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sends of a prospect that have not gone yet (queued, held or failed).
/// The last email that went to a prospect before `before`: what a message
/// from them is counted against when it does not thread under one.
pub fn last_sent_to(conn: &Connection, prospect: ProspectId, before: DateTime<Utc>) -> Result<Option<TouchId>> {
    Ok(conn
        .prepare_cached("SELECT s.touch_id FROM sends s JOIN touches t ON t.id = s.touch_id WHERE t.prospect_id = ?1 AND s.state = 'sent' AND s.sent_at <= ?2 ORDER BY s.sent_at DESC, s.touch_id DESC LIMIT 1")?
        .query_row(params![prospect, secs(before)], |r| r.get(0))
        .optional()?)
}

/// Whether an email went to the prospect since `since`.
pub fn sent_to_since(conn: &Connection, prospect: ProspectId, since: DateTime<Utc>) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM sends s JOIN touches t ON t.id = s.touch_id WHERE t.prospect_id = ?1 AND s.state = 'sent' AND s.sent_at >= ?2",
        )?
        .exists(params![prospect, secs(since)])?)
}

/// Sends of an enrollment that have not gone yet (queued, held or failed).
pub fn unsent_for_enrollment(conn: &Connection, enrollment: i64) -> Result<Vec<Send>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE t.enrollment_id = ?1 AND s.state IN ('queued', 'held', 'failed') ORDER BY s.touch_id"
    ))?;
    let rows = stmt.query_map([enrollment], send)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// How many sends went out in `[from, to)`, and the latest one's time.
pub fn sent_between(conn: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<(u32, Option<DateTime<Utc>>)> {
    let (n, last): (u32, Option<i64>) = conn.query_row(
        "SELECT COUNT(*), MAX(sent_at) FROM sends WHERE state = 'sent' AND sent_at >= ?1 AND sent_at < ?2",
        [secs(from), secs(to)],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok((n, last.map(ts)))
}

pub fn last_sent_at(conn: &Connection) -> Result<Option<DateTime<Utc>>> {
    let t: Option<i64> = conn.query_row("SELECT MAX(sent_at) FROM sends WHERE state = 'sent'", [], |r| r.get(0))?;
    Ok(t.map(ts))
}

/// Starts an attempt: the message gets its Message-ID (kept from an earlier
/// attempt if it had one) and its thread headers, and is marked sending.
pub fn start(
    conn: &Connection,
    touch: TouchId,
    message_id: &str,
    from: &str,
    in_reply_to: Option<&str>,
    refs: &[String],
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE sends SET state = 'sending', message_id = COALESCE(message_id, ?2), from_addr = COALESCE(from_addr, ?3),
                in_reply_to = ?4, refs = ?5, attempts = attempts + 1, started_at = ?6, reason = NULL, updated_at = ?6
         WHERE touch_id = ?1",
    )?
    .execute(params![touch, message_id, from, in_reply_to, refs.join(" "), secs(now)])?;
    Ok(())
}

/// An attempt that does not count (the provider's sending limit refused it).
pub fn undo_attempt(conn: &Connection, touch: TouchId) -> Result<()> {
    conn.prepare_cached("UPDATE sends SET attempts = max(attempts - 1, 0) WHERE touch_id = ?1")?.execute(params![touch])?;
    Ok(())
}

pub fn mark_sent(conn: &Connection, touch: TouchId, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE sends SET state = 'sent', sent_at = ?2, reason = NULL, updated_at = ?3 WHERE touch_id = ?1")?
        .execute(params![touch, secs(at), secs(now)])?;
    Ok(())
}

/// Forgets a send that never went (an approval taken back).
pub fn delete(conn: &Connection, touch: TouchId) -> Result<()> {
    conn.execute("DELETE FROM sends WHERE touch_id = ?1 AND state IN ('queued', 'held', 'failed')", [touch])?;
    Ok(())
}

/// Moves a send to `state` with a reason and the time it may next go.
pub fn set_state(
    conn: &Connection,
    touch: TouchId,
    state: SendState,
    reason: Option<&str>,
    not_before: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<()> {
    conn.prepare_cached(
        "UPDATE sends SET state = ?2, reason = ?3, not_before = COALESCE(?4, not_before), updated_at = ?5 WHERE touch_id = ?1",
    )?
    .execute(params![touch, state.as_str(), reason, not_before.map(secs), secs(now)])?;
    Ok(())
}

/// An email back in the outbox (queued, or held) to go again; its touch is
/// approved work again until it goes.
pub fn back_to_outbox(
    conn: &Connection,
    touch: TouchId,
    state: SendState,
    reason: &str,
    not_before: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<()> {
    set_state(conn, touch, state, Some(reason), not_before, now)?;
    super::enrollments::set_touch_state(conn, touch, crate::domain::TouchState::Approved)
}

/// An email put back in the outbox by a bounce went after all (the rep
/// corrected the bounce): sent again, as long as it has not gone a second
/// time. Says whether it was put back.
pub fn sent_after_all(conn: &Connection, touch: TouchId, now: DateTime<Utc>) -> Result<bool> {
    let n = conn
        .prepare_cached(
            "UPDATE sends SET state = 'sent', reason = NULL, updated_at = ?2
             WHERE touch_id = ?1 AND state IN ('queued', 'held') AND sent_at IS NOT NULL",
        )?
        .execute(params![touch, secs(now)])?;
    if n > 0 {
        super::enrollments::set_touch_state(conn, touch, crate::domain::TouchState::Done)?;
    }
    Ok(n > 0)
}

/// Sends for the outbox views: everything not sent, or sent since `since`.
pub fn list(conn: &Connection, states: &[SendState], since: Option<DateTime<Utc>>, limit: usize) -> Result<Vec<Send>> {
    let wanted = states.iter().map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ");
    let order = if states == [SendState::Sent] { "s.sent_at DESC" } else { "s.not_before, s.touch_id" };
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM {FROM} WHERE s.state IN ({wanted}) AND (?1 IS NULL OR s.sent_at >= ?1) ORDER BY {order} LIMIT ?2"
    ))?;
    let rows = stmt.query_map(params![since.map(secs), limit as i64], send)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Queues again the held sends whose reason starts with `prefix` (their
/// touches go back to approved). Returns how many.
pub fn requeue_held(conn: &Connection, prefix: &str, why: &str, now: DateTime<Utc>) -> Result<usize> {
    let n = conn.execute(
        "UPDATE sends SET state = 'queued', reason = ?2, not_before = ?3, updated_at = ?3
         WHERE state = 'held' AND substr(reason, 1, length(?1)) = ?1",
        params![prefix, why, secs(now)],
    )?;
    Ok(n)
}
