//! Enrollment: putting prospects in sequences, moving them along, taking
//! them out, and shifting work around the rep's time away.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use rusqlite::Connection;
use serde_json::json;

use super::{calendar, place, Engine};
use crate::activity::ActivityKind;
use crate::domain::{EnrollmentId, EnrollmentState, ExitReason, Prospect, ProspectId, TouchId, TouchState};
use crate::error::{Error, Result};
use crate::events::Change;
use crate::schedule::start_of_day;
use crate::sequence::Sequence;
use crate::settings::{AwayPeriod, RepSettings};
use crate::store::{self, activity::Entry, enrollments::NewTouch, prospects::Filter, sends::SendState};

/// Which prospects to enroll.
#[derive(Debug, Clone)]
pub enum Selection {
    Prospects(Vec<ProspectId>),
    Filter(Filter),
    /// Every prospect whose latest import was this one.
    Import(i64),
    All,
}

#[derive(Debug, Clone)]
pub struct EnrollSkip {
    pub prospect_id: ProspectId,
    pub email: String,
    pub reason: String,
}

#[derive(Debug, Clone, Default)]
pub struct EnrollReport {
    pub enrolled: Vec<(ProspectId, EnrollmentId)>,
    pub skipped: Vec<EnrollSkip>,
}

impl Engine {
    /// Enrolls the selected prospects in the newest version of `slug`, all or
    /// nothing. A prospect already in an active or paused sequence is skipped
    /// unless `force`; do-not-contact prospects are always skipped.
    pub fn enroll(&mut self, selection: &Selection, slug: &str, force: bool, now: DateTime<Utc>) -> Result<EnrollReport> {
        let stored = store::sequences::latest(&self.conn, slug)?
            .ok_or_else(|| Error::NotFound { what: "sequence", id: format!("{slug} (see `cadence sequences list`)") })?;
        let seq = self.sequence_version(stored.id)?;
        let rep = self.settings()?;
        let filter = match selection {
            Selection::Prospects(ids) => {
                let f = Filter { ids: Some(ids.clone()), ..Default::default() };
                let found = store::prospects::ids(&self.conn, &f)?;
                if let Some(missing) = ids.iter().find(|i| !found.contains(i)) {
                    return Err(Error::not_found("prospect", missing));
                }
                f
            }
            Selection::Filter(f) => f.clone(),
            Selection::Import(id) => Filter { import_id: Some(*id), ..Default::default() },
            Selection::All => Filter::default(),
        };
        let prospects = store::prospects::list(&self.conn, &filter)?;
        let in_flight = store::enrollments::prospects_in_flight(&self.conn)?;
        let dnc = store::prospects::do_not_contact(&self.conn)?;
        let mut report = EnrollReport::default();
        let tx = self.conn.savepoint()?;
        for p in &prospects {
            let skip = |reason: &str| EnrollSkip { prospect_id: p.id, email: p.email.clone(), reason: reason.to_string() };
            if dnc.contains(&p.email) || dnc.contains(&format!("@{}", p.domain)) {
                report.skipped.push(skip("on the do-not-contact list"));
                continue;
            }
            if in_flight.contains(&p.id) && !force {
                report.skipped.push(skip("already in an active sequence (use force to enroll anyway)"));
                continue;
            }
            let eid = start(&tx, &rep, (stored.id, &seq), p, None, json!({ "forced": force && in_flight.contains(&p.id) }), now)?;
            report.enrolled.push((p.id, eid));
        }
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Prospects, Change::Sequences]);
        Ok(report)
    }

    pub fn pause(&mut self, enrollment: EnrollmentId, now: DateTime<Utc>) -> Result<()> {
        let e = self.enrollment_in(enrollment, &[EnrollmentState::Active])?;
        let tx = self.conn.savepoint()?;
        hold(&tx, &e, None, "paused by hand", now)?;
        log(&tx, now, ActivityKind::Paused, &e, json!({}))?;
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Sequences]);
        Ok(())
    }

    /// Resumes a paused enrollment where it stopped: the held step comes back,
    /// due at its old time or, if that has passed, at the next fitting slot.
    pub fn resume(&mut self, enrollment: EnrollmentId, now: DateTime<Utc>) -> Result<()> {
        let e = self.enrollment_in(enrollment, &[EnrollmentState::Paused])?;
        let seq = self.sequence_version(e.sequence_id)?;
        let rep = self.settings()?;
        let p = self.prospect(e.prospect_id)?;
        let tx = self.conn.savepoint()?;
        store::enrollments::update(&tx, e.id, EnrollmentState::Active, None, e.step, now)?;
        store::enrollments::set_resume_at(&tx, e.id, None)?;
        // Emails held by the pause go again (in their next window, if theirs passed).
        for s in store::sends::unsent_for_enrollment(&tx, e.id)? {
            if s.state == SendState::Held && s.reason.as_deref().is_some_and(|r| r.starts_with("held: ")) {
                store::sends::set_state(&tx, s.touch_id, SendState::Queued, None, Some(now), now)?;
            }
        }
        if let Some(t) = store::enrollments::open_touch(&tx, e.id)? {
            let from = t.due_at.max(now);
            let slot = calendar(&rep)
                .next_slot(&seq.settings, place(&p, &rep), t.channel, from)
                .ok_or_else(|| Error::Unschedulable(format!("touch {}", t.id)))?;
            store::enrollments::reschedule_touch(&tx, t.id, slot.due_at, slot.closes_at)?;
            store::enrollments::set_touch_state(&tx, t.id, TouchState::Pending)?;
        }
        log(&tx, now, ActivityKind::Resumed, &e, json!({}))?;
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Sequences, Change::Outbox]);
        Ok(())
    }

    /// Takes a prospect out of a sequence by hand; the open step is cancelled.
    pub fn remove(&mut self, enrollment: EnrollmentId, now: DateTime<Utc>) -> Result<()> {
        let e = self.enrollment_in(enrollment, &[EnrollmentState::Active, EnrollmentState::Paused])?;
        let tx = self.conn.savepoint()?;
        exit(&tx, &e, ExitReason::Removed, now)?;
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Sequences]);
        Ok(())
    }

    /// Records that the rep is away from `from` to `to` (inclusive, rep's
    /// calendar) and moves every touch due in that span to after it, keeping
    /// their spacing: a touch due on the k-th working day of the span lands on
    /// the k-th working day after it. Returns how many touches moved.
    pub fn add_away(&mut self, from: NaiveDate, to: NaiveDate, now: DateTime<Utc>) -> Result<usize> {
        if to < from {
            return Err(Error::Invalid(format!("the away period ends ({to}) before it starts ({from})")));
        }
        let old = self.settings()?;
        let mut rep = old.clone();
        rep.away.push(AwayPeriod { from, to });
        let span_start = start_of_day(rep.timezone, from);
        let span_end = start_of_day(rep.timezone, to + Duration::days(1));
        let touches = store::enrollments::pending_due_between(&self.conn, span_start, span_end)?;
        // Touch, new due and close times, prospect, enrollment.
        type Move = (TouchId, DateTime<Utc>, DateTime<Utc>, ProspectId, Option<EnrollmentId>);
        let mut moves: Vec<Move> = Vec::new();
        let mut cache: HashMap<EnrollmentId, (std::sync::Arc<Sequence>, Prospect)> = HashMap::new();
        for t in touches {
            if let std::collections::hash_map::Entry::Vacant(slot) = cache.entry(t.enrollment_id) {
                let e =
                    store::enrollments::get(&self.conn, t.enrollment_id)?.ok_or_else(|| Error::not_found("enrollment", t.enrollment_id))?;
                slot.insert((self.sequence_version(e.sequence_id)?, self.prospect(t.prospect_id)?));
            }
            let (seq, p) = &cache[&t.enrollment_id];
            let due_day = calendar(&old).rep_date(t.due_at);
            let k = calendar(&old).working_days_in(from, due_day);
            let cal = calendar(&rep);
            let target = cal.add_business_days(to, k + 1);
            let slot = cal
                .next_slot(&seq.settings, place(p, &rep), t.channel, start_of_day(rep.timezone, target))
                .ok_or_else(|| Error::Unschedulable(format!("touch {}", t.id)))?;
            moves.push((t.id, slot.due_at, slot.closes_at, t.prospect_id, Some(t.enrollment_id)));
        }
        let tx = self.conn.savepoint()?;
        store::settings::save(&tx, &rep)?;
        store::activity::append(
            &tx,
            now,
            &Entry { data: json!({ "from": from.to_string(), "to": to.to_string() }), ..Entry::new(ActivityKind::AwayAdded) },
        )?;
        for (id, due, closes, pid, eid) in &moves {
            store::enrollments::reschedule_touch(&tx, *id, *due, *closes)?;
            let data = json!({ "reason": "away", "due_at": due.to_rfc3339() });
            store::activity::append(
                &tx,
                now,
                &Entry {
                    prospect_id: Some(*pid),
                    enrollment_id: *eid,
                    touch_id: Some(*id),
                    data,
                    ..Entry::new(ActivityKind::TouchRescheduled)
                },
            )?;
        }
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Settings]);
        Ok(moves.len())
    }

    pub fn enrollments_of(&self, prospect: ProspectId) -> Result<Vec<store::enrollments::Enrollment>> {
        store::enrollments::for_prospect(&self.conn, prospect)
    }

    pub(super) fn enrollment_in(&self, id: EnrollmentId, states: &[EnrollmentState]) -> Result<store::enrollments::Enrollment> {
        let e = store::enrollments::get(&self.conn, id)?.ok_or_else(|| Error::not_found("enrollment", id))?;
        if !states.contains(&e.state) {
            let want = states.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" or ");
            return Err(Error::Conflict(format!("enrollment {id} is {}, not {want}", e.state)));
        }
        Ok(e)
    }
}

fn log(
    conn: &Connection,
    now: DateTime<Utc>,
    kind: ActivityKind,
    e: &store::enrollments::Enrollment,
    data: serde_json::Value,
) -> Result<()> {
    let entry = Entry {
        prospect_id: Some(e.prospect_id),
        enrollment_id: Some(e.id),
        sequence_id: Some(e.sequence_id),
        step: Some(e.step),
        data,
        ..Entry::new(kind)
    };
    store::activity::append(conn, now, &entry)
}

/// Enrolls one prospect in a sequence version (made from `signal`, if any):
/// the enrollment, its log entry (with `data`) and the first touch.
pub(super) fn start(
    conn: &Connection,
    rep: &RepSettings,
    (version, seq): (crate::domain::SequenceVersionId, &Sequence),
    p: &Prospect,
    signal: Option<i64>,
    mut data: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<EnrollmentId> {
    let eid = store::enrollments::create(conn, p.id, version, now)?;
    if let Some(s) = signal {
        store::signals::set_enrollment_signal(conn, eid, s)?;
        data["signal"] = json!(s);
    }
    let entry = Entry {
        prospect_id: Some(p.id),
        enrollment_id: Some(eid),
        sequence_id: Some(version),
        step: Some(0),
        data,
        ..Entry::new(ActivityKind::Enrolled)
    };
    store::activity::append(conn, now, &entry)?;
    schedule_step(conn, rep, seq, p, eid, 0, now, now)?;
    Ok(eid)
}

/// Creates the touch for step `step`, `delay` business days after `base`.
#[allow(clippy::too_many_arguments)]
pub(super) fn schedule_step(
    conn: &Connection,
    rep: &RepSettings,
    seq: &Sequence,
    p: &Prospect,
    enrollment: EnrollmentId,
    step: usize,
    base: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<TouchId> {
    schedule_step_after(conn, rep, seq, p, enrollment, step, base, 0, now)
}

/// Creates the touch for step `step`, its delay plus `wait` business days
/// after `base` (a connection request's wait for an acceptance).
#[allow(clippy::too_many_arguments)]
pub(super) fn schedule_step_after(
    conn: &Connection,
    rep: &RepSettings,
    seq: &Sequence,
    p: &Prospect,
    enrollment: EnrollmentId,
    step: usize,
    base: DateTime<Utc>,
    wait: u32,
    now: DateTime<Utc>,
) -> Result<TouchId> {
    let s = &seq.steps[step];
    let slot = calendar(rep)
        .schedule(&seq.settings, place(p, rep), s.channel, base, s.delay + wait)
        .ok_or_else(|| Error::Unschedulable(format!("step {} of \"{}\" for {}", step + 1, seq.name, p.email)))?;
    let variant = if s.variant_count() > 1 { store::enrollments::next_variant(conn, enrollment, step, s.variant_count())? } else { 0 };
    let t = NewTouch {
        enrollment_id: enrollment,
        prospect_id: p.id,
        step,
        channel: s.channel,
        state: TouchState::Pending,
        due_at: slot.due_at,
        closes_at: slot.closes_at,
        variant,
    };
    store::enrollments::insert_touch(conn, &t, now)
}

/// What a connection request marked done says to `advance`: it was sent.
pub(super) const REQUESTED: &str = "requested";

/// After step `e.step` is worked: exit, move to the next step (due `delay`
/// business days after `base`), or finish.
#[allow(clippy::too_many_arguments)]
pub(super) fn advance(
    conn: &Connection,
    rep: &RepSettings,
    seq: &Sequence,
    p: &Prospect,
    e: &store::enrollments::Enrollment,
    exit_reason: Option<ExitReason>,
    took: Option<&str>,
    base: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    if let Some(reason) = exit_reason {
        return exit(conn, e, reason, now).map(|_| ());
    }
    // The step's branch for what happened (a call's outcome), else the next
    // step. A connection request just sent waits for its acceptance: the
    // not-accepted way is scheduled after the wait, and an acceptance the
    // rep marks before then takes the accepted way instead.
    let worked = &seq.steps[e.step];
    let (took, wait) = match took {
        Some(REQUESTED) if worked.waits_for_acceptance() => (Some("not_accepted"), worked.accept_within),
        Some(REQUESTED) => (None, 0),
        other => (other, 0),
    };
    let next = worked.next_after(e.step, took).unwrap_or(seq.steps.len());
    if next < seq.steps.len() {
        schedule_step_after(conn, rep, seq, p, e.id, next, base, wait, now)?;
        store::enrollments::update(conn, e.id, EnrollmentState::Active, None, next, now)?;
    } else {
        store::enrollments::update(conn, e.id, EnrollmentState::Finished, None, e.step, now)?;
        log(conn, now, ActivityKind::Finished, e, json!({}))?;
    }
    Ok(())
}

/// Pauses an enrollment (until `until`, or until resumed by hand): its open
/// step and its queued emails are held.
pub(super) fn hold(
    conn: &Connection,
    e: &store::enrollments::Enrollment,
    until: Option<DateTime<Utc>>,
    why: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    store::enrollments::update(conn, e.id, EnrollmentState::Paused, None, e.step, now)?;
    store::enrollments::set_resume_at(conn, e.id, until)?;
    if let Some(t) = store::enrollments::open_touch(conn, e.id)? {
        store::enrollments::set_touch_state(conn, t.id, TouchState::Held)?;
    }
    for s in store::sends::unsent_for_enrollment(conn, e.id)? {
        if s.state == SendState::Queued {
            store::sends::set_state(conn, s.touch_id, SendState::Held, Some(&format!("held: {why}")), None, now)?;
        }
    }
    Ok(())
}

/// Ends an enrollment: its open step and its approved emails that have not
/// gone yet are cancelled. Returns the cancelled emails' touches.
fn exit(conn: &Connection, e: &store::enrollments::Enrollment, reason: ExitReason, now: DateTime<Utc>) -> Result<Vec<TouchId>> {
    if let Some(t) = store::enrollments::open_touch(conn, e.id)? {
        store::enrollments::set_touch_state(conn, t.id, TouchState::Cancelled)?;
    }
    let mut cancelled = Vec::new();
    for s in store::sends::unsent_for_enrollment(conn, e.id)? {
        store::sends::set_state(conn, s.touch_id, SendState::Cancelled, Some("the prospect's sequence ended"), None, now)?;
        store::enrollments::set_touch_state(conn, s.touch_id, TouchState::Cancelled)?;
        cancelled.push(s.touch_id);
    }
    store::enrollments::update(conn, e.id, EnrollmentState::Exited, Some(reason), e.step, now)?;
    let entry = Entry {
        prospect_id: Some(e.prospect_id),
        enrollment_id: Some(e.id),
        sequence_id: Some(e.sequence_id),
        step: Some(e.step),
        label: Some(reason.as_str().into()),
        data: json!({ "reason": reason.as_str() }),
        ..Entry::new(ActivityKind::Exited)
    };
    store::activity::append(conn, now, &entry)?;
    Ok(cancelled)
}

/// What ending a prospect's sequences did.
#[derive(Debug, Default)]
pub(super) struct Ended {
    pub enrollments: Vec<EnrollmentId>,
    /// Approved emails that will not go.
    pub cancelled: Vec<TouchId>,
}

/// Ends every active or paused enrollment of a prospect, and a finished one
/// whose last email is approved but not sent yet (it is not over until then).
pub(super) fn exit_all(conn: &Connection, prospect: ProspectId, reason: ExitReason, now: DateTime<Utc>) -> Result<Ended> {
    let mut ended = Ended::default();
    for e in store::enrollments::for_prospect(conn, prospect)? {
        let running = matches!(e.state, EnrollmentState::Active | EnrollmentState::Paused)
            || (e.state == EnrollmentState::Finished && !store::sends::unsent_for_enrollment(conn, e.id)?.is_empty());
        if running {
            ended.cancelled.extend(exit(conn, &e, reason, now)?);
            ended.enrollments.push(e.id);
        }
    }
    Ok(ended)
}

/// Puts an exited enrollment back where it stopped (a corrected
/// classification): active again, with its cancelled step due at the next
/// fitting slot from now.
pub(super) fn reinstate(conn: &Connection, id: EnrollmentId, now: DateTime<Utc>) -> Result<()> {
    let Some(e) = store::enrollments::get(conn, id)? else { return Ok(()) };
    if e.state != EnrollmentState::Exited {
        return Ok(());
    }
    let stored = store::sequences::get(conn, e.sequence_id)?.ok_or_else(|| Error::not_found("sequence version", e.sequence_id))?;
    let seq = crate::sequence::parse_sequence(&format!("{}.toml", stored.slug), &stored.source).map_err(Error::Sequence)?;
    let p = store::prospects::get(conn, e.prospect_id)?.ok_or_else(|| Error::not_found("prospect", e.prospect_id))?;
    let rep = store::settings::load(conn)?;
    store::enrollments::update(conn, e.id, EnrollmentState::Active, None, e.step, now)?;
    if store::enrollments::open_touch(conn, e.id)?.is_none() && e.step < seq.steps.len() {
        schedule_step(conn, &rep, &seq, &p, e.id, e.step, now, now)?;
    }
    // Labelled with the exit it undoes, so results can take that exit back.
    let undone = e.exit_reason.map(|r| r.as_str().to_string());
    let entry = Entry {
        prospect_id: Some(e.prospect_id),
        enrollment_id: Some(e.id),
        sequence_id: Some(e.sequence_id),
        step: Some(e.step),
        label: undone,
        data: json!({}),
        ..Entry::new(ActivityKind::Reinstated)
    };
    store::activity::append(conn, now, &entry)
}
