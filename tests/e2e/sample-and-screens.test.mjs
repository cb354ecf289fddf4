// A new rep loads the sample workspace, logs a call with notes by keyboard,
// and walks every screen (screenshots of each are saved for review).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, launch, press, queueRows, selectTouch, shot, type, until, workspace } from './harness.mjs';

test('sample workspace, a call logged by keyboard, every screen', { timeout: 240_000 }, async () => {
  const ws = workspace('sample');
  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(() => b.$('[data-testid=first-run]').isExisting(), 'the first-run screen');
    await press(b, 'l');
    const rows = await until(async () => {
      const r = await queueRows(b);
      return r.length > 0 && r;
    }, "today's queue");
    const channels = new Set(rows.map((r) => r.channel));
    assert.ok(channels.has('email') && channels.has('call') && [...channels].some((c) => c.startsWith('linkedin')), `a mixed queue: ${[...channels]}`);
    await shot(b, '10-sample-today');

    // A call: notes (n), then the outcome by number.
    const call = rows.find((r) => r.channel === 'call');
    await selectTouch(b, call.id);
    await until(() => b.$('[data-testid=tel]').isExisting(), 'the tel: link');
    const href = await b.$('[data-testid=tel]').getAttribute('href');
    assert.match(href, /^tel:\+?\d+$/);
    await press(b, 'n');
    await until(() => b.$('[data-testid=call-notes]').isFocused(), 'the notes field');
    await type(b, 'Spoke to her assistant; call back Thursday.');
    await press(b, 'Escape');
    await shot(b, '11-call');
    await press(b, '2');
    await until(() => cli(ws, 'touch', String(call.id)).state === 'done', 'the call logged');
    const logged = cli(ws, 'touch', String(call.id));
    assert.equal(logged.outcome, 'voicemail');
    assert.equal(logged.notes, 'Spoke to her assistant; call back Thursday.');

    // Focus mode walks one touch at a time.
    await press(b, 'f');
    const progress = await until(async () => (await b.$('[data-testid=focus-progress]').isExisting()) && b.$('[data-testid=focus-progress]').getText(), 'focus progress');
    assert.match(progress, /\d+ of \d+ · \d+ left/);
    await shot(b, '12-focus');
    await press(b, 'f');

    await press(b, '?');
    await until(() => b.$('[data-testid=help]').isExisting(), 'the shortcuts overlay');
    await shot(b, '13-help');
    await press(b, 'Escape');
    await press(b, ['Control', 'k']);
    await until(() => b.$('input[aria-label=Command]').isFocused(), 'the palette');
    await type(b, 'sequences');
    await press(b, 'Enter');
    await until(() => b.$('[data-testid=sequence-detail]').isExisting(), 'the sequences screen from the palette');
    await shot(b, '14-sequences');

    await press(b, 'g', 'p');
    await until(async () => (await b.$$('[data-prospect]')).length > 10, 'the prospect table');
    await press(b, '/');
    await type(b, 'Silva');
    await until(async () => {
      const names = await b.execute(() => [...document.querySelectorAll('[data-prospect]')].map((e) => e.textContent));
      return names.length > 0 && names.every((n) => n.includes('Silva'));
    }, 'the search to narrow the table');
    await press(b, 'Escape', 'Enter');
    await until(() => b.$('[data-testid=prospect-detail]').isExisting(), 'a prospect timeline');
    await shot(b, '15-prospects');
  } finally {
    await app.stop();
  }
});
