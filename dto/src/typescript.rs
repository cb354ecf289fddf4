//! The TypeScript side of the IPC contract, generated from the DTOs above.
//! `ui/src/lib/api/types.ts` is this module's output, committed; the test
//! below fails when it is stale. Refresh it with
//! `UPDATE_TYPES=1 cargo test -p cadence-dto typescript`.

use engine::domain::{CallOutcome, Channel, EnrollmentState, TouchState};
use engine::ErrorCode;
use ts_rs::{Config, TS};

use crate::*;

fn union(name: &str, values: impl IntoIterator<Item = &'static str>) -> String {
    let parts: Vec<String> = values.into_iter().map(|v| format!("\"{v}\"")).collect();
    format!("export type {name} = {};\n", parts.join(" | "))
}

fn decl<T: TS>(cfg: &Config) -> String {
    format!("export {}\n", T::decl(cfg))
}

/// The whole generated file.
pub fn generate() -> String {
    // Ids and counts are well inside 2^53: plain numbers in JSON.
    let cfg = Config::default().with_large_int("number");
    let mut out = String::from("// Generated from dto/src by ts-rs: do not edit. See dto/src/typescript.rs.\n\n");
    out += &union("Channel", Channel::ALL.iter().map(|c| c.as_str()));
    out += &union("TouchState", TouchState::ALL.iter().map(|c| c.as_str()));
    out += &union("CallOutcome", CallOutcome::ALL.iter().map(|c| c.as_str()));
    out += &union("EnrollmentState", EnrollmentState::ALL.iter().map(|c| c.as_str()));
    out += &union("ErrorCode", ErrorCode::ALL.iter().map(|c| c.as_str()));
    for d in [
        decl::<serde_json::Value>(&cfg),
        decl::<ErrorDto>(&cfg),
        decl::<ChannelCountDto>(&cfg),
        decl::<QueueDto>(&cfg),
        decl::<QueueItemDto>(&cfg),
        decl::<ProspectDto>(&cfg),
        decl::<RejectedDto>(&cfg),
        decl::<ImportReportDto>(&cfg),
        decl::<FindingDto>(&cfg),
        decl::<StepDto>(&cfg),
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
        decl::<ImportProgressDto>(&cfg),
        decl::<ProspectPageDto>(&cfg),
        decl::<ProspectDetailDto>(&cfg),
        decl::<WorkspaceDto>(&cfg),
        decl::<ChangedDto>(&cfg),
        decl::<SampleReportDto>(&cfg),
        decl::<MailboxDto>(&cfg),
        decl::<SendDto>(&cfg),
        decl::<InboundDto>(&cfg),
        decl::<MailboxStatusDto>(&cfg),
        decl::<ConnectionTestDto>(&cfg),
        decl::<OutcomeInput>(&cfg),
        decl::<SnoozeInput>(&cfg),
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
    ] {
        out += "\n";
        out += &d;
    }
    out
}

#[cfg(test)]
mod tests {
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
