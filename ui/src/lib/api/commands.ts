// Generated from src-tauri/src/commands.rs: do not edit. See src-tauri/src/ts_client.rs.
import type { Channel as IpcChannel } from '@tauri-apps/api/core';
import type { BackupDto, ConnectionTestDto, DeliverabilityDto, EnrollInput, EnrollReportDto, ExportDto, ImportFileDto, ImportInput, ImportPreviewDto, ImportProgressDto, ImportReportDto, InboundDto, MailboxDto, MailboxStatusDto, OutboxDto, OutcomeInput, ProspectDetailDto, ProspectDto, ProspectPageDto, ProspectQuery, QueueDto, RestoredDto, ResultsSettingsDto, RetriedDto, SampleReportDto, SendDto, SendsKind, SequenceDto, SequenceResultsDto, SequenceSummaryDto, SettingsDto, SnoozeInput, StartupProblemDto, TodayStatsDto, TouchDto, WorkspaceDto } from './types';

/** Every command: what the window sends, and what it gets back. */
export interface Commands {
  startup_problem: { args: {}; reply: StartupProblemDto | null };
  restore_at_start: { args: { name: string }; reply: RestoredDto };
  workspace: { args: {}; reply: WorkspaceDto };
  queue: { args: { channel: string | null; limit: number | null }; reply: QueueDto };
  touch: { args: { id: number }; reply: TouchDto };
  complete: { args: { id: number; outcome: OutcomeInput }; reply: OutboxDto | null };
  snooze: { args: { id: number; preset: SnoozeInput }; reply: string };
  set_prospect_field: { args: { id: number; field: string; value: string }; reply: ProspectDto };
  prospects: { args: { query: ProspectQuery }; reply: ProspectPageDto };
  prospect: { args: { id: number }; reply: ProspectDetailDto };
  choose_import_file: { args: {}; reply: ImportFileDto | null };
  preview_import: { args: { input: ImportInput }; reply: ImportPreviewDto };
  import_csv: { args: { input: ImportInput; progress: IpcChannel<ImportProgressDto> }; reply: ImportReportDto };
  enroll: { args: { input: EnrollInput }; reply: EnrollReportDto };
  sequences: { args: {}; reply: Array<SequenceDto> };
  sequence: { args: { slug: string }; reply: SequenceDto };
  outbox: { args: {}; reply: Array<OutboxDto> };
  settings: { args: {}; reply: SettingsDto };
  set_setting: { args: { key: string; value: string }; reply: SettingsDto };
  load_sample: { args: {}; reply: SampleReportDto };
  mailbox_settings: { args: {}; reply: MailboxDto };
  set_mailbox: { args: { key: string; value: string }; reply: MailboxDto };
  choose_ca_file: { args: {}; reply: MailboxDto | null };
  save_mailbox_password: { args: { password: string }; reply: MailboxDto };
  test_mailbox: { args: {}; reply: ConnectionTestDto };
  mailbox_status: { args: {}; reply: MailboxStatusDto };
  sends: { args: { kind: SendsKind }; reply: Array<SendDto> };
  retry_send: { args: { id: number }; reply: RetriedDto };
  inbox: { args: {}; reply: Array<InboundDto> };
  correct_inbound: { args: { id: number; kind: string }; reply: InboundDto };
  trace: { args: { event: string; ms: number }; reply: null };
  results_overview: { args: { days: number | null }; reply: Array<SequenceSummaryDto> };
  results: { args: { slug: string; days: number | null }; reply: SequenceResultsDto };
  today_stats: { args: {}; reply: TodayStatsDto };
  results_settings: { args: {}; reply: ResultsSettingsDto };
  set_results_settings: { args: { settings: ResultsSettingsDto }; reply: ResultsSettingsDto };
  tag_reply: { args: { id: number; sentiment: string }; reply: InboundDto };
  meeting_from_reply: { args: { id: number }; reply: InboundDto };
  add_referral: { args: { id: number }; reply: ProspectDto };
  deliverability: { args: {}; reply: DeliverabilityDto };
  resume_sending: { args: {}; reply: DeliverabilityDto };
  sign_in: { args: {}; reply: MailboxDto };
  cancel_sign_in: { args: {}; reply: null };
  sign_out: { args: {}; reply: MailboxDto };
  backups: { args: {}; reply: Array<BackupDto> };
  backup_now: { args: {}; reply: BackupDto };
  restore_backup: { args: { name: string }; reply: RestoredDto };
  restore_from_file: { args: {}; reply: RestoredDto | null };
  export_csv: { args: { what: string; slug: string | null; days: number | null }; reply: ExportDto | null };
}
