//! Today's queue and working it: show a touch, approve, log, done, skip,
//! snooze; the outbox of approved emails.

use chrono::{DateTime, Utc};
use dto::{CompletedDto, OutboxDto, OutcomeInput, QueueDto, SnoozeInput, SnoozedDto, TouchDto};
use engine::api::QueueOptions;
use engine::domain::{Channel, EnrollmentState};
use engine::{Error, Result};

use crate::{rep_zone, Workspace};

/// The longest snooze by a span, in days: a year.
pub const MAX_SNOOZE_DAYS: i64 = 366;

/// A channel filter as typed by a person or sent by the window.
pub fn channel(name: &str) -> Result<Channel> {
    Channel::parse(name).ok_or_else(|| Error::Invalid(format!("unknown channel \"{name}\"; use one of {}", Channel::expected())))
}

impl Workspace {
    /// Today's due and overdue touches, optionally of one channel.
    pub fn queue(&self, channel: Option<Channel>, limit: Option<usize>) -> Result<QueueDto> {
        self.read(|e, now| e.queue(now, &QueueOptions { limit, channel }).map(|q| QueueDto::new(&q)))
    }

    /// One touch with its rendered draft, script or message.
    pub fn touch(&self, id: i64) -> Result<TouchDto> {
        self.read(|e, _| Ok(TouchDto::new(&e.touch(id)?, e.settings()?.timezone)))
    }

    /// Works a touch: approve an email (it joins the outbox and the sender is
    /// woken), log a call, mark done, skip. Says where that left the sequence.
    pub fn complete(&self, id: i64, outcome: OutcomeInput) -> Result<CompletedDto> {
        let outcome = outcome.try_into()?;
        let done = self.with(|e, now| {
            let work = |e: &mut engine::Engine| {
                let outbox = e.complete(id, outcome, now)?.map(|o| OutboxDto::new(&o, rep_zone(e)));
                let d = e.touch(id)?;
                let state = d.enrollment.state;
                let mut done = CompletedDto {
                    touch_id: id,
                    state: d.touch.state.as_str(),
                    enrollment_state: state.as_str(),
                    exit_reason: if state == EnrollmentState::Exited { d.enrollment.exit_reason.map(|r| r.as_str()) } else { None },
                    prospect_name: d.prospect.full_name(),
                    outbox,
                    what: String::new(),
                };
                done.what = completed(&done, d.touch.channel);
                Ok(done)
            };
            e.undoable(&[id], now, work, |done: &CompletedDto| done.what.clone())
        })?;
        if done.outbox.is_some() {
            self.wake();
        }
        Ok(done)
    }

    /// Moves a touch to a preset time (an hour, the next working morning,
    /// next week). Returns when it is due now.
    pub fn snooze(&self, id: i64, preset: SnoozeInput) -> Result<SnoozedDto> {
        self.with(|e, now| {
            let until = e.snooze_time(preset.into(), now)?;
            Ok(SnoozedDto { touch_id: id, due_at: dto::utc(snooze(e, id, until, now)?) })
        })
    }

    /// Moves a touch on by a span of calendar time from now ("2h", "3d"):
    /// at least a minute and at most [`MAX_SNOOZE_DAYS`] days.
    pub fn snooze_for(&self, id: i64, span: chrono::Duration) -> Result<SnoozedDto> {
        if span < chrono::Duration::minutes(1) {
            return Err(Error::Invalid("a snooze is at least a minute".into()));
        }
        if span > chrono::Duration::days(MAX_SNOOZE_DAYS) {
            return Err(Error::Invalid(format!("a snooze is at most {MAX_SNOOZE_DAYS} days (a year); give a date with --until instead")));
        }
        let until = self.now().checked_add_signed(span).ok_or_else(|| Error::Invalid("that snooze ends past the calendar".into()))?;
        self.snooze_until(id, until)
    }

    /// Moves a touch to a given time.
    pub fn snooze_until(&self, id: i64, until: DateTime<Utc>) -> Result<SnoozedDto> {
        self.with(|e, now| Ok(SnoozedDto { touch_id: id, due_at: dto::utc(snooze(e, id, until, now)?) }))
    }

    /// Approved emails and when each goes.
    pub fn outbox(&self) -> Result<Vec<OutboxDto>> {
        self.read(|e, _| {
            let tz = rep_zone(e);
            Ok(e.outbox()?.iter().map(|o| OutboxDto::new(o, tz)).collect())
        })
    }
}

impl Workspace {
    /// One action on many touches of the queue, all or nothing (the first
    /// refusal names its touch and nothing changes). A snooze takes a preset
    /// or a date and time in the rep's zone.
    pub fn bulk(&self, touches: &[i64], input: &dto::BulkInput) -> Result<dto::BulkDoneDto> {
        if touches.is_empty() {
            return Err(Error::Invalid("select touches first".into()));
        }
        let approve = matches!(input, dto::BulkInput::Approve);
        let done = self.with(|e, now| {
            let action = match input {
                dto::BulkInput::Snooze { preset: Some(p), .. } => engine::api::BulkAction::Snooze(e.snooze_time((*p).into(), now)?),
                dto::BulkInput::Snooze { until: Some(at), .. } => {
                    let local = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M")
                        .map_err(|_| Error::Invalid(format!("\"{at}\" is not a date and time like 2026-12-01T09:00")))?;
                    let tz = e.settings()?.timezone;
                    let until = engine::schedule::local_to_utc(tz, local.date(), local.time());
                    if until <= now {
                        return Err(Error::Invalid("snooze until a time in the future".into()));
                    }
                    engine::api::BulkAction::Snooze(until)
                }
                dto::BulkInput::Snooze { .. } => return Err(Error::Invalid("snooze until when? a preset or a date and time".into())),
                dto::BulkInput::Skip { reason } => engine::api::BulkAction::Skip(reason.clone().filter(|r| !r.trim().is_empty())),
                dto::BulkInput::Pause => engine::api::BulkAction::Pause,
                dto::BulkInput::Remove => engine::api::BulkAction::Remove,
                dto::BulkInput::Approve => engine::api::BulkAction::Approve,
            };
            let what = |n: &usize| match &action {
                engine::api::BulkAction::Snooze(_) => format!("Snoozed {n} touches"),
                engine::api::BulkAction::Skip(_) => format!("Skipped {n} touches"),
                engine::api::BulkAction::Pause => format!("Paused {n} sequences"),
                engine::api::BulkAction::Remove => format!("Removed {n} prospects from their sequences"),
                engine::api::BulkAction::Approve => format!("Approved {n} emails"),
            };
            e.undoable(touches, now, |e| e.bulk(touches, &action, now), what)
        })?;
        if approve {
            self.wake();
        }
        Ok(dto::BulkDoneDto { changed: done })
    }
}

/// A snooze the rep can undo.
fn snooze(e: &mut engine::Engine, id: i64, until: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    e.undoable(&[id], now, |e| e.snooze(id, until, now), |_| "Snoozed a touch".to_string())
}

/// How an undo names a worked touch.
fn completed(done: &CompletedDto, channel: Channel) -> String {
    let who = &done.prospect_name;
    match done.state {
        "approved" => format!("Approved the email to {who}"),
        "skipped" => format!("Skipped the {} for {who}", channel.label()),
        _ if channel == Channel::Call => format!("Logged the call with {who}"),
        _ => format!("Marked the {} for {who} done", channel.label()),
    }
}

impl Workspace {
    /// Takes back the latest action on the queue, if it was within the last
    /// few seconds (see [`engine::api::UNDO_WINDOW_S`]) and an approved email
    /// has not gone.
    pub fn undo(&self) -> Result<dto::UndoneDto> {
        self.with(|e, now| {
            let u = e.undo(now)?;
            Ok(dto::UndoneDto { touch_id: u.touches.first().copied(), what: u.what })
        })
    }

    /// What spreading the overdue touches over `days` working days, at most
    /// `per_day` a day, would do.
    pub fn replan_preview(&self, days: u32, per_day: usize) -> Result<dto::ReplanDto> {
        self.read(|e, now| Ok(dto::ReplanDto::new(&e.replan_preview(days, per_day, now)?, rep_zone(e))))
    }

    /// Does it, in one transaction.
    pub fn replan(&self, days: u32, per_day: usize) -> Result<dto::ReplanDto> {
        self.with(|e, now| {
            let r = e.replan(days, per_day, now)?;
            Ok(dto::ReplanDto::new(&r, rep_zone(e)))
        })
    }
}
