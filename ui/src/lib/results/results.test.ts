import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { CadenceError } from '../api/client';
import { results, summary, version } from './fixtures';
import { ResultsState } from './results.svelte';

afterEach(() => clearMocks());

const SETTINGS = { reply_floor_pct: 3, window_days: 30 };

/** A fake shell; `log` gets every command with its arguments. */
function shell(handlers: Record<string, (args: Record<string, unknown>) => unknown>, log: [string, unknown][] = []) {
  mockIPC((cmd, args) => {
    log.push([cmd, args]);
    const h = handlers[cmd];
    if (!h) throw new Error(`unexpected ${cmd}`);
    return h(args as Record<string, unknown>);
  });
  return log;
}

describe('the Results screen', () => {
  it('opens on the first sequence with activity, on the latest version with data', async () => {
    const log = shell({
      results_overview: () => [summary('quiet'), summary('busy', { emails_sent: 40 })],
      results_settings: () => SETTINGS,
      results: (a) => results(a.slug as string, [version(1, { emails_sent: 30 }), version(2, { emails_sent: 10 }), version(3)]),
    });
    const s = new ResultsState();
    await s.load();
    expect(s.slug).toBe('busy');
    expect(s.version).toBe(2);
    expect(s.shown?.version).toBe(2);
    expect(s.anyEver).toBe(true);
    expect(log.filter(([c]) => c === 'results')).toEqual([['results', { slug: 'busy', days: 30 }]]);
    expect(s.settings).toEqual(SETTINGS);
  });

  it('says nothing ever happened only when all time is empty too', async () => {
    let allTime = false;
    shell({
      results_overview: (a) => (a.days === null && allTime ? [summary('a', { calls: 2 })] : [summary('a')]),
      results_settings: () => SETTINGS,
      results: () => results('a', [version(1)]),
    });
    const s = new ResultsState();
    await s.load();
    expect(s.anyEver).toBe(false);
    allTime = true;
    await s.load();
    expect(s.anyEver).toBe(true);
  });

  it('reads the period picked, keeping a version picked by hand', async () => {
    const log = shell({
      results_overview: () => [summary('a', { emails_sent: 5 })],
      results_settings: () => SETTINGS,
      results: () => results('a', [version(1, { emails_sent: 3 }), version(2, { emails_sent: 2 })]),
    });
    const s = new ResultsState();
    await s.load();
    expect(s.version).toBe(2);
    s.cycleVersion();
    expect(s.version).toBe(1);
    await s.setDays(null);
    expect(s.days).toBeNull();
    expect(s.version).toBe(1);
    expect(log.filter(([c]) => c === 'results').map(([, a]) => a)).toEqual([
      { slug: 'a', days: 30 },
      { slug: 'a', days: null },
    ]);
  });

  it('keeps the newest read when an older one answers late', async () => {
    const answers: Record<string, (v: unknown) => void> = {};
    shell({
      results_overview: () => [summary('a', { emails_sent: 1 }), summary('b', { emails_sent: 1 })],
      results_settings: () => SETTINGS,
      results: (a) => (a.slug === 'a' && !answers.first ? results('a', [version(1)]) : new Promise((r) => (answers[a.slug as string] = r))),
    });
    const s = new ResultsState();
    await s.load();
    answers.first = () => {};
    const slow = s.pick('b');
    const fast = s.pick('a');
    answers.a(results('a', [version(1)], { emails_sent: 9 }));
    await fast;
    answers.b(results('b', [version(1)]));
    await slow;
    expect(s.slug).toBe('a');
    expect(s.data?.slug).toBe('a');
    expect(s.data?.figures.emails_sent).toBe(9);
    expect(s.loading).toBe(false);
  });

  it('moves through the sequences with j and k', async () => {
    shell({
      results_overview: () => [summary('a', { calls: 1 }), summary('b'), summary('c')],
      results_settings: () => SETTINGS,
      results: (a) => results(a.slug as string, [version(1)]),
    });
    const s = new ResultsState();
    await s.load();
    await s.move(1);
    await s.move(1);
    await s.move(1);
    expect(s.slug).toBe('c');
    await s.move(-1);
    expect(s.data?.slug).toBe('b');
  });

  it('comes back to the sequence and period last shown', async () => {
    const log = shell({
      results_overview: () => [summary('a', { calls: 1 }), summary('b', { calls: 1 })],
      results_settings: () => SETTINGS,
      results: (a) => results(a.slug as string, [version(1)]),
    });
    const s = new ResultsState('b', null);
    await s.load();
    expect(s.slug).toBe('b');
    expect(log.find(([c]) => c === 'results')?.[1]).toEqual({ slug: 'b', days: null });
  });
});

describe('advice thresholds', () => {
  it('explains a wrong value in words and saves nothing', async () => {
    const log = shell({ results_settings: () => SETTINGS });
    const s = new ResultsState();
    s.settings = SETTINGS;
    expect(await s.saveThresholds('three', '30')).toBe(false);
    expect(s.thresholdErrors.reply_floor_pct).toMatch(/a number such as 3/);
    expect(log.some(([c]) => c === 'set_results_settings')).toBe(false);
  });

  it('saves new thresholds and reads the advice again', async () => {
    const log = shell({
      set_results_settings: (a) => a.settings,
      results: () => results('a', [version(1)]),
    });
    const s = new ResultsState('a');
    s.settings = SETTINGS;
    s.thresholdErrors = { window_days: 'old' };
    expect(await s.saveThresholds('2.5', '14')).toBe(true);
    expect(s.settings).toEqual({ reply_floor_pct: 2.5, window_days: 14 });
    expect(s.thresholdErrors).toEqual({});
    expect(s.thresholdsSaved).toBe(true);
    expect(log.map(([c]) => c)).toEqual(['set_results_settings', 'results']);
  });

  it('does not write what did not change', async () => {
    const log = shell({});
    const s = new ResultsState('a');
    s.settings = SETTINGS;
    expect(await s.saveThresholds('3', '30')).toBe(true);
    expect(log).toEqual([]);
  });

  it("shows the engine's refusal", async () => {
    shell({
      set_results_settings: () => {
        throw { code: 'invalid', message: 'the advice window is between 1 and 365 days' };
      },
    });
    const s = new ResultsState('a');
    s.settings = SETTINGS;
    expect(await s.saveThresholds('3', '31')).toBe(false);
    expect(s.thresholdErrors.reply_floor_pct).toBe('The advice window is between 1 and 365 days');
  });
});

describe('exports', () => {
  it('exports the sequence and period shown, and says where the file went', async () => {
    const log = shell({ export_csv: () => ({ path: '/home/rep/cadence-a-results.csv', rows: 12 }) });
    const s = new ResultsState('a', 90);
    const done = await s.export('figures');
    expect(done).toEqual({ path: '/home/rep/cadence-a-results.csv', rows: 12 });
    expect(log).toEqual([['export_csv', { what: 'figures', slug: 'a', days: 90 }]]);
    expect(s.exported).toEqual({ path: '/home/rep/cadence-a-results.csv', rows: 12, what: 'figures' });
    expect(s.exporting).toBeNull();
  });

  it('says nothing when the rep cancels the save dialog, and passes on failures', async () => {
    let fail = false;
    shell({
      export_csv: () => {
        if (fail) throw { code: 'io', message: 'could not write /x.csv' };
        return null;
      },
    });
    const s = new ResultsState('a');
    expect(await s.export('activity')).toBeNull();
    expect(s.exported).toBeNull();
    fail = true;
    await expect(s.export('activity')).rejects.toBeInstanceOf(CadenceError);
    expect(s.exporting).toBeNull();
  });
});
