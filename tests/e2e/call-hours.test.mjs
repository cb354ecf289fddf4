// Calls in the prospect's hours, as a rep in New York meets them at 10:00:
// Berlin (16:00 there) can be called now and comes first; San Francisco
// (07:00 there) is marked as outside their hours with when they open, in
// both zones; snoozed to tomorrow morning, the call lands in their hours.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, launch, press, shot, until, workspace, writeCsv } from './harness.mjs';

const SEQ = `name = "Calls first"
kind = "post_demo"
[settings]
working_days = ["mon", "tue", "wed", "thu", "fri"]
call_hours = "09:00-17:00"
[[steps]]
channel = "call"
delay = 0
script = "Say hello."
[[steps]]
channel = "task"
delay = 2
instructions = "Send the deck."
`;

test("calls: ordered by who can be reached, the others marked with their hours, snoozed into them", { timeout: 120_000 }, async () => {
  const ws = workspace('call-hours');
  const csv = writeCsv(
    ws,
    'p.csv',
    'email,first_name,last_name,company,city,country,phone\nsam@bayline.example,Sam,Ortiz,Bayline,San Francisco,United States,+1 415 555 0100\njonas@kranich.example,Jonas,Muller,Kranich,Berlin,Germany,+49 30 1234567\n',
  );
  cli(ws, 'import', csv);
  cli(ws, 'settings', 'set', 'timezone', 'America/New_York');
  cli(ws, 'sequences', 'add', writeCsv(ws, 'calls-first.toml', SEQ));
  cli(ws, 'enroll', 'calls-first', '--all');
  const calls = cli(ws, 'queue').items.filter((i) => i.channel === 'call');
  assert.equal(calls.length, 2);
  const sam = calls.find((c) => c.email.startsWith('sam')).touch_id;
  const jonas = calls.find((c) => c.email.startsWith('jonas')).touch_id;

  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(async () => (await b.$$('[role=option][data-channel=call]')).length === 2, 'two calls in Today');
    const order = await b.execute(() => [...document.querySelectorAll('[role=option][data-channel=call]')].map((r) => r.getAttribute('data-touch')));
    assert.deepEqual(order, [String(jonas), String(sam)], 'Berlin (reachable now) before San Francisco');
    const samRow = await b.$(`[role=option][data-touch="${sam}"] .when`).getText();
    assert.equal(samRow, 'from 09:00 theirs');
    await b.$(`[role=option][data-touch="${sam}"]`).click();
    const away = await until(async () => (await b.$('[data-testid=call-outside-hours]').isExisting()) && b.$('[data-testid=call-outside-hours]').getText(), 'the outside-hours note');
    assert.match(away, /Outside their calling hours now\. They can be reached from 09:00 their time \(12:00 yours\)/);
    await shot(b, '90-call-outside-hours');
    await b.$(`[role=option][data-touch="${jonas}"]`).click();
    await until(() => b.$('[data-testid=call-in-hours]').isExisting(), 'Jonas in his hours');
    assert.match(await b.$('[data-testid=call-in-hours]').getText(), /until 17:00 their time/);

    // Snooze San Francisco to tomorrow morning: s, then 2.
    await b.$(`[role=option][data-touch="${sam}"]`).click();
    await until(() => b.$('[data-testid=call-outside-hours]').isExisting(), "Sam's call on screen");
    await press(b, 's');
    await press(b, '2');
    await until(() => cli(ws, 'touch', String(sam)).due_at !== calls.find((c) => c.touch_id === sam).due_at, 'the call snoozed');
  } finally {
    await app.stop();
  }
  const due = new Date(cli(ws, 'touch', String(sam)).due_at);
  const sf = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/Los_Angeles', hour: '2-digit', minute: '2-digit', hour12: false }).format(due);
  assert.ok(sf >= '09:00' && sf < '17:00', `in San Francisco's hours, not the rep's 09:00 (${sf} there)`);
});
