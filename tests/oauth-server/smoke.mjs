// End-to-end smoke test of the OAuth2 mailbox sign-in infrastructure, no browser: the
// authorization code flow with PKCE against the test authorization server (driving its login and
// consent forms over HTTP), then XOAUTH2/OAUTHBEARER at the real Dovecot (IMAP :1143) and Postfix
// (submission :1587, Dovecot SASL), refresh, and revocation. Needs `scripts/mail-server start` and
// `scripts/oauth-server start`. Prints PASS/FAIL per step; exits 1 on any failure.
//   node tests/oauth-server/smoke.mjs      (or scripts/oauth-server smoke)
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { fileURLToPath } from 'node:url';

import {
  CLIENT_ID, ISSUER, SCOPE, USER, b64url, check, discover, exchangeCode, postToken, refresh, signIn,
} from './client.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CA = fs.readFileSync(process.env.MAIL_CA || path.join(REPO, 'target/mail-server/tls/ca.pem'));

let failures = 0;
const t0 = Date.now();
function report(ok, step, detail = '') {
  if (!ok) failures += 1;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${step}${detail ? ` — ${detail}` : ''}`);
  return ok;
}
async function step(name, fn) {
  const start = Date.now();
  try {
    const detail = await fn();
    return report(true, `${name} (${Date.now() - start} ms)`, detail);
  } catch (err) {
    return report(false, `${name} (${Date.now() - start} ms)`, err?.stack?.split('\n').slice(0, 2).join(' ') || String(err));
  }
}
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

// ---------- line-based IMAP/SMTP over TCP, with STARTTLS ----------
class Line {
  constructor(socket) {
    this.buf = '';
    this.waiters = [];
    this.lines = [];
    this.attach(socket);
  }

  attach(socket) {
    this.socket = socket;
    socket.setEncoding('utf8');
    socket.on('data', (d) => {
      this.buf += d;
      let i;
      while ((i = this.buf.indexOf('\r\n')) >= 0) {
        this.lines.push(this.buf.slice(0, i));
        this.buf = this.buf.slice(i + 2);
      }
      this.flush();
    });
    socket.on('error', (e) => { this.error = e; this.flush(); });
    socket.on('close', () => { this.closed = true; this.flush(); });
  }

  flush() {
    while (this.waiters.length && (this.lines.length || this.error || this.closed)) {
      const w = this.waiters.shift();
      if (this.lines.length) w.resolve(this.lines.shift());
      else w.reject(this.error || new Error('connection closed'));
    }
  }

  read() {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timeout reading a line')), 10000);
      this.waiters.push({ resolve: (v) => { clearTimeout(timer); resolve(v); }, reject: (e) => { clearTimeout(timer); reject(e); } });
      this.flush();
    });
  }

  write(s) { this.socket.write(`${s}\r\n`); }

  async starttls() {
    this.socket.removeAllListeners('data');
    const secure = tls.connect({ socket: this.socket, ca: CA, servername: 'localhost' });
    await new Promise((resolve, reject) => { secure.once('secureConnect', resolve); secure.once('error', reject); });
    this.attach(secure);
  }

  close() { this.socket.destroy(); }
}

function connect(port) {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => resolve(new Line(s)));
    s.once('error', reject);
  });
}

// IMAP: send a tagged command, answer a continuation with an empty line (SASL error), collect.
async function imapCommand(c, tag, cmd) {
  c.write(`${tag} ${cmd}`);
  const untagged = [];
  for (;;) {
    const line = await c.read();
    if (line.startsWith('+')) {
      untagged.push(line);
      c.write(''); // abort/acknowledge the SASL error challenge
      continue;
    }
    if (line.startsWith(`${tag} `)) return { status: line.split(' ')[1], line, untagged };
    untagged.push(line);
  }
}

async function imapSession(fn) {
  const c = await connect(1143);
  try {
    const greeting = await c.read();
    check(greeting.startsWith('* OK'), `greeting ${greeting}`);
    const st = await imapCommand(c, 'S1', 'STARTTLS');
    check(st.status === 'OK', `STARTTLS ${st.line}`);
    await c.starttls();
    return await fn(c);
  } finally {
    c.close();
  }
}

const xoauth2 = (user, token) => b64(`user=${user}\x01auth=Bearer ${token}\x01\x01`);
const oauthbearer = (user, token, port) => b64(`n,a=${user},\x01host=127.0.0.1\x01port=${port}\x01auth=Bearer ${token}\x01\x01`);

async function imapAuth(mech, user, token) {
  return imapSession(async (c) => {
    const cap = await imapCommand(c, 'C1', 'CAPABILITY');
    const caps = cap.untagged.join(' ');
    const ir = mech === 'XOAUTH2' ? xoauth2(user, token) : oauthbearer(user, token, 1143);
    const r = await imapCommand(c, 'A1', `AUTHENTICATE ${mech} ${ir}`);
    let selected;
    if (r.status === 'OK') selected = await imapCommand(c, 'A2', 'SELECT INBOX');
    await imapCommand(c, 'Z', 'LOGOUT').catch(() => {});
    return { ...r, caps, selected };
  });
}

async function smtpReply(c) {
  const lines = [];
  for (;;) {
    const line = await c.read();
    lines.push(line);
    if (/^\d{3} /.test(line) || /^\d{3}$/.test(line)) return { code: Number(line.slice(0, 3)), lines, text: lines.join(' | ') };
  }
}

async function smtpSession(fn) {
  const c = await connect(1587);
  try {
    check((await smtpReply(c)).code === 220, 'greeting');
    c.write('EHLO smoke.example.test');
    await smtpReply(c);
    c.write('STARTTLS');
    check((await smtpReply(c)).code === 220, 'STARTTLS');
    await c.starttls();
    c.write('EHLO smoke.example.test');
    const ehlo = await smtpReply(c);
    return await fn(c, ehlo);
  } finally {
    c.close();
  }
}

async function smtpAuth(mech, user, token, { mailTo } = {}) {
  return smtpSession(async (c, ehlo) => {
    const authLine = ehlo.lines.find((l) => /^250[- ]AUTH /.test(l)) || '';
    const ir = mech === 'XOAUTH2' ? xoauth2(user, token) : oauthbearer(user, token, 1587);
    c.write(`AUTH ${mech} ${ir}`);
    let r = await smtpReply(c);
    const challenge = r.code === 334 ? Buffer.from(r.lines[0].slice(4), 'base64').toString() : undefined;
    if (r.code === 334) { // SASL error challenge: an empty response ends the exchange
      c.write('');
      r = await smtpReply(c);
    }
    let rcpt;
    if (r.code === 235 && mailTo) {
      c.write(`MAIL FROM:<${user}>`);
      await smtpReply(c);
      c.write(`RCPT TO:<${mailTo}>`);
      rcpt = await smtpReply(c);
      c.write('RSET'); // nothing is sent
      await smtpReply(c);
    }
    c.write('QUIT');
    return { authLine, code: r.code, text: r.text, challenge, rcpt };
  });
}

// ---------- the steps ----------
const health = await fetch(`${ISSUER}/test/health`).then((r) => r.json()).catch(() => undefined);
if (!health) {
  console.log(`FAIL oauth server not reachable at ${ISSUER} (scripts/oauth-server start)`);
  process.exit(1);
}
const disc = await discover();
let tokens;
let signin;

await step('discovery: endpoints, S256, scopes', () => {
  check(disc.issuer === ISSUER, `issuer ${disc.issuer}`);
  check(disc.code_challenge_methods_supported?.includes('S256'), 'S256 missing');
  for (const s of SCOPE.split(' ')) check(disc.scopes_supported.includes(s), `scope ${s} missing`);
  check(disc.introspection_endpoint && disc.revocation_endpoint, 'introspection/revocation missing');
  return `token ${disc.token_endpoint}, access ttl ${health.access_ttl}s, rotate refresh ${health.rotate_refresh}`;
});

await step('authorize without PKCE refused', async () => {
  const u = new URL(disc.authorization_endpoint);
  Object.entries({ client_id: CLIENT_ID, response_type: 'code', redirect_uri: 'http://127.0.0.1:4567/callback', scope: SCOPE, state: 'x' })
    .forEach(([k, v]) => u.searchParams.set(k, v));
  const res = await fetch(u, { redirect: 'manual' });
  const loc = res.headers.get('location') || '';
  check(res.status === 303 && loc.includes('error=invalid_request'), `status ${res.status} ${loc}`);
  return 'invalid_request (code_challenge required)';
});

await step('authorize with an unregistered redirect URI refused', async () => {
  const u = new URL(disc.authorization_endpoint);
  Object.entries({ client_id: CLIENT_ID, response_type: 'code', redirect_uri: 'http://127.0.0.1:4567/other', scope: SCOPE, state: 'x', code_challenge: 'a'.repeat(43), code_challenge_method: 'S256' })
    .forEach(([k, v]) => u.searchParams.set(k, v));
  const res = await fetch(u, { redirect: 'manual' });
  check(res.status === 400, `status ${res.status}`);
  return '400 redirect_uri did not match';
});

await step('sign in: authorize (PKCE S256) -> login form -> consent form -> code at loopback listener', async () => {
  signin = await signIn(disc);
  return `forms ${signin.forms.join(' -> ')}, redirect ${signin.redirectUri}`;
});

await step('code exchange with a wrong code_verifier refused', async () => {
  const r = await postToken(disc.token_endpoint, {
    grant_type: 'authorization_code', client_id: CLIENT_ID, code: signin.code,
    redirect_uri: signin.redirectUri, code_verifier: b64url(crypto.randomBytes(32)),
  });
  check(r.status === 400 && r.json.error === 'invalid_grant', `${r.status} ${JSON.stringify(r.json)}`);
  return 'invalid_grant';
});

await step('code exchange -> access + refresh + id token', async () => {
  const r = await exchangeCode(disc, signin);
  check(r.status === 200, `${r.status} ${JSON.stringify(r.json)}`);
  tokens = r.json;
  check(tokens.access_token && tokens.refresh_token && tokens.id_token, `missing tokens: ${Object.keys(tokens)}`);
  check(tokens.scope.split(' ').includes('mail'), `scope ${tokens.scope}`);
  const idt = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url'));
  check(idt.sub === USER && idt.email === USER, `id token ${JSON.stringify(idt)}`);
  return `expires_in ${tokens.expires_in}, scope "${tokens.scope}", id_token email ${idt.email}`;
});

await step('introspection as dovecot: active, sub = mailbox login', async () => {
  const r = await postToken(disc.introspection_endpoint, { token: tokens.access_token }, 'dovecot:dovecot-introspection-secret');
  check(r.json.active === true && r.json.sub === USER, JSON.stringify(r.json));
  const rt = await postToken(disc.introspection_endpoint, { token: tokens.refresh_token }, 'dovecot:dovecot-introspection-secret');
  check(rt.json.active === false, `refresh token visible to dovecot: ${JSON.stringify(rt.json)}`);
  return JSON.stringify(r.json);
});

await step('IMAP :1143 AUTHENTICATE XOAUTH2 (STARTTLS) succeeds, SELECT INBOX', async () => {
  const r = await imapAuth('XOAUTH2', USER, tokens.access_token);
  check(r.caps.includes('AUTH=XOAUTH2'), `capability ${r.caps}`);
  check(r.status === 'OK', r.line);
  check(r.selected?.status === 'OK', `SELECT ${r.selected?.line}`);
  return r.line;
});

await step('IMAP XOAUTH2 with a bad token fails', async () => {
  const r = await imapAuth('XOAUTH2', USER, 'not-a-token');
  check(r.status === 'NO', r.line);
  return `${r.line}; challenge ${r.untagged.filter((l) => l.startsWith('+')).map((l) => Buffer.from(l.slice(2), 'base64').toString()).join('')}`;
});

await step('IMAP XOAUTH2 with another user\'s name fails', async () => {
  const r = await imapAuth('XOAUTH2', 'prospect@example.test', tokens.access_token);
  check(r.status === 'NO', r.line);
  return r.line;
});

await step('IMAP XOAUTH2 with the account\'s password in place of a token fails', async () => {
  const r = await imapAuth('XOAUTH2', USER, 'rep-secret');
  check(r.status === 'NO', r.line);
  return r.line;
});

await step('IMAP AUTHENTICATE OAUTHBEARER succeeds', async () => {
  const r = await imapAuth('OAUTHBEARER', USER, tokens.access_token);
  check(r.caps.includes('AUTH=OAUTHBEARER'), `capability ${r.caps}`);
  check(r.status === 'OK', r.line);
  return r.line;
});

await step('IMAP password LOGIN still works (password path unchanged)', async () => {
  const r = await imapSession(async (c) => {
    const l = await imapCommand(c, 'L1', 'LOGIN rep@example.test rep-secret');
    const bad = await imapCommand(c, 'L2', 'LOGIN rep@example.test wrong');
    return { l, bad };
  });
  check(r.l.status === 'OK', r.l.line);
  return r.l.line;
});

await step('SMTP AUTH PLAIN still works (password path unchanged)', async () => {
  const r = await smtpSession(async (c) => {
    c.write(`AUTH PLAIN ${b64('\0rep@example.test\0rep-secret')}`);
    const ok = await smtpReply(c);
    c.write('QUIT');
    return ok;
  });
  check(r.code === 235, r.text);
  return r.text;
});

await step('SMTP :1587 STARTTLS + AUTH XOAUTH2 succeeds (and may send)', async () => {
  const r = await smtpAuth('XOAUTH2', USER, tokens.access_token, { mailTo: 'prospect@example.test' });
  check(/XOAUTH2/.test(r.authLine) && /OAUTHBEARER/.test(r.authLine), `EHLO ${r.authLine}`);
  check(r.code === 235, r.text);
  check(r.rcpt?.code === 250, `RCPT ${r.rcpt?.text}`);
  return `${r.authLine.slice(4)}; ${r.text}; RCPT ${r.rcpt.code}`;
});

await step('SMTP AUTH OAUTHBEARER succeeds', async () => {
  const r = await smtpAuth('OAUTHBEARER', USER, tokens.access_token);
  check(r.code === 235, r.text);
  return r.text;
});

await step('SMTP AUTH XOAUTH2 with a bad token fails', async () => {
  const r = await smtpAuth('XOAUTH2', USER, 'not-a-token');
  check(r.code >= 500 || (r.code >= 400 && r.code < 500), r.text);
  check(r.code !== 235, r.text);
  return `${r.text}; challenge ${r.challenge ?? '-'}`;
});

if (health.access_ttl <= 10) { // only when the server was started with a short OAUTH_ACCESS_TTL
  await step(`an access token past its ${health.access_ttl} s lifetime is refused at IMAP and SMTP`, async () => {
    const s = await signIn(disc);
    const r = await exchangeCode(disc, s);
    check(r.status === 200, JSON.stringify(r.json));
    const before = await imapAuth('XOAUTH2', USER, r.json.access_token);
    check(before.status === 'OK', before.line);
    await new Promise((done) => setTimeout(done, (health.access_ttl + 1) * 1000));
    const imap = await imapAuth('XOAUTH2', USER, r.json.access_token);
    check(imap.status === 'NO', imap.line);
    const smtp = await smtpAuth('XOAUTH2', USER, r.json.access_token);
    check(smtp.code === 535, smtp.text);
    const again = await refresh(disc, r.json.refresh_token);
    check(again.status === 200, JSON.stringify(again.json));
    const after = await imapAuth('XOAUTH2', USER, again.json.access_token);
    check(after.status === 'OK', after.line);
    return `IMAP ${imap.line}; SMTP ${smtp.text}; refreshed token works`;
  });
}

let refreshed;
await step('refresh_token grant -> new access token, works at IMAP', async () => {
  const r = await refresh(disc, tokens.refresh_token);
  check(r.status === 200 && r.json.access_token, `${r.status} ${JSON.stringify(r.json)}`);
  refreshed = r.json;
  check(refreshed.access_token !== tokens.access_token, 'same access token');
  const imap = await imapAuth('XOAUTH2', USER, refreshed.access_token);
  check(imap.status === 'OK', imap.line);
  const rotated = refreshed.refresh_token && refreshed.refresh_token !== tokens.refresh_token;
  return `expires_in ${refreshed.expires_in}, refresh token ${rotated ? 'rotated' : 'unchanged'}`;
});

await step('revoke the refresh token; refreshing then fails (invalid_grant), its access tokens die', async () => {
  const rt = refreshed.refresh_token || tokens.refresh_token;
  const rev = await fetch(disc.revocation_endpoint, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLIENT_ID, token: rt, token_type_hint: 'refresh_token' }).toString(),
  });
  check(rev.status === 200, `revocation ${rev.status} ${await rev.text()}`);
  const r = await refresh(disc, rt);
  check(r.status === 400 && r.json.error === 'invalid_grant', `${r.status} ${JSON.stringify(r.json)}`);
  const imap = await imapAuth('XOAUTH2', USER, refreshed.access_token);
  check(imap.status === 'NO', `IMAP after revocation: ${imap.line}`);
  return `refresh: ${r.json.error}; IMAP with its access token: ${imap.line}`;
});

await step('a token without the mail scope is refused at IMAP', async () => {
  const s = await signIn(disc, { scope: 'openid email offline_access' });
  const r = await exchangeCode(disc, s);
  check(r.status === 200, JSON.stringify(r.json));
  const imap = await imapAuth('XOAUTH2', USER, r.json.access_token);
  check(imap.status === 'NO', imap.line);
  return imap.line;
});

await step('POST /test/revoke-account ends every grant of the account', async () => {
  const s = await signIn(disc);
  const r = await exchangeCode(disc, s);
  check(r.status === 200, JSON.stringify(r.json));
  const rev = await fetch(`${ISSUER}/test/revoke-account`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `account=${encodeURIComponent(USER)}`,
  }).then((x) => x.json());
  check(rev.grants >= 1, JSON.stringify(rev));
  const again = await refresh(disc, r.json.refresh_token);
  check(again.status === 400 && again.json.error === 'invalid_grant', JSON.stringify(again.json));
  const imap = await imapAuth('XOAUTH2', USER, r.json.access_token);
  check(imap.status === 'NO', imap.line);
  return `${JSON.stringify(rev)}; refresh ${again.json.error}; IMAP ${imap.line}`;
});

console.log(`${failures ? 'FAIL' : 'PASS'}: oauth smoke, ${failures} failure(s), ${Date.now() - t0} ms`);
process.exit(failures ? 1 : 0);
