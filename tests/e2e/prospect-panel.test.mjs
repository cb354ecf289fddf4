// Working on one prospect from their panel: fields edited in place (a
// refusal said beside the field), tags, each enrollment by sequence name,
// step label and next touch, paused, resumed and ended, enrolled in another
// sequence, and put on the do-not-contact list (confirmed first).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, launch, press, shot, until, workspace } from './harness.mjs';

test('prospect panel: edit, tags, pause, resume, remove, enroll, do not contact', { timeout: 180_000 }, async () => {
  const ws = workspace('prospect-panel');
  cli(ws, 'demo', '--prospects', '40');
  const app = await launch(ws);
  const b = app.browser;
  const field = async (name, value) => {
    const input = b.$(`[data-testid=prospect-edit] input[data-field=${name}]`);
    await input.setValue(value);
    await press(b, 'Enter');
  };
  try {
    await until(() => b.$('[data-testid=count-all]').isExisting(), 'Today');
    await press(b, 'g', 'p');
    await until(async () => (await b.$$('[data-prospect]')).length > 5, 'the prospect table');
    // The first one on screen who is in a running sequence.
    const ids = await b.execute(() => [...document.querySelectorAll('[data-prospect]')].map((e) => Number(e.getAttribute('data-prospect'))));
    const who = { id: ids.find((id) => cli(ws, 'prospect', 'show', String(id)).enrollments.some((e) => e.state === 'active')) };
    assert.ok(who.id, 'a prospect in a running sequence on screen');
    await b.$(`[data-prospect="${who.id}"]`).click();
    await until(() => b.$('[data-testid=prospect-detail] [data-enrollment]').isExisting(), 'the panel with its enrollment');
    const enrollment = await b.$('[data-testid=prospect-detail] [data-enrollment]').getText();
    const shown = cli(ws, 'prospect', 'show', String(who.id)).enrollments.find((e) => e.state === 'active');
    assert.ok(enrollment.includes(shown.sequence_name), `the sequence by name: ${enrollment}`);
    assert.match(enrollment, new RegExp(`Step ${shown.step} of ${shown.steps}`));
    if (shown.step_label) assert.ok(enrollment.includes(`(${shown.step_label})`), enrollment);
    assert.match(enrollment, /next: /, 'the next touch');

    // Edit in place.
    await b.$('[data-testid=prospect-edit-toggle]').click();
    await field('title', 'Head of Revenue Operations');
    await until(() => cli(ws, 'prospect', 'show', String(who.id)).prospect.title === 'Head of Revenue Operations', 'the title saved');
    await field('tags', 'priority, q1');
    await until(() => cli(ws, 'prospect', 'show', String(who.id)).prospect.tags.join(',') === 'priority,q1', 'the tags saved');
    await field('linkedin', 'javascript:alert(1)');
    const refused = await until(async () => b.execute(() => document.querySelector('[data-testid=prospect-edit] [role=alert]')?.textContent ?? ''), 'the refusal beside the field');
    assert.match(refused, /not a LinkedIn profile address/);
    await shot(b, '99-prospect-edit');
    await b.$('[data-testid=prospect-edit-toggle]').click();

    // Pause, resume, remove.
    const state = () => cli(ws, 'prospect', 'show', String(who.id)).enrollments.find((e) => e.id === shown.id).state;
    await b.$(`[data-enrollment="${shown.id}"] [data-action=pause]`).click();
    await until(() => state() === 'paused', 'paused');
    await until(() => b.$(`[data-enrollment="${shown.id}"] [data-action=resume]`).isExisting(), 'Resume offered');
    await b.$(`[data-enrollment="${shown.id}"] [data-action=resume]`).click();
    await until(() => state() === 'active', 'resumed');
    await until(() => b.$(`[data-enrollment="${shown.id}"] [data-action=remove]`).isExisting(), 'Remove offered');
    await b.$(`[data-enrollment="${shown.id}"] [data-action=remove]`).click();
    await until(() => state() === 'exited', 'removed');

    // Another sequence.
    await until(async () => b.$('[data-testid=enroll-one]').isEnabled(), 'Enroll offered');
    await b.$('[data-testid=enroll-sequence]').selectByAttribute('value', 're-engagement');
    await b.$('[data-testid=enroll-one]').click();
    await until(() => cli(ws, 'prospect', 'show', String(who.id)).enrollments.some((e) => e.state === 'active' && e.sequence === 're-engagement'), 'enrolled in re-engagement');

    // Do not contact: asked twice.
    await b.$('[data-testid=dnc-address]').click();
    assert.match(await b.$('[data-testid=dnc-address]').getText(), /Confirm: never/);
    assert.ok(cli(ws, 'prospect', 'show', String(who.id)).enrollments.some((e) => e.state === 'active'), 'nothing yet');
    await b.$('[data-testid=dnc-address]').click();
    await until(() => cli(ws, 'prospect', 'show', String(who.id)).enrollments.every((e) => e.state !== 'active'), 'every sequence ended');
    await shot(b, '100-prospect-panel');
  } finally {
    await app.stop();
  }
});
