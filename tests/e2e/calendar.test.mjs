// The rep's calendar in the app: asked on the first run (time zone, working
// days, hours), and in Settings with the public holidays and time away (what
// an away period will move is said before it is added, and it can be taken
// back). Every change lands in the rep's settings.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, launch, shot, until, workspace, writeCsv } from './harness.mjs';

async function setValue(b, testid, value) {
  // Date and time inputs take their value as text, then fire change.
  await b.execute(
    (id, v) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      el.value = v;
      el.dispatchEvent(new Event('input', { bubbles: true }));
      el.dispatchEvent(new Event('change', { bubbles: true }));
    },
    testid,
    value,
  );
}

test('calendar: asked on the first run, and whole in Settings with holidays and time away', { timeout: 120_000 }, async () => {
  const ws = workspace('calendar');
  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(() => b.$('[data-testid=first-run-calendar]').isExisting(), 'the first run asks about the day');
    const tz = b.$('[data-testid=rep-timezone]');
    await until(() => tz.isExisting(), 'the time zone field');
    await tz.setValue('Europe/Madrid');
    await b.execute(() => document.querySelector('[data-testid=rep-timezone]').dispatchEvent(new Event('change', { bubbles: true })));
    await until(() => cli(ws, 'settings', 'show').timezone === 'Europe/Madrid', 'the zone saved');
    await b.$('[data-testid=day-fri]').click();
    await until(() => !cli(ws, 'settings', 'show').working_days.includes('fri'), 'Friday off');
    await setValue(b, 'hours-start', '08:00');
    await until(() => cli(ws, 'settings', 'show').hours === '08:00-17:00', 'the day starts at 08:00');
    assert.equal(await b.$('[data-testid=holiday-country]').isExisting(), false, 'the first run asks only the essentials');
    await shot(b, '95-first-run-calendar');

    // A wrong zone is refused in words, and nothing changes.
    await tz.setValue('Mars/Olympus');
    await b.execute(() => document.querySelector('[data-testid=rep-timezone]').dispatchEvent(new Event('change', { bubbles: true })));
    const refused = await until(async () => b.execute(() => document.querySelector('[data-testid=calendar] [role=alert]')?.textContent ?? ''), 'the refusal');
    assert.match(refused, /not an IANA time zone/);
    assert.equal(cli(ws, 'settings', 'show').timezone, 'Europe/Madrid');

    // Settings: holidays and time away, with a sample workspace to move.
    cli(ws, 'demo', '--prospects', '40');
    await b.execute(() => location.reload());
    await until(async () => !(await b.$('[data-testid=first-run]').isExisting()), 'the queue');
    await b.keys(['Control', ',']);
    await until(() => b.$('[data-testid=holiday-country]').isExisting(), 'Settings → Your calendar');
    await b.$('[data-testid=holiday-country]').selectByAttribute('value', 'ES');
    await until(() => cli(ws, 'settings', 'show').holiday_country === 'ES', 'Spanish holidays');
    const day = cli(ws, 'queue').day;
    const next = new Date(`${day}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 6);
    const to = next.toISOString().slice(0, 10);
    await setValue(b, 'away-from', day);
    await setValue(b, 'away-to', to);
    const preview = await until(async () => (await b.$('[data-testid=away-preview]').isExisting()) && b.$('[data-testid=away-preview]').getText(), 'what the away period moves');
    const n = Number(preview.match(/(\d+) touch/)?.[1] ?? 0);
    assert.ok(n > 0, preview);
    await b.$('[data-testid=away-preview]').scrollIntoView();
    await shot(b, '96-settings-calendar-away');
    await b.$('[data-testid=away-add]').click();
    await until(() => cli(ws, 'settings', 'show').away.length === 1, 'the away period saved');
    assert.deepEqual(cli(ws, 'settings', 'show').away[0], [day, to]);
    const during = cli(ws, 'queue').items.filter((i) => !i.overdue && i.due_rep_local.slice(0, 10) <= to);
    assert.deepEqual(during, [], 'nothing is due while away: it moved to after');
    await until(() => b.$('[data-testid=away-remove]').isExisting(), 'the period listed');
    await b.$('[data-testid=away-remove]').click();
    await until(() => cli(ws, 'settings', 'show').away.length === 0, 'the away period taken back');
  } finally {
    await app.stop();
  }
});
