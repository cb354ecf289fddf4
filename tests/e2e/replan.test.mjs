// A backlog re-planned from Today: the overdue touches spread over the next
// working days at most so many a day, the plan shown day by day before it
// is applied; afterwards nothing is overdue and no day is above the cap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, launch, shot, until, workspace } from './harness.mjs';

test('replan: overdue spread over working days, previewed, applied', { timeout: 120_000 }, async () => {
  const ws = workspace('replan');
  cli(ws, 'demo', '--prospects', '120');
  const before = cli(ws, 'queue');
  assert.ok(before.overdue > 0, 'the sample has overdue touches');
  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(() => b.$('[data-testid=replan-open]').isExisting(), 'Re-plan offered beside the overdue count');
    await b.$('[data-testid=replan-open]').click();
    await until(() => b.$('[data-testid=replan-plan]').isExisting(), 'the plan');
    await b.$('[data-testid=replan-days]').setValue('3');
    await b.$('[data-testid=replan-cap]').setValue('20');
    await until(async () => (await b.$('[data-testid=replan-apply]').getText()) === `Re-plan ${before.overdue} touches`, 'every overdue touch in the plan');
    const rows = await b.execute(() => [...document.querySelectorAll('[data-testid=replan-plan] tbody tr')].map((r) => [...r.cells].map((c) => c.textContent)));
    assert.ok(rows.length >= 1);
    for (const [, moved, total] of rows) assert.ok(Number(total) <= 20 || Number(moved) === 0, `a day above the cap: ${moved} moved, ${total} in all`);
    await shot(b, '103-replan');
    await b.$('[data-testid=replan-apply]').click();
    await until(() => cli(ws, 'queue').overdue === 0, 'nothing overdue');
  } finally {
    await app.stop();
  }
});
