//! Signals, the rules that turn them into enrollments, and the proposals.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};

use super::{secs, ts};
use crate::domain::{EnrollmentId, ProspectId};
use crate::error::Result;
use crate::signal::{NewSignal, SignalKind};

/// A stored signal.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    pub id: i64,
    pub kind: SignalKind,
    pub email: Option<String>,
    pub domain: String,
    pub text: String,
    pub source: String,
    pub happened_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub origin: String,
}

const S_COLUMNS: &str = "id, kind, email, domain, text, source, happened_at, received_at, origin";

fn signal(r: &Row) -> rusqlite::Result<Signal> {
    Ok(Signal {
        id: r.get(0)?,
        kind: SignalKind::parse(&r.get::<_, String>(1)?).unwrap_or(SignalKind::Custom),
        email: r.get(2)?,
        domain: r.get(3)?,
        text: r.get(4)?,
        source: r.get(5)?,
        happened_at: ts(r.get(6)?),
        received_at: ts(r.get(7)?),
        origin: r.get(8)?,
    })
}

/// The signal already stored with this fingerprint: its id and when it came.
pub fn find(conn: &Connection, fingerprint: &str) -> Result<Option<(i64, DateTime<Utc>)>> {
    let mut stmt = conn.prepare_cached("SELECT id, received_at FROM signals WHERE fingerprint = ?1")?;
    Ok(stmt.query_row([fingerprint], |r| Ok((r.get(0)?, ts(r.get(1)?)))).optional()?)
}

pub fn insert(conn: &Connection, s: &NewSignal, origin: &str, now: DateTime<Utc>) -> Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO signals (kind, email, domain, text, source, happened_at, received_at, origin, fingerprint)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?;
    stmt.execute(params![s.kind.as_str(), s.email, s.domain, s.text, s.source, secs(s.happened_at), secs(now), origin, s.fingerprint()])?;
    Ok(conn.last_insert_rowid())
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Signal>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {S_COLUMNS} FROM signals WHERE id = ?1"))?;
    Ok(stmt.query_row([id], signal).optional()?)
}

/// The signal an enrollment was made from, if any.
pub fn of_enrollment(conn: &Connection, enrollment: EnrollmentId) -> Result<Option<Signal>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {} FROM signals s JOIN enrollments e ON e.signal_id = s.id WHERE e.id = ?1",
        S_COLUMNS.split(", ").map(|c| format!("s.{c}")).collect::<Vec<_>>().join(", ")
    ))?;
    Ok(stmt.query_row([enrollment], signal).optional()?)
}

pub fn set_enrollment_signal(conn: &Connection, enrollment: EnrollmentId, signal: i64) -> Result<()> {
    conn.prepare_cached("UPDATE enrollments SET signal_id = ?2 WHERE id = ?1")?.execute(params![enrollment, signal])?;
    Ok(())
}

/// "A signal of this kind → this sequence".
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub kind: SignalKind,
    pub sequence: String,
    /// Enroll directly instead of proposing.
    pub enroll: bool,
    /// No new proposal for a prospect enrolled or proposed this recently.
    pub cooldown_days: u32,
}

pub fn rules(conn: &Connection) -> Result<Vec<Rule>> {
    let mut stmt = conn.prepare_cached("SELECT kind, sequence, enroll, cooldown_days FROM signal_rules ORDER BY kind")?;
    let rows = stmt.query_map([], |r| {
        Ok(Rule {
            kind: SignalKind::parse(&r.get::<_, String>(0)?).unwrap_or(SignalKind::Custom),
            sequence: r.get(1)?,
            enroll: r.get(2)?,
            cooldown_days: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn set_rule(conn: &Connection, r: &Rule, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO signal_rules (kind, sequence, enroll, cooldown_days, created_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (kind) DO UPDATE SET sequence = excluded.sequence, enroll = excluded.enroll, cooldown_days = excluded.cooldown_days",
    )?
    .execute(params![r.kind.as_str(), r.sequence, r.enroll, r.cooldown_days, secs(now)])?;
    Ok(())
}

pub fn remove_rule(conn: &Connection, kind: SignalKind) -> Result<bool> {
    Ok(conn.execute("DELETE FROM signal_rules WHERE kind = ?1", [kind.as_str()])? > 0)
}

/// A proposal: enroll this prospect in this sequence, because of this signal.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub id: i64,
    pub signal_id: i64,
    pub prospect_id: ProspectId,
    pub sequence: String,
    pub state: String,
    pub enrollment_id: Option<EnrollmentId>,
    pub created_at: DateTime<Utc>,
}

const P_COLUMNS: &str = "id, signal_id, prospect_id, sequence, state, enrollment_id, created_at";

fn proposal(r: &Row) -> rusqlite::Result<Proposal> {
    Ok(Proposal {
        id: r.get(0)?,
        signal_id: r.get(1)?,
        prospect_id: r.get(2)?,
        sequence: r.get(3)?,
        state: r.get(4)?,
        enrollment_id: r.get(5)?,
        created_at: ts(r.get(6)?),
    })
}

pub fn insert_proposal(
    conn: &Connection,
    signal: i64,
    prospect: ProspectId,
    sequence: &str,
    enrollment: Option<EnrollmentId>,
    now: DateTime<Utc>,
) -> Result<i64> {
    let state = if enrollment.is_some() { "accepted" } else { "open" };
    let decided = enrollment.map(|_| secs(now));
    conn.prepare_cached(
        "INSERT INTO proposals (signal_id, prospect_id, sequence, state, enrollment_id, created_at, decided_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![signal, prospect, sequence, state, enrollment, secs(now), decided])?;
    Ok(conn.last_insert_rowid())
}

pub fn get_proposal(conn: &Connection, id: i64) -> Result<Option<Proposal>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {P_COLUMNS} FROM proposals WHERE id = ?1"))?;
    Ok(stmt.query_row([id], proposal).optional()?)
}

/// Open proposals, oldest first.
pub fn open_proposals(conn: &Connection) -> Result<Vec<Proposal>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {P_COLUMNS} FROM proposals WHERE state = 'open' ORDER BY created_at, id"))?;
    let rows = stmt.query_map([], proposal)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn count_open(conn: &Connection) -> Result<u64> {
    Ok(conn.query_row("SELECT count(*) FROM proposals WHERE state = 'open'", [], |r| r.get::<_, i64>(0))? as u64)
}

pub fn decide(conn: &Connection, id: i64, state: &str, enrollment: Option<EnrollmentId>, now: DateTime<Utc>) -> Result<()> {
    conn.prepare_cached("UPDATE proposals SET state = ?2, enrollment_id = ?3, decided_at = ?4 WHERE id = ?1")?.execute(params![
        id,
        state,
        enrollment,
        secs(now)
    ])?;
    Ok(())
}

/// What the rules need to know about every prospect, read once for a batch.
#[derive(Debug, Default)]
pub struct Standing {
    /// The latest enrollment or proposal of each prospect (the cooldown).
    pub last_started: HashMap<ProspectId, DateTime<Utc>>,
    /// Prospects with an open proposal.
    pub proposed: HashSet<ProspectId>,
    /// Prospects an automatic reply said have left the company.
    pub left: HashSet<ProspectId>,
    /// Prospects whose address bounced as not existing.
    pub invalid: HashSet<ProspectId>,
}

pub fn standing(conn: &Connection) -> Result<Standing> {
    let mut s = Standing::default();
    let mut stmt = conn.prepare(
        "SELECT prospect_id, max(at) FROM (
             SELECT prospect_id, enrolled_at AS at FROM enrollments
             UNION ALL SELECT prospect_id, created_at AS at FROM proposals WHERE state != 'dismissed')
         GROUP BY prospect_id",
    )?;
    for row in stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (p, at) = row?;
        s.last_started.insert(p, ts(at));
    }
    let mut stmt = conn.prepare("SELECT DISTINCT prospect_id FROM proposals WHERE state = 'open'")?;
    s.proposed = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT prospect_id FROM enrollments WHERE exit_reason = 'left_company'
         UNION SELECT id FROM prospects WHERE email_status = 'left'",
    )?;
    s.left = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare("SELECT id FROM prospects WHERE email_status = 'invalid'")?;
    s.invalid = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(s)
}

/// Every enrollment started in `[from, to)`: its id and the kind of the
/// signal it came from (`None`: by hand).
pub fn enrollment_sources(
    conn: &Connection,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<Vec<(EnrollmentId, Option<String>)>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, s.kind FROM enrollments e LEFT JOIN signals s ON s.id = e.signal_id
         WHERE e.enrolled_at >= ?1 AND e.enrolled_at < ?2",
    )?;
    let rows = stmt.query_map(params![from.map_or(i64::MIN, secs), to.map_or(i64::MAX, secs)], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The folder watched for signal files (kept in the settings table).
pub fn folder(conn: &Connection) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT value FROM settings WHERE key = 'signals_folder'", [], |r| r.get(0)).optional()?)
}

pub fn set_folder(conn: &Connection, folder: Option<&str>) -> Result<()> {
    match folder {
        Some(f) => conn.execute(
            "INSERT INTO settings (key, value) VALUES ('signals_folder', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [f],
        )?,
        None => conn.execute("DELETE FROM settings WHERE key = 'signals_folder'", [])?,
    };
    Ok(())
}
