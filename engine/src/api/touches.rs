//! Working a touch: see it, approve it, log it, mark it done, skip it, snooze it.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::enroll::advance;
use super::{calendar, place, Engine};
use crate::activity::ActivityKind;
use crate::domain::{CallOutcome, Channel, EnrollmentState, Prospect, ProspectId, TouchId, TouchState, WorkedBy};
use crate::draft::{self, Draft};
use crate::error::{Error, Result};
use crate::events::Change;
use crate::sequence::{Sequence, Step, Thread};
use crate::store::{
    self,
    activity::Entry,
    enrollments::{Completion, Enrollment, Touch},
};

/// A touch with everything needed to act on it.
#[derive(Debug, Clone)]
pub struct TouchDetail {
    pub touch: Touch,
    pub prospect: Prospect,
    pub enrollment: Enrollment,
    pub sequence_name: String,
    pub steps: usize,
    pub step: Step,
    /// The rendered text: email draft, call script, message or instructions.
    pub draft: Draft,
}

/// How a rep finishes a touch.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// An email, as drafted or with the rep's own subject and body.
    Approve {
        subject: Option<String>,
        body: Option<String>,
    },
    Call {
        outcome: CallOutcome,
        notes: Option<String>,
        duration_s: Option<i64>,
    },
    /// A LinkedIn action, SMS or task.
    Done {
        notes: Option<String>,
    },
    Skip {
        reason: Option<String>,
    },
}

/// Where "snooze" moves a touch to, in the rep's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnoozeFor {
    Hour,
    /// The start of the rep's next working day.
    Tomorrow,
    /// The start of the rep's first working day of next week.
    NextWeek,
}

/// An approved email waiting to go out.
#[derive(Debug, Clone)]
pub struct OutboxItem {
    pub touch_id: TouchId,
    pub prospect_id: ProspectId,
    pub email: String,
    pub subject: String,
    pub send_at: DateTime<Utc>,
    pub prospect_timezone: Option<chrono_tz::Tz>,
    /// Where it is in the send ledger, and why it waits, when it does.
    pub state: crate::store::sends::SendState,
    pub reason: Option<String>,
    pub attempts: u32,
}

impl Engine {
    pub fn touch(&self, id: TouchId) -> Result<TouchDetail> {
        let touch = store::enrollments::get_touch(&self.conn, id)?.ok_or_else(|| Error::not_found("touch", id))?;
        let enrollment =
            store::enrollments::get(&self.conn, touch.enrollment_id)?.ok_or_else(|| Error::not_found("enrollment", touch.enrollment_id))?;
        let seq = self.sequence_version(enrollment.sequence_id)?;
        let prospect = self.prospect(touch.prospect_id)?;
        let step = seq.steps[touch.step].clone();
        let draft = match (&touch.subject, &touch.body) {
            // Once approved, the stored text is what goes out; pulled back
            // from the Outbox, it is the draft again, as the rep left it.
            (subject, Some(body)) if matches!(touch.state, TouchState::Approved | TouchState::Pending) => Draft {
                variant: step.variant(touch.variant).0.to_string(),
                subject: subject.clone(),
                body: body.clone(),
                missing: vec![],
                problem: None,
            },
            _ => self.render_touch(&touch, &seq, &prospect)?,
        };
        Ok(TouchDetail { sequence_name: seq.name.clone(), steps: seq.steps.len(), touch, prospect, enrollment, step, draft })
    }

    fn render_touch(&self, t: &Touch, seq: &Sequence, p: &Prospect) -> Result<Draft> {
        let rep = self.settings()?;
        let step = &seq.steps[t.step];
        let mut fields = draft::fields(p, &rep, seq);
        if let Some(signal) = store::signals::of_enrollment(&self.conn, t.enrollment_id)? {
            draft::signal_fields(&mut fields, &signal, rep.timezone);
        }
        let thread_subject =
            if step.channel == Channel::Email && step.thread == Thread::Reply { self.thread_subject(t, seq, &fields)? } else { None };
        Ok(draft::render(step, t.variant, &fields, thread_subject.as_deref()))
    }

    /// The subject of the thread an email replies in: the latest earlier email
    /// of this enrollment, as approved (or as it would render).
    fn thread_subject(&self, t: &Touch, seq: &Sequence, fields: &crate::template::Fields) -> Result<Option<String>> {
        let earlier = store::enrollments::touches_of(&self.conn, t.enrollment_id)?;
        let prev = earlier.iter().rev().find(|x| x.step < t.step && x.channel == Channel::Email && x.subject.is_some());
        if let Some(prev) = prev {
            return Ok(prev.subject.clone());
        }
        let prev_step = seq.steps[..t.step].iter().rev().find(|s| s.channel == Channel::Email && s.subject.is_some());
        Ok(prev_step.and_then(|s| s.subject.as_deref()).and_then(|src| crate::template::render(src, fields).ok()))
    }

    /// Works a pending touch and moves its enrollment on (or out).
    pub fn complete(&mut self, id: TouchId, outcome: Outcome, now: DateTime<Utc>) -> Result<Option<OutboxItem>> {
        let detail = self.touch(id)?;
        let TouchDetail { touch: t, prospect: p, enrollment: e, step, draft, .. } = detail;
        if t.state != TouchState::Pending {
            return Err(Error::Conflict(format!("touch {id} is {}, not pending", t.state)));
        }
        if e.state != EnrollmentState::Active {
            return Err(Error::Conflict(format!("the enrollment of touch {id} is {}", e.state)));
        }
        let seq: Arc<Sequence> = self.sequence_version(e.sequence_id)?;
        let rep = self.settings()?;
        let mut completion = Completion::default();
        let mut exit = None;
        let mut base = now;
        let mut outbox = None;
        let mut window_close = t.closes_at;
        let (state, kind, data) = match outcome {
            Outcome::Approve { subject, body } => {
                if t.channel.worked_by() != WorkedBy::Approving {
                    return Err(Error::Invalid(format!("touch {id} is a {}; only emails are approved", t.channel.label())));
                }
                let replaced_all = body.is_some() && (subject.is_some() || draft.subject.is_none() || step.thread == Thread::Reply);
                if draft.is_blocked() && !replaced_all {
                    if !draft.missing.is_empty() {
                        return Err(Error::Blocked { missing: draft.missing });
                    }
                    return Err(Error::Invalid(format!("this draft cannot be approved: {}", draft.problem.unwrap_or_default())));
                }
                let subject = subject.map(|s| s.trim().to_string()).or(draft.subject.clone());
                let body = body.map(|b| b.trim().to_string()).unwrap_or(draft.body.clone());
                for text in subject.iter().chain(std::iter::once(&body)) {
                    draft::check_edited(text).map_err(|m| Error::Invalid(format!("this draft cannot be approved: {m}")))?;
                }
                if body.is_empty() || subject.as_deref().is_some_and(str::is_empty) {
                    return Err(Error::Invalid("an email needs a subject and a body".into()));
                }
                // It goes out in its window; if that has passed, in the next one.
                let (send_at, closes_at) = if t.closes_at >= now {
                    (t.due_at.max(now), t.closes_at)
                } else {
                    let slot = calendar(&rep)
                        .next_slot(&seq.settings, place(&p, &rep), Channel::Email, now)
                        .ok_or_else(|| Error::Unschedulable(format!("touch {id}")))?;
                    (slot.due_at, slot.closes_at)
                };
                window_close = closes_at;
                base = send_at;
                let edited = subject != draft.subject || body != draft.body;
                outbox = Some(OutboxItem {
                    touch_id: id,
                    prospect_id: p.id,
                    email: p.email.clone(),
                    subject: subject.clone().unwrap_or_default(),
                    send_at,
                    prospect_timezone: p.timezone,
                    state: crate::store::sends::SendState::Queued,
                    reason: None,
                    attempts: 0,
                });
                completion.subject = subject;
                completion.body = Some(body);
                (
                    TouchState::Approved,
                    ActivityKind::EmailApproved,
                    json!({ "variant": draft.variant, "edited": edited, "send_at": send_at.to_rfc3339() }),
                )
            }
            Outcome::Call { outcome, notes, duration_s } => {
                if t.channel.worked_by() != WorkedBy::LoggingACall {
                    return Err(Error::Invalid(format!("touch {id} is a {}, not a call", t.channel.label())));
                }
                if duration_s.is_some_and(|d| !(0..=86_400).contains(&d)) {
                    return Err(Error::Invalid("a call lasts between 0 seconds and a day".into()));
                }
                exit = outcome.exit_reason();
                completion.outcome = Some(outcome.as_str().to_string());
                completion.notes = notes.clone();
                completion.duration_s = duration_s;
                (
                    TouchState::Done,
                    ActivityKind::CallLogged,
                    json!({ "outcome": outcome.as_str(), "notes": notes, "duration_s": duration_s }),
                )
            }
            Outcome::Done { notes } => {
                let how = match t.channel.worked_by() {
                    WorkedBy::Approving => Some("approved"),
                    WorkedBy::LoggingACall => Some("logged with an outcome"),
                    WorkedBy::MarkingDone => None,
                };
                if let Some(how) = how {
                    return Err(Error::Invalid(format!("touch {id} is a {}; it is {how}, not marked done", t.channel.label())));
                }
                completion.notes = notes.clone();
                (TouchState::Done, ActivityKind::TouchDone, json!({ "channel": t.channel.as_str(), "notes": notes }))
            }
            Outcome::Skip { reason } => {
                completion.notes = reason.clone();
                (TouchState::Skipped, ActivityKind::TouchSkipped, json!({ "channel": t.channel.as_str(), "reason": reason }))
            }
        };
        let tx = self.conn.savepoint()?;
        if let Some(o) = &outbox {
            if o.send_at != t.due_at || window_close != t.closes_at {
                store::enrollments::reschedule_touch(&tx, id, o.send_at, window_close)?;
            }
            store::sends::queue(&tx, id, o.send_at, now)?;
        }
        store::enrollments::complete_touch(&tx, id, state, &completion, now)?;
        let label = match kind {
            ActivityKind::CallLogged => completion.outcome.clone(),
            ActivityKind::TouchDone | ActivityKind::TouchSkipped => Some(t.channel.as_str().to_string()),
            _ => None,
        };
        let variant = (t.channel == Channel::Email).then_some(t.variant);
        let entry = Entry {
            kind,
            prospect_id: Some(p.id),
            enrollment_id: Some(e.id),
            touch_id: Some(id),
            sequence_id: Some(e.sequence_id),
            step: Some(t.step),
            variant,
            label,
            data,
        };
        store::activity::append(&tx, now, &entry)?;
        let took = match kind {
            ActivityKind::CallLogged => completion.outcome.as_deref(),
            ActivityKind::TouchDone if t.channel == Channel::LinkedinConnect => Some(super::enroll::REQUESTED),
            _ => None,
        };
        advance(&tx, &rep, &seq, &p, &e, exit, took, base, now)?;
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Outbox, Change::Sequences]);
        Ok(outbox)
    }

    /// Moves a pending touch to `until` (or the first fitting slot after it).
    pub fn snooze(&mut self, id: TouchId, until: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
        let t = store::enrollments::get_touch(&self.conn, id)?.ok_or_else(|| Error::not_found("touch", id))?;
        if t.state != TouchState::Pending {
            return Err(Error::Conflict(format!("touch {id} is {}, not pending", t.state)));
        }
        if until <= now {
            return Err(Error::Invalid("snooze until a time in the future".into()));
        }
        let e = store::enrollments::get(&self.conn, t.enrollment_id)?.ok_or_else(|| Error::not_found("enrollment", t.enrollment_id))?;
        let seq = self.sequence_version(e.sequence_id)?;
        let p = self.prospect(t.prospect_id)?;
        let rep = self.settings()?;
        let slot = calendar(&rep)
            .next_slot(&seq.settings, place(&p, &rep), t.channel, until)
            .ok_or_else(|| Error::Unschedulable(format!("touch {id}")))?;
        let tx = self.conn.savepoint()?;
        store::enrollments::reschedule_touch(&tx, id, slot.due_at, slot.closes_at)?;
        let data = json!({ "until": until.to_rfc3339(), "due_at": slot.due_at.to_rfc3339() });
        let entry = Entry {
            prospect_id: Some(p.id),
            enrollment_id: Some(e.id),
            touch_id: Some(id),
            sequence_id: Some(e.sequence_id),
            step: Some(t.step),
            data,
            ..Entry::new(ActivityKind::TouchSnoozed)
        };
        store::activity::append(&tx, now, &entry)?;
        tx.commit()?;
        self.changed(&[Change::Queue]);
        Ok(slot.due_at)
    }

    /// The time a snooze preset stands for, seen from `now`.
    pub fn snooze_time(&self, what: SnoozeFor, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
        let rep = self.settings()?;
        let cal = calendar(&rep);
        let today = cal.rep_date(now);
        let day = match what {
            SnoozeFor::Hour => return Ok(now + chrono::Duration::hours(1)),
            SnoozeFor::Tomorrow => cal.working_day_on_or_after(today + chrono::Duration::days(1)),
            SnoozeFor::NextWeek => {
                let monday = today + chrono::Duration::days(7 - i64::from(chrono::Datelike::weekday(&today).num_days_from_monday()));
                cal.working_day_on_or_after(monday)
            }
        };
        Ok(crate::schedule::local_to_utc(rep.timezone, day, rep.day_start))
    }

    /// Approved emails not sent yet (queued, sending, held, failed), soonest first.
    pub fn outbox(&self) -> Result<Vec<OutboxItem>> {
        use crate::store::sends::SendState;
        store::enrollments::approved(&self.conn)?
            .into_iter()
            .map(|t| {
                let p = self.prospect(t.prospect_id)?;
                let s = store::sends::get(&self.conn, t.id)?;
                let send_at = s.as_ref().map_or(t.due_at, |s| s.not_before.max(t.due_at));
                Ok(OutboxItem {
                    touch_id: t.id,
                    prospect_id: p.id,
                    email: p.email,
                    subject: t.subject.unwrap_or_default(),
                    send_at,
                    prospect_timezone: p.timezone,
                    state: s.as_ref().map_or(SendState::Queued, |s| s.state),
                    reason: s.as_ref().and_then(|s| s.reason.clone()),
                    attempts: s.as_ref().map_or(0, |s| s.attempts),
                })
            })
            .collect()
    }
}
