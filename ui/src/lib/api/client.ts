// Typed calls into the shell. Every command the UI uses is listed here, with
// the generated request and reply types; nothing else calls `invoke`.
import { Channel as IpcChannel, invoke } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import { fault } from '../mailbox/faults';
import type { Commands } from './commands';
import type {
  BulkInput,
  ChangedDto,
  RetriedDto,
  ConnectionTestDto,
  EnrollInput,
  EnrollReportDto,
  ErrorCode,
  ExportDto,
  ErrorDto,
  ImportInput,
  ImportPreviewDto,
  ImportProgressDto,
  ImportReportDto,
  InboundDto,
  InboundKind,
  MailboxDto,
  MailboxStatusDto,
  OutboxDto,
  OutcomeInput,
  ProspectDetailDto,
  ProspectDto,
  ProspectPageDto,
  ProspectQuery,
  QueueDto,
  ResultsSettingsDto,
  SampleReportDto,
  SendDto,
  SendsKind,
  SequenceDto,
  SequenceResultsDto,
  SequenceSummaryDto,
  Sentiment,
  SettingsDto,
  SignalRuleInput,
  FolderFileDto,
  TeamStatusDto,
  SnoozeInput,
  TodayStatsDto,
  TouchDto,
  View,
  WorkspaceDto,
  Channel,
} from './types';

export type { Sentiment, View } from './types';

/** An error from the engine, with a code from a closed set. */
export class CadenceError extends Error {
  constructor(
    public code: ErrorCode | 'ipc',
    message: string,
  ) {
    super(message);
  }
}

function isErrorDto(e: unknown): e is ErrorDto {
  return typeof e === 'object' && e !== null && 'code' in e && 'message' in e;
}

/** A command with no arguments takes none; the others take exactly theirs. */
type Args<K extends keyof Commands> = keyof Commands[K]['args'] extends never ? [] : [Commands[K]['args']];

/** Calls a command of the shell, typed by the generated command map. */
async function call<K extends keyof Commands>(command: K, ...args: Args<K>): Promise<Commands[K]['reply']> {
  try {
    return await invoke<Commands[K]['reply']>(command, args[0]);
  } catch (e) {
    if (isErrorDto(e)) throw new CadenceError(e.code, e.message);
    throw new CadenceError('ipc', String(e));
  }
}

export const api = {
  /** Why the workspace did not open at start (damaged, or from a newer Cadence), with the backups that can replace it; null when it opened. */
  startupProblem: () => call('startup_problem'),
  /** Puts the backup called `name` in place of the database that would not open, then opens the workspace. */
  restoreAtStart: (name: string) => call('restore_at_start', { name }),
  backups: () => call('backups'),
  backupNow: () => call('backup_now'),
  /** Replaces the workspace with the backup called `name`; what was there is kept as a backup first. */
  restoreBackup: (name: string) => call('restore_backup', { name }),
  /** The shell asks which backup file (a native dialog) and restores it; null when the rep cancels. */
  restoreFromFile: () => call('restore_from_file'),
  workspace: () => call('workspace'),
  queue: (channel: Channel | null, limit: number | null) => call('queue', { channel, limit }),
  touch: (id: number) => call('touch', { id }),
  complete: (id: number, outcome: OutcomeInput) => call('complete', { id, outcome }),
  snooze: (id: number, preset: SnoozeInput) => call('snooze', { id, preset }),
  /** Overdue touches spread over the next working days, at most so many a day. */
  replanPreview: (days: number, cap: number) => call('replan_preview', { days, cap }),
  replan: (days: number, cap: number) => call('replan', { days, cap }),
  /** One action on many touches of the queue, all or nothing. */
  bulk: (touches: number[], input: BulkInput) => call('bulk', { touches, input }),
  setProspectField: (id: number, field: string, value: string) => call('set_prospect_field', { id, field, value }),
  prospects: (query: ProspectQuery) => call('prospects', { query }),
  prospect: (id: number) => call('prospect', { id }),
  /** The shell asks which CSV file (a native dialog) and hands back a token naming it; null when the rep cancels. */
  chooseImportFile: () => call('choose_import_file'),
  /** The shell asks for the mailbox's extra CA certificate (a native dialog) and saves it; null when the rep cancels. */
  chooseCaFile: () => call('choose_ca_file'),
  previewImport: (input: ImportInput) => call('preview_import', { input }),
  importCsv: (input: ImportInput, onProgress: (p: ImportProgressDto) => void) => {
    const progress = new IpcChannel<ImportProgressDto>();
    progress.onmessage = onProgress;
    return call('import_csv', { input, progress });
  },
  enroll: (input: EnrollInput) => call('enroll', { input }),
  /** Pause, resume or remove (end) one enrollment. */
  changeEnrollment: (id: number, action: 'pause' | 'resume' | 'remove') => call('change_enrollment', { id, action }),
  /** An address or @domain never to contact again; their sequences end. */
  addDoNotContact: (entry: string) => call('add_do_not_contact', { entry }),
  sequences: () => call('sequences'),
  sequence: (slug: string) => call('sequence', { slug }),
  /** The text of a sequence's latest version, to edit or duplicate. */
  sequenceSource: (slug: string) => call('sequence_source', { slug }),
  /** Edited text parsed and linted; nothing stored. */
  checkSequence: (slug: string, source: string) => call('check_sequence', { slug, source }),
  previewSequence: (slug: string, source: string, prospect: number) => call('preview_sequence', { slug, source, prospect }),
  /** A new sequence, or a new version of the rep's own. */
  saveSequence: (slug: string, source: string) => call('save_sequence', { slug, source }),
  outbox: () => call('outbox'),
  settings: () => call('settings'),
  setSetting: (key: string, value: string) => call('set_setting', { key, value }),
  /** Every zone, this computer's zone, and the countries with holiday data. */
  calendarChoices: () => call('calendar_choices'),
  /** How many touches an away period would move (dates as 2026-12-21). */
  awayPreview: (from: string, to: string) => call('away_preview', { from, to }),
  addAway: (from: string, to: string) => call('add_away', { from, to }),
  removeAway: (from: string, to: string) => call('remove_away', { from, to }),
  loadSample: () => call('load_sample'),
  mailboxSettings: () => call('mailbox_settings'),
  setMailbox: (key: string, value: string) => call('set_mailbox', { key, value }),
  /** To the OS keyring; the reply says only whether one is saved. */
  saveMailboxPassword: (password: string) => call('save_mailbox_password', { password }),
  testMailbox: () => call('test_mailbox'),
  /** The shell opens the provider's page in the rep's browser and waits for the sign-in to come back. */
  signIn: () => call('sign_in'),
  cancelSignIn: () => call('cancel_sign_in'),
  signOut: () => call('sign_out'),
  mailboxStatus: () => call('mailbox_status'),
  sends: (kind: SendsKind) => call('sends', { kind }),
  retrySend: (id: number) => call('retry_send', { id }),
  /** An approved email taken back before it goes: a draft again in Today. */
  pullBack: (id: number) => call('pull_back', { id }),
  /** Takes back the last action on the queue, within a few seconds of it. */
  undo: () => call('undo'),
  inbox: () => call('inbox'),
  correctInbound: (id: number, kind: InboundKind) => call('correct_inbound', { id, kind }),
  trace: (event: string, ms: number) => call('trace', { event, ms }),
  /** Every sequence's headline figures over the last `days` (null: all time). */
  resultsOverview: (days: number | null) => call('results_overview', { days }),
  results: (slug: string, days: number | null) => call('results', { slug, days }),
  todayStats: () => call('today_stats'),
  resultsSettings: () => call('results_settings'),
  setResultsSettings: (settings: ResultsSettingsDto) => call('set_results_settings', { settings }),
  tagReply: (id: number, sentiment: Sentiment) => call('tag_reply', { id, sentiment }),
  meetingFromReply: (id: number) => call('meeting_from_reply', { id }),
  /** Keeps a tagged reply's prospect in the sequence, along its branch. */
  keepInSequence: (id: number) => call('keep_in_sequence', { id }),
  /** The prospect accepted the LinkedIn request their sequence waits on. */
  connectionAccepted: (prospect: number) => call('connection_accepted', { prospect }),
  /** Adds the person a "left the company" reply names as a new prospect. */
  addReferral: (id: number) => call('add_referral', { id }),
  /** Receivers refusing the rep's own sending: the alarm, the pause, the refusals. */
  deliverability: () => call('deliverability'),
  resumeSending: () => call('resume_sending'),
  /** The shell asks where to save (a native dialog); null when the rep cancels. */
  exportCsv: (what: ExportKind, slug: string | null, days: number | null) => call('export_csv', { what, slug, days }),
  /** Signals: the proposals waiting, the rules, the watched folder. */
  signals: () => call('signals'),
  /** The shell asks for a signals file (CSV or JSON lines); null when the rep cancels. */
  importSignals: () => call('import_signals'),
  /** The shell asks for a folder to watch (null when the rep cancels); `off` stops watching. */
  signalsFolder: (off: boolean) => call('signals_folder', { off }),
  setSignalRule: (input: SignalRuleInput) => call('set_signal_rule', { input }),
  removeSignalRule: (kind: string) => call('remove_signal_rule', { kind }),
  /** These proposals, or all open ones with null. */
  acceptProposals: (ids: number[] | null) => call('accept_proposals', { ids }),
  dismissProposals: (ids: number[] | null) => call('dismiss_proposals', { ids }),
  resultsBySource: (days: number | null) => call('results_by_source', { days }),
  /** The team server: where this desktop stands, join with the admin's line, sync now, leave. */
  teamStatus: () => call('team_status'),
  joinTeam: (line: string) => call('join_team', { line }),
  teamSync: () => call('team_sync'),
  leaveTeam: () => call('leave_team'),
};

/** What a CSV export holds: figures per sequence, step and variant, or every activity row. */
export type ExportKind = 'figures' | 'activity';

/** Calls `f` with what changed after every write the engine commits. */
export function onChanged(f: (what: View[]) => void): Promise<UnlistenFn> {
  return listen<ChangedDto>('changed', (e) => f(e.payload.what));
}

/** The mailbox went online, offline or off. */
export function onMailboxStatus(f: (s: MailboxStatusDto) => void): Promise<UnlistenFn> {
  return listen<MailboxStatusDto>('mailbox-status', (e) => f(e.payload));
}

/** Cadence read a message and acted on it (a reply, an out-of-office...). */
export function onMailReceived(f: (m: InboundDto) => void): Promise<UnlistenFn> {
  return listen<InboundDto>('mail-received', (e) => f(e.payload));
}

/** The team loop synced (or could not). */
export function onTeamStatus(f: (s: TeamStatusDto) => void): Promise<UnlistenFn> {
  return listen<TeamStatusDto>('team-status', (e) => f(e.payload));
}

/** The watched folder had new signal files; what each brought. */
export function onSignalsRead(f: (files: FolderFileDto[]) => void): Promise<UnlistenFn> {
  return listen<FolderFileDto[]>('signals-read', (e) => f(e.payload));
}

/** Words for the rep: what went wrong and what to do. Never a code or a stack. */
export function explain(e: unknown): string {
  if (e instanceof CadenceError) {
    switch (e.code) {
      case 'storage':
        return `Cadence could not save this (${e.message}). Nothing was changed; try again, and if it keeps failing, restart Cadence.`;
      case 'io':
        return `${e.message}. Check the file is there and readable.`;
      case 'ipc':
        return `Cadence could not do that: ${e.message}. Your work so far is saved.`;
      case 'mailbox':
      case 'mailbox_not_set_up':
      case 'mailbox_auth':
      case 'mailbox_sign_in_again':
      case 'mailbox_unreachable':
      case 'mailbox_tls':
      case 'mailbox_rejected':
      case 'mailbox_over_cap':
        return `${e.message.charAt(0).toUpperCase() + e.message.slice(1)}. ${fault(e.code)?.todo ?? ''}`.trim();
      default:
        return e.message.charAt(0).toUpperCase() + e.message.slice(1);
    }
  }
  return String(e);
}
