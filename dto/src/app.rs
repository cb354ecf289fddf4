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
    /// What was done, as the rep would say it, and as undo names it:
    /// "Approved the email to Ana Costa".
    pub what: String,
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

/// What the rep's calendar can be set to: every IANA zone, the zone this
/// computer is in, and the countries whose public holidays Cadence knows.
#[derive(Serialize, TS)]
pub struct CalendarChoicesDto {
    pub system_timezone: Option<String>,
    pub timezones: Vec<String>,
    /// ISO 3166 codes (US, GB, DE...).
    pub holiday_countries: Vec<String>,
}

/// A backlog re-plan: how many touches move, and each day's load after.
#[derive(Serialize, TS)]
pub struct ReplanDto {
    pub moves: usize,
    pub days: Vec<ReplanDayDto>,
    /// The days asked for were not enough: the plan runs on to this date.
    pub runs_to: Option<String>,
}

#[derive(Serialize, TS)]
pub struct ReplanDayDto {
    /// The rep's date.
    pub day: String,
    pub total: usize,
    /// How many of the day's touches come from the backlog.
    pub moved: usize,
    #[ts(type = "Partial<Record<Channel, number>>")]
    pub by_channel: std::collections::BTreeMap<&'static str, usize>,
}

impl ReplanDto {
    pub fn new(r: &engine::api::Replan, tz: chrono_tz::Tz) -> Self {
        let engine::api::Replan { moves, days, runs_to } = r;
        ReplanDto {
            moves: moves.len(),
            days: days
                .iter()
                .map(|(day, by)| ReplanDayDto {
                    day: day.to_string(),
                    total: by.values().sum(),
                    moved: moves.iter().filter(|m| m.due_at.with_timezone(&tz).date_naive() == *day).count(),
                    by_channel: by.iter().map(|(c, n)| (c.as_str(), *n)).collect(),
                })
                .collect(),
            runs_to: runs_to.map(|d| d.to_string()),
        }
    }
}

/// How many touches (or, for pause and remove, enrollments) a bulk action changed.
#[derive(Serialize, TS)]
pub struct BulkDoneDto {
    pub changed: usize,
}

/// What an undo took back, as the rep would say it.
#[derive(Serialize, TS)]
pub struct UndoneDto {
    pub what: String,
    /// The touch to show again (the first, after a bulk action).
    pub touch_id: Option<i64>,
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

/// One backup of the workspace's database.
#[derive(Serialize, TS, Clone, Debug)]
pub struct BackupDto {
    /// Where it is (the backups folder beside the database, or the file the
    /// rep chose).
    pub file: String,
    /// Its file name: what the window names a backup in the folder by.
    pub name: String,
    /// Why it was taken: `daily` (at start-up, once a day), `import` (after
    /// an import), `manual`, or `before_restore` (the database as it was
    /// before a restore).
    #[ts(type = "\"daily\" | \"import\" | \"manual\" | \"before_restore\"")]
    pub kind: &'static str,
    pub taken_at: String,
    /// The same instant in the rep's zone.
    pub taken_local: String,
    pub size_bytes: u64,
}

/// A backup restored into the workspace.
#[derive(Serialize, TS, Debug)]
pub struct RestoredDto {
    pub restored_from: String,
    /// The database as it was before, kept as a backup (or, when it was
    /// damaged, moved aside under this name).
    pub previous_kept_as: Option<String>,
    pub prospects: i64,
}

/// Why the workspace did not open at start (a damaged database, one from a
/// newer Cadence), and the backups that could replace it, newest first.
#[derive(Serialize, TS)]
pub struct StartupProblemDto {
    pub error: ErrorDto,
    pub database: String,
    pub backups: Vec<BackupDto>,
}

/// This desktop's team: where it stands with the server.
#[derive(Serialize, TS, Debug, Clone)]
pub struct TeamStatusDto {
    /// On a team at all.
    pub joined: bool,
    /// The server and role (no secret).
    pub url: Option<String>,
    pub role: Option<String>,
    /// Ops (do-not-contact changes) not yet taken by the server.
    pub pending: u64,
    /// The feed position read so far.
    pub position: i64,
    /// When the server was last heard from (RFC 3339, UTC).
    pub synced_at: Option<String>,
    /// Why the last push or pull failed, in plain words.
    pub problem: Option<String>,
    /// Emails wait: the team's list has not been checked within the grace.
    pub stale: bool,
    pub grace_minutes: i64,
}

impl TeamStatusDto {
    pub fn new(s: &engine::api::TeamStatus, problem: Option<String>) -> Self {
        let engine::api::TeamStatus { team, pending, position, synced_at, last_error, stale } = s;
        TeamStatusDto {
            joined: team.is_some(),
            url: team.as_ref().map(|t| t.url.clone()),
            role: team.as_ref().map(|t| t.role.clone()),
            pending: *pending,
            position: *position,
            synced_at: synced_at.map(crate::utc),
            problem: problem.or_else(|| last_error.clone()),
            stale: *stale,
            grace_minutes: team.as_ref().map_or(engine::api::GRACE_DEFAULT_S, |t| t.grace_s) / 60,
        }
    }
}

/// What one sync with the team server did.
#[derive(Serialize, TS, Debug, Clone)]
pub struct TeamSyncDto {
    /// Ops the server took (applied, or refused with a reason).
    pub pushed: usize,
    /// Ops it refused, with why (e.g. someone else listed the entry too).
    pub refused: Vec<String>,
    /// Feed rows applied here.
    pub pulled: usize,
    /// Entries added to and taken off this desktop's list.
    pub listed: usize,
    pub unlisted: usize,
    /// Enrollments ended here and approved emails that will not go.
    pub ended: usize,
    pub cancelled: usize,
    pub status: TeamStatusDto,
}

/// A team server set up, or a member added (by an admin, from the CLI).
#[derive(Serialize, TS, Debug, Clone)]
pub struct TeamAdminDto {
    /// Schema versions before and after `team init`.
    pub schema_from: Option<i32>,
    pub schema_to: Option<i32>,
    /// A member added: their id, role, and connection string with the secret (shown once).
    pub member: Option<String>,
    pub role: Option<String>,
    pub secret_url: Option<String>,
}
