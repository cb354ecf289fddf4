//! The IPC surface: each command is one call into the application layer
//! (`workspace::Workspace`); errors cross as `ErrorDto`. Nothing here
//! decides anything. This file is the one declaration of the window's
//! command set: build.rs makes the invoke handler, the app manifest and the
//! capability (`capabilities/commands.json`) from its `#[tauri::command]`
//! functions.

use std::sync::Arc;

use dto::*;
use tauri::ipc::Channel as Progress;
use tauri::State;
use workspace::{ExportKind, Period, Workspace};

type Ws<'a> = State<'a, Arc<Workspace>>;
/// Why the workspace did not open at start (see main.rs).
type Startup<'a> = State<'a, crate::Startup>;
type Reply<T> = Result<T, ErrorDto>;

fn ipc(e: workspace::Error) -> ErrorDto {
    ErrorDto::from(&e)
}

/// Why the workspace did not open at start, with the backups that can
/// replace it; `None` when it opened.
#[tauri::command(async)]
pub fn startup_problem(startup: Startup) -> Reply<Option<StartupProblemDto>> {
    let problem = startup.0.lock().unwrap_or_else(|p| p.into_inner()).clone();
    Ok(problem.map(|e| workspace::backups::startup_problem(&workspace::database_path(None), e)))
}

/// Restores the backup called `name` (in the backups folder) in place of
/// the database that would not open (moved aside, never written to), then
/// opens the workspace and starts it as at a normal start.
#[tauri::command(async)]
pub fn restore_at_start(app: tauri::AppHandle, startup: Startup, name: String) -> Reply<RestoredDto> {
    let mut problem = startup.0.lock().unwrap_or_else(|p| p.into_inner());
    if problem.is_none() {
        return Err(ErrorDto::from(&workspace::Error::Conflict("the workspace is open; restore from Settings".into())));
    }
    let database = workspace::database_path(None);
    let file = workspace::backups::named(&database, &name).map_err(ipc)?;
    let restored = workspace::backups::restore_in_place(&database, &file, workspace::clock::now()).map_err(ipc)?;
    match crate::open(&app) {
        Ok(ws) => crate::start(&app, ws),
        Err(Ok(e)) => return Err(e),
        Err(Err(message)) => return Err(ErrorDto::from(&workspace::Error::Invalid(message))),
    }
    *problem = None;
    Ok(restored)
}

#[tauri::command(async)]
pub fn workspace(ws: Ws) -> Reply<WorkspaceDto> {
    ws.info().map_err(ipc)
}

#[tauri::command(async)]
pub fn queue(ws: Ws, channel: Option<String>, limit: Option<usize>) -> Reply<QueueDto> {
    channel.as_deref().map(workspace::channel).transpose().and_then(|c| ws.queue(c, limit)).map_err(ipc)
}

#[tauri::command(async)]
pub fn touch(ws: Ws, id: i64) -> Reply<TouchDto> {
    ws.touch(id).map_err(ipc)
}

#[tauri::command(async)]
pub fn complete(ws: Ws, id: i64, outcome: OutcomeInput) -> Reply<CompletedDto> {
    ws.complete(id, outcome).map_err(ipc)
}

/// What spreading the overdue touches would do, and doing it.
#[tauri::command(async)]
pub fn replan_preview(ws: Ws, days: u32, cap: usize) -> Reply<ReplanDto> {
    ws.replan_preview(days, cap).map_err(ipc)
}

#[tauri::command(async)]
pub fn replan(ws: Ws, days: u32, cap: usize) -> Reply<ReplanDto> {
    ws.replan(days, cap).map_err(ipc)
}

/// One action on many touches, all or nothing.
#[tauri::command(async)]
pub fn bulk(ws: Ws, touches: Vec<i64>, input: BulkInput) -> Reply<BulkDoneDto> {
    ws.bulk(&touches, &input).map_err(ipc)
}

#[tauri::command(async)]
pub fn snooze(ws: Ws, id: i64, preset: SnoozeInput) -> Reply<String> {
    ws.snooze(id, preset).map(|s| s.due_at).map_err(ipc)
}

#[tauri::command(async)]
pub fn set_prospect_field(ws: Ws, id: i64, field: String, value: String) -> Reply<ProspectDto> {
    ws.set_prospect_field(&id.to_string(), &field, &value).map_err(ipc)
}

#[tauri::command(async)]
pub fn prospects(ws: Ws, query: ProspectQuery) -> Reply<ProspectPageDto> {
    ws.prospects(&query).map_err(ipc)
}

#[tauri::command(async)]
pub fn prospect(ws: Ws, id: i64) -> Reply<ProspectDetailDto> {
    ws.prospect(&id.to_string()).map_err(ipc)
}

/// The rep picks a CSV file in the native open dialog (the path never comes
/// from the web view); the window gets a token that names it. `None` when
/// the rep cancels.
#[tauri::command(async)]
pub fn choose_import_file(app: tauri::AppHandle, ws: Ws) -> Reply<Option<ImportFileDto>> {
    let Some(path) = crate::pick::csv_file(&app) else { return Ok(None) };
    ws.choose_import_file(&path).map(Some).map_err(ipc)
}

#[tauri::command(async)]
pub fn preview_import(ws: Ws, input: ImportInput) -> Reply<ImportPreviewDto> {
    ws.preview_import(&input).map_err(ipc)
}

#[tauri::command(async)]
pub fn import_csv(ws: Ws, input: ImportInput, progress: Progress<ImportProgressDto>) -> Reply<ImportReportDto> {
    ws.import(&input, &mut |done, total| drop(progress.send(ImportProgressDto { done, total }))).map_err(ipc)
}

#[tauri::command(async)]
pub fn enroll(ws: Ws, input: EnrollInput) -> Reply<EnrollReportDto> {
    ws.enroll(&input).map_err(ipc)
}

/// `action`: pause, resume or remove (the prospect leaves the sequence).
#[tauri::command(async)]
pub fn change_enrollment(ws: Ws, id: i64, action: String) -> Reply<EnrollmentStateDto> {
    let which = workspace::EnrollmentRef::Id(id);
    match action.as_str() {
        "pause" => ws.pause(&which),
        "resume" => ws.resume(&which),
        "remove" => ws.remove(&which),
        other => Err(workspace::Error::Invalid(format!("\"{other}\" is not pause, resume or remove"))),
    }
    .map_err(ipc)
}

/// An address or `@domain` never to contact again; their sequences end.
#[tauri::command(async)]
pub fn add_do_not_contact(ws: Ws, entry: String) -> Reply<DncDto> {
    ws.add_do_not_contact(&entry, "added by the rep").map_err(ipc)
}

#[tauri::command(async)]
pub fn sequences(ws: Ws) -> Reply<Vec<SequenceDto>> {
    ws.sequences().map_err(ipc)
}

#[tauri::command(async)]
pub fn sequence(ws: Ws, slug: String) -> Reply<SequenceDto> {
    ws.sequence(&slug).map_err(ipc)
}

#[tauri::command(async)]
pub fn sequence_source(ws: Ws, slug: String) -> Reply<String> {
    ws.sequence_source(&slug).map_err(ipc)
}

#[tauri::command(async)]
pub fn check_sequence(ws: Ws, slug: String, source: String) -> Reply<SequenceCheckDto> {
    ws.check_sequence(&slug, &source).map_err(ipc)
}

#[tauri::command(async)]
pub fn preview_sequence(ws: Ws, slug: String, source: String, prospect: i64) -> Reply<Vec<PreviewStepDto>> {
    ws.preview_sequence(&slug, &source, prospect).map_err(ipc)
}

#[tauri::command(async)]
pub fn save_sequence(ws: Ws, slug: String, source: String) -> Reply<SequenceDto> {
    ws.save_sequence(&slug, &source).map_err(ipc)
}

#[tauri::command(async)]
pub fn outbox(ws: Ws) -> Reply<Vec<OutboxDto>> {
    ws.outbox().map_err(ipc)
}

#[tauri::command(async)]
pub fn settings(ws: Ws) -> Reply<SettingsDto> {
    ws.settings().map_err(ipc)
}

#[tauri::command(async)]
pub fn set_setting(ws: Ws, key: String, value: String) -> Reply<SettingsDto> {
    ws.set_setting(&key, &value).map_err(ipc)
}

#[tauri::command(async)]
pub fn calendar_choices(ws: Ws) -> Reply<CalendarChoicesDto> {
    Ok(ws.calendar_choices())
}

#[tauri::command(async)]
pub fn away_preview(ws: Ws, from: String, to: String) -> Reply<usize> {
    ws.away_preview(&from, &to).map_err(ipc)
}

#[tauri::command(async)]
pub fn add_away(ws: Ws, from: String, to: String) -> Reply<AwayDto> {
    let (from, to) = (workspace::date(&from).map_err(ipc)?, workspace::date(&to).map_err(ipc)?);
    ws.add_away(from, to).map_err(ipc)
}

#[tauri::command(async)]
pub fn remove_away(ws: Ws, from: String, to: String) -> Reply<SettingsDto> {
    ws.remove_away(&from, &to).map_err(ipc)
}

#[tauri::command(async)]
pub fn load_sample(ws: Ws) -> Reply<SampleReportDto> {
    ws.load_sample().map_err(ipc)
}

#[tauri::command(async)]
pub fn mailbox_settings(ws: Ws) -> Reply<MailboxDto> {
    ws.mailbox().map_err(ipc)
}

#[tauri::command(async)]
pub fn set_mailbox(ws: Ws, key: String, value: String) -> Reply<MailboxDto> {
    ws.set_mailbox_from_window(&key, &value).map_err(ipc)
}

/// The mailbox's extra CA certificate, chosen in a native dialog (the path
/// never comes from the web view). `None` when the rep cancels.
#[tauri::command(async)]
pub fn choose_ca_file(app: tauri::AppHandle, ws: Ws) -> Reply<Option<MailboxDto>> {
    let Some(path) = crate::pick::ca_file(&app) else { return Ok(None) };
    ws.set_mailbox("ca_file", &path.to_string_lossy()).map(Some).map_err(ipc)
}

/// The password goes to the OS keyring; nothing sends it back.
#[tauri::command(async)]
pub fn save_mailbox_password(ws: Ws, password: PasswordInput) -> Reply<MailboxDto> {
    ws.save_password(&password).map(|(m, _)| m).map_err(ipc)
}

#[tauri::command]
pub async fn test_mailbox(ws: Ws<'_>) -> Reply<ConnectionTestDto> {
    ws.test_mailbox().await.map_err(ipc)
}

#[tauri::command]
pub fn mailbox_status(ws: Ws) -> MailboxStatusDto {
    ws.mailbox_status()
}

#[tauri::command(async)]
pub fn sends(ws: Ws, kind: SendsKind) -> Reply<Vec<SendDto>> {
    ws.sends(kind).map_err(ipc)
}

#[tauri::command(async)]
pub fn retry_send(ws: Ws, id: i64) -> Reply<RetriedDto> {
    ws.retry_send(id).map_err(ipc)
}

/// An approved email taken back before it goes: a draft again.
#[tauri::command(async)]
pub fn pull_back(ws: Ws, id: i64) -> Reply<bool> {
    ws.pull_back(id).map(|()| true).map_err(ipc)
}

/// Takes back the latest action on the queue, within a few seconds of it.
#[tauri::command(async)]
pub fn undo(ws: Ws) -> Reply<UndoneDto> {
    ws.undo().map_err(ipc)
}

#[tauri::command(async)]
pub fn inbox(ws: Ws) -> Reply<Vec<InboundDto>> {
    ws.recent_inbox().map_err(ipc)
}

#[tauri::command(async)]
pub fn correct_inbound(ws: Ws, id: i64, kind: String) -> Reply<InboundDto> {
    ws.correct_inbound(id, &kind).map_err(ipc)
}

/// A timing from the UI, printed for the benchmark harness when tracing.
#[tauri::command]
pub fn trace(event: String, ms: f64) {
    if workspace::tracing() {
        eprintln!("cadence-trace {event} {ms:.1}");
    }
}

#[tauri::command(async)]
pub fn results_overview(ws: Ws, days: Option<u32>) -> Reply<Vec<SequenceSummaryDto>> {
    ws.results_overview(days).map_err(ipc)
}

#[tauri::command(async)]
pub fn results(ws: Ws, slug: String, days: Option<u32>) -> Reply<SequenceResultsDto> {
    ws.results(&slug, Period::LastDays(days)).map_err(ipc)
}

#[tauri::command(async)]
pub fn today_stats(ws: Ws) -> Reply<TodayStatsDto> {
    ws.today_stats().map_err(ipc)
}

#[tauri::command(async)]
pub fn results_settings(ws: Ws) -> Reply<ResultsSettingsDto> {
    ws.results_settings().map_err(ipc)
}

#[tauri::command(async)]
pub fn set_results_settings(ws: Ws, settings: ResultsSettingsDto) -> Reply<ResultsSettingsDto> {
    ws.set_results_settings(Some(settings.reply_floor_pct), Some(settings.window_days)).map_err(ipc)
}

#[tauri::command(async)]
pub fn tag_reply(ws: Ws, id: i64, sentiment: String) -> Reply<InboundDto> {
    ws.tag_reply(id, &sentiment).map_err(ipc)
}

#[tauri::command(async)]
pub fn meeting_from_reply(ws: Ws, id: i64) -> Reply<InboundDto> {
    ws.meeting_from_reply(id).map_err(ipc)
}

#[tauri::command(async)]
pub fn add_referral(ws: Ws, id: i64) -> Reply<ProspectDto> {
    ws.add_referral(id).map_err(ipc)
}

#[tauri::command(async)]
pub fn deliverability(ws: Ws) -> Reply<DeliverabilityDto> {
    ws.deliverability().map_err(ipc)
}

#[tauri::command(async)]
pub fn resume_sending(ws: Ws) -> Reply<DeliverabilityDto> {
    ws.resume_sending().map_err(ipc)
}

/// Signs in with the provider: the shell opens its page in the rep's own
/// browser and waits (up to five minutes) for the redirect to come back.
#[tauri::command(async)]
pub fn sign_in(app: tauri::AppHandle, ws: Ws) -> Reply<MailboxDto> {
    let signin = ws.begin_sign_in().map_err(ipc)?;
    if let Err(why) = crate::browser::open(&app, &signin.url) {
        ws.cancel_sign_in();
        return Err(ipc(workspace::Error::mailbox(why)));
    }
    ws.finish_sign_in(signin).map_err(ipc)
}

/// Stops a sign-in waiting for the browser.
#[tauri::command(async)]
pub fn cancel_sign_in(ws: Ws) {
    ws.cancel_sign_in();
}

#[tauri::command(async)]
pub fn sign_out(ws: Ws) -> Reply<MailboxDto> {
    ws.sign_out().map_err(ipc)
}

#[tauri::command(async)]
pub fn backups(ws: Ws) -> Reply<Vec<BackupDto>> {
    ws.backups().map_err(ipc)
}

#[tauri::command(async)]
pub fn backup_now(ws: Ws) -> Reply<BackupDto> {
    ws.backup(None).map_err(ipc)
}

/// Restores the backup called `name` in the backups folder (the window
/// names a backup, never a path).
#[tauri::command(async)]
pub fn restore_backup(ws: Ws, name: String) -> Reply<RestoredDto> {
    ws.restore_named(&name).map_err(ipc)
}

/// Restores a backup file the rep picks in the open dialog (one copied from
/// another machine). `None` when the rep cancels.
#[tauri::command(async)]
pub fn restore_from_file(app: tauri::AppHandle, ws: Ws) -> Reply<Option<RestoredDto>> {
    let Some(path) = crate::pick::backup_file(&app) else { return Ok(None) };
    ws.restore(&path).map(Some).map_err(ipc)
}

/// Writes a CSV export where the rep picks in the save dialog (the path
/// never comes from the web view). `None` when the rep cancels.
#[tauri::command(async)]
pub fn export_csv(app: tauri::AppHandle, ws: Ws, what: String, slug: Option<String>, days: Option<u32>) -> Reply<Option<ExportDto>> {
    let kind = ExportKind::parse(&what).map_err(ipc)?;
    let Some(path) = crate::export::pick_path(&app, &kind.file_name(slug.as_deref())) else { return Ok(None) };
    ws.export_to(kind, slug.as_deref(), Period::LastDays(days), &path).map(Some).map_err(ipc)
}

/// The Signals screen: proposals waiting, rules, the watched folder.
#[tauri::command(async)]
pub fn signals(ws: Ws) -> Reply<SignalsDto> {
    ws.signals().map_err(ipc)
}

/// Imports a signals file the rep picks (CSV or JSON lines). `None` when
/// the rep cancels.
#[tauri::command(async)]
pub fn import_signals(app: tauri::AppHandle, ws: Ws) -> Reply<Option<SignalReportDto>> {
    let Some(path) = crate::pick::signals_file(&app) else { return Ok(None) };
    let chosen = ws.choose_import_file(&path).map_err(ipc)?;
    ws.import_signals_file(&chosen.token).map(Some).map_err(ipc)
}

/// Chooses the folder watched for signal files (a native dialog), or with
/// `off`, stops watching. `None` when the rep cancels.
#[tauri::command(async)]
pub fn signals_folder(app: tauri::AppHandle, ws: Ws, off: bool) -> Reply<Option<SignalsDto>> {
    if off {
        return ws.set_signals_folder(None).map(Some).map_err(ipc);
    }
    let Some(dir) = crate::pick::folder(&app) else { return Ok(None) };
    ws.set_signals_folder(Some(&dir.to_string_lossy())).map(Some).map_err(ipc)
}

#[tauri::command(async)]
pub fn set_signal_rule(ws: Ws, input: SignalRuleInput) -> Reply<SignalRuleSetDto> {
    ws.set_signal_rule(&input).map_err(ipc)
}

/// Removes the rule for a kind; the Signals screen as it is then.
#[tauri::command(async)]
pub fn remove_signal_rule(ws: Ws, kind: String) -> Reply<SignalsDto> {
    ws.remove_signal_rule(&kind).and_then(|_| ws.signals()).map_err(ipc)
}

/// Accepts these proposals, or every open one when `ids` is absent.
#[tauri::command(async)]
pub fn accept_proposals(ws: Ws, ids: Option<Vec<i64>>) -> Reply<AcceptedDto> {
    ws.accept_proposals(ids.as_deref()).map_err(ipc)
}

#[tauri::command(async)]
pub fn dismiss_proposals(ws: Ws, ids: Option<Vec<i64>>) -> Reply<usize> {
    ws.dismiss_proposals(ids.as_deref()).map_err(ipc)
}

/// Reply, positive and meeting rates by source, over the last `days` days.
#[tauri::command(async)]
pub fn results_by_source(ws: Ws, days: Option<u32>) -> Reply<Vec<SourceResultsDto>> {
    ws.results_by_source(days).map_err(ipc)
}

/// The prospect accepted the LinkedIn connection request their sequence
/// waits on: it takes its `accepted` branch now.
#[tauri::command(async)]
pub fn connection_accepted(ws: Ws, prospect: i64) -> Reply<BranchTakenDto> {
    ws.connection_accepted(&prospect.to_string()).map_err(ipc)
}

/// Keeps a tagged reply's prospect in the sequence, along its branch.
#[tauri::command(async)]
pub fn keep_in_sequence(ws: Ws, id: i64) -> Reply<InboundDto> {
    ws.keep_in_sequence(id).map_err(ipc)
}

/// Where this desktop stands with its team server.
#[tauri::command(async)]
pub fn team_status(ws: Ws) -> Reply<TeamStatusDto> {
    ws.team_status().map_err(ipc)
}

/// Joins the team with the line the admin gave (its secret goes to the keyring).
#[tauri::command(async)]
pub async fn join_team(ws: Ws<'_>, line: String) -> Reply<TeamStatusDto> {
    ws.join_team(&line).await.map_err(ipc)
}

#[tauri::command(async)]
pub fn leave_team(ws: Ws) -> Reply<TeamStatusDto> {
    ws.leave_team().map_err(ipc)
}

/// Pushes and pulls now.
#[tauri::command(async)]
pub async fn team_sync(ws: Ws<'_>) -> Reply<TeamSyncDto> {
    ws.team_sync().await.map_err(ipc)
}
