//! The two reads behind the daily queue. Both run on the partial indexes over
//! pending touches, so they stay fast however much history there is.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, Row};

use super::{secs, ts};
use crate::domain::{Channel, EnrollmentId, ProspectId, SequenceVersionId, TouchId};
use crate::error::Result;

/// A pending touch with what the queue shows about it.
#[derive(Debug, Clone)]
pub struct QueueRow {
    pub touch_id: TouchId,
    pub enrollment_id: EnrollmentId,
    pub prospect_id: ProspectId,
    pub sequence_id: SequenceVersionId,
    pub step: usize,
    pub channel: Channel,
    pub due_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub email: String,
    pub company: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub linkedin: Option<String>,
    pub timezone: Option<String>,
    pub sequence_name: String,
}

fn select(index: &str) -> String {
    format!(
        "SELECT t.id, t.enrollment_id, t.prospect_id, e.sequence_id, t.step, t.channel, t.due_at, t.closes_at,
        p.first_name, p.last_name, p.email, p.company, p.title, p.phone, p.linkedin, p.timezone, s.name
    FROM touches t INDEXED BY {index}
    JOIN enrollments e ON e.id = t.enrollment_id
    JOIN prospects p ON p.id = t.prospect_id
    JOIN sequences s ON s.id = e.sequence_id"
    )
}

fn row(r: &Row) -> rusqlite::Result<QueueRow> {
    Ok(QueueRow {
        touch_id: r.get(0)?,
        enrollment_id: r.get(1)?,
        prospect_id: r.get(2)?,
        sequence_id: r.get(3)?,
        step: r.get::<_, i64>(4)? as usize,
        channel: Channel::parse(&r.get::<_, String>(5)?).unwrap_or(Channel::Task),
        due_at: ts(r.get(6)?),
        closes_at: ts(r.get(7)?),
        first_name: r.get(8)?,
        last_name: r.get(9)?,
        email: r.get(10)?,
        company: r.get(11)?,
        title: r.get(12)?,
        phone: r.get(13)?,
        linkedin: r.get(14)?,
        timezone: r.get(15)?,
        sequence_name: r.get(16)?,
    })
}

/// The queue's horizon: touches are in today's queue when due before the end
/// of the rep's day, and emails (touches that send themselves) also when they
/// send before the rep's next working session starts (so they can be approved
/// ahead of their window).
#[derive(Debug, Clone, Copy)]
pub struct Horizon {
    pub day_start: DateTime<Utc>,
    pub day_end: DateTime<Utc>,
    pub email_until: DateTime<Utc>,
}

/// `'email', ...`: the channels that go out by themselves, as an SQL list.
fn sending_itself() -> String {
    Channel::ALL.iter().filter(|c| c.sends_itself()).map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", ")
}

/// Pending touches in the queue, per channel: (channel, all, overdue). Two
/// range counts per channel on `touches_queue_channel`: no sort, no grouping.
pub fn counts(conn: &Connection, h: Horizon) -> Result<Vec<(Channel, usize, usize)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM touches INDEXED BY touches_queue_channel WHERE state = 'pending' AND channel = ?1 AND due_at < ?2",
    )?;
    let mut out = Vec::new();
    for &c in Channel::ALL {
        let until = if c.sends_itself() { h.email_until.max(h.day_end) } else { h.day_end };
        let all: i64 = stmt.query_row(params![c.as_str(), secs(until)], |r| r.get(0))?;
        if all > 0 {
            let overdue: i64 = stmt.query_row(params![c.as_str(), secs(h.day_start)], |r| r.get(0))?;
            out.push((c, all as usize, overdue as usize));
        }
    }
    Ok(out)
}

/// Pending touches due before `day_start` (overdue), oldest first.
pub fn overdue(conn: &Connection, day_start: DateTime<Utc>, limit: usize, channel: Option<Channel>) -> Result<Vec<QueueRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{} WHERE t.state = 'pending' AND t.due_at < ?1 AND (?3 IS NULL OR t.channel = ?3) ORDER BY t.due_at, t.id LIMIT ?2",
        select("touches_queue_due")
    ))?;
    let rows = stmt.query_map(params![secs(day_start), limit as i64, channel.map(Channel::as_str)], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Pending touches due from `day_start` within the horizon, by when their
/// window closes (a window closes at most a day after its due time).
pub fn due_today(conn: &Connection, h: Horizon, limit: usize, channel: Option<Channel>) -> Result<Vec<QueueRow>> {
    let mut stmt = conn.prepare_cached(&format!(
        "{} WHERE t.state = 'pending' AND t.closes_at >= ?1 AND t.closes_at < ?5 + 172800
           AND t.due_at >= ?1 AND t.due_at < ?5 AND (t.due_at < ?2 OR t.channel IN ({})) AND (?4 IS NULL OR t.channel = ?4)
         ORDER BY t.closes_at, t.due_at, t.id LIMIT ?3",
        select("touches_queue_closes"),
        sending_itself(),
    ))?;
    let until = h.email_until.max(h.day_end);
    let rows = stmt.query_map(params![secs(h.day_start), secs(h.day_end), limit as i64, channel.map(Channel::as_str), secs(until)], row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
