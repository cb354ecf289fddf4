//! Prospects as the app and the CLI show them: the prospect, a page of the
//! table, one prospect's enrollments and timeline, an enrollment report.

use engine::api::{EnrollReport, EnrollSkip, Enrollment, TimelineEntry};
use engine::domain::Prospect;
use serde::Serialize;
use ts_rs::TS;

use crate::{utc, RejectedDto};

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
    #[ts(type = "TimezoneSource")]
    pub timezone_source: &'static str,
    pub domain: String,
    pub tags: Vec<String>,
    pub custom: std::collections::BTreeMap<String, String>,
    pub created_at: String,
}

impl From<&Prospect> for ProspectDto {
    fn from(p: &Prospect) -> Self {
        let Prospect {
            id,
            email,
            first_name,
            last_name,
            company,
            title,
            phone,
            linkedin,
            city,
            state,
            country,
            timezone,
            tz_source,
            domain,
            tags,
            extra,
            created_at,
            // Bookkeeping; not part of the prospect's documented JSON.
            updated_at: _,
        } = p;
        ProspectDto {
            id: *id,
            email: email.clone(),
            first_name: first_name.clone(),
            last_name: last_name.clone(),
            company: company.clone(),
            title: title.clone(),
            phone: phone.clone(),
            linkedin: linkedin.clone(),
            city: city.clone(),
            state: state.clone(),
            country: country.clone(),
            timezone: timezone.map(|t| t.name().to_string()),
            timezone_source: tz_source.as_str(),
            domain: domain.clone(),
            tags: tags.clone(),
            custom: extra.clone(),
            created_at: utc(*created_at),
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
        let EnrollReport { enrolled, skipped } = r;
        EnrollReportDto {
            enrolled: enrolled.len(),
            // The prospect ids are in the request; the report lists enrollments.
            enrollment_ids: enrolled.iter().map(|&(_prospect, e)| e).collect(),
            skipped: skipped.iter().map(RejectedDto::from).collect(),
        }
    }
}

impl From<&EnrollSkip> for RejectedDto {
    fn from(s: &EnrollSkip) -> Self {
        // The row names the prospect by address, as an import's rows do.
        let EnrollSkip { prospect_id: _, email, reason } = s;
        // Line 0: not a line of a file.
        RejectedDto { line: 0, email: Some(email.clone()), reason: reason.clone() }
    }
}

#[derive(Serialize, TS)]
pub struct TimelineDto {
    pub at: String,
    #[ts(type = "ActivityKind")]
    pub kind: String,
    pub sequence: Option<String>,
    pub step: Option<usize>,
    pub data: serde_json::Value,
    /// The rep undid the action that logged `kind`.
    pub undone: bool,
}

impl From<&TimelineEntry> for TimelineDto {
    fn from(t: &TimelineEntry) -> Self {
        let TimelineEntry { at, kind, sequence, step, data, undone } = t;
        TimelineDto {
            at: utc(*at),
            kind: kind.clone(),
            sequence: sequence.clone(),
            step: step.map(|s| s + 1),
            data: data.clone(),
            undone: *undone,
        }
    }
}

#[derive(Serialize, TS)]
pub struct EnrollmentDto {
    pub id: i64,
    pub sequence_version: i64,
    #[ts(type = "EnrollmentState")]
    pub state: &'static str,
    #[ts(type = "ExitReason | null")]
    pub exit_reason: Option<&'static str>,
    pub step: usize,
    pub enrolled_at: String,
    /// The sequence by slug and name, its step count, and the label of the
    /// step the enrollment is at.
    pub sequence: String,
    pub sequence_name: String,
    pub steps: usize,
    pub step_label: Option<String>,
    /// The next touch still to be worked: its channel and when it is due.
    #[ts(type = "Channel | null")]
    pub next_channel: Option<&'static str>,
    pub next_due_at: Option<String>,
    /// A LinkedIn connection request waits for its answer: the rep can mark it accepted.
    pub awaiting_acceptance: bool,
}

impl From<&engine::api::EnrollmentView> for EnrollmentDto {
    fn from(v: &engine::api::EnrollmentView) -> Self {
        let engine::api::EnrollmentView {
            enrollment,
            sequence_slug,
            sequence_name,
            version: _,
            steps,
            step_label,
            next,
            awaiting_acceptance,
        } = v;
        let Enrollment {
            id,
            // Listed under its prospect.
            prospect_id: _,
            sequence_id,
            state,
            exit_reason,
            step,
            enrolled_at,
            // Bookkeeping; not shown.
            updated_at: _,
        } = enrollment;
        EnrollmentDto {
            id: *id,
            sequence_version: *sequence_id,
            state: state.as_str(),
            exit_reason: exit_reason.map(|r| r.as_str()),
            step: step + 1,
            enrolled_at: utc(*enrolled_at),
            sequence: sequence_slug.clone(),
            sequence_name: sequence_name.clone(),
            steps: *steps,
            step_label: step_label.clone(),
            next_channel: next.map(|(c, _)| c.as_str()),
            next_due_at: next.map(|(_, at)| utc(at)),
            awaiting_acceptance: *awaiting_acceptance,
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
    /// What the mail said of the address: ok, soft_bounced, invalid, left.
    #[ts(type = "'ok' | 'soft_bounced' | 'invalid' | 'left'")]
    pub email_status: String,
    pub enrollments: Vec<EnrollmentDto>,
    pub timeline: Vec<TimelineDto>,
}

/// A branch the rep took: a LinkedIn request accepted, a reply kept in the sequence.
#[derive(Serialize, TS)]
pub struct BranchTakenDto {
    pub enrollment_id: i64,
    /// The step it goes to (1-based); null: the sequence finished.
    pub step: Option<usize>,
    /// That step's label, or "the end".
    pub to: String,
}

impl From<&engine::api::BranchTaken> for BranchTakenDto {
    fn from(b: &engine::api::BranchTaken) -> Self {
        let engine::api::BranchTaken { enrollment, step, to } = b;
        BranchTakenDto { enrollment_id: *enrollment, step: step.map(|s| s + 1), to: to.clone() }
    }
}
