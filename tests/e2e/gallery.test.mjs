// The rep's whole day at both window sizes (1400x900, 1024x700) and in both
// themes: Today with picks and the bulk bar, review mode, the re-plan, the
// Outbox with an email open, the calendar in Settings, the prospect panel,
// the sequence editor, a call in the prospect's hours, the import wizard and
// the notifications setting. Each screen is saved for looking at, and none
// may need sideways scrolling or push an action out of the window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, launch, press, shot, until, workspace } from './harness.mjs';

const SIZES = [
  [1400, 900],
  [1024, 700],
];

/** Nothing wider than the window: no sideways scrolling, no cut-off buttons. */
async function fits(b, what) {
  const over = await b.execute(() => {
    const w = window.innerWidth;
    const wide = document.documentElement.scrollWidth > w + 1;
    const cut = [...document.querySelectorAll('button, [role=option], input, select, textarea')]
      .filter((e) => e.offsetParent !== null && !e.closest('[aria-hidden=true]'))
      .map((e) => e.getBoundingClientRect())
      .filter((r) => r.width > 0 && r.right > w + 1).length;
    return { wide, cut, width: w, scroll: document.documentElement.scrollWidth };
  });
  assert.ok(!over.wide && over.cut === 0, `${what}: ${JSON.stringify(over)}`);
}

for (const theme of ['light', 'dark']) {
  test(`gallery: the whole day at both sizes, ${theme}`, { timeout: 240_000 }, async () => {
    const ws = workspace(`gallery-${theme}`);
    ws.env.GTK_THEME = theme === 'dark' ? 'Adwaita:dark' : 'Adwaita';
    cli(ws, 'demo', '--prospects', '60');
    cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
    const q = cli(ws, 'queue');
    const emails = q.items.filter((i) => i.channel === 'email' && !cli(ws, 'touch', String(i.touch_id)).blocked);
    cli(ws, 'approve', String(emails[0].touch_id));
    const email = emails[1];
    const call = q.items.find((i) => i.channel === 'call' && i.phone);
    const app = await launch(ws);
    const b = app.browser;
    try {
      for (const [w, h] of SIZES) {
        const tag = `${theme}-${w}`;
        await b.setWindowSize(w, h);
        await press(b, 'g', 't');
        await until(() => b.$(`[role=option][data-touch="${email.touch_id}"]`).isExisting(), 'Today');
        for (const i of q.items.filter((i) => i.touch_id !== emails[0].touch_id).slice(0, 3)) {
          await b.performActions([{ type: 'key', id: 'kb', actions: [{ type: 'keyDown', value: '\uE009' }] }]);
          await b.$(`[role=option][data-touch="${i.touch_id}"]`).click();
          await b.performActions([{ type: 'key', id: 'kb', actions: [{ type: 'keyUp', value: '\uE009' }] }]);
          await b.releaseActions();
        }
        await until(() => b.$('[data-testid=bulk-bar]').isExisting(), 'the bulk bar');
        await fits(b, `Today with picks, ${tag}`);
        await shot(b, `120-today-bulk-${tag}`);
        await b.$('[data-testid=bulk-bar] .link').click();

        await b.$(`[role=option][data-touch="${email.touch_id}"]`).click();
        await until(() => b.$('[data-testid=review-start]').isExisting(), 'review offered');
        await press(b, 'r');
        await until(() => b.$('[data-testid=review-bar]').isExisting(), 'review mode');
        await fits(b, `review mode, ${tag}`);
        await shot(b, `121-review-${tag}`);
        await press(b, 'r');
        await press(b, 'f');

        await until(() => b.$('[data-testid=replan-open]').isExisting(), 'Re-plan');
        await b.$('[data-testid=replan-open]').click();
        await until(() => b.$('[data-testid=replan-plan]').isExisting(), 'the plan');
        await fits(b, `re-plan, ${tag}`);
        await shot(b, `122-replan-${tag}`);
        await press(b, 'Escape');

        await press(b, 'g', 'o');
        await until(() => b.$('[data-action=read]').isExisting(), 'the Outbox');
        await b.$('[data-action=read]').click();
        await until(() => b.$('[data-testid=outbox-text]').isExisting(), 'the email open');
        await fits(b, `Outbox, ${tag}`);
        await shot(b, `123-outbox-${tag}`);

        await press(b, 'g', ',');
        await until(() => b.$('[data-testid=calendar]').isExisting(), 'Settings');
        await b.$('[data-testid=calendar]').scrollIntoView();
        await fits(b, `Settings, ${tag}`);
        await shot(b, `124-calendar-${tag}`);

        await press(b, 'g', 'p');
        await until(() => b.$('[role=row], tr, [data-prospect]').isExisting(), 'Prospects');
        await press(b, 'Enter');
        await until(() => b.$('[data-testid=prospect-detail]').isExisting(), 'the prospect panel');
        await fits(b, `prospect panel, ${tag}`);
        await shot(b, `125-prospect-${tag}`);
        await press(b, 'Escape');

        await press(b, 'g', 's');
        await until(() => b.$('[data-testid=sequence-duplicate]').isExisting(), 'Sequences');
        await b.$('[data-testid=sequence-duplicate]').click();
        await until(() => b.$('[data-testid=sequence-editor]').isExisting(), 'the editor');
        await fits(b, `sequence editor, ${tag}`);
        await shot(b, `126-sequence-editor-${tag}`);
        await press(b, 'Escape');

        await press(b, 'g', 't');
        await until(() => b.$(`[role=option][data-touch="${call.touch_id}"]`).isExisting(), 'Today');
        await b.$(`[role=option][data-touch="${call.touch_id}"]`).click();
        await until(() => b.$('[data-testid=tel]').isExisting(), 'the call, with its number');
        await fits(b, `a call, ${tag}`);
        await shot(b, `127-call-${tag}`);

        await press(b, 'i');
        await until(() => b.$('[data-testid=import-wizard]').isExisting(), 'the import wizard');
        await fits(b, `import wizard, ${tag}`);
        await shot(b, `128-import-${tag}`);
        await press(b, 'Escape');

        await press(b, 'g', ',');
        await until(() => b.$('[data-testid=notifications]').isExisting(), 'Settings');
        await b.$('[data-testid=notifications]').scrollIntoView();
        await fits(b, `notifications setting, ${tag}`);
        await shot(b, `129-notifications-${tag}`);
      }
    } finally {
      await app.stop();
    }
  });
}
