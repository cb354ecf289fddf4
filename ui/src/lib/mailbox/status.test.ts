import { describe, expect, it } from 'vitest';
import type { InboundDto, InboundKind, MailboxState, MailboxStatusDto } from '../api/types';
import { indicator, kindLabel, replyToast, sender, sentence } from './status';

const status = (state: MailboxState, message: string | null = null, retry_at: string | null = null): MailboxStatusDto => ({ state, message, code: null, retry_at });

describe('the mailbox indicator', () => {
  it.each([
    [status('off', 'no mailbox is set up yet: add the address and servers in Settings → Mailbox'), 'Mailbox not set up', 'off'],
    [status('online'), 'Mailbox connected', 'ok'],
    [status('connecting'), 'Connecting to the mailbox…', 'busy'],
    [null, 'Connecting to the mailbox…', 'busy'],
    [status('offline', 'cannot reach 127.0.0.1:1993: connection refused', '2026-11-24T14:05:00Z'), 'Offline — mail waits; retrying at 09:05', 'warn'],
    [status('offline', 'cannot reach the server'), 'Offline — mail waits', 'warn'],
  ])('%j says "%s"', (s, text, tone) => {
    const i = indicator(s, 'America/New_York');
    expect(sentence(i)).toBe(text);
    expect(i.tone).toBe(tone);
  });

  it('explains why, in a sentence', () => {
    expect(indicator(status('offline', 'cannot reach 127.0.0.1:1993: connection refused', '2026-11-24T14:05:00Z'), 'UTC').detail).toMatch(/^Cannot reach 127\.0\.0\.1:1993: connection refused\. Everything else works/);
    expect(indicator(status('off', 'no password is saved for rep@example.test: enter it in Settings → Mailbox')).detail).toMatch(/^No password is saved/);
  });
});

describe('mail read back', () => {
  const m = (kind: InboundKind, from: string | null): InboundDto => ({
    id: 1, kind, corrected: false, from, subject: 'Re: hello', received_at: '2026-11-24T14:00:00Z', prospect_id: 3,
    prospect_email: 'lucia@nubaria.es', touch_id: 9, action: 'stopped 1 sequence', evidence: null, return_date: null, bounce_status: null, bounce_reason: null, bounce_reason_label: null, bounce_fault: null, bounce_said: null, notice: null, referral: null, referral_prospect_id: null, sentiment: null, text: null, prospect_name: null, prospect_company: null, answers_subject: null, keep: null,
  });

  it('pops up a reply, not an out-of-office', () => {
    expect(replyToast(m('reply', 'lucia@nubaria.es'))).toBe('Reply from lucia@nubaria.es — stopped 1 sequence');
    expect(replyToast(m('reply', null))).toBe('Reply from lucia@nubaria.es — stopped 1 sequence');
    expect(replyToast(m('auto_reply', 'lucia@nubaria.es'))).toBeNull();
  });

  it('names a prospect by name and company when the mail is theirs', () => {
    const own = { ...m('reply', 'lucia@nubaria.es'), prospect_name: 'Lucía Fernández', prospect_company: 'Nubaria' };
    expect(sender(own)).toBe('Lucía Fernández · Nubaria');
    expect(replyToast(own)).toBe('Reply from Lucía Fernández · Nubaria — stopped 1 sequence');
    // Someone else's mail about them (a colleague, a system) keeps its address.
    expect(sender({ ...own, from: 'assistant@nubaria.es' })).toBe('assistant@nubaria.es');
  });

  it('names kinds in words', () => {
    expect(kindLabel('auto_reply')).toBe('Out of office');
    expect(kindLabel('bounce')).toBe('Bounce');
  });
});

describe('the kind of mailbox failure', () => {
  const failed = (code: MailboxStatusDto['code'], message: string): MailboxStatusDto => ({ state: 'offline', message, code, retry_at: null });

  it('tells a refused login from being offline, and says what to do', () => {
    const auth = indicator(failed('mailbox_auth', 'mail.example.com:587 refused the user name or password: 535 5.7.8'), 'UTC');
    expect(auth.text).toBe('Sign-in refused');
    expect(auth.detail).toMatch(/Check the user name and password in Settings → Mailbox/);
    const down = indicator(failed('mailbox_unreachable', 'cannot reach mail.example.com:993: connection refused'), 'UTC');
    expect(down.text).toBe('Offline — mail waits');
    expect(indicator(failed('mailbox_tls', 'secure connection to x failed: bad certificate'), 'UTC').text).toBe('Secure connection failed');
    expect(indicator(failed('mailbox_over_cap', 'smtp.gmail.com:587 says this mailbox has reached its sending limit'), 'UTC').text).toMatch(/Sending limit reached/);
  });
});
