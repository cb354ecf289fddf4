//! The TypeScript side of the IPC contract, generated from the DTOs above.
//! `ui/src/lib/api/types.ts` is this module's output, committed; the test
//! below fails when it is stale. Refresh it with
//! `UPDATE_TYPES=1 cargo test -p cadence-dto typescript`.

use engine::activity::ActivityKind;
use engine::api::{SendState, Verdict, SENTIMENTS};
use engine::domain::{CallOutcome, Capabilities, Channel, EnrollmentState, ExitReason, TouchState, TzSource, WorkedBy};
use engine::events::Change;
use engine::import::Encoding;
use engine::mail::Kind;
use engine::mailbox::Security;
use engine::sequence::{Rule, SequenceKind, Thread};
use engine::ErrorCode;
use ts_rs::{Config, TS};

use crate::*;

fn union<S: AsRef<str>>(name: &str, values: impl IntoIterator<Item = S>) -> String {
    let parts: Vec<String> = values.into_iter().map(|v| format!("\"{}\"", v.as_ref())).collect();
    format!("export type {name} = {};\n", parts.join(" | "))
}

// Engine enums without an `ALL` list. Each list sits beside a match that
// gives every variant its place, so a new variant does not compile until it
// is listed here.

fn encodings() -> [&'static str; 4] {
    use Encoding::*;
    let _place = |e: Encoding| match e {
        Utf8 => 0,
        Utf8Bom => 1,
        Utf16 => 2,
        Windows1252 => 3,
    };
    [Utf8, Utf8Bom, Utf16, Windows1252].map(Encoding::as_str)
}

fn verdicts() -> [&'static str; 3] {
    use Verdict::*;
    let _place = |v: Verdict| match v {
        TooEarly => 0,
        NoDifferenceYet => 1,
        Meaningful => 2,
    };
    [TooEarly, NoDifferenceYet, Meaningful].map(Verdict::as_str)
}

/// What the classifier tells apart, "other" (a message the rep said is not
/// about a sequence, or a bounce waiting for the rep), and "unreadable" (one
/// that could not be classified or stored).
fn inbound_kinds() -> [&'static str; 9] {
    use Kind::*;
    let _place = |k: Kind| match k {
        Reply => 0,
        AutoReply => 1,
        Bounce => 2,
        Unsubscribe => 3,
        Notice => 4,
        Complaint => 5,
        LeftCompany => 6,
    };
    [
        Reply.as_str(),
        AutoReply.as_str(),
        LeftCompany.as_str(),
        Bounce.as_str(),
        Notice.as_str(),
        Complaint.as_str(),
        Unsubscribe.as_str(),
        "other",
        engine::api::UNREADABLE,
    ]
}

/// The kinds of `engine::api::Advice` (a `&'static str` there, with no list);
/// a test below checks the engine writes no other.
const ADVICE_KINDS: [&str; 5] = ["low_reply", "unsubscribes", "bounces", "reply_sources", "untagged"];

/// Monday to Sunday, as `SettingsDto::working_days` spells them.
fn weekdays() -> impl Iterator<Item = String> {
    (0..7u8).map(|n| crate::weekday(chrono::Weekday::try_from(n).expect("a week has seven days")))
}

fn decl<T: TS>(cfg: &Config) -> String {
    format!("export {}\n", T::decl(cfg))
}

/// The whole generated file.
fn worked_by(w: WorkedBy) -> &'static str {
    match w {
        WorkedBy::Approving => "approving",
        WorkedBy::LoggingACall => "logging_a_call",
        WorkedBy::MarkingDone => "marking_done",
    }
}

/// The domain's channel capability table, as a constant the UI reads (what
/// a touch is worked by, whether it sends itself...), so the window decides
/// nothing about a channel by its name.
fn channel_capabilities() -> String {
    let mut out = union("WorkedBy", [WorkedBy::Approving, WorkedBy::LoggingACall, WorkedBy::MarkingDone].map(worked_by));
    out += "export type ChannelCapabilities = { sends_itself: boolean, needs_approval_by_default: boolean, light_touch: boolean, linkedin_budget: boolean, worked_by: WorkedBy };\n";
    out += "export const CHANNEL_CAPABILITIES: Record<Channel, ChannelCapabilities> = {\n";
    for c in Channel::ALL {
        let Capabilities { sends_itself, needs_approval_by_default, light_touch, linkedin_budget, timing: _, worked_by: w } =
            c.capabilities();
        out += &format!(
            "  {}: {{ sends_itself: {sends_itself}, needs_approval_by_default: {needs_approval_by_default}, light_touch: {light_touch}, linkedin_budget: {linkedin_budget}, worked_by: \"{}\" }},\n",
            c.as_str(),
            worked_by(w)
        );
    }
    out + "};\n"
}

pub fn generate() -> String {
    // Ids and counts are well inside 2^53: plain numbers in JSON.
    let cfg = Config::default().with_large_int("number");
    let mut out = String::from("// Generated from dto/src by ts-rs: do not edit. See dto/src/typescript.rs.\n\n");
    out += &union("Channel", Channel::ALL.iter().map(|c| c.as_str()));
    out += &channel_capabilities();
    out += &union("TouchState", TouchState::ALL.iter().map(|c| c.as_str()));
    out += &union("CallOutcome", CallOutcome::ALL.iter().map(|c| c.as_str()));
    out += &union("EnrollmentState", EnrollmentState::ALL.iter().map(|c| c.as_str()));
    out += &union("ErrorCode", ErrorCode::ALL.iter().map(|c| c.as_str()));
    out += &union("ExitReason", ExitReason::ALL.iter().map(|c| c.as_str()));
    out += &union("TimezoneSource", TzSource::ALL.iter().map(|c| c.as_str()));
    out += &union("SendState", SendState::ALL.iter().map(|c| c.as_str()));
    out += &union("MailSecurity", Security::ALL.iter().map(|c| c.as_str()));
    out += &union("MailProvider", engine::mailbox::Provider::ALL.iter().map(|c| c.as_str()));
    out += &union("MailAuth", engine::mailbox::Auth::ALL.iter().map(|c| c.as_str()));
    out += &union("InboundKind", inbound_kinds());
    out += &union("Sentiment", SENTIMENTS.iter().copied());
    out += &union("SequenceKind", SequenceKind::ALL.iter().map(|c| c.as_str()));
    out += &union("Thread", Thread::ALL.iter().map(|c| c.as_str()));
    out += &union("LintRule", Rule::ALL.iter().map(|c| c.as_str()));
    out += &union("Encoding", encodings());
    out += &union("Delimiter", engine::import::Delimiter::ALL.iter().map(|d| d.as_str()));
    out += &union("Verdict", verdicts());
    out += &union("AdviceKind", ADVICE_KINDS);
    out += &union("View", Change::ALL.iter().map(|c| c.as_str()));
    out += &union("Weekday", weekdays());
    out += &union("ActivityKind", ActivityKind::ALL.iter().map(|c| c.as_str()));
    out += &union("SignalKind", engine::signal::SignalKind::ALL.iter().map(|c| c.as_str()));
    // `MailboxStatusDto::state`, as the application layer writes it (no list to take it from yet).
    out += &union("MailboxState", ["off", "connecting", "online", "offline"]);
    for d in [
        decl::<serde_json::Value>(&cfg),
        decl::<ReferralDto>(&cfg),
        decl::<DeliverabilityDto>(&cfg),
        decl::<AlarmDto>(&cfg),
        decl::<RefusalDto>(&cfg),
        decl::<ErrorDto>(&cfg),
        decl::<ChannelCountDto>(&cfg),
        decl::<QueueDto>(&cfg),
        decl::<QueueItemDto>(&cfg),
        decl::<ProspectDto>(&cfg),
        decl::<RejectedDto>(&cfg),
        decl::<ImportReportDto>(&cfg),
        decl::<FindingDto>(&cfg),
        decl::<SequenceCheckDto>(&cfg),
        decl::<PreviewStepDto>(&cfg),
        decl::<StepDto>(&cfg),
        decl::<BranchDto>(&cfg),
        decl::<ThenDto>(&cfg),
        decl::<PathResultsDto>(&cfg),
        decl::<BranchTakenDto>(&cfg),
        decl::<TeamStatusDto>(&cfg),
        decl::<TeamSyncDto>(&cfg),
        decl::<StepCountDto>(&cfg),
        decl::<SequenceDto>(&cfg),
        decl::<EnrollReportDto>(&cfg),
        decl::<TouchDto>(&cfg),
        decl::<OutboxDto>(&cfg),
        decl::<TimelineDto>(&cfg),
        decl::<EnrollmentDto>(&cfg),
        decl::<SettingsDto>(&cfg),
        decl::<MappingDto>(&cfg),
        decl::<ImportPreviewDto>(&cfg),
        decl::<ImportFileDto>(&cfg),
        decl::<ImportProgressDto>(&cfg),
        decl::<ProspectPageDto>(&cfg),
        decl::<ProspectDetailDto>(&cfg),
        decl::<WorkspaceDto>(&cfg),
        decl::<ChangedDto>(&cfg),
        decl::<SignalDto>(&cfg),
        decl::<ProposalDto>(&cfg),
        decl::<SignalRuleDto>(&cfg),
        decl::<SignalRuleSetDto>(&cfg),
        decl::<SignalRuleInput>(&cfg),
        decl::<SignalOutcomeDto>(&cfg),
        decl::<SignalReportDto>(&cfg),
        decl::<SkippedProposalDto>(&cfg),
        decl::<AcceptedDto>(&cfg),
        decl::<SourceResultsDto>(&cfg),
        decl::<SignalKindDto>(&cfg),
        decl::<SignalsDto>(&cfg),
        decl::<FolderFileDto>(&cfg),
        decl::<SampleReportDto>(&cfg),
        decl::<MailboxDto>(&cfg),
        decl::<SendDto>(&cfg),
        decl::<InboundDto>(&cfg),
        decl::<MailboxStatusDto>(&cfg),
        decl::<ConnectionTestDto>(&cfg),
        decl::<OutcomeInput>(&cfg),
        decl::<SnoozeInput>(&cfg),
        decl::<BulkInput>(&cfg),
        decl::<ProspectQuery>(&cfg),
        decl::<ImportInput>(&cfg),
        decl::<EnrollInput>(&cfg),
        decl::<SendsKind>(&cfg),
        decl::<PasswordInput>(&cfg),
        decl::<FiguresDto>(&cfg),
        decl::<AbTestDto>(&cfg),
        decl::<VariantDto>(&cfg),
        decl::<StepResultsDto>(&cfg),
        decl::<VersionResultsDto>(&cfg),
        decl::<TrendPointDto>(&cfg),
        decl::<AdviceDto>(&cfg),
        decl::<SequenceResultsDto>(&cfg),
        decl::<SequenceSummaryDto>(&cfg),
        decl::<TodayStatsDto>(&cfg),
        decl::<ResultsSettingsDto>(&cfg),
        decl::<ExportDto>(&cfg),
        decl::<SampleDto>(&cfg),
        decl::<ImportDoneDto>(&cfg),
        decl::<CompletedDto>(&cfg),
        decl::<SnoozedDto>(&cfg),
        decl::<EnrollmentStateDto>(&cfg),
        decl::<DncDto>(&cfg),
        decl::<AwayDto>(&cfg),
        decl::<BulkDoneDto>(&cfg),
        decl::<UndoneDto>(&cfg),
        decl::<NoticeDto>(&cfg),
        decl::<ReplanDto>(&cfg),
        decl::<ReplanDayDto>(&cfg),
        decl::<CalendarChoicesDto>(&cfg),
        decl::<PasswordSavedDto>(&cfg),
        decl::<PasswordForgottenDto>(&cfg),
        decl::<RetriedDto>(&cfg),
        decl::<SyncDto>(&cfg),
        decl::<DueDto>(&cfg),
        decl::<BackupDto>(&cfg),
        decl::<RestoredDto>(&cfg),
        decl::<StartupProblemDto>(&cfg),
    ] {
        out += "\n";
        out += &d;
    }
    out
}

#[cfg(test)]
mod tests {
    /// `ADVICE_KINDS` against the kinds the engine's advice code writes.
    #[test]
    fn advice_kinds_are_the_engines() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../engine/src/api/advice.rs");
        let src =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}; the advice code moved: update this test", path.display()));
        let mut written: Vec<&str> = src.split("kind: \"").skip(1).filter_map(|rest| rest.split('"').next()).collect();
        written.sort_unstable();
        written.dedup();
        let mut listed = super::ADVICE_KINDS.to_vec();
        listed.sort_unstable();
        assert_eq!(
            written, listed,
            "the engine's advice kinds changed: update ADVICE_KINDS in dto/src/typescript.rs (and the UI's labels)"
        );
    }

    #[test]
    fn typescript_types_are_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/lib/api/types.ts");
        let fresh = super::generate();
        if std::env::var_os("UPDATE_TYPES").is_some() {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == fresh,
            "ui/src/lib/api/types.ts is stale: the DTOs changed. Run `UPDATE_TYPES=1 cargo test -p cadence-dto typescript` and commit the result."
        );
    }
}
