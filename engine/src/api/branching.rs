//! Branches the rep takes after a step was worked: a LinkedIn connection
//! request accepted while the sequence waits for it, and a tagged reply
//! kept in the sequence along the branch for its tag.

use chrono::{DateTime, Utc};
use serde_json::json;

use super::enroll::schedule_step;
use super::Engine;
use crate::activity::ActivityKind;
use crate::domain::{Channel, EnrollmentState, ExitReason, ProspectId, TouchState};
use crate::error::{Error, Result};
use crate::events::Change;
use crate::sequence::{Sequence, REPLY_TAGS};
use crate::store::{self, activity::Entry, enrollments::Enrollment};

/// What a branch the rep took did.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchTaken {
    pub enrollment: i64,
    /// The step the enrollment goes to (0-based), or `None`: it finished.
    pub step: Option<usize>,
    /// That step's label, or its number in words.
    pub to: String,
}

/// A reply that can be kept in its sequence: the enrollment it ended, the
/// sequence, the step of the email it answers, and its tag.
type Keepable = (Enrollment, std::sync::Arc<Sequence>, usize, String);

/// The label of step `i` for people: its label, or "step N".
fn named(seq: &Sequence, i: usize) -> String {
    seq.steps[i].label.clone().unwrap_or_else(|| format!("step {}", i + 1))
}

impl Engine {
    /// The enrollment of `prospect` waiting for a connection request to be
    /// accepted: the request (a step that branches on `accepted`) is the
    /// latest touch worked, and the not-accepted way is scheduled but not
    /// worked yet. With the sequence and the request's step.
    fn awaiting(&self, prospect: ProspectId) -> Result<Option<(Enrollment, std::sync::Arc<Sequence>, usize)>> {
        for e in store::enrollments::for_prospect(&self.conn, prospect)? {
            if e.state != EnrollmentState::Active {
                continue;
            }
            let seq = self.sequence_version(e.sequence_id)?;
            let touches = store::enrollments::touches_of(&self.conn, e.id)?;
            let Some(request) = touches.iter().rev().find(|t| t.state != TouchState::Pending && t.state != TouchState::Cancelled) else {
                continue;
            };
            let step = &seq.steps[request.step];
            let not_accepted = step.next_after(request.step, Some("not_accepted"));
            let waiting = request.state == TouchState::Done
                && request.channel == Channel::LinkedinConnect
                && step.waits_for_acceptance()
                && touches.last().is_some_and(|t| t.state == TouchState::Pending && t.id > request.id && Some(t.step) == not_accepted);
            if waiting {
                return Ok(Some((e, seq.clone(), request.step)));
            }
        }
        Ok(None)
    }

    /// Whether `prospect` has a connection request waiting for an answer.
    pub fn awaits_acceptance(&self, prospect: ProspectId) -> Result<bool> {
        Ok(self.awaiting(prospect)?.is_some())
    }

    /// The enrollment of `prospect` waiting for an acceptance, if any.
    pub(super) fn awaiting_enrollment(&self, prospect: ProspectId) -> Result<Option<i64>> {
        Ok(self.awaiting(prospect)?.map(|(e, _, _)| e.id))
    }

    /// The rep saw the prospect accept the LinkedIn connection request: the
    /// not-accepted step waiting in the queue goes, and the accepted way is
    /// scheduled from now by the usual rules.
    pub fn connection_accepted(&mut self, prospect: ProspectId, now: DateTime<Utc>) -> Result<BranchTaken> {
        let p = self.prospect(prospect)?;
        let (e, seq, at) = self.awaiting(prospect)?.ok_or_else(|| {
            Error::Conflict(format!(
                "{} has no LinkedIn connection request waiting for an answer (a request in a step that branches on `accepted`, not yet past its wait)",
                p.full_name()
            ))
        })?;
        let rep = self.settings()?;
        let to = seq.steps[at].next_after(at, Some("accepted"));
        let tx = self.conn.savepoint()?;
        if let Some(open) = store::enrollments::open_touch(&tx, e.id)? {
            store::enrollments::set_touch_state(&tx, open.id, TouchState::Cancelled)?;
        }
        let taken = go(&tx, &rep, &seq, &p, &e, at, to, "accepted", now)?;
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Sequences, Change::Prospects]);
        Ok(taken)
    }

    /// Where keeping the prospect of reply `id` in the sequence would take
    /// them: the step the email it answers branches to for its tag. `None`
    /// when it cannot be kept (not a tagged reply, no branch for the tag,
    /// the sequence not ended by it).
    pub(super) fn keep_target(&self, s: &store::inbound::Stored) -> Result<Option<String>> {
        Ok(self.keepable_record(s)?.map(|(_, seq, at, tag)| match seq.steps[at].next_after(at, Some(&tag)) {
            Some(to) if to < seq.steps.len() => named(&seq, to),
            _ => "the end".to_string(),
        }))
    }

    /// The enrollment a tagged reply ended, its sequence, the step of the
    /// email it answers and the tag, when that step branches on the tag.
    fn keepable(&self, id: i64) -> Result<Option<Keepable>> {
        match store::inbound::get(&self.conn, id)? {
            Some(s) => self.keepable_record(&s),
            None => Ok(None),
        }
    }

    /// `keepable` for a message already read (the inbox lists many).
    fn keepable_record(&self, s: &store::inbound::Stored) -> Result<Option<Keepable>> {
        let (Some(tag), Some(touch)) = (s.sentiment.clone(), s.touch_id) else { return Ok(None) };
        if s.kind != "reply" || !REPLY_TAGS.contains(&tag.as_str()) {
            return Ok(None);
        }
        let Some(t) = store::enrollments::get_touch(&self.conn, touch)? else { return Ok(None) };
        let Some(e) = store::enrollments::get(&self.conn, t.enrollment_id)? else { return Ok(None) };
        if e.state != EnrollmentState::Exited || e.exit_reason != Some(ExitReason::Replied) {
            return Ok(None);
        }
        let seq = self.sequence_version(e.sequence_id)?;
        if !seq.steps[t.step].next.iter().any(|b| b.when == tag) {
            return Ok(None);
        }
        Ok(Some((e, seq, t.step, tag)))
    }

    /// Keeps the prospect of a tagged reply in the sequence: the reply ended
    /// it, and the step of the email it answers has a branch for the tag
    /// (a "not now" that should get a later nurture step, say). The
    /// enrollment runs again from that branch, scheduled from now; the
    /// reply still counts as a reply.
    pub fn keep_in_sequence(&mut self, id: i64, now: DateTime<Utc>) -> Result<BranchTaken> {
        let s = store::inbound::get(&self.conn, id)?.ok_or_else(|| Error::not_found("message", id))?;
        let Some((e, seq, at, tag)) = self.keepable(id)? else {
            let why = match (&s.sentiment, s.kind.as_str()) {
                (_, k) if k != "reply" => format!("message {id} is not a reply"),
                (None, _) => format!("tag reply {id} first (positive, neutral or negative): the sequence's branches follow the tag"),
                (Some(tag), _) => format!(
                    "the email it answers has no branch for a {tag} reply (add `{tag} = \"a later step\"` under its [steps.next]), or its sequence did not end with this reply"
                ),
            };
            return Err(Error::Conflict(format!("cannot keep this prospect in the sequence: {why}")));
        };
        let p = self.prospect(e.prospect_id)?;
        let rep = self.settings()?;
        let to = seq.steps[at].next_after(at, Some(&tag));
        let tx = self.conn.savepoint()?;
        // The exit is taken back in the results, as a corrected one is.
        let undo_exit = Entry {
            prospect_id: Some(e.prospect_id),
            enrollment_id: Some(e.id),
            sequence_id: Some(e.sequence_id),
            step: Some(e.step),
            label: Some(ExitReason::Replied.as_str().into()),
            data: json!({ "kept": id }),
            ..Entry::new(ActivityKind::Reinstated)
        };
        store::activity::append(&tx, now, &undo_exit)?;
        let taken = go(&tx, &rep, &seq, &p, &e, at, to, &tag, now)?;
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Sequences, Change::Prospects, Change::Inbox]);
        Ok(taken)
    }
}

/// Sends enrollment `e` from step `from` to `to` (or finishes it), the
/// next touch scheduled from now; logged as the branch `why` taken.
#[allow(clippy::too_many_arguments)]
fn go(
    tx: &rusqlite::Connection,
    rep: &crate::settings::RepSettings,
    seq: &Sequence,
    p: &crate::domain::Prospect,
    e: &Enrollment,
    from: usize,
    to: Option<usize>,
    why: &str,
    now: DateTime<Utc>,
) -> Result<BranchTaken> {
    let to = to.filter(|&i| i < seq.steps.len());
    let entry = Entry {
        prospect_id: Some(e.prospect_id),
        enrollment_id: Some(e.id),
        sequence_id: Some(e.sequence_id),
        step: Some(from),
        label: Some(why.to_string()),
        data: json!({ "to": to.map(|i| i + 1) }),
        ..Entry::new(ActivityKind::BranchTaken)
    };
    store::activity::append(tx, now, &entry)?;
    match to {
        Some(i) => {
            schedule_step(tx, rep, seq, p, e.id, i, now, now)?;
            store::enrollments::update(tx, e.id, EnrollmentState::Active, None, i, now)?;
            Ok(BranchTaken { enrollment: e.id, step: Some(i), to: named(seq, i) })
        }
        None => {
            store::enrollments::update(tx, e.id, EnrollmentState::Finished, None, from, now)?;
            let done = Entry {
                prospect_id: Some(e.prospect_id),
                enrollment_id: Some(e.id),
                sequence_id: Some(e.sequence_id),
                step: Some(from),
                ..Entry::new(ActivityKind::Finished)
            };
            store::activity::append(tx, now, &done)?;
            Ok(BranchTaken { enrollment: e.id, step: None, to: "the end".into() })
        }
    }
}
