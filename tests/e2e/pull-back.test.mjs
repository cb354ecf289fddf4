// An approved email taken back from the Outbox before it goes: it leaves
// the Outbox and is a draft again in Today, to read, edit and approve.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, launch, press, shot, until, workspace } from './harness.mjs';

test('pull back: from the Outbox to a draft in Today', { timeout: 120_000 }, async () => {
  const ws = workspace('pull-back');
  cli(ws, 'demo', '--prospects', '40');
  cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
  const email = cli(ws, 'queue').items.find((i) => i.channel === 'email' && !cli(ws, 'touch', String(i.touch_id)).blocked);
  cli(ws, 'approve', String(email.touch_id));
  assert.equal(cli(ws, 'touch', String(email.touch_id)).state, 'approved');
  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(() => b.$('[data-testid=count-all]').isExisting(), 'Today');
    await press(b, 'g', 'o');
    const row = `[data-touch="${email.touch_id}"]`;
    await until(() => b.$(`${row} [data-action=pull-back]`).isExisting(), 'the email waiting, with Pull back');
    await shot(b, '104-outbox-pull-back');
    await b.$(`${row} [data-action=pull-back]`).click();
    await until(() => cli(ws, 'touch', String(email.touch_id)).state === 'pending', 'a draft again');
    await until(async () => !(await b.$(row).isExisting()), 'gone from the Outbox');
    await press(b, 'g', 't');
    await until(() => b.$(`[role=option][data-touch="${email.touch_id}"]`).isExisting(), 'back in Today');
    await b.$(`[role=option][data-touch="${email.touch_id}"]`).click();
    await until(() => b.$('[data-testid=body]').isExisting(), 'the draft on screen');
  } finally {
    await app.stop();
  }
  const timeline = cli(ws, 'prospect', 'show', String(email.prospect_id)).timeline.map((t) => t.kind);
  assert.ok(timeline.includes('email_pulled_back'), 'the timeline says so');
});
