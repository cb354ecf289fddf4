// Desktop benchmarks for BENCHMARKS.md (not a test): release build, under
// Xvfb, on a database of 100k prospects with 100k active enrollments.
//   launch: process start to the Today queue painted (the UI's own trace);
//   memory: summed PSS of the app and its WebKit processes after settling,
//           against a bare Tauri window with an empty page, same run;
//   approve-and-next: key press to the next touch painted.
// Run: scripts/bench-desktop [--runs 15] [--prospects 100000] [--memory-only]
import { spawn, execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { NOW, launch, press, queueRows, root, until, workspace } from './harness.mjs';

const arg = (name, dflt) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const RUNS = arg('--runs', 15);
const PROSPECTS = arg('--prospects', 100_000);
const MEMORY_ONLY = process.argv.includes('--memory-only');
// --keep DIR: generate the sample once into DIR and reuse it on later runs.
const KEEP = process.argv.includes('--keep') ? process.argv[process.argv.indexOf('--keep') + 1] : null;
// --app-env K=V: set for Cadence only (to try a setting against the same baseline).
const APP_ENV = Object.fromEntries(process.argv.flatMap((a, i) => (a === '--app-env' ? [process.argv[i + 1].split('=')] : [])));
const release = resolve(process.env.CARGO_TARGET_DIR ?? resolve(root, 'target'), 'release');
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function children(pid) {
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(d));
    } catch {}
  }
  return out;
}

/** Summed PSS (MiB) of `pid` and everything it started, and each process's. */
function pss(pid) {
  let kb = 0;
  const todo = [pid];
  const names = [];
  const each = {};
  while (todo.length) {
    const p = todo.pop();
    try {
      const m = /Pss:\s+(\d+)/.exec(readFileSync(`/proc/${p}/smaps_rollup`, 'utf8'));
      kb += Number(m[1]);
      const name = readFileSync(`/proc/${p}/comm`, 'utf8').trim();
      names.push(name);
      each[name] = (each[name] ?? 0) + Number(m[1]) / 1024;
    } catch {}
    todo.push(...children(p));
  }
  return { mib: kb / 1024, names, each };
}

/** Median of each process's PSS over the runs, as "name 12.3". */
function breakdown(runs) {
  const names = [...new Set(runs.flatMap((r) => Object.keys(r)))];
  return names.map((n) => `${n} ${median(runs.map((r) => r[n] ?? 0)).toFixed(1)}`).join(', ');
}

/** Starts `bin`, waits for `line` on stderr; returns ms to it and the process. */
async function start(bin, env, line) {
  const t0 = performance.now();
  const child = spawn(bin, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let ms = null;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${bin}: no "${line}" in 30 s`)), 30_000);
    let buf = '';
    child.stderr.on('data', (d) => {
      buf += d;
      if (ms === null && buf.includes(line)) {
        ms = performance.now() - t0;
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (c) => reject(new Error(`${bin} exited (${c}) before "${line}"`)));
  });
  return { ms, child };
}

async function stop(child) {
  const gone = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([gone, sleep(5000).then(() => child.kill('SIGKILL'))]);
}

const ws = workspace('bench');
const kept = KEEP && resolve(KEEP, `sample-${PROSPECTS}.db`);
if (kept && existsSync(kept)) {
  copyFileSync(kept, ws.db);
} else {
  console.log(`generating ${PROSPECTS} prospects, all in active sequences…`);
  execFileSync(resolve(release, 'cadence'), ['--db', ws.db, '--now', NOW, 'sample', '--prospects', String(PROSPECTS), '--active-percent', '100'], {
    env: { ...process.env, TZ: ws.env.TZ },
    stdio: 'inherit',
  });
  if (kept) {
    mkdirSync(KEEP, { recursive: true });
    copyFileSync(ws.db, kept); // the CLI closed it: everything is in the main file
  }
}

const launches = [];
const mem = [];
const bare = [];
const memEach = [];
const bareEach = [];
for (let i = 0; i < (MEMORY_ONLY ? 5 : RUNS); i++) {
  const app = await start(resolve(release, 'cadence-desktop'), { ...ws.env, ...APP_ENV, CADENCE_TRACE: '1' }, 'cadence-trace today-rendered');
  launches.push(app.ms);
  if (i < 5) {
    await sleep(5000);
    const m = pss(app.child.pid);
    mem.push(m.mib);
    memEach.push(m.each);
    if (i === 0) console.log(`Cadence processes: ${m.names.join(', ')}`);
  }
  await stop(app.child);
  if (i < 5) {
    const b = await start(resolve(release, 'examples/bare'), ws.env, 'bare-ready');
    await sleep(5000);
    const m = pss(b.child.pid);
    bare.push(m.mib);
    bareEach.push(m.each);
    if (i === 0) console.log(`bare window processes: ${m.names.join(', ')}`);
    await stop(b.child);
  }
}

// Approve-and-next, driven by key presses through WebDriver.
let approve = [];
if (!MEMORY_ONLY) {
const { browser, stop: stopDriver } = await launch({ ...ws, env: { ...ws.env, CADENCE_TRACE: '1' } }, resolve(release, 'cadence-desktop'));
try {
  await until(async () => (await queueRows(browser)).length > 0, 'the queue');
  await browser.$('[data-testid=count-email]').click();
  await until(async () => (await queueRows(browser)).every((r) => r.channel === 'email'), 'emails only');
  for (let i = 0; i < 30; i++) {
    await press(browser, ['Control', 'Enter']);
    await sleep(400);
  }
  const timings = await browser.execute(() => window.__cadenceTimings ?? []);
  approve = timings.filter(([e]) => e === 'approve-next').map(([, ms]) => ms);
} finally {
  await stopDriver();
}
}

const f = (x) => x.toFixed(1);
console.log(`launch to Today painted: median ${f(median(launches))} ms over ${launches.length} runs (min ${f(Math.min(...launches))}, max ${f(Math.max(...launches))})`);
console.log(`memory (summed PSS): Cadence median ${f(median(mem))} MiB, bare window ${f(median(bare))} MiB, ratio ${(median(mem) / median(bare)).toFixed(2)}x (${mem.length} runs each)`);
console.log(`  by process (MiB, median): Cadence: ${breakdown(memEach)}; bare: ${breakdown(bareEach)}`);
if (!MEMORY_ONLY) console.log(`approve-and-next: median ${f(median(approve))} ms over ${approve.length} presses (max ${f(Math.max(...approve))})`);
