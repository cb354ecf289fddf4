//! Replies of the application layer (`cadence-workspace`) that are not a view
//! of one engine type: what an action did. The CLI's `--json` prints these,
//! and the desktop gets the same shapes over IPC.

use serde::Serialize;
use ts_rs::TS;

use crate::{EnrollReportDto, ErrorDto, ImportReportDto, InboundDto, OutboxDto};

/// `cadence sample`: what the generator made.
#[derive(Serialize, TS, Debug)]
pub struct SampleDto {
    pub prospects: usize,
    pub active_enrollments: usize,
    pub touches: usize,
}

/// An import, and the enrollment made from it when one was asked for.
#[derive(Serialize, TS)]
pub struct ImportDoneDto {
    #[serde(flatten)]
    #[ts(flatten)]
    pub report: ImportReportDto,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub enrollment: Option<EnrollReportDto>,
}

/// A touch worked (approved, logged, done, skipped), and where that left
/// the prospect's sequence.
#[derive(Serialize, TS)]
pub struct CompletedDto {
    pub touch_id: i64,
    #[ts(type = "TouchState")]
    pub state: &'static str,
    #[ts(type = "EnrollmentState")]
    pub enrollment_state: &'static str,
    /// Why the sequence ended, when this touch ended it.
    #[ts(type = "ExitReason | null")]
    pub exit_reason: Option<&'static str>,
    pub prospect_name: String,
    /// The approved email as it waits in the outbox (emails only).
    pub outbox: Option<OutboxDto>,
}

/// A touch moved to later.
#[derive(Serialize, TS)]
pub struct SnoozedDto {
    pub touch_id: i64,
    pub due_at: String,
}

/// An enrollment paused, resumed or removed.
#[derive(Serialize, TS)]
pub struct EnrollmentStateDto {
    pub enrollment_id: i64,
    #[ts(type = "EnrollmentState")]
    pub state: &'static str,
}

/// An address or domain put on the do-not-contact list.
#[derive(Serialize, TS)]
pub struct DncDto {
    pub entry: String,
    pub enrollments_ended: usize,
}

/// Time away, and how many touches moved to after it.
#[derive(Serialize, TS)]
pub struct AwayDto {
    pub from: String,
    pub to: String,
    pub touches_moved: usize,
}

/// The password was saved; in which keyring (never the password).
#[derive(Serialize, TS)]
pub struct PasswordSavedDto {
    pub saved: bool,
    pub keyring: String,
}

#[derive(Serialize, TS)]
pub struct PasswordForgottenDto {
    pub forgotten: bool,
}

/// A failed or held email put back in line.
#[derive(Serialize, TS)]
pub struct RetriedDto {
    pub touch_id: i64,
    #[ts(type = "SendState")]
    pub state: &'static str,
}

/// One pass of `cadence mailbox sync`: what went and what was read.
#[derive(Serialize, TS)]
pub struct SyncDto {
    pub sent: usize,
    pub held: usize,
    pub failed: usize,
    pub recovered: usize,
    pub read: usize,
    pub filed_in_sent: usize,
    pub received: Vec<InboundDto>,
    pub next_send: Option<String>,
}

/// Today's due count, for the tray.
#[derive(Serialize, TS, Clone, Copy, Debug, PartialEq, Eq)]
pub struct DueDto {
    pub total: usize,
    pub overdue: usize,
}

/// `--json` output of a command that failed.
#[derive(Serialize)]
pub struct ErrorReplyDto {
    pub error: ErrorDto,
}
