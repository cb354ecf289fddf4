import { clearMocks, mockIPC } from '@tauri-apps/api/mocks';
import { afterEach, describe, expect, it } from 'vitest';
import type { MailboxDto, SettingsDto } from '../api/types';
import { SettingsForm } from './form.svelte';

const MAILBOX: MailboxDto = {
  address: '', username: '', smtp_host: '', smtp_port: 587, smtp_security: 'starttls', imap_host: '', imap_port: 993, imap_security: 'tls',
  ca_file: null, daily_cap: 40, spacing_s: 120, jitter_pct: 30, server_saves_sent: false, folders: [], hold_on_company_mail: false,
  pause_company_on_reply: false, ooo_default_days: 5, recovery_grace_s: 600, configured: false, has_password: false,
  provider: 'other', auth: 'password', oauth_client_id: '', oauth_client_secret: '', oauth_auth_url: '', oauth_token_url: '', oauth_scopes: '',
  signed_in: false,
  list_unsubscribe: false,
  refusals_to_pause: 3,
};
const REP = { timezone: 'UTC', working_days: [], hours: '09:00-17:00', holiday_country: null, away: [], sender_name: '', sender_company: '', signature: '', opt_out: '', notifications: true } as SettingsDto;

/** A fake shell that refuses plaintext to anything but loopback, as the engine does. */
function shell() {
  const calls: [string, unknown][] = [];
  let m = { ...MAILBOX };
  mockIPC((cmd, args) => {
    const a = args as Record<string, string>;
    calls.push([cmd, args]);
    if (cmd === 'mailbox_settings') return m;
    if (cmd === 'settings') return REP;
    if (cmd === 'set_mailbox') {
      if (a.key === 'smtp_security' && a.value === 'plain' && m.smtp_host !== '127.0.0.1')
        throw { code: 'invalid', message: `SMTP to ${m.smtp_host} without TLS would send the password in clear text; use starttls or tls` };
      m = { ...m, [a.key]: a.key.endsWith('_port') ? Number(a.value) : a.value.toLowerCase() };
      return m;
    }
    if (cmd === 'save_mailbox_password') return (m = { ...m, has_password: true });
    if (cmd === 'test_mailbox') return { smtp_ok: true, smtp: 'Sending (SMTP): connected and logged in', imap_ok: false, imap: 'Reading (IMAP): cannot reach 127.0.0.1:1993' };
    throw new Error(`unexpected ${cmd}`);
  });
  return calls;
}

afterEach(() => clearMocks());

describe('the settings form', () => {
  it('saves a changed field, and only a changed one', async () => {
    const calls = shell();
    const f = new SettingsForm();
    await f.load();
    await f.saveMailbox('smtp_port', '587');
    expect(calls.filter(([c]) => c === 'set_mailbox')).toEqual([]);
    await f.saveMailbox('address', 'Rep@Example.test');
    expect(f.mailboxValue('address')).toBe('rep@example.test');
    expect(f.saved).toBe('address');
  });

  it('shows the engine’s refusal next to the field until it saves', async () => {
    shell();
    const f = new SettingsForm();
    await f.load();
    await f.saveMailbox('smtp_host', 'smtp.example.com');
    await f.saveMailbox('smtp_security', 'plain');
    expect(f.errors.smtp_security).toMatch(/^SMTP to smtp\.example\.com without TLS would send the password in clear text/);
    expect(f.mailboxValue('smtp_security')).toBe('starttls');
    await f.saveMailbox('smtp_security', 'tls');
    expect(f.errors.smtp_security).toBeUndefined();
  });

  it('never keeps the password, and tests with it saved first', async () => {
    const calls = shell();
    const f = new SettingsForm();
    await f.load();
    await f.runTest('rep-secret');
    expect(calls.map(([c]) => c)).toEqual(['mailbox_settings', 'settings', 'save_mailbox_password', 'test_mailbox']);
    expect(f.mailbox?.has_password).toBe(true);
    expect(JSON.stringify(f)).not.toContain('rep-secret');
    expect(f.test).toMatchObject({ smtp_ok: true, imap_ok: false });
    expect(f.testing).toBe(false);
  });
});
