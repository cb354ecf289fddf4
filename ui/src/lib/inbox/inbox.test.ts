import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { CadenceError } from '../api/client';
import type { InboundDto } from '../api/types';
import { InboxState } from './inbox.svelte';

function message(id: number, kind: string, action: string): InboundDto {
  return {
    id, kind, corrected: false, from: `p${id}@example.test`, subject: 'Re: a question', received_at: '2026-11-24T14:00:00Z', prospect_id: id,
    prospect_email: `p${id}@example.test`, touch_id: null, action, evidence: null, return_date: null, bounce_status: null,
  };
}

afterEach(() => clearMocks());

describe('the inbox', () => {
  it('loads newest first and selects the first message', async () => {
    mockIPC((cmd) => {
      if (cmd === 'inbox') return [message(2, 'reply', 'stopped 1 sequence'), message(1, 'bounce', 'marked p1@example.test invalid')];
      throw new Error(`unexpected ${cmd}`);
    });
    const s = new InboxState();
    await s.load();
    expect(s.items?.map((m) => m.id)).toEqual([2, 1]);
    expect(s.selected).toBe(2);
    s.move(1);
    expect(s.selected).toBe(1);
    s.move(1);
    expect(s.selected).toBe(1);
  });

  it('shows what Cadence did after a correction', async () => {
    const calls: unknown[] = [];
    mockIPC((cmd, args) => {
      if (cmd === 'inbox') return [message(7, 'reply', 'stopped 1 sequence')];
      if (cmd === 'correct_inbound') {
        calls.push(args);
        return { ...message(7, 'auto_reply', 'paused 1 sequence until 2026-12-01 (no return date; default)'), corrected: true };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const s = new InboxState();
    await s.load();
    const fixed = await s.correct(7, 'auto_reply');
    expect(calls).toEqual([{ id: 7, kind: 'auto_reply' }]);
    expect(fixed.action).toMatch(/^paused 1 sequence/);
    expect(s.items?.[0]).toMatchObject({ kind: 'auto_reply', corrected: true, action: fixed.action });
    expect(s.busy).toBeNull();
  });

  it('keeps the list as it was when the engine refuses', async () => {
    mockIPC((cmd) => {
      if (cmd === 'inbox') return [message(3, 'reply', 'stopped 1 sequence')];
      if (cmd === 'correct_inbound') throw { code: 'conflict', message: 'message 3 concerns no prospect' };
      throw new Error(`unexpected ${cmd}`);
    });
    const s = new InboxState();
    await s.load();
    await expect(s.correct(3, 'other')).rejects.toBeInstanceOf(CadenceError);
    expect(s.items?.[0].kind).toBe('reply');
    expect(s.busy).toBeNull();
  });
});
