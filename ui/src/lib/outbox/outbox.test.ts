import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboxDto, SendDto, SendState } from '../api/types';
import { OutboxState, why } from './outbox.svelte';

function item(id: number, state: SendState, reason: string | null = null): OutboxDto {
  return { touch_id: id, prospect_id: id, email: `p${id}@example.test`, subject: `s${id}`, send_at: '2026-11-24T15:00:00Z', send_rep_local: '2026-11-24T10:00:00-05:00', send_prospect_local: null, state, reason, attempts: 0 };
}
const sent = { touch_id: 9, prospect_id: 9, email: 'p9@example.test', subject: 's9', state: 'sent', message_id: 'x@y', attempts: 1, not_before: '2026-11-24T14:00:00Z', sent_at: '2026-11-24T14:01:00Z', reason: null, in_reply_to: null } satisfies SendDto;

afterEach(() => clearMocks());

describe('the outbox', () => {
  it('splits waiting from failed, and walks the tabs', async () => {
    mockIPC((cmd) => {
      if (cmd === 'outbox') return [item(1, 'queued'), item(2, 'failed', 'smtp said no'), item(3, 'held', 'held: out of office')];
      if (cmd === 'sends') return [sent];
      throw new Error(`unexpected ${cmd}`);
    });
    const s = new OutboxState();
    await s.load();
    expect(s.ids).toEqual([1, 3]);
    expect(s.selected).toBe(1);
    s.nextTab();
    expect(s.tab).toBe('failed');
    expect(s.selected).toBe(2);
    s.nextTab();
    expect(s.ids).toEqual([9]);
    s.nextTab();
    expect(s.tab).toBe('waiting');
  });

  it('retries a failed email at once, and takes it back when refused', async () => {
    let refuse = false;
    const retried: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'outbox') return [item(2, 'failed', 'smtp said no')];
      if (cmd === 'sends') return [];
      if (cmd === 'retry_send') {
        if (refuse) throw { code: 'conflict', message: 'the email of touch 2 is queued, not failed or held' };
        retried.push(args);
        return null;
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const s = new OutboxState();
    await s.load();
    s.show('failed');
    expect(s.retryable()?.touch_id).toBe(2);
    await s.retry(2);
    expect(retried).toEqual([{ id: 2 }]);
    expect(s.items?.[0]).toMatchObject({ state: 'queued', reason: 'the rep asked to send it again' });
    await s.load();
    refuse = true;
    await expect(s.retry(2)).rejects.toMatchObject({ code: 'conflict' });
    expect(s.items?.[0].state).toBe('failed');
  });

  it('says why an email waits', () => {
    expect(why(item(1, 'queued'))).toBe("waits for its send time in the prospect's window");
    expect(why(item(1, 'queued', 'spacing sends about 120 s apart'))).toBe('spacing sends about 120 s apart');
  });
});
