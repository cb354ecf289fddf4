// The day's rough edges in plain words: opening a LinkedIn profile on a
// computer with no browser set up copies the link and says so (not the
// launcher's own error); a channel filter that runs empty says what is still
// due instead of "All done for today".
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, launch, press, shot, until, workspace } from './harness.mjs';

test('desktop life: no browser set up, an empty filter', { timeout: 180_000 }, async () => {
  const ws = workspace('desktop-life');
  // Every launcher the opener may try fails, as on a machine with no browser.
  const bin = join(ws.dir, 'bin');
  mkdirSync(bin);
  for (const name of ['xdg-open', 'gio', 'gnome-open', 'kde-open', 'wslview', 'sensible-browser', 'x-www-browser']) {
    writeFileSync(join(bin, name), '#!/bin/sh\necho "no handler" >&2\nexit 4\n');
    chmodSync(join(bin, name), 0o755);
  }
  ws.env.PATH = `${bin}:${process.env.PATH}`;
  cli(ws, 'demo', '--prospects', '60');
  const queue = cli(ws, 'queue');
  const linkedin = queue.items.find((i) => i.channel.startsWith('linkedin') && i.linkedin);
  assert.ok(linkedin, 'a LinkedIn step with a profile');
  const calls = queue.items.filter((i) => i.channel === 'call').length;
  assert.ok(calls > 0 && queue.total > calls, 'calls and other touches due');

  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(() => b.$(`[role=option][data-touch="${linkedin.touch_id}"]`).isExisting(), 'the LinkedIn step in Today');
    await b.$(`[role=option][data-touch="${linkedin.touch_id}"]`).click();
    await until(async () => (await b.execute(() => document.querySelector('article[data-touch]')?.getAttribute('data-touch'))) === String(linkedin.touch_id), 'the step on screen');
    await press(b, 'o');
    const toast = await until(async () => b.execute(() => [...document.querySelectorAll('.toast')].map((t) => t.textContent).find((t) => t.includes('browser')) ?? ''), 'what happened, in words');
    assert.match(toast, /no web browser set up to open it with, so it is copied/);
    assert.ok(toast.includes(linkedin.linkedin), 'the link itself is shown');
    assert.doesNotMatch(toast, /Launcher|ExitStatus|gio/);
    await shot(b, '97-no-browser');

    // Calls only, then log every one as "no answer" (3).
    await b.$('[data-testid=count-call]').click();
    for (let n = 0; n < calls; n++) {
      await until(async () => (await b.execute(() => document.querySelector('article[data-touch]')?.getAttribute('data-channel'))) === 'call', 'a call on screen');
      const id = await b.execute(() => document.querySelector('article[data-touch]').getAttribute('data-touch'));
      await press(b, '3');
      await until(() => cli(ws, 'touch', id).state !== 'pending', `call ${id} logged`);
    }
    const empty = await until(async () => (await b.$('[data-testid=empty-filter]').isExisting()) && b.$('[data-testid=empty-today]').getText(), 'the empty filter');
    assert.match(empty, /No calls left for today/);
    assert.match(empty, /touches of other kinds are still due/);
    assert.doesNotMatch(empty, /All done/);
    await shot(b, '98-empty-filter');
  } finally {
    await app.stop();
  }
});
