//! The reads behind the results: counts of logged events per sequence
//! version, step, variant and label, the rows about mail read back, and the
//! activity log for export. Everything here reads the activity log only.

use chrono::{DateTime, Utc};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row};

use super::{secs, ts};
use crate::activity::{sql_list, ActivityKind, NET};
use crate::domain::{CallOutcome, EnrollmentId, SequenceVersionId};
use crate::error::Result;

const DAY: i64 = 86_400;

/// Kinds counted straight from the log (one row, one event).
const COUNTED: &[ActivityKind] = ActivityKind::COUNTED;

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
    pub kind: ActivityKind,
    pub step: Option<usize>,
    pub variant: Option<usize>,
    pub label: Option<String>,
    pub count: u64,
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// The whole UTC days inside a span, and the partial days at its edges.
struct Days {
    /// First and past-the-last whole day.
    whole: (i64, i64),
    /// Instants outside the whole days, read from the log itself.
    edges: Vec<(i64, i64)>,
}

fn days(span: Span) -> Days {
    let (from, to) = span.bounds();
    let h0 = if from == i64::MIN { i64::MIN } else { from.div_euclid(DAY) + i64::from(from.rem_euclid(DAY) != 0) };
    let h1 = if to == i64::MAX { i64::MAX } else { to.div_euclid(DAY) };
    if h0 >= h1 {
        return Days { whole: (0, 0), edges: vec![(from, to)] };
    }
    let mut edges = Vec::new();
    if from != i64::MIN && from < h0 * DAY {
        edges.push((from, h0 * DAY));
    }
    if to != i64::MAX && h1 * DAY < to {
        edges.push((h1 * DAY, to));
    }
    Days { whole: (h0, h1), edges }
}

fn versions_and_kinds(versions: &[SequenceVersionId]) -> Vec<rusqlite::types::Value> {
    let mut args: Vec<rusqlite::types::Value> = versions.iter().map(|v| (*v).into()).collect();
    args.extend(COUNTED.iter().map(|k| rusqlite::types::Value::Text(k.as_str().to_string())));
    args
}

/// Counted events per version, kind, step, variant and label in `span`: the
/// daily counts for whole days, the log itself for the partial days at the
/// edges. Exact to the second.
pub fn tallies(conn: &Connection, versions: &[SequenceVersionId], span: Span) -> Result<Vec<Tally>> {
    let h = days(span);
    let (vs, ks) = (placeholders(versions.len()), placeholders(COUNTED.len()));
    let whole = format!(
        "SELECT sequence_id, kind, nullif(step, -1), nullif(variant, -1), nullif(label, ''), sum(n) FROM activity_days
         WHERE sequence_id IN ({vs}) AND kind IN ({ks}) AND day >= ? AND day < ? GROUP BY sequence_id, kind, step, variant, label"
    );
    let edge = format!(
        "SELECT sequence_id, kind, step, variant, label, {NET} FROM activity INDEXED BY activity_at
         WHERE at >= ? AND at < ? AND sequence_id IN ({vs}) AND kind IN ({ks}) GROUP BY 1, 2, 3, 4, 5"
    );
    let tally = |r: &Row| -> rusqlite::Result<Tally> {
        Ok(Tally {
            sequence_id: r.get(0)?,
            kind: r.get(1)?,
            step: r.get::<_, Option<i64>>(2)?.map(|s| s as usize),
            variant: r.get::<_, Option<i64>>(3)?.map(|v| v as usize),
            label: r.get(4)?,
            // A reversal just past midnight of a row counted the day before nets below zero here.
            count: r.get::<_, i64>(5)?.max(0) as u64,
        })
    };
    let mut out: Vec<Tally> = Vec::new();
    let mut args = versions_and_kinds(versions);
    args.extend([h.whole.0.into(), h.whole.1.into()]);
    out.extend(conn.prepare_cached(&whole)?.query_map(params_from_iter(args), tally)?.collect::<rusqlite::Result<Vec<_>>>()?);
    for (a, b) in h.edges {
        let mut args: Vec<rusqlite::types::Value> = vec![a.into(), b.into()];
        args.extend(versions_and_kinds(versions));
        out.extend(conn.prepare_cached(&edge)?.query_map(params_from_iter(args), tally)?.collect::<rusqlite::Result<Vec<_>>>()?);
    }
    Ok(out)
}

/// Rebuilds the daily counts from the log (they are kept by a trigger; this
/// is for a check or a repair). Returns the rows written.
pub fn rebuild_days(conn: &Connection) -> Result<usize> {
    conn.execute("DELETE FROM activity_days", [])?;
    let kinds = sql_list(COUNTED);
    Ok(conn.execute(
        &format!(
            "INSERT INTO activity_days SELECT sequence_id, kind, coalesce(step, -1), coalesce(variant, -1), coalesce(label, ''), at / 86400, {NET}
             FROM activity WHERE sequence_id IS NOT NULL AND kind IN ({kinds}) GROUP BY 1, 2, 3, 4, 5, 6"
        ),
        [],
    )?)
}

/// One row of the daily counts: version, kind, step, variant, label, day, count.
pub type DayCount = (i64, String, i64, i64, String, i64, i64);

/// The daily counts as they stand, for comparing with a rebuild.
pub fn days_snapshot(conn: &Connection) -> Result<Vec<DayCount>> {
    let mut stmt = conn.prepare("SELECT sequence_id, kind, step, variant, label, day, n FROM activity_days ORDER BY 1, 2, 3, 4, 5, 6")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A logged event about a message read back, a tag or a meeting.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub kind: ActivityKind,
    pub sequence_id: SequenceVersionId,
    pub enrollment_id: Option<EnrollmentId>,
    pub step: Option<usize>,
    pub variant: Option<usize>,
    pub label: Option<String>,
    /// The message concerned, when there is one.
    pub inbound: Option<i64>,
    pub hard: Option<bool>,
    pub prospect_id: Option<i64>,
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
        prospect_id: r.get(10)?,
    })
}

/// Every event about mail, tags and meetings booked from replies for these
/// versions, whenever logged (a correction or a tag may come after the
/// period the message falls in). Oldest first. Read from the covering
/// `activity_settled` index, whose condition this query repeats.
pub fn events(conn: &Connection, versions: &[SequenceVersionId]) -> Result<Vec<Event>> {
    let sql = format!(
        "SELECT id, at, kind, sequence_id, enrollment_id, step, variant, label, json_extract(data, '$.inbound'), json_extract(data, '$.hard'), prospect_id
         FROM activity INDEXED BY activity_settled
         WHERE sequence_id IN ({}) AND kind IN ({})",
        placeholders(versions.len()),
        sql_list(ActivityKind::SETTLED),
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query_map(params_from_iter(versions.iter()), event)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.sort_unstable_by_key(|e| e.id);
    Ok(rows)
}

/// Of these prospects, the enrollments (in these versions) in which a call
/// booked a meeting.
pub fn call_meetings(conn: &Connection, versions: &[SequenceVersionId], prospects: &[i64]) -> Result<Vec<EnrollmentId>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT enrollment_id, sequence_id FROM activity a WHERE prospect_id = ?1 AND kind = '{}' AND label = '{}'
         AND undoes IS NULL AND NOT EXISTS (SELECT 1 FROM activity u WHERE u.undoes = a.id)",
        ActivityKind::CallLogged,
        CallOutcome::MeetingBooked,
    ))?;
    let mut out = Vec::new();
    for p in prospects {
        for row in stmt.query_map([p], |r| Ok((r.get::<_, Option<i64>>(0)?, r.get::<_, Option<i64>>(1)?)))? {
            if let (Some(e), Some(v)) = row? {
                if versions.contains(&v) {
                    out.push(e);
                }
            }
        }
    }
    Ok(out)
}

/// An enrollment, its version, whether it is still running, and the steps it
/// has been through.
pub type Walked = (EnrollmentId, SequenceVersionId, bool, Vec<usize>);

/// The steps each enrollment of these versions started in `span` has been
/// through, in order (worked, approved or skipped; an approved email the end
/// of the sequence cancelled counts: the rep worked it), with its version and
/// whether it is still running.
pub fn walked(conn: &Connection, versions: &[SequenceVersionId], span: Span) -> Result<Vec<Walked>> {
    let sql = format!(
        "SELECT e.id, e.sequence_id, e.state IN ('active', 'paused'), t.step FROM enrollments e JOIN touches t ON t.enrollment_id = e.id
         WHERE e.sequence_id IN ({}) AND e.enrolled_at >= ? AND e.enrolled_at < ? AND (t.state IN ('approved', 'done', 'skipped') OR (t.state = 'cancelled' AND t.completed_at IS NOT NULL))
         ORDER BY e.id, t.id",
        placeholders(versions.len())
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut args: Vec<i64> = versions.to_vec();
    args.push(span.from.map_or(i64::MIN, secs));
    args.push(span.to.map_or(i64::MAX, secs));
    let mut out: Vec<Walked> = Vec::new();
    let rows = stmt.query_map(params_from_iter(args.iter()), |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, bool>(2)?, r.get::<_, i64>(3)?))
    })?;
    for row in rows {
        let (e, v, running, step) = row?;
        match out.last_mut() {
            Some(last) if last.0 == e => last.3.push(step as usize),
            _ => out.push((e, v, running, vec![step as usize])),
        }
    }
    Ok(out)
}

/// Every enrollment in which a call booked a meeting (not undone).
pub fn call_meetings_all(conn: &Connection) -> Result<Vec<EnrollmentId>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT DISTINCT enrollment_id FROM activity a WHERE kind = '{}' AND label = '{}' AND enrollment_id IS NOT NULL
         AND undoes IS NULL AND NOT EXISTS (SELECT 1 FROM activity u WHERE u.undoes = a.id)",
        ActivityKind::CallLogged,
        CallOutcome::MeetingBooked,
    ))?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Emails sent per UTC day (Unix days) in `span`; the partial days at its
/// edges count only what falls inside.
pub fn sent_per_day(conn: &Connection, versions: &[SequenceVersionId], span: Span) -> Result<Vec<(i64, u64)>> {
    let h = days(span);
    let vs = placeholders(versions.len());
    let sent = ActivityKind::EmailSent;
    let mut out = Vec::new();
    let whole = format!(
        "SELECT day, sum(n) FROM activity_days WHERE sequence_id IN ({vs}) AND kind = '{sent}' AND day >= ? AND day < ? GROUP BY day"
    );
    let mut args: Vec<rusqlite::types::Value> = versions.iter().map(|v| (*v).into()).collect();
    args.extend([h.whole.0.into(), h.whole.1.into()]);
    out.extend(
        conn.prepare_cached(&whole)?
            .query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get::<_, i64>(1)? as u64)))?
            .collect::<rusqlite::Result<Vec<_>>>()?,
    );
    let edge = format!("SELECT at / 86400, {NET} FROM activity INDEXED BY activity_at WHERE at >= ? AND at < ? AND sequence_id IN ({vs}) AND kind = '{sent}' GROUP BY 1");
    for (a, b) in h.edges {
        let mut args: Vec<rusqlite::types::Value> = vec![a.into(), b.into()];
        args.extend(versions.iter().map(|v| rusqlite::types::Value::from(*v)));
        out.extend(
            conn.prepare_cached(&edge)?
                .query_map(params_from_iter(args), |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?
                .collect::<rusqlite::Result<Vec<_>>>()?,
        );
    }
    Ok(out)
}

/// The rep's own day: touches worked and emails sent since `since`, by kind.
pub fn worked_since(conn: &Connection, since: DateTime<Utc>) -> Result<Vec<(ActivityKind, u64)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT kind, {NET} FROM activity WHERE at >= ?1
         AND kind IN ({}) GROUP BY kind",
        sql_list(ActivityKind::WORKED),
    ))?;
    let rows = stmt.query_map([secs(since)], |r| Ok((r.get(0)?, r.get::<_, i64>(1)?.max(0) as u64)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// When the rep last worked a touch before `before` (emails going out on
/// their own do not count: they go while the rep is away too).
pub fn last_worked_before(conn: &Connection, before: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    use ActivityKind::*;
    let at: Option<i64> = conn
        .prepare_cached(&format!(
            // Walked back from `before` to the first match: a rep's last touch is recent,
            // where max(at) would read every earlier row of the log.
            "SELECT at FROM activity INDEXED BY activity_at WHERE at < ?1 AND kind IN ({}) AND undoes IS NULL ORDER BY at DESC LIMIT 1",
            sql_list(&[EmailApproved, CallLogged, TouchDone, TouchSkipped])
        ))?
        .query_row([secs(before)], |r| r.get(0))
        .optional()?;
    Ok(at.map(ts))
}

/// Messages now counted as replies that arrived since `since`.
pub fn replies_since(conn: &Connection, since: DateTime<Utc>) -> Result<u64> {
    Ok(conn
        .prepare_cached("SELECT count(*) FROM inbound WHERE kind = ?2 AND received_at >= ?1")?
        .query_row(params![secs(since), crate::mail::Kind::Reply.as_str()], |r| r.get::<_, i64>(0))? as u64)
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
    /// The row this one takes back (an undone action).
    pub undoes: Option<i64>,
}

/// Walks the log in order for `span`, optionally for one sequence's versions.
pub fn export(
    conn: &Connection,
    span: Span,
    versions: Option<&[SequenceVersionId]>,
    mut each: impl FnMut(ExportRow) -> Result<()>,
) -> Result<()> {
    let (from, to) = span.bounds();
    let only = versions.map_or(String::new(), |v| format!(" AND a.sequence_id IN ({})", placeholders(v.len())));
    let sql = format!(
        "SELECT a.id, a.at, a.kind, p.email, p.first_name, p.last_name, p.company, s.slug, s.version, a.step, a.variant, a.label, a.data, a.sequence_id, a.undoes
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
            undoes: r.get(14)?,
        })?;
    }
    Ok(())
}
