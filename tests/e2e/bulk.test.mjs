// Acting on many touches from the queue: picked by ctrl-click, shift-click
// and Space; snoozed together to tomorrow morning; emails approved together
// only once each has been read on screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, launch, press, shot, until, workspace } from './harness.mjs';

test('bulk: pick, snooze together, approve only read emails', { timeout: 180_000 }, async () => {
  const ws = workspace('bulk');
  cli(ws, 'demo', '--prospects', '60');
  cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
  const q = cli(ws, 'queue');
  const linkedin = q.items.filter((i) => i.channel.startsWith('linkedin') && !i.overdue).slice(0, 3);
  assert.equal(linkedin.length, 3);
  const emails = q.items.filter((i) => i.channel === 'email' && !i.overdue && !cli(ws, 'touch', String(i.touch_id)).blocked).slice(0, 2);
  assert.equal(emails.length, 2);
  const app = await launch(ws);
  const b = app.browser;
  const row = (id) => b.$(`[role=option][data-touch="${id}"]`);
  const clickWith = async (id, key) => {
    await b.performActions([{ type: 'key', id: 'kb', actions: [{ type: 'keyDown', value: key }] }]);
    await row(id).click();
    await b.performActions([{ type: 'key', id: 'kb', actions: [{ type: 'keyUp', value: key }] }]);
    await b.releaseActions();
  };
  try {
    await until(() => row(linkedin[0].touch_id).isExisting(), 'Today');
    // Ctrl-click the first LinkedIn step, shift-click the third: all three picked.
    await clickWith(linkedin[0].touch_id, '\uE009');
    await clickWith(linkedin[2].touch_id, '\uE008');
    const picked = await until(async () => {
      const ids = await b.execute(() => [...document.querySelectorAll('[data-picked=yes]')].map((r) => Number(r.getAttribute('data-touch'))));
      return ids.length >= 3 && ids;
    }, 'three picked');
    for (const l of linkedin) assert.ok(picked.includes(l.touch_id), `${l.touch_id} picked`);
    await until(() => b.$('[data-testid=bulk-bar]').isExisting(), 'the bulk bar');
    await shot(b, '102-bulk-picked');
    await b.$('[data-bulk=snooze-tomorrow]').click();
    await until(() => linkedin.every((l) => cli(ws, 'touch', String(l.touch_id)).due_at > q.items.find((i) => i.touch_id === l.touch_id).due_at), 'all three snoozed');
    await until(async () => !(await b.$('[data-testid=bulk-bar]').isExisting()), 'the picks cleared');

    // Two emails: the first picked without being read, so approving is refused.
    await clickWith(emails[0].touch_id, '\uE009');
    await until(() => b.$('[data-testid=bulk-unread]').isExisting(), 'the unread note');
    assert.equal(await b.$('[data-bulk=approve]').isEnabled(), false, 'an unread email is never approved in bulk');
    await b.$('[data-testid=bulk-bar] .link').click();
    // Read each (it is on screen), pick it with Space.
    for (const e of emails) {
      await row(e.touch_id).click();
      await until(async () => (await b.execute(() => document.querySelector('article[data-touch]')?.getAttribute('data-touch'))) === String(e.touch_id), 'the email on screen');
      await until(() => b.$('[data-testid=body]').isExisting(), 'its draft');
      await press(b, ' ');
    }
    await until(async () => b.$('[data-bulk=approve]').isEnabled(), 'approve offered for read emails');
    await b.$('[data-bulk=approve]').click();
    await until(() => emails.every((e) => cli(ws, 'touch', String(e.touch_id)).state === 'approved'), 'both approved');
  } finally {
    await app.stop();
  }
});
