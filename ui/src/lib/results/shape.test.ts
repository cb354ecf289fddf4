import { describe, expect, it } from 'vitest';
import type { FiguresDto, StepResultsDto, VersionResultsDto } from '../api/types';
import { figures } from './fixtures';
import {
  count,
  defaultVersion,
  describe as describeSeries,
  exitLabel,
  exitRows,
  funnel,
  hasActivity,
  intervalBox,
  intervalScale,
  nextVersion,
  parseThresholds,
  pct,
  shortDay,
  touchField,
  trend,
} from './shape';

function step(n: number, channel: StepResultsDto['channel'], over: Partial<FiguresDto>, label: string | null = null): StepResultsDto {
  return { step: n, channel, label, figures: figures(over), variants: [], ab: null };
}

function version(v: number, over: Partial<FiguresDto>): VersionResultsDto {
  return { version: v, figures: figures(over), exits: {}, steps: [] };
}

describe('numbers as the rep reads them', () => {
  it('writes rates as percentages and a dash when there was nothing to divide by', () => {
    expect(pct(0.034)).toBe('3.4%');
    expect(pct(0)).toBe('0.0%');
    expect(pct(1)).toBe('100.0%');
    expect(pct(0.5, 0)).toBe('50%');
    expect(pct(null)).toBe('–');
    expect(pct(Number.NaN)).toBe('–');
  });

  it('groups thousands', () => {
    expect(count(1204)).toBe('1,204');
    expect(count(7)).toBe('7');
  });

  it('names weeks by their Monday', () => {
    expect(shortDay('2026-11-23')).toBe('23 Nov');
    expect(shortDay('2026-01-05')).toBe('5 Jan');
    expect(shortDay('soon')).toBe('soon');
  });
});

describe('the charts', () => {
  it('draws touches done (whatever the channel) and replies per step', () => {
    const s = funnel([
      step(1, 'email', { emails_sent: 120, replies: 4 }, 'opener'),
      step(2, 'call', { calls: 80, calls_connected: 20 }),
      step(3, 'linkedin_connect', { linkedin: 70, replies: 1 }),
      step(4, 'task', { tasks: 5 }),
    ]);
    expect(s.labels).toEqual([['1', 'Email'], ['2', 'Call'], ['3', 'LinkedIn'], ['4', 'Task']]);
    expect(s.short).toEqual([['1', '✉'], ['2', '☎'], ['3', 'in'], ['4', '✓']]);
    expect(s.top).toEqual([120, 80, 70, 5]);
    expect(s.bottom).toEqual([4, 0, 1, 0]);
    expect(s.names[0]).toBe('Step 1, email (opener)');
    expect(describeSeries(s, 'touches', 'replies')).toMatch(/^Step 1, email \(opener\): 120 touches, 4 replies; Step 2, call: 80 touches, 0 replies;/);
  });

  it('draws emails sent and replies per week', () => {
    const s = trend([
      { week: '2026-11-09', emails_sent: 40, replies: 2 },
      { week: '2026-11-16', emails_sent: 0, replies: 1 },
    ]);
    expect(s.labels).toEqual([['9 Nov'], ['16 Nov']]);
    expect(s.top).toEqual([40, 0]);
    expect(s.bottom).toEqual([2, 1]);
    expect(describeSeries(trend([]), 'a', 'b')).toBe('No data.');
  });

  it('names the figure a step counts by its channel', () => {
    expect(touchField('email')).toBe('emails_sent');
    expect(touchField('call')).toBe('calls');
    expect(touchField('linkedin_view')).toBe('linkedin');
    expect(touchField('sms')).toBe('tasks');
  });
});

describe('versions', () => {
  it('shows the latest version with data first, else the latest', () => {
    expect(defaultVersion([version(1, { emails_sent: 300 }), version(2, { emails_sent: 12 }), version(3, {})])).toBe(2);
    // Enrolled but nothing worked yet: the version before has the figures.
    expect(defaultVersion([version(1, { calls: 5 }), version(2, { enrolled: 6 })])).toBe(1);
    expect(defaultVersion([version(1, {}), version(2, {})])).toBe(2);
    expect(defaultVersion([])).toBeNull();
    expect(hasActivity(figures({ calls: 1 }))).toBe(true);
    expect(hasActivity(figures())).toBe(false);
  });

  it('steps through the versions round the list', () => {
    const vs = [version(1, {}), version(2, {}), version(4, {})];
    expect(nextVersion(vs, 1)).toBe(2);
    expect(nextVersion(vs, 4)).toBe(1);
    expect(nextVersion(vs, null)).toBe(1);
    expect(nextVersion([], 1)).toBeNull();
  });
});

describe('exits', () => {
  it('lists reasons in words, most common first, with their share', () => {
    const rows = exitRows({ replied: 6, unsubscribed: 2, meeting_booked: 2, bounced: 0, some_new_reason: 1 });
    expect(rows.map((r) => r.label)).toEqual(['Replied', 'Meeting booked', 'Unsubscribed', 'Some new reason']);
    expect(rows[0].share).toBeCloseTo(6 / 11);
    expect(exitLabel('do_not_contact')).toBe('Do not contact');
  });
});

describe('A/B intervals', () => {
  it('places an interval on a shared track', () => {
    expect(intervalBox([0.02, 0.06], 0.1)).toEqual({ left: 20, width: 40 });
    expect(intervalBox(null, 0.1)).toBeNull();
    // A zero-width interval is still a visible mark.
    expect(intervalBox([0, 0], 0.05)?.width).toBe(0.5);
  });

  it('rounds the track end up to a readable rate', () => {
    expect(intervalScale([[0, 0.031], null])).toBe(0.05);
    expect(intervalScale([[0.01, 0.12]])).toBeCloseTo(0.15);
    expect(intervalScale([[0, 0.49]])).toBeCloseTo(0.5);
    expect(intervalScale([[0.2, 0.97]])).toBe(1);
  });
});

describe('advice thresholds', () => {
  it('reads what the rep typed', () => {
    expect(parseThresholds('3', '30')).toEqual({ settings: { reply_floor_pct: 3, window_days: 30 } });
    expect(parseThresholds(' 2,5 % ', '14')).toEqual({ settings: { reply_floor_pct: 2.5, window_days: 14 } });
  });

  it('says in words what is wrong', () => {
    const bad = parseThresholds('lots', '0');
    expect('errors' in bad && bad.errors).toEqual({
      reply_floor_pct: 'The reply-rate floor is a percentage: a number such as 3 or 2.5.',
      window_days: 'The window is between 1 and 365 days.',
    });
    const more = parseThresholds('120', '7.5');
    expect('errors' in more && more.errors.reply_floor_pct).toMatch(/between 0 and 100/);
    expect('errors' in more && more.errors.window_days).toMatch(/whole number of days/);
    expect('errors' in parseThresholds('', '')).toBe(true);
  });
});
