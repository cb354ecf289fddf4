// A new rep imports a CSV through the wizard, enrolls it, works the queue by
// keyboard alone, and finds everything as it was after a restart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, launch, press, queueRows, selectTouch, shot, type, until, workspace, writeCsv } from './harness.mjs';

const XSS = '<img src=x onerror=alert(1)>';

const CSV = `First Name,Last Name,Email,Company,Title,City,Country,Time Zone,Phone,LinkedIn URL
Dana,Brooks,dana@lumenfield.example,Lumenfield,VP Sales,Boston,United States,America/New_York,+1 617 555 0101,https://www.linkedin.com/in/dana-brooks
Priya,Raman,priya@tarangam.example,Tarangam,Head of RevOps,Chicago,United States,America/Chicago,+1 312 555 0102,https://www.linkedin.com/in/priya-raman
Sam,O'Neill,sam@harbor.example,Harbor Labs,CRO,New York,United States,America/New_York,+1 212 555 0103,
Noor,Haddad,noor@nocompany.example,,Director of Sales,New York,United States,America/New_York,,
${XSS},Test,xss@evil.example,Evil Corp,Tester,New York,United States,America/New_York,,
Broken,Row,not-an-email,Nowhere,,,,,,
`;

const article = (b) => b.execute(() => document.querySelector('article[data-touch]')?.textContent ?? '');
const touchOnScreen = (b) => b.execute(() => Number(document.querySelector('article[data-touch]')?.getAttribute('data-touch')));

test('import, enroll, work the queue by keyboard, restart', { timeout: 240_000 }, async () => {
  const ws = workspace('import');
  const csv = writeCsv(ws, 'leads.csv', CSV);
  let app = await launch(ws);
  let b = app.browser;
  try {
    // First run: nothing yet, so the app offers import or a sample.
    await until(() => b.$('[data-testid=first-run]').isExisting(), 'the first-run screen');
    await shot(b, '01-first-run');
    await press(b, 'i');
    // The shell picks the file (its dialog, here CADENCE_IMPORT_FILE); the
    // window only ever holds a token for it.
    await until(() => b.$('[data-testid=import-choose]').isFocused(), 'the choose button focused');
    await press(b, 'Enter');
    const counts = await until(async () => (await b.$('[data-testid=import-counts]').isExisting()) && b.$('[data-testid=import-counts]').getText(), 'the mapping preview');
    assert.match(counts, /5 rows ready/);
    assert.match(counts, /1 will be rejected/);
    assert.match(await b.$('[data-testid=import-wizard]').getText(), /leads\.csv · [\d.]+ (B|KB)/, 'the chosen file, by name and size');
    assert.ok(!(await b.execute(() => document.body.innerHTML)).includes(csv), 'the path never reaches the window');
    await shot(b, '02-import-mapping');
    await b.$('[data-testid=import-run]').click();
    const report = await until(async () => (await b.$('[data-testid=import-report]').isExisting()) && b.execute(() => document.querySelector('[data-testid=import-report]').textContent), 'the import report');
    await shot(b, '03-import-report');
    assert.match(report, /5 imported/);
    assert.match(report, /not-an-email/);
    await b.$('[data-testid=import-sequence]').selectByAttribute('value', 'cold-outbound-21d');
    await b.$('[data-testid=import-enroll]').click();

    // Today: the five openers. From here on, keys only.
    await until(async () => (await queueRows(b)).length === 5, 'five emails in the queue');
    const prospects = cli(ws, 'prospects');
    const idOf = (email) => prospects.find((p) => p.email === email).id;
    const queue = cli(ws, 'queue');
    const touchOf = (email) => queue.items.find((i) => i.prospect_id === idOf(email)).touch_id;
    await shot(b, '04-today');

    // The XSS name is text, and nothing ran.
    const rows = await queueRows(b);
    assert.ok(rows.some((r) => r.text.includes(XSS)), 'the name is shown literally');
    await selectTouch(b, touchOf('xss@evil.example'));
    assert.equal(await b.execute(() => document.querySelectorAll('img').length), 0);
    assert.ok((await article(b)).includes(XSS));
    await assert.rejects(b.getAlertText(), 'no alert was opened');

    // A new rep's drafts are blocked until the sender is named; Noor's also
    // lacks a company. Both are said, marked in the text, and block approval.
    const noor = touchOf('noor@nocompany.example');
    await selectTouch(b, noor);
    const blocked = await until(async () => (await b.$('[data-testid=blocked]').isExisting()) && b.$('[data-testid=blocked]').getText(), 'the blocked banner');
    assert.match(blocked, /needs company for noor@nocompany\.example/);
    assert.match(blocked, /Your sender name is not set/);
    assert.ok((await b.$$('[data-testid=body] mark')).length >= 1, 'the blanks are marked in the draft');
    assert.equal(await b.$('[data-action=approve]').isEnabled(), false);
    await shot(b, '05-blocked-draft');
    await press(b, ['Control', 'Enter']);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(cli(ws, 'touch', String(noor)).state, 'pending', 'a blocked draft is never approved');
    // Fill the sender name from the banner; it goes to the rep's settings.
    await b.$('#fill-sender_name').click();
    await type(b, 'Alex Rivera');
    await press(b, 'Enter');
    await until(() => cli(ws, 'settings', 'show').sender_name === 'Alex Rivera', 'the sender name saved');
    const stillBlocked = await until(async () => {
      const t = await b.$('[data-testid=blocked]').getText();
      return !/sender name/.test(t) && t;
    }, 'the banner to drop the sender name');
    assert.match(stillBlocked, /company/);

    // Edit and approve Dana's opener.
    const dana = touchOf('dana@lumenfield.example');
    await selectTouch(b, dana);
    await press(b, 'e');
    await until(() => b.$('[data-testid=body-input]').isExisting(), 'the editor');
    // The subject has the cursor; Tab moves to the body.
    await until(() => b.$('[data-testid=subject-input]').isFocused(), 'the subject focused');
    await press(b, 'Tab');
    await press(b, ['Control', 'End']);
    await type(b, '\nPS: saw your post on pipeline reviews.');
    await press(b, 'Escape');
    await shot(b, '06-email-edited');
    await press(b, ['Control', 'Enter']);
    await until(async () => cli(ws, 'touch', String(dana)).state === 'approved', 'Dana approved');
    const approved = cli(ws, 'touch', String(dana));
    assert.match(approved.text, /^Hi Dana,/);
    assert.match(approved.text, /Alex Rivera/);
    assert.match(approved.text, /PS: saw your post on pipeline reviews\.$/);
    assert.equal(approved.subject, 'Lumenfield and fewer dropped hand-offs');
    assert.notEqual(await touchOnScreen(b), dana, 'the next touch is on screen');

    // Her profile view is next in her sequence; mark it done.
    const view = await until(async () => (await queueRows(b)).find((r) => r.channel === 'linkedin_view'), 'the LinkedIn step');
    await selectTouch(b, view.id);
    await shot(b, '07-linkedin');
    await press(b, ['Control', 'Enter']);
    await until(() => cli(ws, 'touch', String(view.id)).state === 'done', 'LinkedIn step done');

    // Skip Priya's (x, then why), snooze Sam's (s, then tomorrow).
    const priya = touchOf('priya@tarangam.example');
    await selectTouch(b, priya);
    await press(b, 'x');
    await until(() => b.$('[data-testid=menu-skip]').isExisting(), 'the skip menu');
    await press(b, '2');
    await until(() => cli(ws, 'touch', String(priya)).state === 'skipped', 'Priya skipped');
    const sam = touchOf('sam@harbor.example');
    await selectTouch(b, sam);
    await press(b, 's');
    await until(() => b.$('[data-testid=menu-snooze]').isExisting(), 'the snooze menu');
    await press(b, '2');
    await until(() => cli(ws, 'touch', String(sam)).due_at > '2026-11-25', 'Sam snoozed to tomorrow');

    // Noor's company, filled from the banner, unblocks her draft.
    await selectTouch(b, noor);
    await b.$('#fill-company').click();
    await type(b, 'Quillmark');
    await press(b, 'Enter');
    await until(async () => !(await b.$('[data-testid=blocked]').isExisting()), 'the draft unblocked');
    assert.match(await b.$('[data-testid=subject]').getText(), /Quillmark/);
    await press(b, ['Control', 'Enter']);
    await until(() => cli(ws, 'touch', String(noor)).state === 'approved', 'Noor approved');

    const before = (await queueRows(b)).map((r) => r.id);
    assert.ok(!before.includes(dana) && !before.includes(priya) && !before.includes(sam));
    await shot(b, '08-today-after');
  } finally {
    await app.stop();
  }

  // Restart: the same queue, the same outbox.
  app = await launch(ws);
  b = app.browser;
  try {
    const after = await until(async () => {
      const r = await queueRows(b);
      return r.length > 0 && r;
    }, 'the queue after restart');
    const q = cli(ws, 'queue');
    assert.deepEqual(after.map((r) => r.id).sort(), q.items.map((i) => i.touch_id).sort());
    await press(b, 'g', 'o');
    await until(async () => (await b.$$('.outbox [data-touch][data-state]')).length === 2, 'two emails in the outbox');
    assert.equal(cli(ws, 'outbox').length, 2);
    await shot(b, '09-outbox');
  } finally {
    await app.stop();
  }
});
