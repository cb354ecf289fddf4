// Undo with z: an approval (the email is a draft again, on screen), a call
// logged, a snooze and a bulk skip are each taken back, and the timeline
// keeps both the action and its undoing. Listed in the ? overlay and the
// palette. Looked at in the dark theme at 1024x700.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, launch, press, selectTouch, shot, type, until, workspace } from './harness.mjs';

test('undo: z takes back an approval, a call, a snooze and a bulk skip', { timeout: 180_000 }, async () => {
  const ws = workspace('undo');
  ws.env.GTK_THEME = 'Adwaita:dark';
  cli(ws, 'demo', '--prospects', '60');
  cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
  const q = cli(ws, 'queue');
  const email = q.items.find((i) => i.channel === 'email' && !i.overdue && !cli(ws, 'touch', String(i.touch_id)).blocked);
  const call = q.items.find((i) => i.channel === 'call');
  const tasks = q.items.filter((i) => i.channel.startsWith('linkedin')).slice(0, 2);
  assert.ok(email && call && tasks.length === 2, 'the demo has an email, a call and two LinkedIn steps due');
  const state = (id) => cli(ws, 'touch', String(id)).state;
  const toast = (text) => until(async () => (await b.$('.toasts').getText()).includes(text), `the toast "${text}"`);
  const onScreen = async () => b.execute(() => document.querySelector('article[data-touch]')?.getAttribute('data-touch'));
  const app = await launch(ws);
  const b = app.browser;
  try {
    await b.setWindowSize(1024, 700);
    await until(() => b.$(`[role=option][data-touch="${email.touch_id}"]`).isExisting(), 'Today');

    // Approve with Ctrl+Enter; z brings the draft back, on screen.
    await selectTouch(b, email.touch_id);
    await until(() => b.$('[data-testid=body]').isExisting(), 'the draft');
    await press(b, ['Control', 'Enter']);
    await until(() => state(email.touch_id) === 'approved', 'approved');
    await toast('z to undo');
    await shot(b, '110-undo-offered-dark-1024');
    await press(b, 'z');
    await toast('Undone: Approved the email to');
    await until(() => state(email.touch_id) === 'pending', 'a draft again');
    await until(async () => (await onScreen()) === String(email.touch_id), 'the draft back on screen');
    await shot(b, '111-undo-done-dark-1024');
    assert.equal(cli(ws, 'outbox').length, 0, 'nothing waits to be sent');

    // A call logged as connected, then undone.
    await b.$(`[role=option][data-touch="${call.touch_id}"]`).click();
    await until(async () => (await onScreen()) === String(call.touch_id), 'the call on screen');
    await press(b, '1');
    await until(() => state(call.touch_id) === 'done', 'the call logged');
    await press(b, 'z');
    await until(() => state(call.touch_id) === 'pending', 'the call pending again');

    // A snooze to tomorrow, then undone: due when it was.
    const due = cli(ws, 'touch', String(call.touch_id)).due_at;
    await until(async () => (await onScreen()) === String(call.touch_id), 'the call back on screen');
    await press(b, 's', '2');
    await until(() => cli(ws, 'touch', String(call.touch_id)).due_at !== due, 'snoozed');
    await press(b, 'z');
    await until(() => cli(ws, 'touch', String(call.touch_id)).due_at === due, 'due as before');

    // Two LinkedIn steps picked and skipped together, then undone together.
    for (const t of tasks) {
      await b.$(`[role=option][data-touch="${t.touch_id}"]`).click();
      await until(async () => (await onScreen()) === String(t.touch_id), 'the step on screen');
      await press(b, ' ');
    }
    await until(() => b.$('[data-testid=bulk-bar]').isExisting(), 'the bulk bar');
    await b.$('[data-testid=bulk-skip]').selectByIndex(1);
    await until(() => tasks.every((t) => state(t.touch_id) === 'skipped'), 'both skipped');
    await press(b, 'z');
    await until(() => tasks.every((t) => state(t.touch_id) === 'pending'), 'both pending again');

    // z is in the overlay and in the palette.
    await press(b, '?');
    await until(async () => (await b.$('[role=dialog]').getText()).includes('Undo'), 'Undo in the ? overlay');
    await press(b, 'Escape');
    await press(b, ['Control', 'k']);
    await until(() => b.$('input[aria-label=Command]').isFocused(), 'the palette');
    await type(b, 'undo');
    await until(() => b.execute(() => [...document.querySelectorAll('button span')].some((s) => s.textContent === 'Undo')), 'Undo in the palette');
    await shot(b, '112-undo-in-palette-dark-1024');
    await press(b, 'Escape');
  } finally {
    await app.stop();
  }
  const timeline = cli(ws, 'prospect', 'show', String(email.prospect_id)).timeline;
  const approvals = timeline.filter((t) => t.kind === 'email_approved');
  assert.deepEqual(approvals.map((t) => t.undone), [false, true], 'the approval and its undoing, both logged');
});
