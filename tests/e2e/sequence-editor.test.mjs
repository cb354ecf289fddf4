// A sequence edited in the app: a built-in playbook duplicated, a typo named
// by line and field as it is typed, the linter's findings, each step
// previewed for a prospect, saved as the rep's own; edited again, saved as a
// new version while a running enrollment keeps its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, launch, press, shot, until, workspace } from './harness.mjs';

test('sequence editor: duplicate, live errors and findings, preview, save, new version', { timeout: 180_000 }, async () => {
  const ws = workspace('sequence-editor');
  cli(ws, 'demo', '--prospects', '40');
  cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
  const app = await launch(ws);
  const b = app.browser;
  const setSource = async (text) => {
    await b.execute((t) => {
      const el = document.querySelector('[data-testid=sequence-source]');
      el.value = t;
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, text);
  };
  const checked = () => b.execute(() => document.querySelector('[data-testid=sequence-check]')?.textContent ?? '');
  try {
    await until(() => b.$('[data-testid=count-all]').isExisting(), 'Today');
    await press(b, 'g', 's');
    await until(() => b.$('[data-testid=sequence-detail]').isExisting(), 'the Sequences screen');
    // The three-week cold playbook (the list opens on the first by name).
    await b.execute(() => [...document.querySelectorAll('button.item')].find((e) => e.textContent.includes('Cold outbound, three weeks')).click());
    await until(async () => (await b.execute(() => document.querySelector('[data-testid=sequence-detail] h1')?.textContent)) === 'Cold outbound, three weeks', 'the playbook open');
    await b.$('[data-testid=sequence-duplicate]').click();
    await until(async () => (await b.$('[data-testid=sequence-source]').getValue()).includes('[[steps]]'), 'the playbook text in the editor');
    const original = await b.$('[data-testid=sequence-source]').getValue();
    assert.equal(await b.$('[data-testid=sequence-slug]').getValue(), 'my-cold-outbound-21d');

    // A typo: named by line and field, and Save is off.
    await setSource(original.replace('channel = "email"', 'channel = "emial"'));
    const problem = await until(async () => /emial/.test(await checked()) && checked(), 'the typo named');
    assert.match(problem, /my-cold-outbound-21d\.toml:\d+/);
    assert.equal(await b.$('[data-testid=sequence-save]').isEnabled(), false);

    // A title lower-cased into the copy: the linter says so; the preview renders each step.
    const mine = original.replace('name = "Cold outbound, three weeks"', 'name = "My cold outbound"').replace('We help sales leaders close', 'We help {{ title | lower }} teams close');
    await setSource(mine);
    const findings = await until(async () => /changes the case of `title`/.test(await checked()) && checked(), 'the linter finding');
    assert.match(findings, /My cold outbound: 10 steps/);
    const steps = await until(async () => ((await b.$$('[data-testid=sequence-preview] [data-step]')).length === 10) && b.execute(() => [...document.querySelectorAll('[data-testid=sequence-preview] [data-step]')].map((s) => s.textContent)), 'the preview of every step');
    assert.match(steps[0], /Hi /, 'the first email, rendered for the prospect');
    assert.doesNotMatch(steps[0], /\{\{/, 'no template left in the preview');
    await shot(b, '101-sequence-editor');
    await b.$('[data-testid=sequence-save]').click();
    await until(() => cli(ws, 'sequences', 'list').some((s) => s.slug === 'my-cold-outbound-21d' && s.version === 1), 'saved as the rep’s own');

    // Enroll someone, then edit again: a new version, theirs unchanged.
    const p = cli(ws, 'prospects').find((x) => cli(ws, 'prospect', 'show', String(x.id)).enrollments.every((e) => e.state !== 'active'));
    cli(ws, 'enroll', 'my-cold-outbound-21d', '--prospect', String(p.id));
    await until(() => b.$('[data-testid=sequence-edit]').isExisting(), 'Edit offered for the rep’s own');
    await b.$('[data-testid=sequence-edit]').click();
    await until(async () => (await b.$('[data-testid=sequence-source]').getValue()).includes('My cold outbound'), 'its text');
    await setSource(mine.replace('{{ title | lower }} teams', 'sales teams'));
    await until(async () => /nothing to say|The linter says/.test(await checked()), 'checked');
    await b.$('[data-testid=sequence-save]').click();
    await until(() => cli(ws, 'sequences', 'list').some((s) => s.slug === 'my-cold-outbound-21d' && s.version === 2), 'version 2');
    const enrolled = cli(ws, 'prospect', 'show', String(p.id)).enrollments.find((e) => e.sequence === 'my-cold-outbound-21d');
    assert.equal(enrolled.state, 'active');
    assert.equal(cli(ws, 'sequences', 'show', 'my-cold-outbound-21d').version, 2);
  } finally {
    await app.stop();
  }
});
