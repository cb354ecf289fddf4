//! Data transfer objects: the only place engine data becomes JSON. Domain
//! types carry no serialisation; each DTO is built from them explicitly.
//! Field names here are a public contract (README, "JSON output").

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use engine::api::{ChannelCount, Enrollment, OutboxItem, Queue, QueueItem, SampleReport, TouchDetail};
use engine::settings::{AwayPeriod, RepSettings};
use serde::Serialize;
use ts_rs::TS;

mod app;
mod import;
mod input;
mod mailbox;
mod prospects;
mod results;
mod sequences;
mod signals;
pub mod typescript;
pub use app::*;
pub use import::*;
pub use input::*;
pub use mailbox::*;
pub use prospects::*;
pub use results::*;
pub use sequences::*;
pub use signals::*;

/// RFC 3339 in UTC, to the second.
pub fn utc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A day of the week as settings spell it: `mon`, `tue`...
pub(crate) fn weekday(d: chrono::Weekday) -> String {
    d.to_string().to_lowercase()
}

/// RFC 3339 with the zone's offset.
pub fn local(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[derive(Serialize, TS, Clone, Debug)]
pub struct ErrorDto {
    #[ts(type = "ErrorCode")]
    pub code: &'static str,
    pub message: String,
}

impl From<&engine::Error> for ErrorDto {
    fn from(e: &engine::Error) -> Self {
        ErrorDto { code: e.code().as_str(), message: e.to_string() }
    }
}

#[derive(Serialize, TS)]
pub struct ChannelCountDto {
    #[ts(type = "Channel")]
    pub channel: &'static str,
    pub due: usize,
    pub overdue: usize,
}

#[derive(Serialize, TS)]
pub struct QueueDto {
    pub day: String,
    pub timezone: String,
    pub total: usize,
    pub overdue: usize,
    pub counts: Vec<ChannelCountDto>,
    pub items: Vec<QueueItemDto>,
}

#[derive(Serialize, TS)]
pub struct QueueItemDto {
    pub touch_id: i64,
    pub enrollment_id: i64,
    pub prospect_id: i64,
    pub name: String,
    pub email: String,
    pub company: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub linkedin: Option<String>,
    pub prospect_timezone: Option<String>,
    #[ts(type = "Channel")]
    pub channel: &'static str,
    pub sequence: String,
    pub step: usize,
    pub steps: usize,
    pub step_label: Option<String>,
    pub needs_approval: bool,
    pub due_at: String,
    pub due_rep_local: String,
    pub due_prospect_local: Option<String>,
    pub closes_at: String,
    pub overdue: bool,
    pub days_late: u32,
    pub why: String,
    /// A call whose prospect's zone is known: inside their calling hours now?
    pub reachable_now: Option<bool>,
    /// Their calling hours now, or the next ones: opening and closing, in the
    /// rep's zone and in theirs.
    pub reach_opens_rep_local: Option<String>,
    pub reach_opens_prospect_local: Option<String>,
    pub reach_closes_prospect_local: Option<String>,
}

impl From<&ChannelCount> for ChannelCountDto {
    fn from(c: &ChannelCount) -> Self {
        let ChannelCount { channel, due, overdue } = *c;
        ChannelCountDto { channel: channel.as_str(), due, overdue }
    }
}

impl QueueDto {
    pub fn new(q: &Queue) -> Self {
        let Queue { day, rep_timezone, counts, total, overdue, items } = q;
        QueueDto {
            day: day.to_string(),
            timezone: rep_timezone.name().to_string(),
            total: *total,
            overdue: *overdue,
            counts: counts.iter().map(ChannelCountDto::from).collect(),
            items: items.iter().map(|i| QueueItemDto::new(i, *rep_timezone)).collect(),
        }
    }
}

impl QueueItemDto {
    pub fn new(i: &QueueItem, rep_tz: Tz) -> Self {
        let QueueItem {
            touch_id,
            enrollment_id,
            prospect_id,
            name,
            email,
            company,
            title,
            phone,
            linkedin,
            prospect_timezone,
            channel,
            // The version's row id is internal; the item names its sequence.
            sequence_id: _,
            sequence_name,
            step,
            steps,
            step_label,
            needs_approval,
            due_at,
            closes_at,
            overdue,
            days_late,
            why,
            reach,
        } = i;
        QueueItemDto {
            touch_id: *touch_id,
            enrollment_id: *enrollment_id,
            prospect_id: *prospect_id,
            name: name.clone(),
            email: email.clone(),
            company: company.clone(),
            title: title.clone(),
            phone: phone.clone(),
            linkedin: linkedin.clone(),
            prospect_timezone: prospect_timezone.map(|t| t.name().to_string()),
            channel: channel.as_str(),
            sequence: sequence_name.clone(),
            step: step + 1,
            steps: *steps,
            step_label: step_label.clone(),
            needs_approval: *needs_approval,
            due_at: utc(*due_at),
            due_rep_local: local(*due_at, rep_tz),
            due_prospect_local: prospect_timezone.map(|z| local(*due_at, z)),
            closes_at: utc(*closes_at),
            overdue: *overdue,
            days_late: *days_late,
            why: why.clone(),
            reachable_now: reach.map(|r| r.now),
            reach_opens_rep_local: reach.map(|r| local(r.opens, rep_tz)),
            reach_opens_prospect_local: reach.zip(*prospect_timezone).map(|(r, z)| local(r.opens, z)),
            reach_closes_prospect_local: reach.zip(*prospect_timezone).map(|(r, z)| local(r.closes, z)),
        }
    }
}

#[derive(Serialize, TS)]
pub struct TouchDto {
    pub touch_id: i64,
    pub enrollment_id: i64,
    #[ts(type = "TouchState")]
    pub state: &'static str,
    #[ts(type = "Channel")]
    pub channel: &'static str,
    pub sequence: String,
    pub step: usize,
    pub steps: usize,
    pub due_at: String,
    /// The due (for emails: send) time in the rep's zone and the prospect's.
    pub due_rep_local: String,
    pub due_prospect_local: Option<String>,
    pub closes_at: String,
    pub label: Option<String>,
    pub needs_approval: bool,
    pub prospect: ProspectDto,
    pub variant: String,
    pub subject: Option<String>,
    pub text: String,
    pub blocked: bool,
    /// Prospect fields the draft needs and does not have.
    pub missing_fields: Vec<String>,
    /// The rep's own settings the draft needs (signature, sender name...).
    pub missing_settings: Vec<String>,
    pub problem: Option<String>,
    /// A logged call's outcome.
    #[ts(type = "CallOutcome | null")]
    pub outcome: Option<String>,
    pub notes: Option<String>,
}

impl TouchDto {
    pub fn new(d: &TouchDetail, rep_tz: Tz) -> Self {
        let TouchDetail { touch, prospect, enrollment, sequence_name, steps, step, draft } = d;
        let engine::api::Touch {
            id,
            // The same as `enrollment.id`.
            enrollment_id: _,
            // The same as `prospect.id`.
            prospect_id: _,
            step: index,
            channel,
            state,
            due_at,
            closes_at,
            // The draft names the variant it was rendered from.
            variant: _,
            // The stored text (once approved) is what the draft shows.
            subject: _,
            body: _,
            outcome,
            notes,
            // Not shown on a touch (the timeline has it).
            duration_s: _,
            completed_at: _,
        } = touch;
        // Only the id: the prospect's enrollments are shown with the prospect.
        let Enrollment {
            id: enrollment_id,
            prospect_id: _,
            sequence_id: _,
            state: _,
            exit_reason: _,
            step: _,
            enrolled_at: _,
            updated_at: _,
        } = enrollment;
        let engine::sequence::Step {
            label,
            approval,
            // The touch's own channel (the same) is sent.
            channel: _,
            // What the step says is in the draft, rendered; the sequence view
            // (`StepDto`) shows the step as written.
            delay: _,
            thread: _,
            breakup: _,
            subject: _,
            text: _,
            variants: _,
            // Where it leads is shown with the sequence (`StepDto::next`).
            next: _,
            accept_within: _,
        } = step;
        let engine::draft::Draft { variant, subject, body, missing, problem } = draft;
        TouchDto {
            touch_id: *id,
            enrollment_id: *enrollment_id,
            state: state.as_str(),
            channel: channel.as_str(),
            sequence: sequence_name.clone(),
            step: index + 1,
            steps: *steps,
            due_at: utc(*due_at),
            due_rep_local: local(*due_at, rep_tz),
            due_prospect_local: prospect.timezone.map(|z| local(*due_at, z)),
            closes_at: utc(*closes_at),
            label: label.clone(),
            needs_approval: *approval,
            prospect: ProspectDto::from(prospect),
            variant: variant.clone(),
            subject: subject.clone(),
            text: body.clone(),
            blocked: draft.is_blocked(),
            missing_fields: missing.iter().filter(|f| !engine::draft::REP_FIELDS.contains(&f.as_str())).cloned().collect(),
            // A missing first name of the sender is asked for as the whole name.
            missing_settings: {
                let mut m: Vec<String> = missing
                    .iter()
                    .filter(|f| engine::draft::REP_FIELDS.contains(&f.as_str()))
                    .map(|f| if f == "sender_first_name" || f == "signature" { "sender_name".to_string() } else { f.clone() })
                    .collect();
                m.dedup();
                m
            },
            problem: problem.clone(),
            outcome: outcome.clone(),
            notes: notes.clone(),
        }
    }
}

#[derive(Serialize, TS)]
pub struct OutboxDto {
    pub touch_id: i64,
    pub prospect_id: i64,
    pub email: String,
    pub subject: String,
    pub send_at: String,
    pub send_rep_local: String,
    pub send_prospect_local: Option<String>,
    /// Queued, sending, held or failed (sent and cancelled ones are not in the outbox).
    #[ts(type = "SendState")]
    pub state: String,
    /// Why it waits, is held or failed, in words.
    pub reason: Option<String>,
    pub attempts: u32,
}

impl OutboxDto {
    pub fn new(o: &OutboxItem, rep_tz: Tz) -> Self {
        let OutboxItem { touch_id, prospect_id, email, subject, send_at, prospect_timezone, state, reason, attempts } = o;
        OutboxDto {
            touch_id: *touch_id,
            prospect_id: *prospect_id,
            email: email.clone(),
            subject: subject.clone(),
            send_at: utc(*send_at),
            send_rep_local: local(*send_at, rep_tz),
            send_prospect_local: prospect_timezone.map(|z| local(*send_at, z)),
            state: state.as_str().to_string(),
            reason: reason.clone(),
            attempts: *attempts,
        }
    }
}

#[derive(Serialize, TS)]
pub struct SettingsDto {
    pub timezone: String,
    #[ts(type = "Array<Weekday>")]
    pub working_days: Vec<String>,
    pub hours: String,
    pub holiday_country: Option<String>,
    pub away: Vec<(String, String)>,
    pub sender_name: String,
    pub sender_company: String,
    pub signature: String,
    pub opt_out: String,
    pub notifications: bool,
}

impl From<&RepSettings> for SettingsDto {
    fn from(s: &RepSettings) -> Self {
        let RepSettings {
            timezone,
            working_days,
            day_start,
            day_end,
            holiday_country,
            away,
            sender_name,
            sender_company,
            signature,
            opt_out,
            notifications,
        } = s;
        SettingsDto {
            timezone: timezone.name().to_string(),
            working_days: working_days.iter().map(|&d| weekday(d)).collect(),
            hours: format!("{}-{}", day_start.format("%H:%M"), day_end.format("%H:%M")),
            holiday_country: holiday_country.clone(),
            away: away.iter().map(|&AwayPeriod { from, to }| (from.to_string(), to.to_string())).collect(),
            sender_name: sender_name.clone(),
            sender_company: sender_company.clone(),
            signature: signature.clone(),
            opt_out: opt_out.clone(),
            notifications: *notifications,
        }
    }
}

/// What the app needs at start: is this a first run, and where is the data.
#[derive(Serialize, TS)]
pub struct WorkspaceDto {
    pub prospects: i64,
    pub database: String,
    pub timezone: String,
    pub now: String,
    /// `CADENCE_TRACE` is set: the UI reports its timings (benchmarks).
    pub trace: bool,
}

/// Sent with every `changed` event: which views to refresh.
#[derive(Serialize, TS, Clone, Debug)]
pub struct ChangedDto {
    #[ts(type = "Array<View>")]
    pub what: Vec<String>,
}

impl ChangedDto {
    pub fn new(what: &[engine::events::Change]) -> Self {
        ChangedDto { what: what.iter().map(|c| c.as_str().to_string()).collect() }
    }
}

#[derive(Serialize, TS)]
pub struct SampleReportDto {
    pub prospects: usize,
    pub enrollments: usize,
}

impl From<&SampleReport> for SampleReportDto {
    fn from(r: &SampleReport) -> Self {
        // The app's first-run note counts prospects and enrollments only.
        let SampleReport { prospects, active_enrollments, touches: _ } = r;
        SampleReportDto { prospects: *prospects, enrollments: *active_enrollments }
    }
}
