//! The daily queue: everything due by the end of the rep's day, overdue first,
//! then by how soon each touch's window closes. Emails that send before the
//! rep's next working session (a prospect whose morning is the rep's night)
//! are in today's queue too, so they are approved ahead of their window.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

use super::{calendar, Engine};
use crate::domain::{display_name, Channel, EnrollmentId, ProspectId, SequenceVersionId, Timing, TouchId};
use crate::error::Result;
use crate::schedule::{local_to_utc, reach, start_of_day, Reach};
use crate::store::{
    self,
    queue::{Horizon, QueueRow},
};

#[derive(Debug, Clone, Default)]
pub struct QueueOptions {
    /// Items to return (counts always cover the whole queue). `None`: all.
    pub limit: Option<usize>,
    pub channel: Option<Channel>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChannelCount {
    pub channel: Channel,
    pub due: usize,
    pub overdue: usize,
}

#[derive(Debug, Clone)]
pub struct Queue {
    /// The rep's local date the queue is for.
    pub day: NaiveDate,
    pub rep_timezone: Tz,
    pub counts: Vec<ChannelCount>,
    pub total: usize,
    pub overdue: usize,
    pub items: Vec<QueueItem>,
}

#[derive(Debug, Clone)]
pub struct QueueItem {
    pub touch_id: TouchId,
    pub enrollment_id: EnrollmentId,
    pub prospect_id: ProspectId,
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub linkedin: Option<String>,
    /// `None` when the prospect's zone is unknown (times then use the rep's).
    pub prospect_timezone: Option<Tz>,
    pub channel: Channel,
    pub sequence_id: SequenceVersionId,
    pub sequence_name: String,
    /// 0-based step index and the sequence's step count.
    pub step: usize,
    pub steps: usize,
    pub step_label: Option<String>,
    pub needs_approval: bool,
    pub due_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub overdue: bool,
    /// Working days since it was due (0 unless overdue).
    pub days_late: u32,
    /// Why it is in today's queue, in words.
    pub why: String,
    /// A call: when the prospect can be reached (their calling hours); `None`
    /// for other channels or an unknown zone.
    pub reach: Option<Reach>,
}

impl Engine {
    pub fn queue(&self, now: DateTime<Utc>, opts: &QueueOptions) -> Result<Queue> {
        let rep = self.settings()?;
        let cal = calendar(&rep);
        let tz = rep.timezone;
        let today = cal.rep_date(now);
        let day_start = start_of_day(tz, today);
        let day_end = start_of_day(tz, today + Duration::days(1));
        let next_work_day = cal.working_day_on_or_after(today + Duration::days(1));
        let email_until = local_to_utc(tz, next_work_day, rep.day_start);
        let horizon = Horizon { day_start, day_end, email_until };

        let counts: Vec<ChannelCount> = store::queue::counts(&self.conn, horizon)?
            .into_iter()
            .map(|(channel, due, overdue)| ChannelCount { channel, due, overdue })
            .collect();
        let mut counts = counts;
        counts.sort_by_key(|c| (c.channel.work_rank(), c.channel));
        let total = counts.iter().map(|c| c.due).sum();
        let overdue = counts.iter().map(|c| c.overdue).sum();

        let limit = opts.limit.unwrap_or(usize::MAX);
        let channel = opts.channel;
        let mut rows = store::queue::overdue(&self.conn, day_start, limit, channel)?;
        if rows.len() < limit {
            rows.extend(store::queue::due_today(&self.conn, horizon, limit - rows.len(), channel)?);
        }
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            items.push(self.queue_item(r, today, day_start, &rep, now)?);
        }
        order_calls(&mut items);
        Ok(Queue { day: today, rep_timezone: tz, counts, total, overdue, items })
    }

    fn queue_item(
        &self,
        r: QueueRow,
        today: NaiveDate,
        day_start: DateTime<Utc>,
        rep: &crate::settings::RepSettings,
        now: DateTime<Utc>,
    ) -> Result<QueueItem> {
        let seq = self.sequence_version(r.sequence_id)?;
        let step = &seq.steps[r.step.min(seq.steps.len() - 1)];
        let overdue = r.due_at < day_start;
        let cal = calendar(rep);
        let days_late = if overdue { cal.business_days_between(cal.rep_date(r.due_at), today).max(1) } else { 0 };
        let ptz: Option<Tz> = r.timezone.as_deref().and_then(|t| t.parse().ok());
        let name = display_name(r.first_name.as_deref(), r.last_name.as_deref(), &r.email);
        // "09:30", or "Tue 02:30" when not on the rep's today.
        let hm = |t: DateTime<Utc>, z: Tz| {
            let local = t.with_timezone(&z);
            if t.with_timezone(&rep.timezone).date_naive() == today {
                local.format("%H:%M").to_string()
            } else {
                local.format("%a %H:%M").to_string()
            }
        };
        let timing = if overdue {
            let when = r.due_at.with_timezone(&rep.timezone).format("%a %-d %b");
            format!("was due {when}, {days_late} working day{} late", if days_late == 1 { "" } else { "s" })
        } else {
            match (r.channel.timing(), ptz) {
                (Timing::ProspectWindow, Some(z)) => format!(
                    "sends from {} their time ({} yours); their window closes {}",
                    hm(r.due_at, z),
                    hm(r.due_at, rep.timezone),
                    hm(r.closes_at, z)
                ),
                (Timing::ProspectWindow, None) => {
                    format!("sends from {} your time (their time zone is unknown)", hm(r.due_at, rep.timezone))
                }
                (Timing::CallHours, Some(z)) => format!("call from {} your time ({} theirs)", hm(r.due_at, rep.timezone), hm(r.due_at, z)),
                _ => format!("due today from {}", hm(r.due_at, rep.timezone)),
            }
        };
        let label = step.label.as_deref().map(|l| format!(" ({l})")).unwrap_or_default();
        let why = format!("Step {} of {}{label} in \"{}\": {timing}.", r.step + 1, seq.steps.len(), seq.name);
        Ok(QueueItem {
            touch_id: r.touch_id,
            enrollment_id: r.enrollment_id,
            prospect_id: r.prospect_id,
            name,
            email: r.email,
            company: r.company,
            title: r.title,
            phone: r.phone,
            linkedin: r.linkedin,
            prospect_timezone: ptz,
            channel: r.channel,
            sequence_id: r.sequence_id,
            sequence_name: r.sequence_name,
            step: r.step,
            steps: seq.steps.len(),
            step_label: step.label.clone(),
            needs_approval: step.approval,
            due_at: r.due_at,
            closes_at: r.closes_at,
            overdue,
            days_late,
            why,
            reach: match (r.channel, ptz) {
                (Channel::Call, Some(z)) => reach(z, seq.settings.call_hours, &seq.settings.working_days, now),
                _ => None,
            },
        })
    }
}

/// Calls in the order they can be made: whoever can be reached now, then
/// those whose zone is unknown, then by when their hours open. Overdue calls
/// stay ahead of today's, and every other item keeps its place.
fn order_calls(items: &mut [QueueItem]) {
    let at: Vec<usize> = items.iter().enumerate().filter(|(_, i)| i.channel == Channel::Call).map(|(n, _)| n).collect();
    let mut calls: Vec<QueueItem> = at.iter().map(|&n| items[n].clone()).collect();
    calls.sort_by_key(|i| match i.reach {
        Some(r) if r.now => (!i.overdue, 0, None),
        None => (!i.overdue, 1, None),
        Some(r) => (!i.overdue, 2, Some(r.opens)),
    });
    for (n, call) in at.into_iter().zip(calls) {
        items[n] = call;
    }
}
