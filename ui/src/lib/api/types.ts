// Generated from dto/src by ts-rs: do not edit. See dto/src/typescript.rs.

export type Channel = "email" | "call" | "linkedin_view" | "linkedin_connect" | "linkedin_message" | "sms" | "task";
export type WorkedBy = "approving" | "logging_a_call" | "marking_done";
export type ChannelCapabilities = { sends_itself: boolean, needs_approval_by_default: boolean, light_touch: boolean, linkedin_budget: boolean, worked_by: WorkedBy };
export const CHANNEL_CAPABILITIES: Record<Channel, ChannelCapabilities> = {
  email: { sends_itself: true, needs_approval_by_default: true, light_touch: false, linkedin_budget: false, worked_by: "approving" },
  call: { sends_itself: false, needs_approval_by_default: false, light_touch: false, linkedin_budget: false, worked_by: "logging_a_call" },
  linkedin_view: { sends_itself: false, needs_approval_by_default: false, light_touch: true, linkedin_budget: true, worked_by: "marking_done" },
  linkedin_connect: { sends_itself: false, needs_approval_by_default: false, light_touch: true, linkedin_budget: true, worked_by: "marking_done" },
  linkedin_message: { sends_itself: false, needs_approval_by_default: false, light_touch: false, linkedin_budget: true, worked_by: "marking_done" },
  sms: { sends_itself: false, needs_approval_by_default: false, light_touch: false, linkedin_budget: false, worked_by: "marking_done" },
  task: { sends_itself: false, needs_approval_by_default: false, light_touch: true, linkedin_budget: false, worked_by: "marking_done" },
};
export type TouchState = "pending" | "held" | "approved" | "done" | "skipped" | "cancelled";
export type CallOutcome = "connected" | "voicemail" | "no_answer" | "wrong_number" | "meeting_booked" | "not_interested";
export type EnrollmentState = "active" | "paused" | "exited" | "finished";
export type ErrorCode = "not_found" | "invalid" | "sequence_file" | "draft_blocked" | "conflict" | "unschedulable" | "bad_csv" | "io" | "storage" | "mailbox" | "mailbox_not_set_up" | "mailbox_auth" | "mailbox_sign_in_again" | "mailbox_unreachable" | "mailbox_tls" | "mailbox_rejected" | "mailbox_over_cap" | "damaged" | "newer_version";
export type ExitReason = "replied" | "meeting_booked" | "not_interested" | "unsubscribed" | "bounced" | "removed" | "do_not_contact" | "left_company";
export type TimezoneSource = "file" | "location" | "phone" | "guess" | "unknown";
export type SendState = "queued" | "sending" | "sent" | "failed" | "held" | "cancelled";
export type MailSecurity = "starttls" | "tls" | "plain";
export type MailProvider = "google" | "microsoft" | "other";
export type MailAuth = "password" | "oauth2";
export type InboundKind = "reply" | "auto_reply" | "left_company" | "bounce" | "notice" | "complaint" | "unsubscribe" | "other" | "unreadable";
export type Sentiment = "positive" | "neutral" | "negative";
export type SequenceKind = "cold" | "cold_short" | "inbound" | "reengagement" | "post_demo";
export type Thread = "new" | "reply";
export type LintRule = "touch_count" | "span" | "channels" | "spacing" | "email_run" | "first_email_length" | "no_breakup" | "repeated_copy" | "no_opt_out" | "unknown_field" | "case_change" | "possessive" | "unreachable" | "signal_unused";
export type Encoding = "UTF-8" | "UTF-8 with BOM" | "UTF-16" | "Windows-1252";
export type Delimiter = "comma" | "semicolon" | "tab";
export type Verdict = "too_early" | "no_difference_yet" | "meaningful";
export type AdviceKind = "low_reply" | "unsubscribes" | "bounces" | "reply_sources" | "untagged";
export type View = "queue" | "prospects" | "sequences" | "outbox" | "settings" | "inbox" | "signals";
export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
export type ActivityKind = "prospect_imported" | "prospect_updated" | "prospect_edited" | "do_not_contact" | "enrolled" | "paused" | "resumed" | "exited" | "finished" | "reinstated" | "away_added" | "email_approved" | "email_pulled_back" | "call_logged" | "touch_done" | "touch_skipped" | "touch_snoozed" | "touch_rescheduled" | "email_sent" | "email_failed" | "email_held" | "email_rescheduled" | "email_retried" | "mail_received" | "classification_corrected" | "reply_tagged" | "meeting_booked" | "referral_added" | "branch_taken";
export type SignalKind = "job_change" | "new_role" | "funding" | "hiring" | "leadership_change" | "website_visit" | "competitor_review" | "event_attended" | "custom";
export type MailboxState = "off" | "connecting" | "online" | "offline";

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]: JsonValue } | null;

export type ReferralDto = { email: string, name: string | null, };

export type DeliverabilityDto = { mailbox: string, 
/**
 * Sending is paused until the rep resumes it: since when, and why.
 */
paused_at: string | null, paused_why: string | null, alarm: AlarmDto | null, 
/**
 * Refusals of the last seven days, newest first.
 */
refusals: Array<RefusalDto>, 
/**
 * Refusals that count toward the pause (the last 24 hours, since the
 * rep last resumed), and how many pause sending (0: never).
 */
last_day: number, threshold: number, };

export type AlarmDto = { reason: string, 
/**
 * What it is, in a few words ("your domain's SPF, DKIM or DMARC check failed").
 */
label: string, 
/**
 * What it usually means and what to check.
 */
advice: string, 
/**
 * What the receiving server said.
 */
said: string, at: string, unseen: number, };

export type RefusalDto = { id: number, at: string, reason: string, label: string, said: string, status: string | null, 
/**
 * bounce | smtp
 */
source: string, prospect_id: number | null, };

export type ErrorDto = { code: ErrorCode, message: string, };

export type ChannelCountDto = { channel: Channel, due: number, overdue: number, };

export type QueueDto = { day: string, timezone: string, total: number, overdue: number, counts: Array<ChannelCountDto>, items: Array<QueueItemDto>, };

export type QueueItemDto = { touch_id: number, enrollment_id: number, prospect_id: number, name: string, email: string, company: string | null, title: string | null, phone: string | null, linkedin: string | null, prospect_timezone: string | null, channel: Channel, sequence: string, step: number, steps: number, step_label: string | null, needs_approval: boolean, due_at: string, due_rep_local: string, due_prospect_local: string | null, closes_at: string, overdue: boolean, days_late: number, why: string, 
/**
 * A call whose prospect's zone is known: inside their calling hours now?
 */
reachable_now: boolean | null, 
/**
 * Their calling hours now, or the next ones: opening and closing, in the
 * rep's zone and in theirs.
 */
reach_opens_rep_local: string | null, reach_opens_prospect_local: string | null, reach_closes_prospect_local: string | null, };

export type ProspectDto = { id: number, email: string, first_name: string | null, last_name: string | null, company: string | null, title: string | null, phone: string | null, linkedin: string | null, city: string | null, state: string | null, country: string | null, timezone: string | null, timezone_source: TimezoneSource, domain: string, tags: Array<string>, custom: { [key in string]: string }, created_at: string, };

export type RejectedDto = { line: number, email: string | null, reason: string, };

export type ImportReportDto = { import_id: number, file: string, encoding: Encoding, 
/**
 * comma | semicolon | tab
 */
delimiter: Delimiter, mapping: Array<[string, string]>, imported: number, updated: number, skipped: Array<RejectedDto>, rejected: Array<RejectedDto>, warnings: Array<RejectedDto>, timezone_unknown: number, 
/**
 * Who has no known time zone (line and email; the first of them in the window).
 */
no_timezone: Array<RejectedDto>, 
/**
 * How many rows were skipped, rejected or warned about in all: the
 * lists above may hold only the first of them (see `bounded`).
 */
skipped_total: number, rejected_total: number, warnings_total: number, };

export type FindingDto = { rule: LintRule, step: number | null, message: string, reason: string, };

export type SequenceCheckDto = { 
/**
 * The sequence's name, when the text parses.
 */
name: string | null, steps: number, 
/**
 * Why the text does not parse: line, field and what was expected.
 */
problem: string | null, findings: Array<FindingDto>, };

export type PreviewStepDto = { number: number, channel: Channel, label: string | null, subject: string | null, text: string, 
/**
 * Fields the prospect lacks: the draft would be blocked.
 */
missing: Array<string>, problem: string | null, };

export type StepDto = { number: number, channel: Channel, delay: number, 
/**
 * Business days after enrollment.
 */
day: number, approval: boolean, thread: Thread | null, breakup: boolean, label: string | null, subject: string | null, text: string, variants: Array<string>, 
/**
 * Where an enrollment goes after this step, by what happened at it;
 * what is not listed goes on to the next step.
 */
next: Array<BranchDto>, 
/**
 * Every step that can come after this one, each once: the branches in
 * the file's order, then where everything else goes. The tree is drawn
 * from these.
 */
then: Array<ThenDto>, 
/**
 * A connection request that branches on acceptance: business days it
 * waits for one (0 otherwise).
 */
accept_within: number, };

export type BranchDto = { 
/**
 * A call's outcome, or "always".
 */
when: string, 
/**
 * The label of the step it goes to, or "end".
 */
label: string, 
/**
 * That step's number (1-based); null: the sequence ends.
 */
step: number | null, };

export type ThenDto = { 
/**
 * What leads there: branch keys ("connected", "voicemail"), "always",
 * "otherwise" (what no branch names), or "next" (no branches at all).
 */
when: Array<string>, 
/**
 * The step (1-based); null: the sequence ends.
 */
step: number | null, };

export type PathResultsDto = { version: number, 
/**
 * Steps taken, 1-based, in order.
 */
steps: Array<number>, enrolled: number, 
/**
 * Still running on it (the path may go on).
 */
running: number, replies: number, meetings: number, 
/**
 * Of those enrolled.
 */
reply_rate: number | null, meeting_rate: number | null, };

export type BranchTakenDto = { enrollment_id: number, 
/**
 * The step it goes to (1-based); null: the sequence finished.
 */
step: number | null, 
/**
 * That step's label, or "the end".
 */
to: string, };

export type TeamStatusDto = { 
/**
 * On a team at all.
 */
joined: boolean, 
/**
 * The server and role (no secret).
 */
url: string | null, role: string | null, 
/**
 * Ops (do-not-contact changes) not yet taken by the server.
 */
pending: number, 
/**
 * The feed position read so far.
 */
position: number, 
/**
 * When the server was last heard from (RFC 3339, UTC).
 */
synced_at: string | null, 
/**
 * Why the last push or pull failed, in plain words.
 */
problem: string | null, 
/**
 * Emails wait: the team's list has not been checked within the grace.
 */
stale: boolean, grace_minutes: number, };

export type TeamSyncDto = { 
/**
 * Ops the server took (applied, or refused with a reason).
 */
pushed: number, 
/**
 * Ops it refused, with why (e.g. someone else listed the entry too).
 */
refused: Array<string>, 
/**
 * Feed rows applied here.
 */
pulled: number, 
/**
 * Entries added to and taken off this desktop's list.
 */
listed: number, unlisted: number, 
/**
 * Enrollments ended here and approved emails that will not go.
 */
ended: number, cancelled: number, status: TeamStatusDto, };

export type StepCountDto = { 
/**
 * Enrollments whose next touch is this step.
 */
waiting: number, done: number, skipped: number, 
/**
 * Enrollments that left the sequence at this step.
 */
exited: number, };

export type SequenceDto = { slug: string, version: number, name: string, description: string, kind: SequenceKind, builtin: boolean, 
/**
 * Touches and business days on the longest path (the file's length
 * when nothing branches)...
 */
touches: number, business_days: number, 
/**
 * ...and on the shortest.
 */
touches_min: number, business_days_min: number, 
/**
 * Published by the team's manager: read-only here.
 */
team: boolean, channels: Array<string>, window: string, 
/**
 * Enrollments per state; a state with none is absent.
 */
enrollments: { [key in EnrollmentState]?: number }, steps: Array<StepDto> | null, findings: Array<FindingDto> | null, step_counts: Array<StepCountDto> | null, };

export type EnrollReportDto = { enrolled: number, enrollment_ids: Array<number>, skipped: Array<RejectedDto>, };

export type TouchDto = { touch_id: number, enrollment_id: number, state: TouchState, channel: Channel, sequence: string, step: number, steps: number, due_at: string, 
/**
 * The due (for emails: send) time in the rep's zone and the prospect's.
 */
due_rep_local: string, due_prospect_local: string | null, closes_at: string, label: string | null, needs_approval: boolean, prospect: ProspectDto, variant: string, subject: string | null, text: string, blocked: boolean, 
/**
 * Prospect fields the draft needs and does not have.
 */
missing_fields: Array<string>, 
/**
 * The rep's own settings the draft needs (signature, sender name...).
 */
missing_settings: Array<string>, problem: string | null, 
/**
 * A logged call's outcome.
 */
outcome: CallOutcome | null, notes: string | null, };

export type OutboxDto = { touch_id: number, prospect_id: number, email: string, subject: string, send_at: string, send_rep_local: string, send_prospect_local: string | null, 
/**
 * Queued, sending, held or failed (sent and cancelled ones are not in the outbox).
 */
state: SendState, 
/**
 * Why it waits, is held or failed, in words.
 */
reason: string | null, attempts: number, };

export type TimelineDto = { at: string, kind: ActivityKind, sequence: string | null, step: number | null, data: JsonValue, 
/**
 * The rep undid the action that logged `kind`.
 */
undone: boolean, };

export type EnrollmentDto = { id: number, sequence_version: number, state: EnrollmentState, exit_reason: ExitReason | null, step: number, enrolled_at: string, 
/**
 * The sequence by slug and name, its step count, and the label of the
 * step the enrollment is at.
 */
sequence: string, sequence_name: string, steps: number, step_label: string | null, 
/**
 * The next touch still to be worked: its channel and when it is due.
 */
next_channel: Channel | null, next_due_at: string | null, 
/**
 * A LinkedIn connection request waits for its answer: the rep can mark it accepted.
 */
awaiting_acceptance: boolean, };

export type SettingsDto = { timezone: string, working_days: Array<Weekday>, hours: string, holiday_country: string | null, away: Array<[string, string]>, sender_name: string, sender_company: string, signature: string, opt_out: string, notifications: boolean, };

export type MappingDto = { header: string, 
/**
 * A field name (`email`, `first_name`, `custom:industry`, `ignore`...).
 */
field: string, };

export type ImportPreviewDto = { file: string, encoding: Encoding, 
/**
 * comma | semicolon | tab: sniffed from the header line, or the rep's choice.
 */
delimiter: Delimiter, headers: Array<string>, mapping: Array<MappingDto>, sample: Array<Array<string>>, ready: number, rejected: number, problem: string | null, 
/**
 * The fields a column can be mapped to.
 */
fields: Array<string>, };

export type ImportFileDto = { token: string, file: string, size: number, };

export type ImportProgressDto = { done: number, total: number, };

export type ProspectPageDto = { total: number, offset: number, items: Array<ProspectDto>, };

export type ProspectDetailDto = { prospect: ProspectDto, 
/**
 * What the mail said of the address: ok, soft_bounced, invalid, left.
 */
email_status: 'ok' | 'soft_bounced' | 'invalid' | 'left', enrollments: Array<EnrollmentDto>, timeline: Array<TimelineDto>, };

export type WorkspaceDto = { prospects: number, database: string, timezone: string, now: string, 
/**
 * `CADENCE_TRACE` is set: the UI reports its timings (benchmarks).
 */
trace: boolean, };

export type ChangedDto = { what: Array<View>, };

export type SignalDto = { id: number, kind: SignalKind, 
/**
 * The kind in plain words ("job change").
 */
kind_words: string, 
/**
 * The person's email, or "@domain" for a company signal.
 */
who: string, text: string, source: string, 
/**
 * When it happened (RFC 3339, UTC).
 */
happened_at: string, };

export type ProposalDto = { id: number, signal: SignalDto, prospect_id: number, name: string, email: string, company: string | null, title: string | null, sequence: string, sequence_name: string, created_at: string, };

export type SignalRuleDto = { kind: SignalKind, kind_words: string, sequence: string, 
/**
 * Enroll directly instead of proposing.
 */
enroll: boolean, cooldown_days: number, };

export type SignalRuleSetDto = { rule: SignalRuleDto, findings: Array<FindingDto>, };

export type SignalRuleInput = { kind: string, sequence: string, enroll: boolean, cooldown_days: number | null, };

export type SignalOutcomeDto = { line: number, who: string, outcome: "proposed" | "enrolled" | "kept" | "refused" | "duplicate" | "rejected", 
/**
 * Why (kept, refused, duplicate, rejected).
 */
reason: string | null, prospect_id: number | null, sequence: string | null, };

export type SignalReportDto = { 
/**
 * "command line", or the file's name.
 */
origin: string, stored: number, new_prospects: number, proposed: number, enrolled: number, 
/**
 * Stored with nothing to do (no rule for the kind, no one known there).
 */
kept: number, refused: number, duplicates: number, rejected: number, outcomes: Array<SignalOutcomeDto>, 
/**
 * Outcomes left out of `outcomes` (the window's copy is bounded).
 */
more: number, };

export type SkippedProposalDto = { proposal: number, reason: string, };

export type AcceptedDto = { enrolled: number, skipped: Array<SkippedProposalDto>, };

export type SourceResultsDto = { 
/**
 * The signal kind, or null for enrollments made by hand.
 */
kind: SignalKind | null, 
/**
 * "by hand", or the kind in words.
 */
label: string, enrolled: number, replied: number, positive: number, meetings: number, 
/**
 * Of those enrolled.
 */
reply_rate: number | null, positive_rate: number | null, meeting_rate: number | null, };

export type SignalKindDto = { kind: SignalKind, words: string, };

export type SignalsDto = { proposals: Array<ProposalDto>, rules: Array<SignalRuleDto>, 
/**
 * The folder watched for signal files, if one is chosen.
 */
folder: string | null, kinds: Array<SignalKindDto>, };

export type FolderFileDto = { file: string, 
/**
 * Where the file and its report went.
 */
moved_to: string, report: SignalReportDto | null, 
/**
 * Why the file could not be read as signals at all.
 */
error: string | null, };

export type SampleReportDto = { prospects: number, enrollments: number, };

export type MailboxDto = { address: string, username: string, smtp_host: string, smtp_port: number, smtp_security: MailSecurity, imap_host: string, imap_port: number, imap_security: MailSecurity, ca_file: string | null, daily_cap: number, spacing_s: number, jitter_pct: number, server_saves_sent: boolean, folders: Array<string>, hold_on_company_mail: boolean, pause_company_on_reply: boolean, ooo_default_days: number, recovery_grace_s: number, provider: MailProvider, auth: MailAuth, oauth_client_id: string, 
/**
 * Google's installed-app client secret, which is not secret (RFC 8252 §8.5).
 */
oauth_client_secret: string, oauth_auth_url: string, oauth_token_url: string, oauth_scopes: string, 
/**
 * Put a List-Unsubscribe header on every email (off: auto-replies arrive).
 */
list_unsubscribe: boolean, 
/**
 * Refusals of the rep's own sending in a day that pause sending (0: never).
 */
refusals_to_pause: number, configured: boolean, 
/**
 * A password is saved in the OS keyring for these servers (the password
 * itself never leaves it).
 */
has_password: boolean, 
/**
 * Signed in with the provider: a refresh token is saved in the OS keyring
 * for these servers (the token itself never leaves it).
 */
signed_in: boolean, };

export type SendDto = { touch_id: number, prospect_id: number, email: string, subject: string, state: SendState, message_id: string | null, attempts: number, not_before: string, sent_at: string | null, reason: string | null, in_reply_to: string | null, };

export type InboundDto = { id: number, kind: InboundKind, 
/**
 * The rep corrected the kind.
 */
corrected: boolean, from: string | null, subject: string | null, received_at: string, prospect_id: number | null, prospect_email: string | null, touch_id: number | null, action: string, evidence: string | null, return_date: string | null, bounce_status: string | null, 
/**
 * Why a bounce failed (user_unknown, mailbox_full, reputation, ...), in words too.
 */
bounce_reason: string | null, bounce_reason_label: string | null, 
/**
 * Whose fault: address | mailbox | sender.
 */
bounce_fault: string | null, 
/**
 * What the receiving server said.
 */
bounce_said: string | null, 
/**
 * A delivery notice: delivered | relayed | delayed.
 */
notice: string | null, 
/**
 * The person a "left the company" reply names, and the prospect made from them.
 */
referral: ReferralDto | null, referral_prospect_id: number | null, 
/**
 * The rep's tag for a reply.
 */
sentiment: Sentiment | null, 
/**
 * What the person wrote (their own text, the quoted original left out):
 * plain text, to be shown as text.
 */
text: string | null, 
/**
 * The prospect it concerns, by name, and their company.
 */
prospect_name: string | null, prospect_company: string | null, 
/**
 * The subject of the email it answers.
 */
answers_subject: string | null, 
/**
 * A tagged reply whose email branches on its tag: the step keeping the
 * prospect in the sequence would take them to.
 */
keep: string | null, };

export type MailboxStatusDto = { state: MailboxState, message: string | null, 
/**
 * Which kind of failure, when off or offline (a refused login, an
 * unreachable server, a TLS failure...), so the screen can say what to do.
 */
code: ErrorCode | null, retry_at: string | null, };

export type ConnectionTestDto = { smtp_ok: boolean, smtp: string, 
/**
 * Which kind of failure, when sending failed (`mailbox_auth`...).
 */
smtp_code: ErrorCode | null, imap_ok: boolean, imap: string, imap_code: ErrorCode | null, 
/**
 * How Cadence logged in: `password` or `oauth2`.
 */
login: MailAuth, 
/**
 * Signed in: whether the access token refreshed, in words (never the token).
 */
token: string | null, token_ok: boolean | null, };

export type OutcomeInput = { "kind": "approve", subject: string | null, body: string | null, } | { "kind": "call", outcome: CallOutcome, notes: string | null, duration_s: number | null, } | { "kind": "done", notes: string | null, } | { "kind": "skip", reason: string | null, };

export type SnoozeInput = "hour" | "tomorrow" | "next_week";

export type BulkInput = { "action": "snooze", preset: SnoozeInput | null, until: string | null, } | { "action": "skip", reason: string | null, } | { "action": "pause" } | { "action": "remove" } | { "action": "approve" };

export type ProspectQuery = { search: string | null, offset: number, limit: number, };

export type ImportInput = { 
/**
 * From `choose_import_file`.
 */
token: string, 
/**
 * Header as written in the file, then the field it goes to.
 */
mapping: Array<[string, string]>, 
/**
 * Update known prospects instead of leaving them as they are.
 */
update: boolean, 
/**
 * comma | semicolon | tab; sniffed from the header line when absent.
 */
delimiter?: Delimiter, };

export type EnrollInput = { sequence: string, prospect_ids: Array<number>, 
/**
 * When set, everyone matching this search (an empty one: everyone).
 */
matching: string | null, 
/**
 * When set, everyone whose latest import was this one.
 */
import_id: number | null, };

export type SendsKind = "sent" | "failed" | "held" | "waiting";

export type PasswordInput = string;

export type FiguresDto = { enrolled: number, emails_sent: number, calls: number, calls_connected: number, linkedin: number, tasks: number, skipped: number, replies: number, positive_replies: number, untagged_replies: number, meetings: number, bounces_hard: number, bounces_soft: number, unsubscribes: number, complaints: number, auto_replies: number, exited: number, finished: number, reply_rate: number | null, positive_rate: number | null, meeting_rate: number | null, reply_rate_enrolled: number | null, positive_rate_enrolled: number | null, meeting_rate_enrolled: number | null, connect_rate: number | null, };

export type AbTestDto = { verdict: Verdict, p_value: number | null, 
/**
 * Index of the variant ahead, only when the difference is meaningful.
 */
leader: number | null, sends_needed: number | null, summary: string, };

export type VariantDto = { index: number, name: string, subject: string | null, figures: FiguresDto, 
/**
 * 95% interval of the reply rate, [low, high].
 */
interval: [number, number] | null, };

export type StepResultsDto = { 
/**
 * 1-based, as the rep counts.
 */
step: number, channel: Channel, label: string | null, figures: FiguresDto, variants: Array<VariantDto>, ab: AbTestDto | null, };

export type VersionResultsDto = { version: number, figures: FiguresDto, 
/**
 * Exits by reason: replied, meeting_booked, unsubscribed, bounced, ...
 */
exits: { [key in ExitReason]?: number }, steps: Array<StepResultsDto>, };

export type TrendPointDto = { 
/**
 * The Monday the week starts on (rep's calendar), YYYY-MM-DD.
 */
week: string, emails_sent: number, replies: number, };

export type AdviceDto = { kind: AdviceKind, version: number | null, 
/**
 * 1-based.
 */
step: number | null, text: string, };

export type SequenceResultsDto = { slug: string, name: string, 
/**
 * The period, RFC 3339 UTC; `null` ends are open.
 */
from: string | null, to: string | null, figures: FiguresDto, exits: { [key in ExitReason]?: number }, 
/**
 * Oldest first; figures stay with the version that was sent.
 */
versions: Array<VersionResultsDto>, trend: Array<TrendPointDto>, advice: Array<AdviceDto>, 
/**
 * Why there is no open rate.
 */
opens: string, 
/**
 * The ways enrollments took through a branching sequence, most taken
 * first; empty when no version branches.
 */
paths: Array<PathResultsDto>, };

export type SequenceSummaryDto = { slug: string, name: string, figures: FiguresDto, };

export type TodayStatsDto = { day: string | null, done: number, skipped: number, left: number, emails_sent: number, replies: number, 
/**
 * Today is the first working day back after time away or a long
 * absence, of that many days: the app offers to re-plan the backlog.
 */
back_after_days: number | null, };

export type ResultsSettingsDto = { reply_floor_pct: number, window_days: number, };

export type ExportDto = { path: string, rows: number, };

export type SampleDto = { prospects: number, active_enrollments: number, touches: number, };

export type ImportDoneDto = { enrollment?: EnrollReportDto, import_id: number, file: string, encoding: Encoding, 
/**
 * comma | semicolon | tab
 */
delimiter: Delimiter, mapping: Array<[string, string]>, imported: number, updated: number, skipped: Array<RejectedDto>, rejected: Array<RejectedDto>, warnings: Array<RejectedDto>, timezone_unknown: number, 
/**
 * Who has no known time zone (line and email; the first of them in the window).
 */
no_timezone: Array<RejectedDto>, 
/**
 * How many rows were skipped, rejected or warned about in all: the
 * lists above may hold only the first of them (see `bounded`).
 */
skipped_total: number, rejected_total: number, warnings_total: number, };

export type CompletedDto = { touch_id: number, state: TouchState, enrollment_state: EnrollmentState, 
/**
 * Why the sequence ended, when this touch ended it.
 */
exit_reason: ExitReason | null, prospect_name: string, 
/**
 * The approved email as it waits in the outbox (emails only).
 */
outbox: OutboxDto | null, 
/**
 * What was done, as the rep would say it, and as undo names it:
 * "Approved the email to Ana Costa".
 */
what: string, };

export type SnoozedDto = { touch_id: number, due_at: string, };

export type EnrollmentStateDto = { enrollment_id: number, state: EnrollmentState, };

export type DncDto = { entry: string, enrollments_ended: number, };

export type AwayDto = { from: string, to: string, touches_moved: number, };

export type BulkDoneDto = { changed: number, };

export type UndoneDto = { what: string, 
/**
 * The touch to show again (the first, after a bulk action).
 */
touch_id: number | null, };

export type NoticeDto = { title: string, 
/**
 * Plain text, with `&`, `<` and `>` escaped (notification servers read markup).
 */
body: string, prospect_id: number | null, };

export type ReplanDto = { moves: number, days: Array<ReplanDayDto>, 
/**
 * The days asked for were not enough: the plan runs on to this date.
 */
runs_to: string | null, };

export type ReplanDayDto = { 
/**
 * The rep's date.
 */
day: string, total: number, 
/**
 * How many of the day's touches come from the backlog.
 */
moved: number, by_channel: Partial<Record<Channel, number>>, };

export type CalendarChoicesDto = { system_timezone: string | null, timezones: Array<string>, 
/**
 * ISO 3166 codes (US, GB, DE...).
 */
holiday_countries: Array<string>, };

export type PasswordSavedDto = { saved: boolean, keyring: string, };

export type PasswordForgottenDto = { forgotten: boolean, };

export type RetriedDto = { touch_id: number, state: SendState, };

export type SyncDto = { sent: number, held: number, failed: number, recovered: number, read: number, filed_in_sent: number, received: Array<InboundDto>, next_send: string | null, };

export type DueDto = { total: number, overdue: number, };

export type BackupDto = { 
/**
 * Where it is (the backups folder beside the database, or the file the
 * rep chose).
 */
file: string, 
/**
 * Its file name: what the window names a backup in the folder by.
 */
name: string, 
/**
 * Why it was taken: `daily` (at start-up, once a day), `import` (after
 * an import), `manual`, or `before_restore` (the database as it was
 * before a restore).
 */
kind: "daily" | "import" | "manual" | "before_restore", taken_at: string, 
/**
 * The same instant in the rep's zone.
 */
taken_local: string, size_bytes: number, };

export type RestoredDto = { restored_from: string, 
/**
 * The database as it was before, kept as a backup (or, when it was
 * damaged, moved aside under this name).
 */
previous_kept_as: string | null, prospects: number, };

export type StartupProblemDto = { error: ErrorDto, database: string, backups: Array<BackupDto>, };
