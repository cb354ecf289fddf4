import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import { CadenceError } from '../api/client';
import type { InboundDto, InboundKind } from '../api/types';
import { InboxState, sentimentLabel } from './inbox.svelte';

function message(id: number, kind: InboundKind, action: string): InboundDto {
  return {
    id, kind, corrected: false, from: `p${id}@example.test`, subject: 'Re: a question', received_at: '2026-11-24T14:00:00Z', prospect_id: id,
    prospect_email: `p${id}@example.test`, touch_id: null, action, evidence: null, return_date: null, bounce_status: null, bounce_reason: null, bounce_reason_label: null, bounce_fault: null, bounce_said: null, notice: null, referral: null, referral_prospect_id: null, sentiment: null, text: null, prospect_name: null, prospect_company: null, answers_subject: null, keep: null,
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

  it('tags the selected reply at once, and puts the tag back when the engine refuses', async () => {
    const calls: unknown[] = [];
    let refuse = false;
    mockIPC((cmd, args) => {
      if (cmd === 'inbox') return [message(4, 'reply', 'stopped 1 sequence'), message(5, 'bounce', 'marked it invalid')];
      if (cmd === 'tag_reply') {
        calls.push(args);
        if (refuse) throw { code: 'conflict', message: 'message 4 concerns no prospect' };
        return { ...message(4, 'reply', 'stopped 1 sequence'), sentiment: (args as { sentiment: string }).sentiment };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const s = new InboxState();
    await s.load();
    expect(s.selectedReply?.id).toBe(4);
    const pending = s.tag(4, 'positive');
    expect(s.items?.[0].sentiment).toBe('positive');
    await pending;
    expect(calls).toEqual([{ id: 4, sentiment: 'positive' }]);
    refuse = true;
    await expect(s.tag(4, 'negative')).rejects.toBeInstanceOf(CadenceError);
    expect(s.items?.[0].sentiment).toBe('positive');
    // A bounce is not a reply: nothing to tag.
    s.move(1);
    expect(s.selectedReply).toBeNull();
  });

  it('books a meeting from a reply, which tags it positive', async () => {
    mockIPC((cmd, args) => {
      if (cmd === 'inbox') return [message(6, 'reply', 'stopped 1 sequence')];
      if (cmd === 'meeting_from_reply') {
        expect(args).toEqual({ id: 6 });
        return { ...message(6, 'reply', 'stopped 1 sequence'), sentiment: 'positive' };
      }
      throw new Error(`unexpected ${cmd}`);
    });
    const s = new InboxState();
    await s.load();
    await s.meeting(6);
    expect(s.meetings.has(6)).toBe(true);
    expect(s.items?.[0].sentiment).toBe('positive');
    expect(sentimentLabel('negative')).toBe('Negative');
  });
});
