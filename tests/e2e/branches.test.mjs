// A sequence that branches: a call logged as connected in the app takes
// the branch to the "as discussed" email, skipping the steps in between,
// and the Sequences screen lists each step's branches.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, launch, press, root, shot, until, workspace, writeCsv } from './harness.mjs';

test('branches: a connected call takes its branch; the steps show where they lead', { timeout: 120_000 }, async () => {
  const ws = workspace('branches');
  cli(ws, 'import', writeCsv(ws, 'p.csv', 'email,first_name,last_name,company,city,country,phone\njonas@kranich.example,Jonas,Muller,Kranich,Berlin,Germany,+49 30 1234567\n'));
  cli(ws, 'settings', 'set', 'timezone', 'America/New_York');
  cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
  cli(ws, 'sequences', 'add', join(root, 'tests/e2e/fixtures/branching-calls.toml'));
  cli(ws, 'enroll', 'branching-calls', '--all');
  const call = cli(ws, 'queue').items.find((i) => i.channel === 'call');
  assert.ok(call, 'the first call is due');
  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(() => b.$(`[role=option][data-touch="${call.touch_id}"]`).isExisting(), 'the call in Today');
    await b.$(`[role=option][data-touch="${call.touch_id}"]`).click();
    await until(() => b.$('[data-testid=tel]').isExisting(), 'the call on screen');
    await press(b, '1');
    await until(() => cli(ws, 'touch', String(call.touch_id)).state === 'done', 'the call logged as connected');
    const enrollment = await until(() => cli(ws, 'prospect', 'show', String(call.prospect_id)).enrollments?.[0], 'the enrollment');
    assert.equal(enrollment.step_label, 'as discussed', `the connected branch, past steps 2 to 4: ${JSON.stringify(enrollment)}`);

    await press(b, 'g', 's');
    await until(() => b.execute(() => [...document.querySelectorAll('button.item')].some((e) => e.textContent.includes('Branching calls'))), 'the sequence listed');
    await b.execute(() => [...document.querySelectorAll('button.item')].find((e) => e.textContent.includes('Branching calls')).click());
    const branches = await until(async () => {
      const t = await b.execute(() => [...document.querySelectorAll('[data-testid=branch]')].map((e) => e.textContent.trim()));
      return t.length === 3 && t;
    }, 'three branches listed');
    assert.deepEqual(branches, ['if connected → 5. as discussed', 'if voicemail → 3. linkedin nudge', 'then → the sequence ends']);
    await shot(b, '130-sequence-branches');

    // The built-in playbook that branches, drawn as a tree: its first call
    // forks three ways, and the no-answer way joins the voicemail one.
    await b.execute(() => [...document.querySelectorAll('button.item')].find((e) => e.textContent.includes('calls that branch')).click());
    const forks = await until(async () => {
      const f = await b.execute(() =>
        [...document.querySelectorAll('[data-testid=sequence-tree] [data-testid=fork]')].map((li) => ({
          when: li.querySelector('.when').textContent.trim(),
          steps: [...li.querySelectorAll(':scope > .chain [data-step]')].map((n) => Number(n.getAttribute('data-step'))),
          tail: li.querySelector(':scope > .chain').textContent.replace(/\s+/g, ' ').trim(),
        })),
      );
      return f.length === 3 && f;
    }, 'the tree with three forks');
    assert.deepEqual(forks.map((f) => [f.when, f.steps]), [['if connected', [8, 9, 10]], ['if voicemail', [5, 6, 7]], ['otherwise', [4]]]);
    assert.match(forks[2].tail, /joins 5\. linkedin message$/);
    assert.match(forks[0].tail, /end$/);
    await shot(b, '131-sequence-tree');

    // Results: the path the enrollment has taken so far.
    await press(b, 'g', 'r');
    await until(() => b.$('[data-slug=branching-calls]').isExisting(), 'the sequence in Results');
    await b.$('[data-slug=branching-calls]').click();
    const path = await until(async () => {
      const cells = await b.execute(() => [...document.querySelectorAll('[data-testid=paths] [data-path] td')].map((td) => td.textContent.trim()));
      return cells.length && cells;
    }, 'the paths taken');
    assert.deepEqual(path.slice(0, 3), ['1 …', '1', '1'], 'one enrollment, on step 1 so far, still on it');
    await b.execute(() => document.querySelector('[data-testid=paths]').scrollIntoView());
    await shot(b, '132-results-paths');
  } finally {
    await app.stop();
  }
});
