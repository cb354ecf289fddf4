// Pure shaping for the Results screen: numbers as the rep reads them, the
// series the charts draw, and the checks on the advice thresholds. Nothing
// here touches the DOM or a canvas, so all of it is tested in jsdom.
import type { Channel, ExitReason, FiguresDto, ResultsSettingsDto, StepResultsDto, TrendPointDto, Verdict, VersionResultsDto } from '../api/types';
import { CHANNELS } from '../channels';
import type { ShortcutId } from '../shortcuts/table';

/** Days back from now; null is all time. */
export type Days = 7 | 30 | 90 | null;

export const PERIODS: { days: Days; label: string; id: ShortcutId }[] = [
  { days: 7, label: '7 days', id: 'results.days7' },
  { days: 30, label: '30 days', id: 'results.days30' },
  { days: 90, label: '90 days', id: 'results.days90' },
  { days: null, label: 'All time', id: 'results.all' },
];

const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** "1,204". */
export function count(n: number): string {
  return whole.format(n);
}

/** A rate (0.034) as "3.4%"; "–" when there was nothing to divide by. */
export function pct(rate: number | null | undefined, digits = 1): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '–';
  return `${(rate * 100).toFixed(digits)}%`;
}

/** Touches done on a step, whatever its channel (a step has one channel, so
 * the sum is that channel's count). */
export function touches(f: FiguresDto): number {
  return f.emails_sent + f.calls + f.linkedin + f.tasks;
}

/** The figure a step's "done" column shows, by channel. */
export function touchField(c: Channel): 'emails_sent' | 'calls' | 'linkedin' | 'tasks' {
  if (c === 'email') return 'emails_sent';
  if (c === 'call') return 'calls';
  if (c.startsWith('linkedin')) return 'linkedin';
  return 'tasks';
}

/** "sent" for emails, "done" for the rest. */
export function touchWord(c: Channel): string {
  return c === 'email' ? 'sent' : c === 'call' ? 'called' : 'done';
}

const SHORT: Record<Channel, string> = {
  email: 'Email',
  call: 'Call',
  linkedin_view: 'LinkedIn',
  linkedin_connect: 'LinkedIn',
  linkedin_message: 'LinkedIn',
  sms: 'Text',
  task: 'Task',
};

/** A channel in one short word, for a chart's axis. */
export function shortChannel(c: Channel): string {
  return SHORT[c];
}

/** Did anything happen: someone enrolled or a touch worked? */
export function hasActivity(f: FiguresDto): boolean {
  return f.enrolled + touches(f) + f.replies + f.skipped > 0;
}

/** Were any of its touches worked (sent, called, done, skipped) or answered? */
export function worked(f: FiguresDto): boolean {
  return touches(f) + f.replies + f.skipped > 0;
}

/** The version whose steps to show first: the latest with touches worked
 * (one with enrollments only has nothing to read yet), else the latest.
 * Versions come oldest first. */
export function defaultVersion(versions: VersionResultsDto[]): number | null {
  for (let i = versions.length - 1; i >= 0; i--) if (worked(versions[i].figures)) return versions[i].version;
  return versions[versions.length - 1]?.version ?? null;
}

/** The version after `current`, round the list. */
export function nextVersion(versions: VersionResultsDto[], current: number | null): number | null {
  if (versions.length === 0) return null;
  const at = versions.findIndex((v) => v.version === current);
  return versions[(at + 1) % versions.length].version;
}

export interface Series {
  /** One label per bar: lines of text under it. */
  labels: string[][];
  /** Narrower labels for when the bars are close together; without them,
   * labels that do not fit are skipped. */
  short?: string[][];
  /** Words for a screen reader, one per bar. */
  names: string[];
  top: number[];
  bottom: number[];
}

/** Step by step: touches done (emails sent, calls...) and replies per step. */
export function funnel(steps: StepResultsDto[]): Series {
  return {
    labels: steps.map((s) => [String(s.step), shortChannel(s.channel)]),
    short: steps.map((s) => [String(s.step), CHANNELS[s.channel].glyph]),
    names: steps.map((s) => `Step ${s.step}, ${shortChannel(s.channel).toLowerCase()}${s.label ? ` (${s.label})` : ''}`),
    top: steps.map((s) => touches(s.figures)),
    bottom: steps.map((s) => s.figures.replies),
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "24 Nov" for a YYYY-MM-DD. */
export function shortDay(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  return m ? `${+m[3]} ${MONTHS[+m[2] - 1]}` : ymd;
}

/** By week: emails sent and replies, each week labelled by its Monday. */
export function trend(points: TrendPointDto[]): Series {
  return {
    labels: points.map((p) => [shortDay(p.week)]),
    names: points.map((p) => `Week of ${shortDay(p.week)}`),
    top: points.map((p) => p.emails_sent),
    bottom: points.map((p) => p.replies),
  };
}

/** A chart's numbers in a sentence, for people who cannot see the canvas. */
export function describe(s: Series, top: string, bottom: string): string {
  if (s.names.length === 0) return 'No data.';
  return s.names.map((n, i) => `${n}: ${count(s.top[i])} ${top}, ${count(s.bottom[i])} ${bottom}`).join('; ') + '.';
}

/** Every exit reason (typed by the engine's), and older labels the log may hold. */
const EXITS: Record<ExitReason, string> & Record<string, string> = {
  replied: 'Replied',
  meeting_booked: 'Meeting booked',
  not_interested: 'Not interested',
  unsubscribed: 'Unsubscribed',
  bounced: 'Bounced',
  removed: 'Removed by you',
  do_not_contact: 'Do not contact',
  left_company: 'Left the company',
  wrong_number: 'Wrong number',
  finished: 'Finished the sequence',
};

/** An exit reason in words: "meeting_booked" → "Meeting booked". */
export function exitLabel(reason: string): string {
  if (EXITS[reason]) return EXITS[reason];
  const words = reason.replaceAll('_', ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Exits, most common first, with their share of all exits. */
export function exitRows(exits: Record<string, number>): { reason: string; label: string; n: number; share: number }[] {
  const total = Object.values(exits).reduce((a, b) => a + b, 0);
  return Object.entries(exits)
    .filter(([, n]) => n > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([reason, n]) => ({ reason, label: exitLabel(reason), n, share: total ? n / total : 0 }));
}

export const VERDICTS: Record<Verdict, { label: string; tone: 'muted' | 'warn' | 'ok' }> = {
  too_early: { label: 'Too early to call', tone: 'warn' },
  no_difference_yet: { label: 'No real difference yet', tone: 'muted' },
  meaningful: { label: 'A real difference', tone: 'ok' },
};

export function verdictLabel(v: Verdict): string {
  return VERDICTS[v]?.label ?? v.replaceAll('_', ' ');
}

/** Where a reply-rate interval sits on a 0..`max` track, in percent of its width. */
export function intervalBox(interval: [number, number] | null, max: number): { left: number; width: number } | null {
  if (!interval || !(max > 0)) return null;
  const clamp = (x: number) => Math.max(0, Math.min(100, (x / max) * 100));
  const left = clamp(interval[0]);
  return { left, width: Math.max(0.5, clamp(interval[1]) - left) };
}

/** The right end of the shared track for a step's variant intervals: a round
 * rate just above the highest interval end (at least 5%). */
export function intervalScale(intervals: ([number, number] | null)[]): number {
  const top = Math.max(0.05, ...intervals.map((i) => i?.[1] ?? 0));
  const step = top <= 0.2 ? 0.05 : 0.1;
  return Math.min(1, Math.ceil(top / step - 1e-9) * step);
}

export type ThresholdErrors = Partial<Record<keyof ResultsSettingsDto, string>>;

/** Reads the two advice thresholds as typed; says what is wrong in words. */
export function parseThresholds(floor: string, window: string): { settings: ResultsSettingsDto } | { errors: ThresholdErrors } {
  const errors: ThresholdErrors = {};
  const f = floor.trim().replace(',', '.').replace(/%$/, '').trim();
  const floorPct = Number(f);
  if (f === '' || !Number.isFinite(floorPct)) errors.reply_floor_pct = 'The reply-rate floor is a percentage: a number such as 3 or 2.5.';
  else if (floorPct < 0 || floorPct > 100) errors.reply_floor_pct = 'The reply-rate floor is a percentage between 0 and 100.';
  const w = window.trim();
  const days = Number(w);
  if (w === '' || !/^\d+$/.test(w)) errors.window_days = 'The window is a whole number of days, such as 30.';
  else if (days < 1 || days > 365) errors.window_days = 'The window is between 1 and 365 days.';
  if (Object.keys(errors).length) return { errors };
  return { settings: { reply_floor_pct: floorPct, window_days: days } };
}

/** The period in words: "the last 30 days", "all time". */
export function periodWords(days: Days): string {
  return days === null ? 'all time' : `the last ${days} days`;
}
