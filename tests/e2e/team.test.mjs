// A team of two on a real PostgreSQL (scripts/team-pg): rep A (the command
// line, as a second desktop) lists a prospect; rep B's running app pulls it
// within seconds (LISTEN), B's approved email to that person leaves B's
// Outbox, and B's screen says why: the enrollment ended by the team's list.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, cliBinary, launch, NOW, root, shot, until, workspace, writeCsv } from './harness.mjs';

const port = process.env.TEAM_PG_PORT ?? '55432';
const socket = join(root, 'target/team-pg/run');
const admin = (db) => `host=${socket} port=${port} user=postgres dbname=${db}`;

function psql(sql) {
  execFileSync('psql', ['-h', socket, '-p', port, '-U', 'postgres', '-d', 'postgres', '-qc', sql], { stdio: 'ignore' });
}

test('team: an entry on one desktop takes the email out of the other app, which says why', { timeout: 120_000 }, async () => {
  const db = `e2e_team_${process.pid}`;
  psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  psql(`CREATE DATABASE ${db}`);
  const a = workspace('team-a');
  const b = workspace('team-b');
  cli(a, 'team', 'init', '--url', admin(db));
  const lineOf = (name) => cli(a, 'team', 'add-rep', `${name}${process.pid}`, '--url', admin(db), '--public', `postgres://127.0.0.1:${port}/${db}`).secret_url;
  const [aLine, bLine] = [lineOf('ana'), lineOf('bo')];
  cli(a, 'team', 'join', aLine);

  cli(b, 'import', writeCsv(b, 'p.csv', 'email,first_name,last_name,company,city,country\ndana@lumenfield.example,Dana,Brooks,Lumenfield,Austin,United States\n'));
  cli(b, 'settings', 'set', 'sender_name', 'Alex Rivera');
  cli(b, 'enroll', 'cold-short-14d', '--all');
  const email = cli(b, 'queue').items.find((i) => i.channel === 'email');
  cli(b, 'approve', String(email.touch_id));
  cli(b, 'team', 'join', bLine);
  assert.equal(cli(b, 'outbox').length, 1);

  const app = await launch(b);
  const br = app.browser;
  try {
    await until(() => br.$('[data-nav=outbox]').isExisting(), 'the window');
    await br.$('[data-nav=outbox]').click();
    await until(() => br.$(`[data-touch="${email.touch_id}"]`).isExisting(), "B's approved email in the Outbox");

    // Rep A hears "stop" and lists Dana; A's desktop pushes it.
    execFileSync(cliBinary, ['--db', a.db, '--now', NOW, 'dnc', 'add', 'dana@lumenfield.example', '--reason', 'asked to stop'], { env: { ...process.env, TZ: 'America/New_York' } });
    const started = Date.now();
    cli(a, 'team', 'sync');
    await until(async () => !(await br.$(`[data-touch="${email.touch_id}"]`).isExisting()), "the email gone from B's Outbox", 10_000);
    const took = Date.now() - started;
    assert.ok(took < 5000, `within 5 s of A's push (took ${took} ms)`);

    // B's screen says why.
    await br.$('[data-nav=prospects]').click();
    const who = cli(b, 'prospect', 'show', 'dana@lumenfield.example');
    await until(() => br.$(`[data-prospect="${who.prospect.id}"]`).isExisting(), 'Dana listed');
    await br.$(`[data-prospect="${who.prospect.id}"]`).click();
    const panel = await until(async () => {
      const t = await br.execute(() => document.querySelector('[data-testid=prospect-detail]')?.textContent ?? '');
      return t.includes('do not contact') && t;
    }, "Dana's panel says the sequence ended");
    assert.match(panel, /exited \(do not contact\)/);
    assert.match(panel, /listed by ana/);
    await shot(br, '150-team-entry-on-b');
    await br.$('[data-nav=settings]').click();
    await until(async () => (await br.execute(() => document.querySelector('[data-testid=team-state]')?.textContent ?? '')).includes('In step with the team'), 'Settings → Team in step');
    await br.execute(() => document.querySelector('[data-testid=team-settings]').scrollIntoView());
    await shot(br, '151-team-settings');
  } finally {
    await app.stop();
    psql(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
  }
});
