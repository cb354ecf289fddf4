// A LinkedIn request that branches on acceptance, in the app: once the
// request is marked sent, the sequence waits (the not-accepted email is
// scheduled after the wait); "They accepted on LinkedIn" in the prospect's
// panel takes the accepted branch at once, and the panel says what is next.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, launch, press, root, shot, until, workspace, writeCsv } from './harness.mjs';

test('linkedin accepted: the panel takes the accepted branch', { timeout: 120_000 }, async () => {
  const ws = workspace('linkedin-accepted');
  cli(ws, 'import', writeCsv(ws, 'p.csv', 'email,first_name,last_name,company,city,country\nmara@fjordline.example,Mara,Quist,Fjordline,Oslo,Norway\n'));
  cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
  cli(ws, 'sequences', 'add', join(root, 'tests/e2e/fixtures/linkedin-accepted.toml'));
  cli(ws, 'enroll', 'linkedin-accepted', '--all');
  const request = cli(ws, 'queue').items.find((i) => i.channel === 'linkedin_connect');
  assert.ok(request, 'the request is due');
  cli(ws, 'done', String(request.touch_id));
  const who = request.prospect_id;
  const before = cli(ws, 'prospect', 'show', String(who)).enrollments[0];
  assert.equal(before.step_label, 'email', 'the not-accepted way is scheduled');
  assert.equal(before.awaiting_acceptance, true);

  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(() => b.$('[data-nav=prospects]').isExisting(), 'the window');
    await b.$('[data-nav=prospects]').click();
    await until(() => b.$(`[data-prospect="${who}"]`).isExisting(), 'the prospect listed');
    await b.$(`[data-prospect="${who}"]`).click();
    await until(() => b.$('[data-testid=prospect-detail] [data-action=accepted]').isExisting(), 'the accepted button');
    await shot(b, '132-linkedin-waiting');
    await b.$('[data-testid=prospect-detail] [data-action=accepted]').click();
    await until(() => cli(ws, 'prospect', 'show', String(who)).enrollments[0].step_label === 'thanks', 'the accepted branch taken');
    await until(async () => (await b.execute(() => document.querySelector('[data-testid=prospect-detail] [data-enrollment]').textContent)).includes('(thanks)'), 'the panel shows the step');
    assert.equal(await b.$('[data-testid=prospect-detail] [data-action=accepted]').isExisting(), false, 'nothing left to accept');
    const body = await b.execute(() => document.body.textContent);
    assert.match(body, /Accepted: next, step 3 \(thanks\)\./);
    const timeline = cli(ws, 'prospect', 'show', String(who)).timeline.map((t) => t.kind);
    assert.ok(timeline.includes('branch_taken'), timeline.join(', '));
    // The email the wait had scheduled is no longer in the queue.
    const queued = cli(ws, 'queue').items.filter((i) => i.prospect_id === who).map((i) => i.channel);
    assert.deepEqual(queued, ['linkedin_message']);
  } finally {
    await app.stop();
  }
});
