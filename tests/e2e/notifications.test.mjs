// Desktop notifications through the OS: a real notification daemon (dunst)
// on the test's D-Bus session records what the app shows. A reply through
// Postfix that stops a sequence is told as "Reply from Ana Costa ·
// Quarrygrid" with its first line (markup in it kept as text); with the
// setting turned off in Settings, the next reply is recorded in Replies but
// no notification is shown.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NOW, cli, cliBinary, deliver, launch, press, root, shot, until, workspace, writeCsv } from './harness.mjs';

const CA = join(root, 'target/mail-server/tls/ca.pem');
const dunstMissing = (() => {
  try {
    execFileSync('dunst', ['--version'], { stdio: 'ignore' });
    return false;
  } catch {
    return true;
  }
})();

/** dunst on this session bus, running `log.sh` for every notification. */
function notificationDaemon(ws) {
  const log = join(ws.dir, 'notifications.log');
  writeFileSync(log, '');
  const script = join(ws.dir, 'log.sh');
  writeFileSync(script, `#!/bin/sh\nprintf '%s\\t%s\\n' "$2" "$3" | tr '\\n' ' ' >> '${log}'\nprintf '\\n' >> '${log}'\n`);
  chmodSync(script, 0o755);
  const rc = join(ws.dir, 'dunstrc');
  writeFileSync(rc, `[global]\n    font = Monospace 9\n[log]\n    summary = "*"\n    script = ${script}\n`);
  const daemon = spawn('dunst', ['-config', rc], { stdio: 'ignore' });
  return { log: () => readFileSync(log, 'utf8'), stop: () => daemon.kill() };
}

test('notifications: a reply that stops a sequence is told by the OS; turned off, it is not', { timeout: 180_000, skip: (dunstMissing && 'dunst is not installed') || (!existsSync(CA) && 'the test mail servers are not running (scripts/mail-server start)') }, async () => {
  const ws = workspace('notifications');
  ws.env.CADENCE_KEYRING = 'kernel';
  const env = { ...process.env, TZ: 'America/New_York', CADENCE_KEYRING: 'kernel', CADENCE_CA_FILE: CA };
  const run = (args, input) => execFileSync(cliBinary, ['--db', ws.db, '--now', NOW, '--json', ...args], { encoding: 'utf8', env, input });
  const tag = `nt${process.pid}x${Date.now() % 100000}`;
  const ana = `prospect+${tag}-ana@example.test`;
  const ben = `prospect+${tag}-ben@example.test`;
  const csv = writeCsv(ws, 'p.csv', `email,first_name,last_name,company,title,city,timezone\n${ana},Ana,Costa,Quarrygrid,COO,New York,America/New_York\n${ben},Ben,Ode,Odeworks,CFO,New York,America/New_York\n`);
  cli(ws, 'import', csv);
  cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
  cli(ws, 'enroll', 'cold-outbound-21d', '--all');
  for (const who of [ana, ben]) cli(ws, 'approve', String(cli(ws, 'queue').items.find((i) => i.channel === 'email' && i.email === who).touch_id));
  for (const [k, v] of [['address', 'rep@example.test'], ['smtp_host', '127.0.0.1'], ['smtp_port', '1587'], ['imap_host', '127.0.0.1'], ['imap_port', '1993'], ['imap_security', 'tls'], ['ca_file', CA], ['spacing_s', '0']]) {
    run(['mailbox', 'set', k, v]);
  }
  run(['mailbox', 'password'], 'rep-secret\n');

  const daemon = notificationDaemon(ws);
  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(() => cli(ws, 'mailbox', 'sends').filter((s) => s.state === 'sent').length === 2, 'both emails sent', 60_000);
    const sent = (who) => cli(ws, 'mailbox', 'sends').find((s) => s.email === who);
    await deliver({ from: ana, subject: `Re: ${sent(ana).subject}`, inReplyTo: sent(ana).message_id, body: 'Sure, <b>Thursday</b> works for a call.\n\nAna\n\n> earlier text\n' });
    const told = await until(() => daemon.log().split('\n').find((l) => l.startsWith('Reply from Ana Costa · Quarrygrid')), 'the notification', 60_000);
    assert.match(told, /Stopped 1 sequence/);
    assert.match(told, /Thursday/);
    assert.doesNotMatch(told, /earlier text/, 'the quoted original is left out');

    // In Replies, p opens the prospect the reply is about.
    await press(b, 'g', 'i');
    const reply = await until(() => cli(ws, 'mailbox', 'inbox').find((i) => i.kind === 'reply' && i.prospect_email === ana)?.id, "Ana's reply read");
    await until(() => b.$(`[data-inbound="${reply}"]`).isExisting(), "Ana's reply in Replies");
    await b.$(`[data-inbound="${reply}"]`).click();
    await press(b, 'p');
    await until(async () => (await b.$('[data-testid=prospect-detail]').isExisting()) && (await b.$('[data-testid=prospect-detail]').getText()).includes('Ana Costa'), "Ana's prospect panel, from the reply");
    await shot(b, '117-reply-to-prospect');

    // Turned off in Settings: the next reply is read, and not told.
    await press(b, 'g', ',');
    await until(() => b.$('[data-testid=notifications]').isExisting(), 'Settings');
    await b.$('[data-testid=notifications]').scrollIntoView();
    await b.$('[data-testid=notifications]').click();
    await until(() => cli(ws, 'settings', 'show').notifications === false, 'the setting saved off');
    await shot(b, '113-settings-notifications');
    await deliver({ from: ben, subject: `Re: ${sent(ben).subject}`, inReplyTo: sent(ben).message_id, body: 'Not for us, thanks.\n\nBen\n' });
    await until(() => cli(ws, 'mailbox', 'inbox').some((i) => i.kind === 'reply' && i.prospect_email === ben), "Ben's reply read", 60_000);
    await new Promise((r) => setTimeout(r, 2000));
    assert.ok(!daemon.log().includes('Ben Ode'), `no notification while off:\n${daemon.log()}`);
    assert.equal(daemon.log().trim().split('\n').length, 1, 'exactly one notification in all');
  } finally {
    await app.stop();
    daemon.stop();
  }
});
