// A rep sets up the mailbox in Settings against the test mail servers
// (scripts/mail-server: Postfix and Dovecot on loopback), tests the
// connection, and sees it connected; approved emails go out; a prospect's
// reply pops up, stops the sequence and shows in Replies, where the rep
// corrects its kind; a broken server shows as offline, a wrong password as a
// refused sign-in.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, deliver, launch, press, root, selectTouch, shot, until, workspace, writeCsv } from './harness.mjs';

const CA = join(root, 'target/mail-server/tls/ca.pem');
const XSS = '<img src=x onerror=alert(1)>';

const statusText = (b) => b.execute(() => document.querySelector('[data-testid=mailbox-status]')?.textContent.replace(/\s+/g, ' ').trim() ?? '');

/** Leaves whatever field has the cursor, so keys go to shortcuts again. */
const unfocus = (b) => b.execute(() => document.activeElement?.blur());

/** Types into a field and leaves it, which saves it. */
async function fill(b, id, value) {
  const el = b.$(`#${id}`);
  await el.setValue(value);
  await press(b, 'Tab');
}

test('mailbox: set up in Settings, send, a reply read and corrected, offline', { timeout: 240_000, skip: !existsSync(CA) && 'the test mail servers are not running (scripts/mail-server start)' }, async () => {
  const ws = workspace('mailbox');
  ws.env.CADENCE_KEYRING = 'kernel';
  // IDLE rechecks settings every few seconds, not every two minutes.
  ws.env.CADENCE_MAIL_IDLE_S = '3';
  const tag = `e2e${process.pid}x${Date.now() % 100000}`;
  const pat = `prospect+${tag}-1@example.test`;
  const nobody = `nobody-${tag}@example.test`;
  const sam = `prospect+${tag}-3@example.test`;
  const csv = writeCsv(
    ws,
    'p.csv',
    `email,first_name,last_name,company,title,timezone\n${pat},Pat,Quinn,Quinnco,VP Sales,America/New_York\n${nobody},Noel,Body,Nobodyco,CEO,America/New_York\n${sam},Sam,Stone,Stoneco,COO,America/New_York\n`,
  );
  cli(ws, 'import', csv);
  cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
  cli(ws, 'enroll', 'cold-outbound-21d', '--all');
  const emails = cli(ws, 'queue').items.filter((i) => i.channel === 'email');
  assert.equal(emails.length, 3);
  const touchOf = (email) => emails.find((e) => e.email === email).touch_id;
  // Pat's and Noel's go as soon as the mailbox is set up; Sam's is approved later.
  for (const e of [pat, nobody]) cli(ws, 'approve', String(touchOf(e)));
  const patTouch = touchOf(pat);
  // The kernel keyring outlives test runs and a password is kept per server
  // (host, port, security): forget the one an earlier run saved for the
  // wrong ports below, so that step starts from none.
  const scratch = workspace('mailbox-forget');
  scratch.env.CADENCE_KEYRING = 'kernel';
  for (const [k, v] of [['address', 'rep@example.test'], ['smtp_host', '127.0.0.1'], ['smtp_port', '1588'], ['imap_host', '127.0.0.1'], ['imap_port', '1994']]) cli(scratch, 'mailbox', 'set', k, v);
  cli(scratch, 'mailbox', 'forget-password');

  ws.env.CADENCE_CA_FILE = CA;
  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(async () => (await statusText(b)) === 'Mailbox not set up', 'the nav to say no mailbox');

    await press(b, 'g', ',');
    await until(() => b.$('#mb-address').isExisting(), 'the Settings screen');
    await shot(b, '30-settings-empty');
    await fill(b, 'mb-address', 'rep@example.test');
    // Plaintext to a server on the network is refused, in words, beside the field.
    await fill(b, 'mb-smtp_host', 'mail.example.com');
    await b.$('#mb-smtp_security').selectByAttribute('value', 'plain');
    const refusal = await until(async () => (await b.$('[data-error=smtp_security]').isExisting()) && b.$('[data-error=smtp_security]').getText(), 'the plaintext refusal');
    assert.match(refusal, /SMTP to mail\.example\.com without TLS would send the password in clear text/);
    await b.$('#mb-smtp_security').selectByAttribute('value', 'starttls');
    await until(async () => !(await b.$('[data-error=smtp_security]').isExisting()), 'the refusal to go once fixed');
    await fill(b, 'mb-smtp_host', '127.0.0.1');
    await fill(b, 'mb-smtp_port', '1587');
    await fill(b, 'mb-imap_host', '127.0.0.1');
    await fill(b, 'mb-imap_port', '1993');
    await b.$('#mb-imap_security').selectByAttribute('value', 'tls');
    // The certificate is chosen in the shell's file dialog (CADENCE_CA_FILE
    // here); the window never sends a path.
    await b.$('[data-action=choose-ca]').click();
    await until(async () => (await b.$('#mb-ca_file').getValue()) === CA, 'the chosen certificate shown');
    await fill(b, 'mb-spacing_s', '0');
    await b.$('#mb-password').setValue('rep-secret');
    await press(b, 'Enter');
    await until(() => b.$('[data-testid=password-saved]').isExisting(), '"Saved in the keyring"');
    assert.equal(await b.$('#mb-password').getValue(), '', 'the password is not kept in the form');
    const m = cli(ws, 'mailbox', 'show');
    assert.deepEqual([m.address, m.smtp_host, m.smtp_port, m.smtp_security, m.imap_port, m.imap_security, m.ca_file, m.spacing_s], ['rep@example.test', '127.0.0.1', 1587, 'starttls', 1993, 'tls', CA, 0]);

    await unfocus(b);
    await b.$('[data-testid=test-connection]').click();
    const results = await until(async () => {
      const r = await b.execute(() => [...document.querySelectorAll('[data-testid=test-results] li')].map((li) => [li.getAttribute('data-ok'), li.textContent.trim()]));
      return r.length === 2 && r;
    }, 'both servers tested', 30_000);
    assert.deepEqual(results.map(([ok]) => ok), ['true', 'true'], JSON.stringify(results));
    assert.match(results[0][1], /Sending \(SMTP\): connected and logged in/);
    assert.match(results[1][1], /Reading \(IMAP\): connected and logged in/);
    await until(async () => (await statusText(b)) === 'Mailbox connected', 'the nav to say connected', 30_000);
    await shot(b, '31-settings');

    // The approved emails go out (spacing 0).
    await until(() => cli(ws, 'mailbox', 'sends').filter((s) => s.state === 'sent').length === 2, 'both emails sent', 60_000);
    const sent = cli(ws, 'mailbox', 'sends').find((s) => s.touch_id === patTouch);

    // Pat replies: a toast, the sequence stops, the message is in Replies.
    await deliver({ from: pat, subject: `Re: Quinnco ${XSS}`, body: 'Sounds interesting, can we talk Thursday?\n\nPat', inReplyTo: sent.message_id });
    const toast = await until(async () => b.execute(() => [...document.querySelectorAll('.toast')].map((t) => t.textContent).find((t) => t.startsWith('Reply from')) ?? ''), 'the reply toast', 60_000);
    assert.equal(toast, "Reply from Pat Quinn · Quinnco — stopped 1 sequence", "the prospect by name and company");
    await shot(b, '32-reply-toast');
    const reply = await until(() => cli(ws, 'mailbox', 'inbox').find((i) => i.kind === 'reply' && i.prospect_email === pat), 'the reply recorded');

    await press(b, 'g', 'i');
    await until(() => b.$(`[data-inbound="${reply.id}"]`).isExisting(), 'the reply in Replies');
    assert.equal(await b.execute(() => document.querySelectorAll('img').length), 0, 'the subject is text');
    assert.equal(reply.subject, `Re: Quinnco ${XSS}`);
    assert.ok((await b.execute((id) => document.querySelector(`[data-inbound="${id}"]`).textContent, reply.id)).includes(XSS), 'the subject as written');
    // Noel's address does not exist: the server's bounce comes back too.
    await until(() => b.$('[data-kind=bounce]').isExisting(), 'the bounce in Replies', 60_000);
    await shot(b, '33-replies');

    // It was an out-of-office after all: correct it by keyboard and select.
    while ((await b.execute(() => document.querySelector('[role=option][aria-selected=true]')?.getAttribute('data-inbound'))) !== String(reply.id)) await press(b, 'j');
    await press(b, 'c');
    const select = b.$(`[data-inbound="${reply.id}"] select`);
    await until(() => select.isFocused(), 'the kind select focused');
    await select.selectByAttribute('value', 'auto_reply');
    const action = await until(async () => {
      const t = await b.$(`[data-inbound="${reply.id}"] [data-testid=inbound-action]`).getText();
      return t.includes('paused') && t;
    }, 'the new action');
    assert.match(action, /^Cadence paused 1 sequence until/);
    const fixed = cli(ws, 'mailbox', 'inbox').find((i) => i.id === reply.id);
    assert.equal(fixed.kind, 'auto_reply');
    assert.ok(fixed.corrected);
    await shot(b, '34-replies-corrected');

    await press(b, 'g', 'o');
    await until(() => b.$('[data-tab=sent]').isExisting(), 'the Outbox');
    await press(b, 'v', 'v');
    await until(async () => (await b.$$('[data-touch]')).length === 2, 'two sent emails');
    await shot(b, '35-outbox-sent');

    // Other ports: the password saved for the old ones is not handed over
    // (it is bound to where it is used), so it is asked for again; with it,
    // wrong ports make the mailbox go offline and say when it tries again;
    // an email approved now waits in the outbox.
    await press(b, 'g', ',');
    await until(() => b.$('#mb-imap_port').isExisting(), 'Settings again');
    await fill(b, 'mb-smtp_port', '1588');
    await fill(b, 'mb-imap_port', '1994');
    let said = '';
    await until(async () => (said = await statusText(b)) === 'Mailbox not set up', 'the password asked for again', 30_000).catch((e) => {
      throw new Error(`${e.message}; the nav said "${said}"`);
    });
    assert.equal(await b.$('[data-testid=password-saved]').isExisting(), false, 'no password for the new servers');
    await b.$('#mb-password').setValue('rep-secret');
    await press(b, 'Enter');
    await until(() => b.$('[data-testid=password-saved]').isExisting(), '"Saved in the keyring" for the new servers');
    await unfocus(b);
    await press(b, 'g', 't');
    await until(() => b.$(`[role=option][data-touch="${touchOf(sam)}"]`).isExisting(), "Sam's email in Today");
    await selectTouch(b, touchOf(sam));
    await press(b, ['Control', 'Enter']);
    await until(() => cli(ws, 'touch', String(touchOf(sam))).state === 'approved', "Sam's email approved");
    const offline = await until(async () => {
      const t = await statusText(b);
      return t.startsWith('Offline') && t;
    }, 'the nav to say offline', 60_000);
    assert.match(offline, /^Offline — mail waits; retrying at \d\d:\d\d$/);
    await press(b, 'g', 'o');
    await until(() => b.$(`[data-touch="${touchOf(sam)}"][data-state=queued]`).isExisting(), "Sam's email waiting");
    await shot(b, '36-outbox-offline');

    // The right servers with a wrong password: the nav tells a refused
    // sign-in from being offline, and says what to do.
    await press(b, 'g', ',');
    await until(() => b.$('#mb-imap_port').isExisting(), 'Settings once more');
    await fill(b, 'mb-smtp_port', '1587');
    await fill(b, 'mb-imap_port', '1993');
    await b.$('#mb-password').setValue('not-the-password');
    await press(b, 'Enter');
    const refused = await until(async () => {
      const t = await statusText(b);
      return t.startsWith('Sign-in refused') && t;
    }, 'the nav to say the sign-in was refused', 60_000);
    assert.match(refused, /^Sign-in refused/);
    await shot(b, '37-signin-refused');
    await b.$('#mb-password').setValue('rep-secret');
    await press(b, 'Enter');
    await until(async () => (await statusText(b)).startsWith('Mailbox connected'), 'connected again with the right password', 60_000);
  } finally {
    await app.stop();
  }
});
