//! The append-only activity log (triggers refuse updates and deletes).

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection};

use super::{secs, ts};
use crate::activity::ActivityKind;
use crate::domain::{EnrollmentId, ProspectId, SequenceVersionId, TouchId};
use crate::error::Result;

#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: ActivityKind,
    pub prospect_id: Option<ProspectId>,
    pub enrollment_id: Option<EnrollmentId>,
    pub touch_id: Option<TouchId>,
    pub sequence_id: Option<SequenceVersionId>,
    pub step: Option<usize>,
    /// The A/B variant of the email concerned.
    pub variant: Option<usize>,
    /// The one word the figures sort by: outcome, channel, reason, kind or tag.
    pub label: Option<String>,
    pub data: serde_json::Value,
}

impl Entry {
    /// A row of `kind` about nothing in particular yet: fill in the rest with
    /// `Entry { prospect_id: ..., ..Entry::new(kind) }`.
    pub fn new(kind: ActivityKind) -> Entry {
        Entry {
            kind,
            prospect_id: None,
            enrollment_id: None,
            touch_id: None,
            sequence_id: None,
            step: None,
            variant: None,
            label: None,
            data: serde_json::Value::Null,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Logged {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kind: String,
    pub prospect_id: Option<ProspectId>,
    pub enrollment_id: Option<EnrollmentId>,
    pub touch_id: Option<TouchId>,
    pub sequence_id: Option<SequenceVersionId>,
    pub step: Option<usize>,
    pub variant: Option<usize>,
    pub label: Option<String>,
    pub data: serde_json::Value,
    /// The row this one takes back, when it is the reversal of an undone action.
    pub undoes: Option<i64>,
}

impl rusqlite::ToSql for ActivityKind {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        Ok(self.as_str().into())
    }
}

impl rusqlite::types::FromSql for ActivityKind {
    fn column_result(value: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<Self> {
        let text = value.as_str()?;
        ActivityKind::parse(text).ok_or_else(|| rusqlite::types::FromSqlError::Other(format!("unknown activity kind \"{text}\"").into()))
    }
}

pub fn append(conn: &Connection, at: DateTime<Utc>, e: &Entry) -> Result<()> {
    let data = if e.data.is_null() { "{}".to_string() } else { e.data.to_string() };
    let mut stmt = conn.prepare_cached(
        "INSERT INTO activity (at, kind, prospect_id, enrollment_id, touch_id, sequence_id, step, variant, label, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?;
    stmt.execute(params![
        secs(at),
        e.kind,
        e.prospect_id,
        e.enrollment_id,
        e.touch_id,
        e.sequence_id,
        e.step.map(|s| s as i64),
        e.variant.map(|v| v as i64),
        e.label,
        data
    ])?;
    Ok(())
}

fn logged(r: &rusqlite::Row) -> rusqlite::Result<Logged> {
    Ok(Logged {
        id: r.get(0)?,
        at: ts(r.get(1)?),
        kind: r.get(2)?,
        prospect_id: r.get(3)?,
        enrollment_id: r.get(4)?,
        touch_id: r.get(5)?,
        sequence_id: r.get(6)?,
        step: r.get::<_, Option<i64>>(7)?.map(|s| s as usize),
        variant: r.get::<_, Option<i64>>(8)?.map(|v| v as usize),
        label: r.get(9)?,
        data: serde_json::from_str(&r.get::<_, String>(10)?).unwrap_or_default(),
        undoes: r.get(11)?,
    })
}

const COLUMNS: &str = "id, at, kind, prospect_id, enrollment_id, touch_id, sequence_id, step, variant, label, data, undoes";

/// A prospect's history, oldest first.
pub fn for_prospect(conn: &Connection, prospect: ProspectId) -> Result<Vec<Logged>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM activity WHERE prospect_id = ?1 ORDER BY at, id"))?;
    let rows = stmt.query_map([prospect], logged)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A meeting was already logged as booked from message `inbound`.
pub fn meeting_from(conn: &Connection, inbound: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT 1 FROM activity WHERE kind = '{}' AND label = 'reply' AND json_extract(data, '$.inbound') = ?1",
            ActivityKind::MeetingBooked
        ))?
        .exists([inbound])?)
}

/// The id of the latest row (0 in an empty log).
pub fn last_id(conn: &Connection) -> Result<i64> {
    Ok(conn.prepare_cached("SELECT coalesce(max(id), 0) FROM activity")?.query_row([], |r| r.get(0))?)
}

/// Logs, at `at`, a reversal of each row after `after` up to `last`: the
/// same kind, about the same things, naming the row it takes back.
pub fn reverse(conn: &Connection, at: DateTime<Utc>, after: i64, last: i64) -> Result<usize> {
    Ok(conn
        .prepare_cached(
            "INSERT INTO activity (at, kind, prospect_id, enrollment_id, touch_id, sequence_id, step, variant, label, data, undoes)
         SELECT ?1, kind, prospect_id, enrollment_id, touch_id, sequence_id, step, variant, label, '{}', id
         FROM activity WHERE id > ?2 AND id <= ?3 AND undoes IS NULL ORDER BY id",
        )?
        .execute(params![secs(at), after, last])?)
}
