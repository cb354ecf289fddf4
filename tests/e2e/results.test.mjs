// Results on the sample workspace: the figures the screen shows are the ones
// `cadence stats --json` computes from the same database (headline and per
// step), the charts draw under the strict CSP, exports land as CSV files, a
// wrong advice threshold is explained in words, and a reply tagged in Replies
// moves the figures. Screenshots: results (light), the A/B test, Replies with
// a tag, Today's header line.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, launch, press, shot, type, until, workspace } from './harness.mjs';

const SLUG = 'cold-outbound-21d';

/** A rate as the screen writes it: 0.034 → "3.4%", null → "–". */
const pct = (r) => (r === null || r === undefined ? '–' : `${(r * 100).toFixed(1)}%`);
/** A count as the screen writes it: 1204 → "1,204". */
const num = (n) => n.toLocaleString('en-US');

/** The text of every element with a data-testid under `scope`, by testid. */
function shown(b, scope) {
  return b.execute(
    (sel) => Object.fromEntries([...document.querySelector(sel).querySelectorAll('[data-testid]')].map((e) => [e.getAttribute('data-testid'), e.textContent.trim()])),
    scope,
  );
}

test('results match the CLI, charts draw under the CSP, exports, thresholds and reply tags', { timeout: 300_000 }, async () => {
  const ws = workspace('results');
  ws.env.CADENCE_EXPORT_DIR = join(ws.dir, 'exports');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(ws.env.CADENCE_EXPORT_DIR);
  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(() => b.$('[data-testid=first-run]').isExisting(), 'the first-run screen');
    // Anything the page refuses (CSP) or throws is collected from here on.
    await b.execute(() => {
      window.__problems = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__problems.push(`CSP ${e.violatedDirective}: ${e.blockedURI}`));
      window.addEventListener('error', (e) => window.__problems.push(`error: ${e.message}`));
      window.addEventListener('unhandledrejection', (e) => window.__problems.push(`rejection: ${e.reason}`));
    });
    await press(b, 'l');
    await until(async () => (await b.$$('[role=option][data-touch]')).length > 0, "today's queue");

    // Today's header line: the rep's own day.
    const day = await until(async () => {
      const t = await b.$('[data-testid=today-stats]').getText();
      return /^\d+ done · \d+ left · \d+ sent · \d+ repl(y|ies)$/.test(t) && t;
    }, "the rep's day in Today's header");
    const left = Number(/(\d+) left/.exec(day)[1]);
    assert.equal(left, cli(ws, 'queue').total, 'touches left today is the queue');
    await shot(b, '40-today-day');

    // Results, all time, the cold playbook picked with j.
    await press(b, 'g', 'r');
    await until(() => b.$('[data-testid=headline]').isExisting(), 'the Results screen');
    await press(b, '4');
    await until(async () => (await b.$('[data-period=all]').getAttribute('aria-checked')) === 'true', 'all time picked');
    const order = await b.execute(() => [...document.querySelectorAll('[data-slug]')].map((e) => e.getAttribute('data-slug')));
    assert.ok(order.includes(SLUG), `the sequence list has ${SLUG}: ${order}`);
    const selected = await b.execute(() => document.querySelector('[data-slug][aria-selected=true]').getAttribute('data-slug'));
    const steps = order.indexOf(SLUG) - order.indexOf(selected);
    for (let i = 0; i < Math.abs(steps); i++) await press(b, steps > 0 ? 'j' : 'k');

    const stats = cli(ws, 'stats', '--sequence', SLUG);
    assert.equal(stats.slug, SLUG);
    assert.equal(stats.from, null, 'the CLI read all time');
    const f = stats.figures;
    assert.ok(f.emails_sent > 0 && f.replies > 0, `the sample has sends and replies: ${JSON.stringify(f)}`);
    await until(async () => (await b.$('[data-testid=results-name]').getText()) === stats.name && (await b.$('.detail[aria-busy=false]').isExisting()), `${stats.name} on screen`);

    // Headline figures.
    const head = await shown(b, '[data-testid=headline]');
    const expected = {
      'fig-enrolled': num(f.enrolled),
      'fig-emails_sent': num(f.emails_sent),
      'fig-replies': num(f.replies),
      'fig-reply_rate': pct(f.reply_rate),
      'fig-reply_rate_enrolled': pct(f.reply_rate_enrolled),
      'fig-positive_replies': num(f.positive_replies),
      'fig-positive_rate': pct(f.positive_rate),
      'fig-positive_rate_enrolled': pct(f.positive_rate_enrolled),
      'fig-meetings': num(f.meetings),
      'fig-meeting_rate': pct(f.meeting_rate),
      'fig-meeting_rate_enrolled': pct(f.meeting_rate_enrolled),
      'fig-bounces_hard': num(f.bounces_hard),
      'fig-bounces_soft': num(f.bounces_soft),
      'fig-unsubscribes': num(f.unsubscribes),
      'fig-calls': num(f.calls),
      'fig-calls_connected': num(f.calls_connected),
      'fig-connect_rate': pct(f.connect_rate),
    };
    for (const [id, want] of Object.entries(expected)) assert.equal(head[id], want, id);
    assert.equal(head['opens-note'], stats.opens);

    // Per step, for the version shown (the latest with data).
    const worked = (f) => f.emails_sent + f.calls + f.linkedin + f.tasks + f.replies + f.skipped > 0;
    const version = [...stats.versions].reverse().find((v) => worked(v.figures));
    const table = await shown(b, '[data-testid=step-table]');
    for (const s of version.steps) {
      assert.equal(table[`step-${s.step}-replies`], num(s.figures.replies), `step ${s.step} replies`);
      if (s.channel === 'email') {
        assert.equal(table[`step-${s.step}-emails_sent`], num(s.figures.emails_sent), `step ${s.step} emails sent`);
        assert.equal(table[`step-${s.step}-reply_rate`], pct(s.figures.reply_rate), `step ${s.step} reply rate`);
      }
      if (s.channel === 'call') assert.equal(table[`step-${s.step}-calls`], num(s.figures.calls), `step ${s.step} calls`);
    }
    assert.ok(version.steps.some((s) => s.channel === 'email' && s.figures.emails_sent > 0), 'an email step with sends');

    // The A/B test's verdict, in the engine's words.
    const ab = version.steps.find((s) => s.ab);
    assert.ok(ab, 'the cold playbook tests two opening subjects');
    assert.equal(await b.$(`[data-testid=ab-summary-${ab.step}]`).getText(), ab.ab.summary);

    // Both charts drew something, and nothing was refused or thrown.
    const painted = await b.execute(() =>
      [...document.querySelectorAll('[data-testid^=chart-] canvas')].map((c) => {
        const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let ink = 0;
        for (let i = 3; i < px.length; i += 4) if (px[i] > 0) ink++;
        return ink;
      }),
    );
    assert.equal(painted.length, 2, 'two charts');
    assert.ok(painted.every((n) => n > 500), `the charts have ink: ${painted}`);
    assert.deepEqual(await b.execute(() => window.__problems), []);
    await shot(b, '41-results');
    await b.execute((step) => document.querySelector(`[data-testid=ab-step-${step}]`).scrollIntoView({ block: 'center' }), ab.step);
    await shot(b, '42-results-ab');

    // Exports: where they went, with a header and rows.
    const exported = () => b.execute(() => {
      const e = document.querySelector('[data-testid=export-result]');
      return { what: e.getAttribute('data-what'), text: e.textContent.replace(/\s+/g, ' ').trim(), path: e.getAttribute('data-path') };
    });
    await press(b, 'e');
    const saved = await until(async () => {
      const e = await exported();
      return e.what === 'figures' && e;
    }, 'the figures export');
    const figuresFile = join(ws.env.CADENCE_EXPORT_DIR, `cadence-${SLUG}-results.csv`);
    assert.equal(saved.path, figuresFile);
    assert.match(saved.text, new RegExp(`^Last export Figures, \\d+ rows: cadence-${SLUG}-results\\.csv in ${ws.env.CADENCE_EXPORT_DIR}/`), saved.text);
    const figures = readFileSync(figuresFile, 'utf8').trim().split(/\r?\n/);
    assert.match(figures[0], /step/i, `a header: ${figures[0]}`);
    assert.ok(figures.length > version.steps.length, `a row per step at least: ${figures.length} lines`);
    await press(b, 'a');
    await until(async () => (await exported()).what === 'activity', 'the activity export');
    await shot(b, '43-results-exported');
    const activity = readFileSync(join(ws.env.CADENCE_EXPORT_DIR, `cadence-${SLUG}-activity.csv`), 'utf8').trim().split(/\r?\n/);
    assert.ok(activity.length > f.emails_sent, `the activity has a header and every send: ${activity.length} lines`);
    assert.ok(activity[0].split(',').length > 3, `a header: ${activity[0]}`);
    assert.ok(!readdirSync(ws.env.CADENCE_EXPORT_DIR).some((n) => n.endsWith('.part')), 'no half-written file left');

    // Advice thresholds: a wrong value is explained; a right one is saved.
    await press(b, 't');
    await until(() => b.$('[data-testid=threshold-floor]').isFocused(), 'the reply floor field');
    await type(b, 'lots');
    await press(b, 'Enter');
    const error = await until(() => b.$('[data-error=reply_floor_pct]').isExisting() && b.$('[data-error=reply_floor_pct]').getText(), 'the error in words');
    assert.match(error, /percentage/);
    assert.equal(cli(ws, 'stats-settings').reply_floor_pct, 3, 'nothing saved');
    await press(b, ['Control', 'a']);
    await type(b, '5');
    await press(b, 'Enter');
    await until(() => cli(ws, 'stats-settings').reply_floor_pct === 5, 'the new floor saved');
    assert.equal(await b.$('[data-error=reply_floor_pct]').isExisting(), false);
    await press(b, 'Escape');

    // Replies: tag an untagged reply positive; its pill shows and the engine has it.
    await press(b, 'g', 'i');
    await until(async () => (await b.$$('[data-inbound]')).length > 0, 'the Replies list');
    const inbox = cli(ws, 'mailbox', 'inbox');
    const untagged = inbox.findIndex((m) => m.kind === 'reply' && !m.sentiment);
    assert.ok(untagged >= 0, 'the sample has an untagged reply');
    for (let i = 0; i < untagged; i++) await press(b, 'j');
    const id = inbox[untagged].id;
    await until(async () => (await b.$(`[data-inbound="${id}"]`).getAttribute('aria-selected')) === 'true', 'the untagged reply selected');
    await press(b, '1');
    await until(async () => (await b.$(`[data-inbound="${id}"] [data-testid=reply-tag]`).isExisting()) && (await b.$(`[data-inbound="${id}"] [data-testid=reply-tag]`).getText()) === 'Positive', 'the Positive pill');
    await until(() => cli(ws, 'mailbox', 'inbox').find((m) => m.id === id).sentiment === 'positive', 'the tag saved');
    await shot(b, '44-replies-tagged');

    // Results read the change: the headline still matches the CLI.
    await press(b, 'g', 'r');
    const after = cli(ws, 'stats', '--sequence', SLUG).figures;
    await until(async () => (await b.$('[data-testid=fig-positive_replies]').getText()) === num(after.positive_replies) && (await b.$('[data-testid=results-name]').getText()) === stats.name, 'Results after the tag');
    assert.equal(await b.$('[data-period=all]').getAttribute('aria-checked'), 'true', 'the period is kept');
    assert.deepEqual(await b.execute(() => window.__problems), []);
  } finally {
    await app.stop();
  }
});
