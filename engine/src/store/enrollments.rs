//! Enrollments and their touches.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{secs, ts};
use crate::domain::{Channel, EnrollmentId, EnrollmentState, ExitReason, ProspectId, SequenceVersionId, TouchId, TouchState};
use crate::error::Result;

#[derive(Debug, Clone, PartialEq)]
pub struct Enrollment {
    pub id: EnrollmentId,
    pub prospect_id: ProspectId,
    pub sequence_id: SequenceVersionId,
    pub state: EnrollmentState,
    pub exit_reason: Option<ExitReason>,
    pub step: usize,
    pub enrolled_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

const E_COLUMNS: &str = "id, prospect_id, sequence_id, state, exit_reason, step, enrolled_at, updated_at";

fn enrollment(r: &Row) -> rusqlite::Result<Enrollment> {
    Ok(Enrollment {
        id: r.get(0)?,
        prospect_id: r.get(1)?,
        sequence_id: r.get(2)?,
        state: EnrollmentState::parse(&r.get::<_, String>(3)?).unwrap_or(EnrollmentState::Exited),
        exit_reason: r.get::<_, Option<String>>(4)?.and_then(|s| ExitReason::parse(&s)),
        step: r.get::<_, i64>(5)? as usize,
        enrolled_at: ts(r.get(6)?),
        updated_at: ts(r.get(7)?),
    })
}

pub fn create(conn: &Connection, prospect: ProspectId, sequence: SequenceVersionId, now: DateTime<Utc>) -> Result<EnrollmentId> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO enrollments (prospect_id, sequence_id, state, step, enrolled_at, updated_at) VALUES (?1, ?2, 'active', 0, ?3, ?3)",
    )?;
    stmt.execute(params![prospect, sequence, secs(now)])?;
    Ok(conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: EnrollmentId) -> Result<Option<Enrollment>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {E_COLUMNS} FROM enrollments WHERE id = ?1"))?;
    Ok(stmt.query_row([id], enrollment).optional()?)
}

/// Enrollments of a prospect, newest first.
pub fn for_prospect(conn: &Connection, prospect: ProspectId) -> Result<Vec<Enrollment>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {E_COLUMNS} FROM enrollments WHERE prospect_id = ?1 ORDER BY id DESC"))?;
    let rows = stmt.query_map([prospect], enrollment)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Prospects (of `among`, or all) that have an active or paused enrollment.
pub fn prospects_in_flight(conn: &Connection) -> Result<std::collections::HashSet<ProspectId>> {
    let mut stmt = conn.prepare("SELECT DISTINCT prospect_id FROM enrollments WHERE state IN ('active', 'paused')")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn update(
    conn: &Connection,
    id: EnrollmentId,
    state: EnrollmentState,
    exit: Option<ExitReason>,
    step: usize,
    now: DateTime<Utc>,
) -> Result<()> {
    let mut stmt = conn.prepare_cached("UPDATE enrollments SET state = ?2, exit_reason = ?3, step = ?4, updated_at = ?5 WHERE id = ?1")?;
    stmt.execute(params![id, state.as_str(), exit.map(|e| e.as_str()), step as i64, secs(now)])?;
    Ok(())
}

#[derive(Debug, Clone, PartialEq)]
pub struct Touch {
    pub id: TouchId,
    pub enrollment_id: EnrollmentId,
    pub prospect_id: ProspectId,
    pub step: usize,
    pub channel: Channel,
    pub state: TouchState,
    pub due_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub variant: usize,
    pub subject: Option<String>,
    pub body: Option<String>,
    pub outcome: Option<String>,
    pub notes: Option<String>,
    pub duration_s: Option<i64>,
    pub completed_at: Option<DateTime<Utc>>,
}

const T_COLUMNS: &str =
    "id, enrollment_id, prospect_id, step, channel, state, due_at, closes_at, variant, subject, body, outcome, notes, duration_s, completed_at";

fn touch(r: &Row) -> rusqlite::Result<Touch> {
    Ok(Touch {
        id: r.get(0)?,
        enrollment_id: r.get(1)?,
        prospect_id: r.get(2)?,
        step: r.get::<_, i64>(3)? as usize,
        channel: Channel::parse(&r.get::<_, String>(4)?).unwrap_or(Channel::Task),
        state: TouchState::parse(&r.get::<_, String>(5)?).unwrap_or(TouchState::Cancelled),
        due_at: ts(r.get(6)?),
        closes_at: ts(r.get(7)?),
        variant: r.get::<_, i64>(8)? as usize,
        subject: r.get(9)?,
        body: r.get(10)?,
        outcome: r.get(11)?,
        notes: r.get(12)?,
        duration_s: r.get(13)?,
        completed_at: r.get::<_, Option<i64>>(14)?.map(ts),
    })
}

pub struct NewTouch {
    pub enrollment_id: EnrollmentId,
    pub prospect_id: ProspectId,
    pub step: usize,
    pub channel: Channel,
    pub state: TouchState,
    pub due_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub variant: usize,
}

/// The A/B variant for the next prospect to reach `step` of the enrollment's
/// sequence version: variants are handed out in turn, so each step's split is
/// even (within one) and a touch keeps the variant it was given.
pub fn next_variant(conn: &Connection, enrollment: i64, step: usize, count: usize) -> Result<usize> {
    let turn: i64 = conn
        .prepare_cached(
            "INSERT INTO variant_turns (sequence_id, step, next) SELECT sequence_id, ?2, 1 FROM enrollments WHERE id = ?1
             ON CONFLICT (sequence_id, step) DO UPDATE SET next = next + 1 RETURNING next - 1",
        )?
        .query_row(params![enrollment, step as i64], |r| r.get(0))?;
    Ok(turn as usize % count.max(1))
}

pub fn insert_touch(conn: &Connection, t: &NewTouch, now: DateTime<Utc>) -> Result<TouchId> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO touches (enrollment_id, prospect_id, step, channel, state, due_at, closes_at, variant, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    stmt.execute(params![
        t.enrollment_id,
        t.prospect_id,
        t.step as i64,
        t.channel.as_str(),
        t.state.as_str(),
        secs(t.due_at),
        secs(t.closes_at),
        t.variant as i64,
        secs(now)
    ])?;
    Ok(conn.last_insert_rowid())
}

pub fn get_touch(conn: &Connection, id: TouchId) -> Result<Option<Touch>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {T_COLUMNS} FROM touches WHERE id = ?1"))?;
    Ok(stmt.query_row([id], touch).optional()?)
}

/// The enrollment's touch that is still to be worked (pending or held).
pub fn open_touch(conn: &Connection, enrollment: EnrollmentId) -> Result<Option<Touch>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {T_COLUMNS} FROM touches WHERE enrollment_id = ?1 AND state IN ('pending', 'held') ORDER BY step DESC LIMIT 1"
    ))?;
    Ok(stmt.query_row([enrollment], touch).optional()?)
}

/// All touches of an enrollment, in step order.
pub fn touches_of(conn: &Connection, enrollment: EnrollmentId) -> Result<Vec<Touch>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {T_COLUMNS} FROM touches WHERE enrollment_id = ?1 ORDER BY step, id"))?;
    let rows = stmt.query_map([enrollment], touch)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What working a touch records.
#[derive(Debug, Clone, Default)]
pub struct Completion {
    pub subject: Option<String>,
    pub body: Option<String>,
    pub outcome: Option<String>,
    pub notes: Option<String>,
    pub duration_s: Option<i64>,
}

pub fn complete_touch(conn: &Connection, id: TouchId, state: TouchState, c: &Completion, now: DateTime<Utc>) -> Result<()> {
    let mut stmt = conn.prepare_cached(
        "UPDATE touches SET state = ?2, subject = ?3, body = ?4, outcome = ?5, notes = ?6, duration_s = ?7, completed_at = ?8 WHERE id = ?1",
    )?;
    stmt.execute(params![id, state.as_str(), c.subject, c.body, c.outcome, c.notes, c.duration_s, secs(now)])?;
    Ok(())
}

pub fn set_touch_state(conn: &Connection, id: TouchId, state: TouchState) -> Result<()> {
    conn.prepare_cached("UPDATE touches SET state = ?2 WHERE id = ?1")?.execute(params![id, state.as_str()])?;
    Ok(())
}

pub fn reschedule_touch(conn: &Connection, id: TouchId, due: DateTime<Utc>, closes: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE touches SET due_at = ?2, closes_at = ?3 WHERE id = ?1")?.execute(params![id, secs(due), secs(closes)])?;
    Ok(())
}

/// Pending touches due in `[from, to)`.
pub fn pending_due_between(conn: &Connection, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Touch>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {T_COLUMNS} FROM touches WHERE state = 'pending' AND due_at >= ?1 AND due_at < ?2 ORDER BY due_at, id"
    ))?;
    let rows = stmt.query_map([secs(from), secs(to)], touch)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Approved emails waiting to be sent, soonest first.
pub fn approved(conn: &Connection) -> Result<Vec<Touch>> {
    let mut stmt = conn.prepare(&format!("SELECT {T_COLUMNS} FROM touches WHERE state = 'approved' ORDER BY due_at, id"))?;
    let rows = stmt.query_map([], touch)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When an out-of-office pause ends (None: paused by hand, no end).
pub fn set_resume_at(conn: &Connection, id: EnrollmentId, at: Option<DateTime<Utc>>) -> Result<()> {
    conn.prepare_cached("UPDATE enrollments SET resume_at = ?2 WHERE id = ?1")?.execute(params![id, at.map(secs)])?;
    Ok(())
}

/// Paused enrollments whose pause ends by `now`.
pub fn paused_until(conn: &Connection, now: DateTime<Utc>) -> Result<Vec<EnrollmentId>> {
    let mut stmt =
        conn.prepare_cached("SELECT id FROM enrollments WHERE state = 'paused' AND resume_at IS NOT NULL AND resume_at <= ?1 ORDER BY id")?;
    let rows = stmt.query_map([secs(now)], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}
