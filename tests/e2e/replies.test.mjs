// Replies as a rep meets them on the real servers: Postfix returns an email
// to an address that does not exist (Replies says why and whose fault: the
// address), and a prospect's "left the company" auto-reply names a
// successor, whom one key (n) adds as a prospect at the same company; a spam
// complaint (an ARF report) counts in Results; the List-Unsubscribe rule is
// off by default and explained in Settings. Looked at in the dark theme on a
// small 1024x700 window.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NOW, cli, cliBinary, deliver, launch, press, root, shot, until, workspace, writeCsv } from './harness.mjs';

const CA = join(root, 'target/mail-server/tls/ca.pem');

test('replies: a bounce says why and whose fault; a successor named in "left the company" is added with n', { timeout: 180_000, skip: !existsSync(CA) && 'the test mail servers are not running (scripts/mail-server start)' }, async () => {
  const ws = workspace('replies');
  ws.env.CADENCE_KEYRING = 'kernel';
  ws.env.GTK_THEME = 'Adwaita:dark';
  const env = { ...process.env, TZ: 'America/New_York', CADENCE_KEYRING: 'kernel', CADENCE_CA_FILE: CA };
  const run = (args, input) => execFileSync(cliBinary, ['--db', ws.db, '--now', NOW, '--json', ...args], { encoding: 'utf8', env, input });
  const tag = `rp${process.pid}x${Date.now() % 100000}`;
  const nobody = `nobody-${tag}@example.test`;
  const sam = `prospect+${tag}-sam@example.test`;
  const maria = `maria.lopez+${tag}@example.test`;
  const kim = `prospect+${tag}-kim@example.test`;
  const ren = `prospect+${tag}-ren@example.test`;
  const csv = writeCsv(
    ws,
    'p.csv',
    `email,first_name,last_name,company,title,city,timezone\n${nobody},Noel,Body,Nobodyco,CEO,New York,America/New_York\n${sam},Sam,Stone,Stoneco,VP Operations,Boston,America/New_York\n${kim},Kim,Lee,Leeco,CFO,New York,America/New_York\n${ren},Ren,Ito,Itoworks,COO,New York,America/New_York\n`,
  );
  cli(ws, 'import', csv);
  cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
  cli(ws, 'enroll', 'cold-outbound-21d', '--all');
  for (const who of [nobody, kim, ren]) cli(ws, 'approve', String(cli(ws, 'queue').items.find((i) => i.channel === 'email' && i.email === who).touch_id));
  for (const [k, v] of [['address', 'rep@example.test'], ['smtp_host', '127.0.0.1'], ['smtp_port', '1587'], ['imap_host', '127.0.0.1'], ['imap_port', '1993'], ['imap_security', 'tls'], ['ca_file', CA], ['spacing_s', '0']]) {
    run(['mailbox', 'set', k, v]);
  }
  run(['mailbox', 'password'], 'rep-secret\n');

  const app = await launch(ws);
  const b = app.browser;
  try {
    await b.setWindowSize(1024, 700);
    // Noel's and Kim's emails go; Postfix finds no such user as Noel and returns it.
    await until(() => cli(ws, 'mailbox', 'sends').filter((s) => s.state === 'sent').length === 3, 'the three emails sent', 60_000);
    const rens = cli(ws, 'mailbox', 'sends').find((s) => s.email === ren);
    // Ren answers above the quoted original, with some markup that must stay text.
    await deliver({
      from: ren,
      subject: `Re: ${rens.subject}`,
      inReplyTo: rens.message_id,
      body: `Hi Alex,\n\nThanks, this is timely: we are <b>reworking</b> our hand-offs in January.\nCould you send the two-page write-up first?\n\nRen\n\nOn Tue, Nov 24, 2026 at 10:00 AM Alex Rivera <rep@example.test> wrote:\n> Hi Ren,\n> QUOTED-ORIGINAL-LINE\n`,
    });
    const kims = cli(ws, 'mailbox', 'sends').find((s) => s.email === kim);
    // Kim's provider forwards Kim's "this is spam" as a feedback report (RFC 5965).
    await deliver({
      from: `fbl-${tag}@example.test`,
      subject: 'Complaint about a message from rep@example.test',
      contentType: 'multipart/report; report-type=feedback-report; boundary="arf"',
      body: [
        '--arf', 'Content-Type: text/plain', '', 'A user of our service marked this message as spam.', '',
        '--arf', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'User-Agent: ExampleFBL/1.0', 'Version: 1', `Original-Rcpt-To: ${kim}`, '',
        '--arf', 'Content-Type: text/rfc822-headers', '', 'From: Alex Rivera <rep@example.test>', `To: ${kim}`, `Message-ID: <${kims.message_id}>`, 'Subject: Leeco', '',
        '--arf--',
      ].join('\n'),
    });
    // Sam's mailbox answers that Sam has left, and names who took over.
    await deliver({
      from: sam,
      subject: 'Automatic reply: Stoneco',
      body: `Thank you for your message.\n\nSam Stone no longer works at Stoneco. For anything about operations, please contact Maria Lopez, ${maria}.\n\nThis mailbox is not monitored.`,
    });
    const left = await until(() => cli(ws, 'mailbox', 'inbox').find((i) => i.kind === 'left_company'), 'the left-the-company reply read', 60_000);
    assert.deepEqual(left.referral, { email: maria, name: 'Maria Lopez' });
    const returned = await until(() => cli(ws, 'mailbox', 'inbox').find((i) => i.kind === 'bounce'), 'the bounce read', 60_000);

    await press(b, 'g', 'i');
    const reason = `[data-inbound="${returned.id}"] [data-testid=bounce-reason]`;
    const bounce = await until(async () => (await b.$(reason).isExisting()) && b.$(reason), 'the bounce in Replies');
    assert.equal(await bounce.getAttribute('data-fault'), 'address');
    assert.match(await bounce.getText(), /The address\s*no such mailbox/);
    const row = await b.$(`[data-inbound="${left.id}"]`).getText();
    assert.match(row, /They named Maria Lopez/);
    // Pick the left-the-company reply with j/k, then n.
    for (let i = 0; i < 5 && (await b.execute(() => document.querySelector('[role=option][aria-selected=true]')?.getAttribute('data-inbound'))) !== String(left.id); i++) await press(b, 'j');
    await shot(b, '51-replies-dark-1024');
    await press(b, 'n');
    await until(async () => (await b.$(`[data-inbound="${left.id}"] [data-testid=referral]`).getText()).includes('is now a prospect'), 'the successor added');
    await shot(b, '52-replies-referral-added');

    // Ren's reply, read in the app: by name and company, what they wrote
    // (as text, the quoted original left out), and the email it answers.
    const answer = await until(() => cli(ws, 'mailbox', 'inbox').find((i) => i.kind === 'reply' && i.prospect_email === ren), "Ren's reply read", 60_000);
    await until(() => b.$(`[data-inbound="${answer.id}"]`).isExisting(), "Ren's reply in Replies");
    const renRow = await b.$(`[data-inbound="${answer.id}"]`).getText();
    assert.match(renRow, /Ren Ito · Itoworks/);
    assert.match(renRow, /this is timely/, 'a preview of what they wrote');
    await b.execute((id) => document.querySelector(`[data-inbound="${id}"] .subject`).click(), answer.id);
    await until(async () => (await b.execute(() => document.querySelector('[role=option][aria-selected=true]')?.getAttribute('data-inbound'))) === String(answer.id), "Ren's reply selected");
    await press(b, 'Enter');
    const text = await until(async () => (await b.$('[data-testid=message-text]').isExisting()) && b.$('[data-testid=message-text]').getText(), 'the message opened');
    assert.match(text, /we are <b>reworking<\/b> our hand-offs in January/, 'markup shown as text');
    assert.doesNotMatch(text, /QUOTED-ORIGINAL-LINE/, 'the quoted original left out');
    assert.equal(await b.execute(() => document.querySelectorAll('[data-testid=message-text] b').length), 0, 'no element made from the mail');
    assert.match(await b.$('[data-testid=answers]').getText(), new RegExp(`In answer to your email “${rens.subject}”`));
    await shot(b, '55-reply-read');

    // The complaint: Kim is out, and Results counts it beside unsubscribes.
    await until(() => cli(ws, 'mailbox', 'inbox').some((i) => i.kind === 'complaint' && i.prospect_email === kim), 'the complaint read', 60_000);
    await press(b, 'g', 'r');
    await until(async () => (await b.$('[data-testid=step-1] [data-testid=step-1-complaints]').isExisting()) && (await b.$('[data-testid=step-1-complaints]').getText()) === '1', 'one complaint on step 1 in Results');
    assert.equal(await b.$('[data-testid=fig-complaints]').getText(), '1', 'and in the headline');
    await shot(b, '53-results-complaint');

    // Settings → Sending: List-Unsubscribe is off, and says why.
    await press(b, 'g', ',');
    const flag = await until(async () => (await b.$('#mb-list_unsubscribe').isExisting()) && b.$('#mb-list_unsubscribe'), 'the List-Unsubscribe rule');
    assert.equal(await flag.isSelected(), false, 'off by default');
    const hint = await b.execute(() => document.querySelector('#mb-list_unsubscribe').closest('label').textContent);
    assert.match(hint, /auto-replies reach you/);
    await flag.scrollIntoView();
    await shot(b, '54-settings-list-unsubscribe');
    await flag.click();
    await until(() => cli(ws, 'mailbox', 'show').list_unsubscribe === true, 'the rule saved');
  } finally {
    await app.stop();
  }
  const p = cli(ws, 'prospect', 'show', maria);
  assert.equal(p.prospect.company, 'Stoneco', 'at the same company');
  assert.equal(p.prospect.first_name, 'Maria');
  assert.equal(p.prospect.city, 'Boston');
  assert.ok(p.timeline.some((t) => t.kind === 'referral_added'), 'a note on the timeline');
  const s = cli(ws, 'prospect', 'show', sam);
  assert.equal(s.email_status, 'left');
  assert.equal(s.enrollments[0].exit_reason, 'left_company');
  assert.equal(cli(ws, 'prospect', 'show', nobody).email_status, 'invalid');
  const k = cli(ws, 'prospect', 'show', kim);
  assert.deepEqual([k.enrollments[0].state, k.enrollments[0].exit_reason], ['exited', 'unsubscribed'], 'a complaint ends the sequence');
  const again = cli(ws, 'enroll', 'cold-outbound-21d', '--prospect', kim, '--force');
  assert.deepEqual([again.enrolled, again.skipped[0]?.reason], [0, 'on the do-not-contact list'], 'and puts the address on do-not-contact');
});
