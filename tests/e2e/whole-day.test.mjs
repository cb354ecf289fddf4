// The rest of a rep's day, a week after the last one: the re-plan offers
// itself on the first morning back (once); the day's counts agree between
// the header, focus mode and the list; "review drafts" walks one step's
// drafts, approving as it goes; an approved email is read in the Outbox and
// taken back to edit.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { cli, cliBinary, launch, press, shot, until, workspace } from './harness.mjs';

const WEEK_LATER = '2026-12-01T15:00:00Z';

test('a day back: re-plan offered, counts that agree, review drafts, read and edit from the Outbox', { timeout: 180_000 }, async () => {
  const ws = workspace('whole-day');
  cli(ws, 'demo', '--prospects', '80');
  cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
  ws.env.CADENCE_NOW = WEEK_LATER;
  const later = (...args) => JSON.parse(execFileSync(cliBinary, ['--db', ws.db, '--now', WEEK_LATER, '--json', ...args], { encoding: 'utf8', env: { ...process.env, TZ: ws.env.TZ } }));
  const q = later('queue');
  assert.ok(q.overdue > 0, 'a week later, touches are overdue');
  // The email step with the most drafts due, for the review.
  const groups = {};
  for (const i of q.items.filter((i) => i.channel === 'email')) (groups[`${i.sequence}|${i.step}`] ??= []).push(i);
  const step = Object.values(groups).sort((a, b) => b.length - a.length)[0];
  assert.ok(step.length >= 3, `an email step with several drafts (${step.length})`);

  const app = await launch(ws);
  const b = app.browser;
  const text = (sel) => b.$(sel).getText();
  const num = async (sel) => Number((await text(sel)).trim());
  try {
    // 1. The first morning back: the re-plan opens by itself, once.
    await until(() => b.$('[data-testid=welcome-back]').isExisting(), 'the re-plan offered by itself');
    assert.match(await text('[data-testid=welcome-back]'), /Welcome back\. You were away \d+ days/);
    await until(() => b.$('[data-testid=replan-plan]').isExisting(), 'the plan');
    await shot(b, '114-welcome-back-replan');
    await press(b, 'Escape');
    await until(async () => !(await b.$('[data-testid=welcome-back]').isExisting()), 'closed');
    await press(b, 'g', 'p');
    await press(b, 'g', 't');
    await until(() => b.$('[data-testid=today-done]').isExisting(), 'Today again');
    await new Promise((r) => setTimeout(r, 800));
    assert.equal(await b.$('[data-testid=welcome-back]').isExisting(), false, 'offered once, not every time Today opens');

    // 2. Review the drafts of one step: r, then approve and go on.
    const first = step[0];
    await b.$(`[role=option][data-touch="${first.touch_id}"]`).click();
    await until(() => b.$('[data-testid=review-start]').isExisting(), 'Review drafts offered for the step');
    await press(b, 'r');
    await until(() => b.$('[data-testid=review-bar]').isExisting(), 'the review bar');
    const n = step.filter((i) => !later('touch', String(i.touch_id)).blocked).length;
    await until(async () => (await text('[data-testid=review-bar]')).includes(`of ${step.length}`), `every draft of the step (${step.length})`);
    await shot(b, '115-review-drafts');

    // The counts agree: header done and left, focus position and total.
    const agree = async () => {
      const [done, left, pos, total] = [await num('[data-testid=today-done]'), await num('[data-testid=today-left]'), await num('[data-testid=focus-position]'), await num('[data-testid=focus-total]')];
      return done + left === total && pos >= done + 1 && pos <= total && { done, left };
    };
    const before = await until(agree, 'the header and focus mode agree');
    const onScreen = () => b.execute(() => document.querySelector('article[data-touch]')?.getAttribute('data-touch'));
    const approved = [];
    for (let k = 0; k < 2; k++) {
      const id = Number(await until(onScreen, 'a draft on screen'));
      if (later('touch', String(id)).blocked) {
        await press(b, 'j');
        continue;
      }
      await until(() => b.$('[data-testid=body]').isExisting(), 'the draft');
      await press(b, ['Control', 'Enter']);
      await until(() => later('touch', String(id)).state === 'approved', 'approved from the review');
      approved.push(id);
    }
    assert.ok(approved.length >= 1 && n >= 1);
    // Done went up by the approvals; left is what the queue holds (an approval
    // can bring the next step due today), the same in the header, the list's
    // "All" count and the nav badge; focus mode counts done + left.
    let seen;
    await until(async () => {
      const now = await agree();
      const all = Number((await text('[data-testid=count-all]')).replace(/\D/g, ''));
      const badge = await num('[data-testid=nav-due]');
      seen = JSON.stringify({ now, before, all, badge, approved: approved.length });
      return now && now.done === before.done + approved.length && now.left === all && now.left === badge;
    }, 'the counts agree after the approvals').catch((e) => {
      throw new Error(`${e.message}: ${seen}`);
    });
    await until(async () => (await text('[data-testid=review-bar]')).includes(`of ${step.length - approved.length}`), 'fewer drafts left in the review');
    await press(b, 'r');
    await until(async () => !(await b.$('[data-testid=review-bar]').isExisting()), 'review stopped');

    // 3. The Outbox: read an approved email, then take it back to edit.
    const id = approved[0];
    await press(b, 'g', 'o');
    const row = `[data-touch="${id}"]`;
    await until(() => b.$(`${row} [data-action=read]`).isExisting(), 'the approved email in the Outbox');
    await b.$(`${row} [data-action=read]`).click();
    await until(() => b.$('[data-testid=outbox-text]').isExisting(), 'its text');
    assert.ok((await text('[data-testid=outbox-text]')).includes('Alex Rivera'), 'the text as it will go, signed');
    await shot(b, '116-outbox-read');
    await b.$(`${row} [data-action=edit]`).click();
    await until(() => later('touch', String(id)).state === 'pending', 'a draft again');
    await until(async () => (await onScreen()) === String(id), 'on screen in Today, to edit');
    await until(() => b.$('[data-testid=body]').isExisting(), 'the draft to edit');
  } finally {
    await app.stop();
  }
});
