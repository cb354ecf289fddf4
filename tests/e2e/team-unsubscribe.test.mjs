// The case, end to end: an unsubscribe reply arrives in rep A's
// mailbox (real Postfix and Dovecot); A's desktop (the command line) reads
// it, lists the address and pushes it to the team; rep B's running app,
// which has an approved email to the same person waiting, pulls it within
// seconds: the email leaves B's Outbox and B's panel says why.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { NOW, cli, cliBinary, deliver, launch, root, shot, until, workspace, writeCsv } from './harness.mjs';

const CA = join(root, 'target/mail-server/tls/ca.pem');
const port = process.env.TEAM_PG_PORT ?? '55432';
const socket = join(root, 'target/team-pg/run');
const admin = (db) => `host=${socket} port=${port} user=postgres dbname=${db}`;
const psql = (sql) => execFileSync('psql', ['-h', socket, '-p', port, '-U', 'postgres', '-d', 'postgres', '-qc', sql], { stdio: 'ignore' });

test('team: an unsubscribe reply in A\'s mailbox takes B\'s queued email away, and B says why', { timeout: 180_000, skip: !existsSync(CA) && 'the test mail servers are not running (scripts/mail-server start)' }, async () => {
  const db = `e2e_unsub_${process.pid}`;
  psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  psql(`CREATE DATABASE ${db}`);
  const a = workspace('team-unsub-a');
  const b = workspace('team-unsub-b');
  const tag = `tu${process.pid}x${Date.now() % 100000}`;
  const dana = `prospect+${tag}-dana@example.test`;
  const people = `email,first_name,last_name,company,city,timezone\n${dana},Dana,Brooks,Lumenfield,New York,America/New_York\n`;
  const env = { ...process.env, TZ: 'America/New_York', CADENCE_KEYRING: 'kernel', CADENCE_CA_FILE: CA };
  const runA = (args, input) => JSON.parse(execFileSync(cliBinary, ['--db', a.db, '--now', NOW, '--json', ...args], { encoding: 'utf8', env, input }));

  cli(a, 'team', 'init', '--url', admin(db));
  const lineOf = (name) => cli(a, 'team', 'add-rep', `${name}${process.pid}`, '--url', admin(db), '--public', `postgres://127.0.0.1:${port}/${db}`).secret_url;
  const [aLine, bLine] = [lineOf('ana'), lineOf('bo')];
  for (const w of [a, b]) {
    cli(w, 'import', writeCsv(w, 'p.csv', people));
    cli(w, 'settings', 'set', 'sender_name', 'Alex Rivera');
    cli(w, 'enroll', 'cold-short-14d', '--all');
    cli(w, 'approve', String(cli(w, 'queue').items.find((i) => i.channel === 'email').touch_id));
  }
  runA(['team', 'join', aLine]);
  b.env.CADENCE_KEYRING = 'kernel';
  execFileSync(cliBinary, ['--db', b.db, '--now', NOW, '--json', 'team', 'join', bLine], { encoding: 'utf8', env });
  // A's mailbox: the test servers; its first email goes.
  for (const [k, v] of [['address', 'rep@example.test'], ['smtp_host', '127.0.0.1'], ['smtp_port', '1587'], ['imap_host', '127.0.0.1'], ['imap_port', '1993'], ['imap_security', 'tls'], ['ca_file', CA], ['spacing_s', '0']]) {
    runA(['mailbox', 'set', k, v]);
  }
  runA(['mailbox', 'password'], 'rep-secret\n');
  runA(['mailbox', 'sync']);
  const sent = await until(() => runA(['mailbox', 'sends']).find((s) => s.email === dana && s.state === 'sent'), "A's email to Dana sent", 30_000);

  const app = await launch(b);
  const br = app.browser;
  try {
    const waiting = cli(b, 'outbox')[0];
    assert.equal(waiting.email, dana);
    await until(() => br.$('[data-nav=outbox]').isExisting(), 'the window');
    await br.$('[data-nav=outbox]').click();
    await until(() => br.$(`[data-touch="${waiting.touch_id}"]`).isExisting(), "B's approved email to Dana in the Outbox");

    // Dana answers A: stop.
    await deliver({ from: dana, subject: `Re: ${sent.subject}`, inReplyTo: sent.message_id, body: 'Please unsubscribe me. Do not contact me again.\n\nDana\n' });
    const read = await until(() => {
      runA(['mailbox', 'sync']);
      return runA(['mailbox', 'inbox']).find((m) => m.prospect_email === dana);
    }, "A reads Dana's reply", 30_000);
    assert.equal(read.kind, 'unsubscribe', JSON.stringify(read));
    const started = Date.now();
    runA(['team', 'sync']);
    await until(async () => !(await br.$(`[data-touch="${waiting.touch_id}"]`).isExisting()), "the email gone from B's Outbox", 10_000);
    assert.ok(Date.now() - started < 5000, 'within 5 s of A pushing');
    assert.equal(cli(b, 'outbox').length, 0);

    await br.$('[data-nav=prospects]').click();
    const who = cli(b, 'prospect', 'show', dana);
    await until(() => br.$(`[data-prospect="${who.prospect.id}"]`).isExisting(), 'Dana listed');
    await br.$(`[data-prospect="${who.prospect.id}"]`).click();
    const panel = await until(async () => {
      const t = await br.execute(() => document.querySelector('[data-testid=prospect-detail]')?.textContent ?? '');
      return t.includes('from the team') && t;
    }, "B's panel says why");
    assert.match(panel, /exited \(do not contact\)/);
    await shot(br, '152-team-unsubscribe-on-b');
  } finally {
    await app.stop();
    psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  }
});
