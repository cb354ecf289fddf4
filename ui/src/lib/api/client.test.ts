import { describe, expect, it } from 'vitest';
import { CadenceError, explain } from './client';

describe('errors in words', () => {
  it('says what to do for each kind of mailbox failure', () => {
    expect(explain(new CadenceError('mailbox_auth', 'smtp.example.com:587 refused the user name or password: 535'))).toBe(
      'Smtp.example.com:587 refused the user name or password: 535. Check the user name and password in Settings → Mailbox; mail waits until then.',
    );
    expect(explain(new CadenceError('mailbox_unreachable', 'cannot reach imap.example.com:993: timed out'))).toMatch(/Check your connection/);
    expect(explain(new CadenceError('mailbox_tls', 'secure connection to x failed'))).toMatch(/security setting/);
    expect(explain(new CadenceError('not_found', 'touch 9 was not found'))).toBe('Touch 9 was not found');
  });
});
