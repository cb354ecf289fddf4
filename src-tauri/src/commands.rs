//! The IPC surface: each command is one line over the engine's façade. Input
//! shapes and their checks live in `dto`, so nothing here decides anything.

use dto::*;
use dto::last_days;
use engine::api::{QueueOptions, SampleOptions};
use engine::domain::Channel;
use tauri::ipc::Channel as Progress;
use tauri::State;

use crate::mailbox::{self, Mailbox};
use crate::workspace::Workspace;

type Reply<T> = Result<T, ErrorDto>;

#[tauri::command(async)]
pub fn workspace(ws: State<Workspace>) -> Reply<WorkspaceDto> {
    ws.with(|e, now| Ok(WorkspaceDto { prospects: e.prospect_count()?, database: ws.database.display().to_string(), timezone: e.settings()?.timezone.name().into(), now: utc(now), trace: crate::workspace::tracing() }))
}

#[tauri::command(async)]
pub fn queue(ws: State<Workspace>, channel: Option<String>, limit: Option<usize>) -> Reply<QueueDto> {
    ws.with(|e, now| e.queue(now, &QueueOptions { limit, channel: channel.as_deref().and_then(Channel::parse) }).map(|q| QueueDto::new(&q)))
}

#[tauri::command(async)]
pub fn touch(ws: State<Workspace>, id: i64) -> Reply<TouchDto> {
    ws.with(|e, _| Ok(TouchDto::new(&e.touch(id)?, e.settings()?.timezone)))
}

#[tauri::command(async)]
pub fn complete(ws: State<Workspace>, mb: State<Mailbox>, id: i64, outcome: OutcomeInput) -> Reply<Option<OutboxDto>> {
    ws.with(|e, now| Ok(e.complete(id, outcome.try_into()?, now)?.map(|o| OutboxDto::new(&o, e.settings().map_or(chrono_tz::UTC, |s| s.timezone))))).inspect(|_| mb.wake())
}

#[tauri::command(async)]
pub fn snooze(ws: State<Workspace>, id: i64, preset: SnoozeInput) -> Reply<String> {
    ws.with(|e, now| Ok(utc(e.snooze(id, e.snooze_time(preset.into(), now)?, now)?)))
}

#[tauri::command(async)]
pub fn set_prospect_field(ws: State<Workspace>, id: i64, field: String, value: String) -> Reply<ProspectDto> {
    ws.with(|e, now| Ok(ProspectDto::from(&e.set_prospect_field(id, &field, &value, now)?)))
}

#[tauri::command(async)]
pub fn prospects(ws: State<Workspace>, query: ProspectQuery) -> Reply<ProspectPageDto> {
    ws.with(|e, _| Ok(ProspectPageDto { total: e.prospect_count_matching(&query.filter())?, offset: query.offset, items: e.prospects(&query.filter())?.iter().map(ProspectDto::from).collect() }))
}

#[tauri::command(async)]
pub fn prospect(ws: State<Workspace>, id: i64) -> Reply<ProspectDetailDto> {
    ws.with(|e, _| Ok(ProspectDetailDto { prospect: ProspectDto::from(&e.find_prospect(&id.to_string())?), enrollments: e.enrollments_of(id)?.iter().map(EnrollmentDto::from).collect(), timeline: e.timeline(id)?.iter().map(TimelineDto::from).collect() }))
}

#[tauri::command(async)]
pub fn preview_import(ws: State<Workspace>, input: ImportInput) -> Reply<ImportPreviewDto> {
    ws.with(|e, _| Ok(ImportPreviewDto::new(input.file_name(), &e.preview_csv(&input.read()?, &input.overrides()?, 5)?)))
}

#[tauri::command(async)]
pub fn import_csv(ws: State<Workspace>, input: ImportInput, progress: Progress<ImportProgressDto>) -> Reply<ImportReportDto> {
    ws.with(|e, now| Ok(ImportReportDto::from(&e.import_csv_with_progress(&input.file_name(), &input.read()?, &input.options()?, now, &mut |done, total| { let _ = progress.send(ImportProgressDto { done, total }); })?)))
}

#[tauri::command(async)]
pub fn enroll(ws: State<Workspace>, input: EnrollInput) -> Reply<EnrollReportDto> {
    ws.with(|e, now| Ok(EnrollReportDto::from(&e.enroll(&input.selection(), &input.sequence, false, now)?)))
}

#[tauri::command(async)]
pub fn sequences(ws: State<Workspace>) -> Reply<Vec<SequenceDto>> {
    ws.with(|e, _| Ok(e.sequences()?.iter().map(SequenceDto::summary).collect()))
}

#[tauri::command(async)]
pub fn sequence(ws: State<Workspace>, slug: String) -> Reply<SequenceDto> {
    ws.with(|e, _| Ok(SequenceDto::detail(&e.sequence(&slug)?)))
}

#[tauri::command(async)]
pub fn outbox(ws: State<Workspace>) -> Reply<Vec<OutboxDto>> {
    ws.with(|e, _| Ok(e.outbox()?.iter().map(|o| OutboxDto::new(o, e.settings().map_or(chrono_tz::UTC, |s| s.timezone))).collect()))
}

#[tauri::command(async)]
pub fn settings(ws: State<Workspace>) -> Reply<SettingsDto> {
    ws.with(|e, _| Ok(SettingsDto::from(&e.settings()?)))
}

#[tauri::command(async)]
pub fn set_setting(ws: State<Workspace>, key: String, value: String) -> Reply<SettingsDto> {
    ws.with(|e, _| Ok(SettingsDto::from(&e.set_setting(&key, &value)?)))
}

#[tauri::command(async)]
pub fn load_sample(ws: State<Workspace>) -> Reply<SampleReportDto> {
    ws.with(|e, now| e.generate_sample(&SampleOptions { rep_timezone: engine::timezone::system_zone(), past: 400, ..SampleOptions::new(60, 7) }, now).map(|r| SampleReportDto { prospects: r.prospects, enrollments: r.active_enrollments }))
}

#[tauri::command(async)]
pub fn mailbox_settings(ws: State<Workspace>) -> Reply<MailboxDto> {
    ws.with(|e, _| e.mailbox()).map(|m| mailbox::view(&m))
}

#[tauri::command(async)]
pub fn set_mailbox(ws: State<Workspace>, mb: State<Mailbox>, key: String, value: String) -> Reply<MailboxDto> {
    ws.with(|e, _| e.set_mailbox(&key, &value)).map(|m| mb.settings_changed(&m))
}

/// The password goes to the OS keyring; nothing sends it back.
#[tauri::command(async)]
pub fn save_mailbox_password(ws: State<Workspace>, mb: State<Mailbox>, password: PasswordInput) -> Reply<MailboxDto> {
    ws.with(|e, _| e.mailbox()).and_then(|m| mb.save_password(&m, &password))
}

#[tauri::command]
pub async fn test_mailbox(ws: State<'_, Workspace>) -> Reply<ConnectionTestDto> {
    mailbox::test(ws.engine()).await
}

#[tauri::command]
pub fn mailbox_status(mb: State<Mailbox>) -> MailboxStatusDto {
    mb.status()
}

#[tauri::command(async)]
pub fn sends(ws: State<Workspace>, kind: SendsKind) -> Reply<Vec<SendDto>> {
    ws.with(|e, _| Ok(e.sends(kind.states(), None, 200)?.iter().map(|(s, email, subject)| SendDto::new(s, email, subject)).collect()))
}

#[tauri::command(async)]
pub fn retry_send(ws: State<Workspace>, mb: State<Mailbox>, id: i64) -> Reply<()> {
    ws.with(|e, now| e.retry_send(id, now)).inspect(|_| mb.wake())
}

#[tauri::command(async)]
pub fn inbox(ws: State<Workspace>) -> Reply<Vec<InboundDto>> {
    ws.with(|e, _| Ok(e.inbox(200)?.iter().map(InboundDto::from).collect()))
}

/// A correction may put cancelled emails back in the outbox: wake the sender.
#[tauri::command(async)]
pub fn correct_inbound(ws: State<Workspace>, mb: State<Mailbox>, id: i64, kind: String) -> Reply<InboundDto> {
    ws.with(|e, now| Ok(InboundDto::from(&e.correct_inbound(id, &kind, now)?))).inspect(|_| mb.wake())
}

/// A timing from the UI, printed for the benchmark harness when tracing.
#[tauri::command]
pub fn trace(event: String, ms: f64) {
    if crate::workspace::tracing() {
        eprintln!("cadence-trace {event} {ms:.1}");
    }
}

#[tauri::command(async)]
pub fn results_overview(ws: State<Workspace>, days: Option<u32>) -> Reply<Vec<SequenceSummaryDto>> {
    ws.with(|e, now| Ok(e.results_overview(last_days(days, now))?.iter().map(SequenceSummaryDto::from).collect()))
}

#[tauri::command(async)]
pub fn results(ws: State<Workspace>, slug: String, days: Option<u32>) -> Reply<SequenceResultsDto> {
    ws.with(|e, now| Ok(SequenceResultsDto::from(&e.results(&slug, last_days(days, now), now)?)))
}

#[tauri::command(async)]
pub fn today_stats(ws: State<Workspace>) -> Reply<TodayStatsDto> {
    ws.with(|e, now| Ok(TodayStatsDto::from(&e.today_stats(now)?)))
}

#[tauri::command(async)]
pub fn results_settings(ws: State<Workspace>) -> Reply<ResultsSettingsDto> {
    ws.with(|e, _| Ok(e.results_settings()?.into()))
}

#[tauri::command(async)]
pub fn set_results_settings(ws: State<Workspace>, settings: ResultsSettingsDto) -> Reply<ResultsSettingsDto> {
    ws.with(|e, _| {
        e.set_results_settings(settings.into())?;
        Ok(e.results_settings()?.into())
    })
}

#[tauri::command(async)]
pub fn tag_reply(ws: State<Workspace>, id: i64, sentiment: String) -> Reply<InboundDto> {
    ws.with(|e, now| Ok(InboundDto::from(&e.tag_reply(id, &sentiment, now)?)))
}

#[tauri::command(async)]
pub fn meeting_from_reply(ws: State<Workspace>, id: i64) -> Reply<InboundDto> {
    ws.with(|e, now| Ok(InboundDto::from(&e.meeting_from_reply(id, now)?)))
}

/// Writes a CSV export where the rep picks in the save dialog (the path never
/// comes from the web view). `what` is "figures" (one sequence, or all) or
/// "activity". `None` when the rep cancels.
#[tauri::command(async)]
pub fn export_csv(app: tauri::AppHandle, ws: State<Workspace>, what: String, slug: Option<String>, days: Option<u32>) -> Reply<Option<ExportDto>> {
    let name = format!("cadence-{}-{}.csv", slug.as_deref().unwrap_or("all"), if what == "activity" { "activity" } else { "results" });
    let Some(path) = crate::export::pick_path(&app, &name) else { return Ok(None) };
    ws.with(|e, now| {
        let span = last_days(days, now);
        let rows = engine::api::write_atomically(&path, |out| match what.as_str() {
            "activity" => e.export_activity(span, slug.as_deref(), out),
            _ => e.export_figures(slug.as_deref(), span, now, out),
        })?;
        Ok(Some(ExportDto { path: path.display().to_string(), rows }))
    })
}
