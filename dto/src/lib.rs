//! Data transfer objects: the only place engine data becomes JSON. Domain
//! types carry no serialisation; each DTO is built from them explicitly.
//! Field names here are a public contract (README, "JSON output").

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use engine::api::{self, EnrollReport, Queue, QueueItem, TimelineEntry, TouchDetail};
use engine::domain::Prospect;
use engine::settings::RepSettings;
use serde::Serialize;
use ts_rs::TS;

mod import;
mod input;
mod mailbox;
mod results;
mod sequences;
pub mod typescript;
pub use import::*;
pub use input::*;
pub use mailbox::*;
pub use results::*;
pub use sequences::*;

/// RFC 3339 in UTC, to the second.
pub fn utc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// RFC 3339 with the zone's offset.
pub fn local(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[derive(Serialize, TS)]
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
}

impl QueueDto {
    pub fn new(q: &Queue) -> Self {
        QueueDto {
            day: q.day.to_string(),
            timezone: q.rep_timezone.name().to_string(),
            total: q.total,
            overdue: q.overdue,
            counts: q.counts.iter().map(|c| ChannelCountDto { channel: c.channel.as_str(), due: c.due, overdue: c.overdue }).collect(),
            items: q.items.iter().map(|i| QueueItemDto::new(i, q.rep_timezone)).collect(),
        }
    }
}

impl QueueItemDto {
    pub fn new(i: &QueueItem, rep_tz: Tz) -> Self {
        QueueItemDto {
            touch_id: i.touch_id,
            enrollment_id: i.enrollment_id,
            prospect_id: i.prospect_id,
            name: i.name.clone(),
            email: i.email.clone(),
            company: i.company.clone(),
            title: i.title.clone(),
            phone: i.phone.clone(),
            linkedin: i.linkedin.clone(),
            prospect_timezone: i.prospect_timezone.map(|t| t.name().to_string()),
            channel: i.channel.as_str(),
            sequence: i.sequence_name.clone(),
            step: i.step + 1,
            steps: i.steps,
            step_label: i.step_label.clone(),
            needs_approval: i.needs_approval,
            due_at: utc(i.due_at),
            due_rep_local: local(i.due_at, rep_tz),
            due_prospect_local: i.prospect_timezone.map(|z| local(i.due_at, z)),
            closes_at: utc(i.closes_at),
            overdue: i.overdue,
            days_late: i.days_late,
            why: i.why.clone(),
        }
    }
}

#[derive(Serialize, TS)]
pub struct ProspectDto {
    pub id: i64,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub linkedin: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub timezone: Option<String>,
    #[ts(type = "string")]
    pub timezone_source: &'static str,
    pub domain: String,
    pub tags: Vec<String>,
    pub custom: std::collections::BTreeMap<String, String>,
    pub created_at: String,
}

impl From<&Prospect> for ProspectDto {
    fn from(p: &Prospect) -> Self {
        ProspectDto {
            id: p.id,
            email: p.email.clone(),
            first_name: p.first_name.clone(),
            last_name: p.last_name.clone(),
            company: p.company.clone(),
            title: p.title.clone(),
            phone: p.phone.clone(),
            linkedin: p.linkedin.clone(),
            city: p.city.clone(),
            state: p.state.clone(),
            country: p.country.clone(),
            timezone: p.timezone.map(|t| t.name().to_string()),
            timezone_source: p.tz_source.as_str(),
            domain: p.domain.clone(),
            tags: p.tags.clone(),
            custom: p.extra.clone(),
            created_at: utc(p.created_at),
        }
    }
}

#[derive(Serialize, TS)]
pub struct EnrollReportDto {
    pub enrolled: usize,
    pub enrollment_ids: Vec<i64>,
    pub skipped: Vec<RejectedDto>,
}

impl From<&EnrollReport> for EnrollReportDto {
    fn from(r: &EnrollReport) -> Self {
        EnrollReportDto {
            enrolled: r.enrolled.len(),
            enrollment_ids: r.enrolled.iter().map(|(_, e)| *e).collect(),
            skipped: r.skipped.iter().map(|s| RejectedDto { line: 0, email: Some(s.email.clone()), reason: s.reason.clone() }).collect(),
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
    pub outcome: Option<String>,
    pub notes: Option<String>,
}

impl TouchDto {
    pub fn new(d: &TouchDetail, rep_tz: Tz) -> Self {
        TouchDto {
            touch_id: d.touch.id,
            enrollment_id: d.enrollment.id,
            state: d.touch.state.as_str(),
            channel: d.touch.channel.as_str(),
            sequence: d.sequence_name.clone(),
            step: d.touch.step + 1,
            steps: d.steps,
            due_at: utc(d.touch.due_at),
            due_rep_local: local(d.touch.due_at, rep_tz),
            due_prospect_local: d.prospect.timezone.map(|z| local(d.touch.due_at, z)),
            closes_at: utc(d.touch.closes_at),
            label: d.step.label.clone(),
            needs_approval: d.step.approval,
            prospect: ProspectDto::from(&d.prospect),
            variant: d.draft.variant.clone(),
            subject: d.draft.subject.clone(),
            text: d.draft.body.clone(),
            blocked: d.draft.is_blocked(),
            missing_fields: d.draft.missing.iter().filter(|f| !engine::draft::REP_FIELDS.contains(&f.as_str())).cloned().collect(),
            // A missing first name of the sender is asked for as the whole name.
            missing_settings: {
                let mut m: Vec<String> = d.draft.missing.iter().filter(|f| engine::draft::REP_FIELDS.contains(&f.as_str())).map(|f| if f == "sender_first_name" || f == "signature" { "sender_name".to_string() } else { f.clone() }).collect();
                m.dedup();
                m
            },
            problem: d.draft.problem.clone(),
            outcome: d.touch.outcome.clone(),
            notes: d.touch.notes.clone(),
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
    /// queued | sending | held | failed
    pub state: String,
    /// Why it waits, is held or failed, in words.
    pub reason: Option<String>,
    pub attempts: u32,
}

impl OutboxDto {
    pub fn new(o: &api::OutboxItem, rep_tz: Tz) -> Self {
        OutboxDto {
            touch_id: o.touch_id,
            prospect_id: o.prospect_id,
            email: o.email.clone(),
            subject: o.subject.clone(),
            send_at: utc(o.send_at),
            send_rep_local: local(o.send_at, rep_tz),
            send_prospect_local: o.prospect_timezone.map(|z| local(o.send_at, z)),
            state: o.state.as_str().to_string(),
            reason: o.reason.clone(),
            attempts: o.attempts,
        }
    }
}

#[derive(Serialize, TS)]
pub struct TimelineDto {
    pub at: String,
    pub kind: String,
    pub sequence: Option<String>,
    pub step: Option<usize>,
    pub data: serde_json::Value,
}

impl From<&TimelineEntry> for TimelineDto {
    fn from(t: &TimelineEntry) -> Self {
        TimelineDto { at: utc(t.at), kind: t.kind.clone(), sequence: t.sequence.clone(), step: t.step.map(|s| s + 1), data: t.data.clone() }
    }
}

#[derive(Serialize, TS)]
pub struct EnrollmentDto {
    pub id: i64,
    pub sequence_version: i64,
    #[ts(type = "EnrollmentState")]
    pub state: &'static str,
    #[ts(type = "string | null")]
    pub exit_reason: Option<&'static str>,
    pub step: usize,
    pub enrolled_at: String,
}

impl From<&engine::store::enrollments::Enrollment> for EnrollmentDto {
    fn from(e: &engine::store::enrollments::Enrollment) -> Self {
        EnrollmentDto {
            id: e.id,
            sequence_version: e.sequence_id,
            state: e.state.as_str(),
            exit_reason: e.exit_reason.map(|r| r.as_str()),
            step: e.step + 1,
            enrolled_at: utc(e.enrolled_at),
        }
    }
}

#[derive(Serialize, TS)]
pub struct SettingsDto {
    pub timezone: String,
    pub working_days: Vec<String>,
    pub hours: String,
    pub holiday_country: Option<String>,
    pub away: Vec<(String, String)>,
    pub sender_name: String,
    pub sender_company: String,
    pub signature: String,
    pub opt_out: String,
}

impl From<&RepSettings> for SettingsDto {
    fn from(s: &RepSettings) -> Self {
        SettingsDto {
            timezone: s.timezone.name().to_string(),
            working_days: s.working_days.iter().map(|d| d.to_string().to_lowercase()).collect(),
            hours: format!("{}-{}", s.day_start.format("%H:%M"), s.day_end.format("%H:%M")),
            holiday_country: s.holiday_country.clone(),
            away: s.away.iter().map(|a| (a.from.to_string(), a.to.to_string())).collect(),
            sender_name: s.sender_name.clone(),
            sender_company: s.sender_company.clone(),
            signature: s.signature.clone(),
            opt_out: s.opt_out.clone(),
        }
    }
}

#[derive(Serialize, TS)]
pub struct ProspectPageDto {
    pub total: i64,
    pub offset: usize,
    pub items: Vec<ProspectDto>,
}

#[derive(Serialize, TS)]
pub struct ProspectDetailDto {
    pub prospect: ProspectDto,
    pub enrollments: Vec<EnrollmentDto>,
    pub timeline: Vec<TimelineDto>,
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
#[derive(Serialize, TS, Clone)]
pub struct ChangedDto {
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
