// Client side of the test authorization server, for tests: discovery, the authorization code flow
// with PKCE S256 driven over plain HTTP (its login and consent forms, cookies kept by hand, the
// code received at a one-shot loopback listener on an ephemeral port), and the token endpoint.
// Used by smoke.mjs; importable by other Node tests. As a command it prints a fresh token set:
//   node tests/oauth-server/client.mjs [LOGIN] [SCOPE]
//     -> {"access_token":…,"refresh_token":…,"id_token":…,"expires_in":…,"scope":…}
import * as crypto from 'node:crypto';
import * as http from 'node:http';
import { fileURLToPath } from 'node:url';

export const ISSUER = process.env.OAUTH_ISSUER || 'http://127.0.0.1:1780';
export const USER = 'rep@example.test';
export const CLIENT_ID = 'cadence-test';
export const SCOPE = 'openid email offline_access mail';

export function check(cond, msg) {
  if (!cond) throw new Error(msg);
}
export const b64url = (buf) => Buffer.from(buf).toString('base64url');

export async function discover() {
  const res = await fetch(`${ISSUER}/.well-known/openid-configuration`);
  check(res.ok, `discovery ${res.status}`);
  return res.json();
}

// HTTP with a hand-kept cookie jar: the browser's part of the flow.
export class Browser {
  jar = new Map();

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  keep(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=.*1970/i.test(a)) || attrs.some((a) => /^\s*max-age=0/i.test(a));
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  async request(url, { method = 'GET', form } = {}) {
    const headers = { cookie: this.cookieHeader() };
    let body;
    if (form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(url, { method, headers, body, redirect: 'manual' });
    this.keep(res);
    return res;
  }

  // Follow redirects (a 303 after a POST becomes a GET) until a page or the callback is reached.
  async go(url, opts) {
    let res = await this.request(url, opts);
    for (let hops = 0; hops < 20 && res.status >= 300 && res.status < 400; hops += 1) {
      const next = new URL(res.headers.get('location'), url).href;
      url = next;
      res = await this.request(next);
    }
    return { res, url, html: await res.text() };
  }
}

export function parseForm(html, baseUrl) {
  const form = html.match(/<form[^>]*action="([^"]+)"[^>]*method="post"/i);
  if (!form) return undefined;
  const fields = {};
  for (const m of html.matchAll(/<input[^>]*>/gi)) {
    const name = m[0].match(/name="([^"]+)"/)?.[1];
    const value = m[0].match(/value="([^"]*)"/)?.[1] ?? '';
    if (name) fields[name] = value;
  }
  return { action: new URL(form[1].replace(/&amp;/g, '&'), baseUrl).href, fields };
}

// One-shot loopback listener on an ephemeral port (RFC 8252 §7.3), like the app's.
export function callbackListener() {
  return new Promise((resolve) => {
    let done;
    let answered = false;
    const result = new Promise((r) => { done = r; });
    const server = http.createServer((req, res) => {
      const url = new URL(req.url, 'http://127.0.0.1');
      if (answered || url.pathname !== '/callback') { // e.g. a browser's /favicon.ico
        res.writeHead(404, { connection: 'close' }).end();
        return;
      }
      answered = true;
      res.writeHead(200, { 'content-type': 'text/html', connection: 'close' })
        .end('<p>Signed in. You can close this window.</p>');
      server.close();
      done(url.searchParams);
    });
    server.listen(0, '127.0.0.1', () => {
      resolve({ redirectUri: `http://127.0.0.1:${server.address().port}/callback`, result, server });
    });
  });
}

export async function postToken(endpoint, params, basic) {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (basic) headers.authorization = `Basic ${Buffer.from(basic).toString('base64')}`;
  const res = await fetch(endpoint, { method: 'POST', headers, body: new URLSearchParams(params).toString() });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = { raw: text }; }
  return { status: res.status, json };
}

// The whole browser part: authorize -> login form -> consent form -> code at the listener.
// Returns { code, verifier, redirectUri, forms }; exchange the code with exchangeCode().
export async function signIn(disc, { login = USER, scope = SCOPE, prompt = 'consent' } = {}) {
  const verifier = b64url(crypto.randomBytes(32));
  const challenge = b64url(crypto.createHash('sha256').update(verifier).digest());
  const state = b64url(crypto.randomBytes(16));
  const cb = await callbackListener();
  const auth = new URL(disc.authorization_endpoint);
  Object.entries({
    client_id: CLIENT_ID, response_type: 'code', redirect_uri: cb.redirectUri, scope, state,
    code_challenge: challenge, code_challenge_method: 'S256', login_hint: login,
    // OpenID Connect: offline_access (so a refresh token) is honoured only with prompt=consent
    prompt,
  }).forEach(([k, v]) => auth.searchParams.set(k, v));
  const browser = new Browser();
  let page = await browser.go(auth.href);
  const seen = [];
  for (let i = 0; i < 4 && page.res.status === 200 && !page.url.startsWith(cb.redirectUri.replace('/callback', '')); i += 1) {
    const form = parseForm(page.html, page.url);
    check(form, `no form on ${page.url}: ${page.html.slice(0, 300)}`);
    seen.push(form.fields.prompt);
    if (form.fields.prompt === 'login') {
      page = await browser.go(form.action, { method: 'POST', form: { prompt: 'login', login, password: 'anything' } });
    } else {
      page = await browser.go(form.action, { method: 'POST', form: form.fields });
    }
  }
  const params = await Promise.race([cb.result, new Promise((r) => setTimeout(() => r(undefined), 3000))]);
  cb.server.close();
  check(params, `no callback (last page ${page.url} ${page.res.status}: ${page.html.slice(0, 300)})`);
  check(!params.get('error'), `authorization error: ${params.get('error')} ${params.get('error_description')}`);
  check(params.get('state') === state, 'state mismatch');
  check(params.get('iss') === ISSUER, `iss ${params.get('iss')}`);
  return { code: params.get('code'), verifier, redirectUri: cb.redirectUri, forms: seen };
}

export async function exchangeCode(disc, { code, verifier, redirectUri }) {
  return postToken(disc.token_endpoint, {
    grant_type: 'authorization_code', client_id: CLIENT_ID, code, redirect_uri: redirectUri, code_verifier: verifier,
  });
}

export async function refresh(disc, refreshToken) {
  return postToken(disc.token_endpoint, { grant_type: 'refresh_token', client_id: CLIENT_ID, refresh_token: refreshToken });
}

// Sign in and exchange the code: a fresh token set for LOGIN.
export async function tokensFor(login = USER, scope = SCOPE) {
  const disc = await discover();
  const s = await signIn(disc, { login, scope });
  const r = await exchangeCode(disc, s);
  check(r.status === 200, `token endpoint ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [login = USER, scope = SCOPE] = process.argv.slice(2);
  tokensFor(login, scope).then(
    (t) => console.log(JSON.stringify(t)),
    (e) => { console.error(`client.mjs: ${e.message}`); process.exit(1); },
  );
}
