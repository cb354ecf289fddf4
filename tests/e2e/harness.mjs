// Starts the real Cadence binary in a fresh data directory, drives it through
// tauri-driver and WebKitWebDriver, and reads the database back through the
// `cadence` CLI. Run under Xvfb and a D-Bus session (see scripts/test-e2e).
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { remote } from 'webdriverio';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
const target = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
export const appBinary = resolve(target, 'debug/cadence-desktop');
export const cliBinary = resolve(target, 'debug/cadence');
export const shots = resolve(target, 'e2e-screenshots');
mkdirSync(shots, { recursive: true });

/** A Tuesday morning in New York: the same "now" for the app and the CLI. */
export const NOW = '2026-11-24T15:00:00Z';
const TZ = 'America/New_York';

/** A fresh data directory with its own XDG folders and database path. */
export function workspace(name) {
  const dir = mkdtempSync(join(tmpdir(), `cadence-e2e-${name}-`));
  const env = {
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_CACHE_HOME: join(dir, 'cache'),
    XDG_RUNTIME_DIR: join(dir, 'run'),
  };
  for (const d of Object.values(env)) mkdirSync(d, { recursive: true, mode: 0o700 });
  return { dir, db: join(dir, 'cadence.db'), env: { ...env, CADENCE_DB: join(dir, 'cadence.db'), CADENCE_NOW: NOW, TZ } };
}

/**
 * Writes a CSV file in the workspace's directory and makes it the file the
 * app's import dialog picks (`CADENCE_IMPORT_FILE`: no native dialog can be
 * driven here, and the window never sends a path). Call before `launch`.
 */
export function writeCsv(ws, name, text) {
  const path = join(ws.dir, name);
  writeFileSync(path, text);
  ws.env.CADENCE_IMPORT_FILE = path;
  return path;
}

/** `cadence --json ARGS` on the workspace's database. */
export function cli(ws, ...args) {
  const out = execFileSync(cliBinary, ['--db', ws.db, '--now', NOW, '--json', ...args], { encoding: 'utf8', env: { ...process.env, TZ } });
  return JSON.parse(out);
}

let nextPort = 4444 + (process.pid % 200) * 2;

/** Starts the app; returns the WebDriver browser and a stop function. */
export async function launch(ws, binary = appBinary) {
  const port = nextPort;
  nextPort += 2;
  const driver = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], {
    env: { ...process.env, ...ws.env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((r) => driver.once('exit', r));
  await waitForPort(port);
  const session = remote({
    hostname: '127.0.0.1',
    port,
    logLevel: 'error',
    connectionRetryCount: 0,
    capabilities: { browserName: 'wry', 'tauri:options': { application: binary }, 'wdio:enforceWebDriverClassic': true },
  });
  let browser;
  try {
    browser = await withTimeout(session, 30_000, 'WebDriver session');
  } catch (e) {
    driver.kill('SIGTERM');
    await exited;
    throw e;
  }
  const stop = async () => {
    await withTimeout(browser.deleteSession(), 10_000, 'closing the session').catch(() => {});
    driver.kill('SIGTERM');
    await withTimeout(exited, 10_000, 'tauri-driver exit').catch(() => driver.kill('SIGKILL'));
    // The app itself may still be closing (its last checkpoint, the tray):
    // a test that opens the database next, or launches again (the app is
    // single-instance), waits for it to be gone.
    for (let i = 0; i < 100 && appProcesses(ws).length; i++) await sleep(100);
    for (const pid of appProcesses(ws)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {}
    }
  };
  return { browser, stop };
}

/** The app processes this harness started for `ws` (by their database). */
function appProcesses(ws) {
  const mark = `CADENCE_DB=${ws.env.CADENCE_DB}\0`;
  const out = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() !== 'cadence-desktop') continue;
      if (`${readFileSync(`/proc/${d}/environ`, 'latin1')}\0`.includes(mark)) out.push(Number(d));
    } catch {}
  }
  return out;
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`http://127.0.0.1:${port}/status`);
      if (r.ok) return;
    } catch {}
    await sleep(100);
  }
  throw new Error(`tauri-driver did not listen on ${port}`);
}

function withTimeout(p, ms, what) {
  let t;
  return Promise.race([p, new Promise((_, rej) => (t = setTimeout(() => rej(new Error(`${what} timed out after ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(t),
  );
}

/** Waits until `f()` returns something truthy. */
export async function until(f, what, ms = 10_000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    try {
      last = await f();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${what} (last: ${last})`);
}

/**
 * Saves what is on the (Xvfb) screen where the window is, as the rep sees
 * it. Taken from the X server, not through WebDriver: with WebKitGTK's
 * compositing mode off (as Cadence runs, see src-tauri/src/memory.rs),
 * WebKitWebDriver's snapshot can wait forever on some pages.
 */
export async function shot(browser, name) {
  await sleep(500);
  const { x, y, width, height } = await browser.getWindowRect();
  mkdirSync(shots, { recursive: true });
  execFileSync('import', ['-window', 'root', '-crop', `${width}x${height}+${Math.max(0, x)}+${Math.max(0, y)}`, '+repage', join(shots, `${name}.png`)]);
}

/** Presses keys as the rep would: 'j', ['Control', 'Enter'], 'g', 'p'... */
export async function press(browser, ...keys) {
  for (const k of keys) {
    await browser.keys(k);
    await sleep(60);
  }
}

/** Types text into whatever has focus, one key at a time (WebDriver merges
 * repeated letters when they are sent as one action). */
export async function type(browser, text) {
  for (const ch of text) await browser.keys(ch === '\n' ? 'Enter' : ch);
}

/** The touch ids in the queue list, top to bottom, with their channels. */
export async function queueRows(browser) {
  return browser.execute(() =>
    [...document.querySelectorAll('[role=option][data-touch]')].map((e) => ({
      id: Number(e.getAttribute('data-touch')),
      channel: e.getAttribute('data-channel'),
      selected: e.getAttribute('aria-selected') === 'true',
      text: e.textContent,
    })),
  );
}

/** Moves the queue selection to touch `id` with j and k only. */
export async function selectTouch(browser, id) {
  const rows = await queueRows(browser);
  const from = rows.findIndex((r) => r.selected);
  const to = rows.findIndex((r) => r.id === id);
  if (to < 0) throw new Error(`touch ${id} is not in the queue`);
  const key = to > from ? 'j' : 'k';
  for (let i = 0; i < Math.abs(to - from); i++) await press(browser, key);
  await until(async () => (await browser.execute(() => document.querySelector('article[data-touch]')?.getAttribute('data-touch'))) === String(id), `touch ${id} on screen`);
}

/** Mail from outside, into the test mail server's rep mailbox (Postfix on
 * loopback port 1025, no login; see scripts/mail-server). */
export async function deliver({ from, to = 'rep@example.test', subject, body, inReplyTo, contentType = 'text/plain; charset=utf-8' }) {
  const { connect } = await import('node:net');
  const socket = connect(1025, '127.0.0.1');
  socket.setEncoding('utf8');
  let buffer = '';
  const waiters = [];
  socket.on('data', (d) => {
    buffer += d;
    // A reply is complete at a line "NNN text" (not "NNN-text").
    let m;
    while ((m = /^(\d{3}) [^\r\n]*\r?\n/m.exec(buffer))) {
      const end = m.index + m[0].length;
      const reply = buffer.slice(0, end);
      buffer = buffer.slice(end);
      waiters.shift()?.(reply);
    }
  });
  const reply = () => new Promise((r) => waiters.push(r));
  const say = async (line, want) => {
    const answer = reply();
    if (line !== null) socket.write(`${line}\r\n`);
    const text = await withTimeout(answer, 10_000, `SMTP ${line ?? 'greeting'}`);
    if (!text.startsWith(want)) throw new Error(`SMTP ${line ?? 'greeting'}: ${text.trim()}`);
  };
  const headers = [
    `From: ${from}`,
    `To: ${to}`,
    `Subject: ${subject}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <e2e-${Date.now()}-${Math.random().toString(36).slice(2)}@example.test>`,
    ...(inReplyTo ? [`In-Reply-To: <${inReplyTo}>`, `References: <${inReplyTo}>`] : []),
    'MIME-Version: 1.0',
    `Content-Type: ${contentType}`,
  ];
  const data = `${headers.join('\r\n')}\r\n\r\n${body.replace(/\r?\n/g, '\r\n').replace(/^\./gm, '..')}\r\n.`;
  try {
    await say(null, '220');
    await say('EHLO e2e.example.test', '250');
    await say(`MAIL FROM:<${from}>`, '250');
    await say(`RCPT TO:<${to}>`, '250');
    await say('DATA', '354');
    await say(data, '250');
    await say('QUIT', '221');
  } finally {
    socket.destroy();
  }
}
