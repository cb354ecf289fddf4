import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { render } from '@testing-library/svelte';
import { flushSync } from 'svelte';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelCountDto, QueueDto, QueueItemDto, TouchDto } from '../api/types';
import QueueList from './QueueList.svelte';
import { DayState, QueueState } from './queue.svelte';

function item(id: number, name: string): QueueItemDto {
  return {
    touch_id: id, enrollment_id: id, prospect_id: id, name, email: `p${id}@example.com`, company: 'Acme', title: null,
    phone: null, linkedin: null, prospect_timezone: null, channel: 'email', sequence: 'Cold', step: 1, steps: 9,
    step_label: null, needs_approval: true, due_at: '2026-11-24T14:00:00Z', due_rep_local: '2026-11-24T14:00:00Z',
    due_prospect_local: null, closes_at: '2026-11-24T17:00:00Z', overdue: false, days_late: 0, why: '',
    reachable_now: null, reach_opens_rep_local: null, reach_opens_prospect_local: null, reach_closes_prospect_local: null,
  };
}

function touch(id: number): TouchDto {
  return { touch_id: id, text: `body ${id}`, subject: `subject ${id}`, channel: 'email' } as TouchDto;
}

/** A fake shell: a queue of `names`, and `complete` answered when the test says. */
function shell(names: string[]) {
  let items = names.map((n, i) => item(i + 1, n));
  const pending: { resolve: () => void; reject: (e: unknown) => void; id: number }[] = [];
  mockIPC((cmd, args) => {
    const a = args as Record<string, unknown>;
    if (cmd === 'queue') return { day: '2026-11-24', timezone: 'UTC', total: items.length, overdue: 0, counts: [], items } satisfies QueueDto;
    if (cmd === 'touch') return touch(a.id as number);
    if (cmd === 'complete')
      return new Promise((resolve, reject) =>
        pending.push({
          id: a.id as number,
          resolve: () => {
            items = items.filter((i) => i.touch_id !== a.id);
            resolve(null);
          },
          reject,
        }),
      );
    throw new Error(`unexpected ${cmd}`);
  });
  return pending;
}

// jsdom lays nothing out, so it has no scrolling.
Element.prototype.scrollIntoView = () => {};

const tick = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => clearMocks());

describe('working the queue', () => {
  it('shows the next touch before the engine has written the last one', async () => {
    const pending = shell(['Ana', 'Ben', 'Cleo']);
    const q = new QueueState(() => {});
    await q.load();
    await tick();
    expect(q.selected?.name).toBe('Ana');
    const done = q.complete(1, { kind: 'approve', subject: null, body: null });
    // Nothing answered yet, and the rep is already on Ben.
    expect(pending).toHaveLength(1);
    expect(q.selected?.name).toBe('Ben');
    expect(q.items.map((i) => i.name)).toEqual(['Ben', 'Cleo']);
    pending[0].resolve();
    expect(await done).toBe(true);
    expect(q.items.map((i) => i.name)).toEqual(['Ben', 'Cleo']);
    expect(q.worked).toBe(1);
  });

  it('puts a refused touch back, selected, and says why', async () => {
    const pending = shell(['Ana', 'Ben']);
    const errors: string[] = [];
    const q = new QueueState((t) => errors.push(t));
    await q.load();
    const done = q.complete(1, { kind: 'approve', subject: null, body: null });
    expect(q.selected?.name).toBe('Ben');
    pending[0].reject({ code: 'draft_blocked', message: 'this draft needs first_name' });
    expect(await done).toBe(false);
    expect(q.selected?.name).toBe('Ana');
    expect(q.items.map((i) => i.name)).toEqual(['Ana', 'Ben']);
    expect(errors).toEqual(['This draft needs first_name']);
    expect(q.worked).toBe(0);
  });
});

describe('the queue list', () => {
  it('shows markup in a prospect name as text, never as HTML', async () => {
    shell(['<img src=x onerror=alert(1)>']);
    const q = new QueueState(() => {});
    await q.load();
    const { container, getByText } = render(QueueList, { props: { queue: q } });
    flushSync();
    expect(getByText('<img src=x onerror=alert(1)>')).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
  });
});

describe("the rep's day", () => {
  it('reads the day so far, and keeps the last figures when a read fails', async () => {
    let fail = false;
    mockIPC((cmd) => {
      if (cmd !== 'today_stats') throw new Error(`unexpected ${cmd}`);
      if (fail) throw { code: 'storage', message: 'database is locked' };
      return { day: '2026-11-24', done: 12, skipped: 1, left: 30, emails_sent: 8, replies: 2 };
    });
    const d = new DayState();
    await d.load();
    expect(d.stats).toMatchObject({ done: 12, left: 30, emails_sent: 8, replies: 2 });
    fail = true;
    await d.load();
    expect(d.stats?.done).toBe(12);
  });
});

describe('the channel filter', () => {
  it('cycles through every channel with touches due, texts included, in the order of the count buttons', async () => {
    const counts: ChannelCountDto[] = [
      { channel: 'email', due: 2, overdue: 0 },
      { channel: 'call', due: 0, overdue: 0 },
      { channel: 'linkedin_view', due: 1, overdue: 0 },
      { channel: 'linkedin_connect', due: 1, overdue: 0 },
      { channel: 'sms', due: 1, overdue: 0 },
      { channel: 'task', due: 3, overdue: 0 },
    ];
    const asked: (string | null)[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'queue') {
        asked.push((args as { channel: string | null }).channel);
        return { day: '2026-11-24', timezone: 'UTC', total: 8, overdue: 0, counts, items: [] } satisfies QueueDto;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const q = new QueueState(() => {});
    await q.load();
    const seen: (string | null)[] = [];
    for (let i = 0; i < 6; i++) {
      q.cycleFilter();
      seen.push(q.filter);
    }
    expect(seen).toEqual(['email', 'linkedin_view', 'linkedin_connect', 'sms', 'task', null]);
    await tick();
    expect(asked.slice(1)).toEqual(seen);
  });
});

describe('channels by capability', () => {
  it('works a touch as the engine says its channel is worked', async () => {
    const { workedBy } = await import('../channels');
    expect(workedBy('email')).toBe('approving');
    expect(workedBy('call')).toBe('logging_a_call');
    for (const c of ['linkedin_view', 'linkedin_connect', 'linkedin_message', 'sms', 'task'] as const) expect(workedBy(c)).toBe('marking_done');
  });
});
