//! The reads behind the results: counts of logged events per sequence
//! version, step, variant and label, the rows about mail read back, and the
//! activity log for export. Everything here reads the activity log only.

use chrono::{DateTime, Utc};
use rusqlite::{params_from_iter, Connection, Row};

use super::{secs, ts};
use crate::domain::{EnrollmentId, SequenceVersionId};
use crate::error::Result;

/// Kinds counted straight from the log (one row, one event).
pub const COUNTED: &[&str] = &["call_logged", "email_sent", "enrolled", "exited", "finished", "reinstated", "touch_done", "touch_skipped"];
/// Kinds about mail read back and meetings, settled per enrollment in Rust.
const SETTLED: &[&str] = &["classification_corrected", "mail_received", "meeting_booked", "reply_tagged"];

/// A half-open span of time; `None` ends are open.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl Span {
    fn bounds(&self) -> (i64, i64) {
        (self.from.map_or(i64::MIN, secs), self.to.map_or(i64::MAX, secs))
    }

    pub fn contains(&self, t: DateTime<Utc>) -> bool {
        self.from.is_none_or(|f| t >= f) && self.to.is_none_or(|e| t < e)
    }
}

/// How many `kind` events (with `label`) happened at `step`, `variant`.
#[derive(Debug, Clone, PartialEq)]
pub struct Tally {
    pub sequence_id: SequenceVersionId,
    pub kind: String,
    pub step: Option<usize>,
    pub variant: Option<usize>,
    pub label: Option<String>,
    pub count: u64,
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// One walk of the `activity_results` index, in its order: no sort.
pub fn tallies(conn: &Connection, versions: &[SequenceVersionId], span: Span) -> Result<Vec<Tally>> {
    let (from, to) = span.bounds();
    let sql = format!(
        "SELECT sequence_id, kind, step, variant, label, count(*) FROM activity
         WHERE sequence_id IN ({}) AND kind IN ({}) AND at >= ? AND at < ?
         GROUP BY sequence_id, kind, step, variant, label",
        placeholders(versions.len()),
        placeholders(COUNTED.len())
    );
    let mut args: Vec<rusqlite::types::Value> = versions.iter().map(|v| (*v).into()).collect();
    args.extend(COUNTED.iter().map(|k| rusqlite::types::Value::Text(k.to_string())));
    args.extend([from.into(), to.into()]);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| {
        Ok(Tally {
            sequence_id: r.get(0)?,
            kind: r.get(1)?,
            step: r.get::<_, Option<i64>>(2)?.map(|s| s as usize),
            variant: r.get::<_, Option<i64>>(3)?.map(|v| v as usize),
            label: r.get(4)?,
            count: r.get::<_, i64>(5)? as u64,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A logged event about a message read back, a tag or a meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub sequence_id: SequenceVersionId,
    pub enrollment_id: Option<EnrollmentId>,
    pub step: Option<usize>,
    pub variant: Option<usize>,
    pub label: Option<String>,
    /// The message concerned, when there is one.
    pub inbound: Option<i64>,
    pub hard: Option<bool>,
}

fn event(r: &Row) -> rusqlite::Result<Event> {
    Ok(Event {
        id: r.get(0)?,
        at: ts(r.get(1)?),
        kind: r.get(2)?,
        sequence_id: r.get(3)?,
        enrollment_id: r.get(4)?,
        step: r.get::<_, Option<i64>>(5)?.map(|s| s as usize),
        variant: r.get::<_, Option<i64>>(6)?.map(|v| v as usize),
        label: r.get(7)?,
        inbound: r.get(8)?,
        hard: r.get(9)?,
    })
}

/// Every event about mail and meetings for these versions, whenever logged (a
/// correction or a tag may come after the period the message falls in), plus
/// meetings booked on calls. Oldest first.
pub fn events(conn: &Connection, versions: &[SequenceVersionId]) -> Result<Vec<Event>> {
    let sql = format!(
        "SELECT id, at, kind, sequence_id, enrollment_id, step, variant, label, json_extract(data, '$.inbound'), json_extract(data, '$.hard')
         FROM activity WHERE sequence_id IN ({}) AND (kind IN ({}) OR (kind = 'call_logged' AND label = 'meeting_booked'))
         ORDER BY id",
        placeholders(versions.len()),
        placeholders(SETTLED.len())
    );
    let mut args: Vec<rusqlite::types::Value> = versions.iter().map(|v| (*v).into()).collect();
    args.extend(SETTLED.iter().map(|k| rusqlite::types::Value::Text(k.to_string())));
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), event)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Emails sent per day, days counted from `origin` (the rep's midnight).
pub fn sent_per_day(conn: &Connection, versions: &[SequenceVersionId], span: Span, origin: DateTime<Utc>) -> Result<Vec<(i64, u64)>> {
    let (from, to) = span.bounds();
    let sql = format!(
        "SELECT (at - ?) / 86400 AS day, count(*) FROM activity
         WHERE sequence_id IN ({}) AND kind = 'email_sent' AND at >= ? AND at < ? GROUP BY day ORDER BY day",
        placeholders(versions.len())
    );
    let mut args: Vec<rusqlite::types::Value> = vec![secs(origin).into()];
    args.extend(versions.iter().map(|v| rusqlite::types::Value::from(*v)));
    args.extend([from.into(), to.into()]);
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The rep's own day: touches worked and emails sent since `since`, by kind.
pub fn worked_since(conn: &Connection, since: DateTime<Utc>) -> Result<Vec<(String, u64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, count(*) FROM activity WHERE at >= ?1
         AND kind IN ('email_approved', 'call_logged', 'touch_done', 'touch_skipped', 'email_sent') GROUP BY kind",
    )?;
    let rows = stmt.query_map([secs(since)], |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Messages now counted as replies that arrived since `since`.
pub fn replies_since(conn: &Connection, since: DateTime<Utc>) -> Result<u64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM inbound WHERE kind = 'reply' AND received_at >= ?1")?
        .query_row([secs(since)], |r| r.get::<_, i64>(0))? as u64)
}

/// One row of the activity log as exported: who and which sequence, by name.
#[derive(Debug, Clone)]
pub struct ExportRow {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub sequence_id: Option<SequenceVersionId>,
    pub sequence: Option<String>,
    pub version: Option<i64>,
    pub step: Option<usize>,
    pub variant: Option<usize>,
    pub label: Option<String>,
    pub data: String,
}

/// Walks the log in order for `span`, optionally for one sequence's versions.
pub fn export(conn: &Connection, span: Span, versions: Option<&[SequenceVersionId]>, mut each: impl FnMut(ExportRow) -> Result<()>) -> Result<()> {
    let (from, to) = span.bounds();
    let only = versions.map_or(String::new(), |v| format!(" AND a.sequence_id IN ({})", placeholders(v.len())));
    let sql = format!(
        "SELECT a.id, a.at, a.kind, p.email, p.first_name, p.last_name, p.company, s.slug, s.version, a.step, a.variant, a.label, a.data, a.sequence_id
         FROM activity a LEFT JOIN prospects p ON p.id = a.prospect_id LEFT JOIN sequences s ON s.id = a.sequence_id
         WHERE a.at >= ? AND a.at < ?{only} ORDER BY a.at, a.id"
    );
    let mut args: Vec<rusqlite::types::Value> = vec![from.into(), to.into()];
    args.extend(versions.unwrap_or_default().iter().map(|v| rusqlite::types::Value::from(*v)));
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query(params_from_iter(args))?;
    while let Some(r) = rows.next()? {
        each(ExportRow {
            id: r.get(0)?,
            at: ts(r.get(1)?),
            kind: r.get(2)?,
            email: r.get(3)?,
            first_name: r.get(4)?,
            last_name: r.get(5)?,
            company: r.get(6)?,
            sequence: r.get(7)?,
            version: r.get(8)?,
            step: r.get::<_, Option<i64>>(9)?.map(|s| s as usize),
            variant: r.get::<_, Option<i64>>(10)?.map(|v| v as usize),
            label: r.get(11)?,
            data: r.get(12)?,
            sequence_id: r.get(13)?,
        })?;
    }
    Ok(())
}

