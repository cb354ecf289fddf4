// Buying signals in the app: a proposal made by a rule waits in Signals and
// is accepted with one key (the first draft quotes the signal); a file
// dropped in the watched folder is read once, moved to done/ with a report,
// and its proposal dismissed with d; a signals file imported from the button
// shows its rejected rows; Results compares enrollments by source.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, launch, press, root, shot, until, workspace, writeCsv } from './harness.mjs';

test('signals: accept by key, the watched folder, an import with its report, results by source', { timeout: 150_000 }, async () => {
  const ws = workspace('signals');
  cli(
    ws,
    'import',
    writeCsv(
      ws,
      'p.csv',
      'email,first_name,last_name,company,title,city,country\nana@quarrygrid.example,Ana,Costa,Quarrygrid,VP Sales,Lisbon,Portugal\nbo@acmeline.example,Bo,Berg,Acmeline,Head of Sales,Stockholm,Sweden\n',
    ),
  );
  cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
  cli(ws, 'sequences', 'add', join(root, 'tests/e2e/fixtures/funding-congrats.toml'));
  cli(ws, 'signal', 'rule', 'funding', 'funding-congrats');
  cli(ws, 'signal', 'rule', 'hiring', 'funding-congrats');
  const added = cli(ws, 'signal', 'add', '--kind', 'funding', '--domain', 'quarrygrid.example', '--text', 'Raised a €20M Series B led by Northzone', '--when', '2026-11-20', '--source', 'TechCrunch');
  assert.equal(added.proposed, 1);
  const folder = join(ws.dir, 'signals');
  mkdirSync(folder);
  ws.env.CADENCE_SIGNALS_FOLDER = folder;
  const dropped = join(ws.dir, 'picked.jsonl');
  writeFileSync(dropped, '{"kind":"website_visit","domain":"acmeline.example","text":"Read the pricing page"}\n{"kind":"promotion","email":"x@y.example","text":"?"}\n');
  ws.env.CADENCE_SIGNALS_FILE = dropped;

  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(() => b.$('[data-testid=nav-proposals]').isExisting(), 'the Signals badge');
    assert.equal(await b.$('[data-testid=nav-proposals]').getText(), '1');
    await press(b, 'g', 'n');
    await until(() => b.$('[data-proposal]').isExisting(), 'the proposal listed');
    const quoted = await b.$('[data-testid=signal-text]').getText();
    assert.equal(quoted, 'Raised a €20M Series B led by Northzone');
    const row = await b.execute(() => document.querySelector('[data-proposal]').textContent);
    assert.match(row, /Ana Costa/);
    assert.match(row, /Funding congrats/);
    await shot(b, '140-signals');

    // a accepts the selected proposal: Ana is enrolled, her first draft quotes it.
    await press(b, 'a');
    await until(() => b.$('[data-testid=no-proposals]').isExisting(), 'the list empty after accepting');
    const item = await until(() => cli(ws, 'queue').items.find((i) => i.email === 'ana@quarrygrid.example'), "Ana's first email in the queue");
    const draft = cli(ws, 'touch', String(item.touch_id));
    assert.match(draft.text, /Saw this on 20 November: "Raised a €20M Series B led by Northzone"/);
    assert.equal(draft.subject, 'Quarrygrid and the funding news');
    assert.equal(draft.blocked, false);

    // The watched folder: chosen in the app, a file dropped there is read once.
    await b.$('[data-action=choose-folder]').click();
    await until(async () => (await b.$('[data-testid=signals-folder]').getText()) === folder, 'the folder shown');
    const file = join(folder, 'hiring.csv');
    writeFileSync(file, 'kind,email,text,when\nhiring,bo@acmeline.example,Hiring four SDRs in Stockholm,2026-11-23\nhiring,,Nobody named,2026-11-23\n');
    const past = new Date(Date.now() - 5000);
    utimesSync(file, past, past);
    await until(() => b.execute(() => [...document.querySelectorAll('[data-proposal]')].some((e) => e.textContent.includes('Bo Berg'))), "Bo's proposal from the dropped file", 20_000);
    assert.ok(!existsSync(file), 'the file left the folder');
    const report = readFileSync(join(folder, 'done', 'hiring.csv.report.txt'), 'utf8');
    assert.match(report, /1 proposed/);
    assert.match(report, /line 3: rejected: no one named/);
    const toasts = await b.execute(() => document.body.textContent);
    assert.match(toasts, /Signals from hiring\.csv: 1 proposed · 1 rejected/);

    // d dismisses Bo's: nobody enrolled.
    await press(b, 'd');
    await until(() => b.$('[data-testid=no-proposals]').isExisting(), 'dismissed');
    assert.equal(cli(ws, 'prospect', 'show', 'bo@acmeline.example').enrollments.length, 0);

    // A file from the import button: its rejected row is shown with its line.
    await b.$('[data-action=import-signals]').click();
    await until(() => b.$('[data-testid=signals-report]').isExisting(), 'the import report');
    const rep = await b.execute(() => document.querySelector('[data-testid=signals-report]').textContent);
    assert.match(rep, /picked\.jsonl: 1 kept \(no rule or no one to propose\) · 1 rejected/);
    assert.match(rep, /line 2 .*rejected: kind "promotion" is not one of/);
    await shot(b, '141-signals-report');

    // Results: enrollments by source.
    await press(b, 'g', 'r');
    await until(() => b.$('[data-testid=by-source] [data-source=funding]').isExisting(), 'the funding row in Results');
    const funding = await b.execute(() => [...document.querySelectorAll('[data-testid=by-source] [data-source=funding] td')].map((td) => td.textContent.trim()));
    assert.deepEqual(funding.slice(0, 2), ['funding signal', '1']);
    await b.execute(() => document.querySelector('[data-testid=by-source]').scrollIntoView());
    await shot(b, '142-results-by-source');
  } finally {
    await app.stop();
  }
  assert.deepEqual(readdirSync(join(folder, 'done')).sort(), ['hiring.csv', 'hiring.csv.report.txt']);
});
