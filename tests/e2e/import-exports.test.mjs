// Imports as real exports come, through the wizard: a German Excel export
// (semicolons, Windows-1252, Excel's text apostrophes) is read with the
// right separator, which the rep can change and change back; the import is
// confirmed by keyboard; the report shows every rejected row's reason in
// full and lists who has no time zone. Enrolled from the report, the drafts
// read like a person wrote them: paragraphs flow, and a company ending in s
// takes only an apostrophe. Dark theme, 1024x700.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, launch, press, shot, until, workspace } from './harness.mjs';

const LONG = 'x'.repeat(180);

test('import: a German semicolon export, the separator shown and changeable, confirmed by keyboard, a report read in full', { timeout: 180_000 }, async () => {
  const ws = workspace('import-exports');
  ws.env.GTK_THEME = 'Adwaita:dark';
  // Windows-1252: ü is 0xFC, ß is 0xDF.
  const rows = [
    'Vorname;Nachname;E-Mail;Firma;Position;Telefon;Ort;Land',
    "J\u00fcrgen;Gro\u00df;juergen.gross@beispiel.de;Beispiel GmbH;Leiter Vertrieb;'+49 30 1234567;Berlin;Deutschland",
    'Anna;Schmidt;anna@muster.de;"Muster; Partner";CEO;;M\u00fcnchen;Deutschland',
    `Kai;Lang;kai-at-nowhere-${LONG};Lang AG;CTO;;;`,
    'Ole;Berg;ole@berg.example;Berg Logistics;COO;;;',
  ];
  const bytes = Buffer.from(`${rows.join('\r\n')}\r\n`, 'latin1');
  const file = join(ws.dir, 'Kontakte.csv');
  writeFileSync(file, bytes);
  ws.env.CADENCE_IMPORT_FILE = file;
  const app = await launch(ws);
  const b = app.browser;
  try {
    await b.setWindowSize(1024, 700);
    await until(() => b.$('[data-testid=first-run]').isExisting(), 'the first-run screen');
    await press(b, 'i');
    await until(() => b.$('[data-testid=import-choose]').isFocused(), 'the choose button focused');
    await press(b, 'Enter');
    const counts = await until(async () => (await b.$('[data-testid=import-counts]').isExisting()) && b.$('[data-testid=import-counts]').getText(), 'the mapping preview');
    assert.match(counts, /3 rows ready/);
    assert.match(counts, /1 will be rejected/);
    const separator = b.$('[data-testid=import-separator]');
    assert.equal(await separator.getValue(), 'semicolon', 'read from the header line');
    assert.match(await b.$('[data-testid=import-wizard]').getText(), /Windows-1252/);
    await shot(b, '80-import-semicolons');

    // Read with commas, the file is one column: the wizard says so.
    await separator.selectByAttribute('value', 'comma');
    const problem = await until(async () => (await b.$('[data-testid=import-problem]').isExisting()) && b.$('[data-testid=import-problem]').getText(), 'the problem with commas');
    assert.match(problem, /separated by commas/);
    assert.match(problem, /another separator/);
    assert.doesNotMatch(problem, /--map/, 'no command-line words in the app');
    await b.$('[data-testid=import-separator]').selectByAttribute('value', 'semicolon');
    await until(async () => (await b.$('[data-testid=import-counts]').isExisting()) && /3 rows ready/.test(await b.$('[data-testid=import-counts]').getText()), 'back to semicolons');

    // Confirmed by keyboard: Ctrl+Enter from the mapping step.
    await b.execute(() => document.querySelector('[data-testid=import-separator]').focus());
    await press(b, ['Control', 'Enter']);
    const report = await until(async () => (await b.$('[data-testid=import-report]').isExisting()) && b.$('[data-testid=import-report]'), 'the import report');
    const text = await report.getText();
    assert.match(text, /3 imported/);
    // The rejected row's reason is there in full, not cut off.
    const cell = await b.execute(() => {
      const td = [...document.querySelectorAll('[data-testid=import-report] tr.danger-row td')].at(-1);
      return { text: td.textContent, cut: td.scrollWidth > td.clientWidth + 1 };
    });
    assert.match(cell.text, new RegExp(`kai-at-nowhere-${LONG}`));
    assert.equal(cell.cut, false, 'the reason wraps instead of being cut');
    // Ole has no place and no phone: listed as without a time zone.
    const noTz = await b.execute(() => [...document.querySelectorAll('[data-testid=import-no-timezone]')].map((r) => r.textContent));
    assert.equal(noTz.length, 1);
    assert.match(noTz[0], /ole@berg\.example/);
    await shot(b, '81-import-report');

    // Enroll them from the report, in the short cold playbook.
    cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
    await b.$('[data-testid=import-sequence]').selectByAttribute('value', 'cold-short-14d');
    await b.$('[data-testid=import-enroll]').click();
    const ole = cli(ws, 'queue').items.find((i) => i.email === 'ole@berg.example' && i.channel === 'email');
    assert.ok(ole, "Ole's first email is due");
    await until(() => b.$(`[role=option][data-touch="${ole.touch_id}"]`).isExisting(), "Ole's email in Today");
    await b.$(`[role=option][data-touch="${ole.touch_id}"]`).click();
    const subject = await until(async () => (await b.$('[data-testid=subject]').isExisting()) && b.$('[data-testid=subject]').getText(), 'the draft');
    assert.match(subject, /Berg Logistics' pipeline reviews/);
    const body = await b.execute(() => document.querySelector('[data-testid=body]').textContent);
    const paragraphs = body.split('\n\n').filter((p) => p.trim());
    assert.ok(paragraphs.length >= 4, body);
    // Every paragraph of the pitch is one line (the window wraps it); only the signature and opt-out are short lines.
    for (const p of paragraphs.slice(1, -2)) assert.ok(!p.includes('\n'), `a paragraph with a hard break: ${JSON.stringify(p)}`);
    await shot(b, '82-draft-flows');
  } finally {
    await app.stop();
  }
  const j = cli(ws, 'prospect', 'show', 'juergen.gross@beispiel.de').prospect;
  assert.deepEqual([j.first_name, j.last_name, j.phone, j.timezone], ['J\u00fcrgen', 'Gro\u00df', '+49 30 1234567', 'Europe/Berlin']);
  assert.equal(cli(ws, 'prospect', 'show', 'anna@muster.de').prospect.company, 'Muster; Partner');
});
