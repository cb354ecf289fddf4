// A real OAuth 2.0 / OpenID Connect authorization server (oidc-provider) on loopback, for the
// OAuth2 mailbox sign-in tests. Started by scripts/oauth-server; see README.md beside this file.
//
//   issuer       http://127.0.0.1:$OAUTH_PORT (default 1780)
//   cadence-test public native client: authorization_code + refresh_token, PKCE S256 required,
//                redirect URI http://127.0.0.1:<any port>/callback (RFC 8252 §7.3)
//   dovecot      confidential client (client_secret_basic) that may introspect access tokens
//   scopes       openid email offline_access mail
//   login        oidc-provider's devInteractions: any login (it becomes the token's `sub`), any password
//
// Env: OAUTH_PORT, OAUTH_ACCESS_TTL (s, default 3600), OAUTH_REFRESH_TTL (s, default 14 days),
// OAUTH_ROTATE_REFRESH (1: a new refresh token on each refresh, the old one then refused; default 0).
// Test-only endpoints (loopback, no auth): POST /test/revoke-account (form field `account`) and
// GET /test/health. OAUTH_PID_FILE: where to write the pid once listening.
// Everything lives in memory: a restart forgets all tokens and sessions.
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';

import Provider from 'oidc-provider';

const PORT = Number(process.env.OAUTH_PORT || 1780);
const ISSUER = `http://127.0.0.1:${PORT}`;
const ACCESS_TTL = Number(process.env.OAUTH_ACCESS_TTL || 3600);
const REFRESH_TTL = Number(process.env.OAUTH_REFRESH_TTL || 14 * 24 * 3600);
const ROTATE_REFRESH = process.env.OAUTH_ROTATE_REFRESH === '1';
const DOVECOT_SECRET = 'dovecot-introspection-secret';

const log = (...parts) => console.log(new Date().toISOString(), ...parts);

// One signing key per start (the ID token needs one; without it oidc-provider uses a published
// development key and says so). RSA, since RS256 is the ID token default every client accepts.
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'cadence-test', use: 'sig', alg: 'RS256' };

// account id -> grant ids / session ids, for /test/revoke-account (the memory adapter cannot list)
const grantsOf = new Map();
const sessionsOf = new Map();
const remember = (map, account, id) => {
  if (!account || !id) return;
  if (!map.has(account)) map.set(account, new Set());
  map.get(account).add(id);
};

const configuration = {
  clients: [
    {
      client_id: 'cadence-test',
      client_name: 'Cadence (test)',
      application_type: 'native',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      // Native client: oidc-provider matches http loopback redirect URIs without their port.
      redirect_uris: ['http://127.0.0.1/callback'],
      scope: 'openid email offline_access mail',
    },
    {
      client_id: 'dovecot',
      client_secret: DOVECOT_SECRET,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: [],
      response_types: [],
      redirect_uris: [],
    },
  ],
  scopes: ['openid', 'email', 'offline_access', 'mail'],
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  // The login typed in the form is the account id: the token's `sub` and `email` (the mailbox login).
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      async claims() {
        return { sub, email: sub, email_verified: true };
      },
    };
  },
  // ID token carries `email` (like Google's), so the app can tell who signed in without /me.
  conformIdTokenClaims: false,
  jwks: { keys: [jwk] },
  cookies: { keys: ['cadence-oauth-test-cookie-key'] },
  pkce: { required: () => true }, // S256 is the only method oidc-provider 9 accepts
  responseTypes: ['code'],
  features: {
    devInteractions: { enabled: true },
    introspection: {
      enabled: true,
      // Dovecot may introspect access tokens only (a refresh token is no bearer token at IMAP);
      // a client may introspect its own tokens.
      async allowedPolicy(ctx, client, token) {
        if (client.clientId === 'dovecot') return token.kind === 'AccessToken';
        return token.clientId === client.clientId;
      },
    },
    revocation: {
      enabled: true,
      async allowedPolicy(ctx, client, token) {
        return token.clientId === client.clientId;
      },
    },
    userinfo: { enabled: true },
  },
  // offline_access (no prompt=consent needed when `prompt` is absent) gives a refresh token.
  async issueRefreshToken(ctx, client, code) {
    return client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access');
  },
  rotateRefreshToken: ROTATE_REFRESH,
  ttl: {
    AccessToken: ACCESS_TTL,
    AuthorizationCode: 120,
    IdToken: 3600,
    RefreshToken: REFRESH_TTL,
    Grant: REFRESH_TTL,
    Session: 14 * 24 * 3600,
    Interaction: 3600,
  },
  renderError(ctx, out, error) {
    log('render-error', out.error, out.error_description || '', error?.message || '');
    ctx.type = 'html';
    ctx.body = `<!DOCTYPE html><html><head><title>oops! something went wrong</title></head><body>
<h1>oops! something went wrong</h1><pre id="error">${escapeHtml(JSON.stringify(out, null, 2))}</pre></body></html>`;
  },
};

function escapeHtml(s) {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const provider = new Provider(ISSUER, configuration);

for (const ev of ['grant.success', 'grant.revoked', 'authorization.success', 'end_session.success',
  'interaction.ended']) {
  provider.on(ev, (ctx) => log(ev, ctx?.oidc?.client?.clientId ?? '', ctx?.oidc?.route ?? ''));
}
for (const ev of ['authorization.error', 'grant.error', 'introspection.error', 'revocation.error',
  'userinfo.error', 'server_error', 'check_session_origin.error']) {
  provider.on(ev, (ctx, err) => log(ev, err?.error ?? '', err?.error_description ?? err?.message ?? ''));
}
provider.on('grant.saved', (grant) => remember(grantsOf, grant.accountId, grant.jti));
provider.on('session.saved', (session) => remember(sessionsOf, session.accountId, session.jti));
provider.on('refresh_token.saved', (t) => log('refresh_token.saved', t.accountId, t.clientId));
provider.on('access_token.saved', (t) => log('access_token.saved', t.accountId, t.clientId));

// Revoke every grant (so every access and refresh token) and end every session of an account.
async function revokeAccount(account) {
  let grants = 0;
  for (const grantId of grantsOf.get(account) ?? []) {
    await provider.AccessToken.revokeByGrantId(grantId); // memory adapter: all tokens of the grant
    await provider.Grant.adapter.destroy(grantId);
    grants += 1;
  }
  let sessions = 0;
  for (const sid of sessionsOf.get(account) ?? []) {
    await provider.Session.adapter.destroy(sid);
    sessions += 1;
  }
  grantsOf.delete(account);
  sessionsOf.delete(account);
  log('test-revoke-account', account, `grants=${grants}`, `sessions=${sessions}`);
  return { account, grants, sessions };
}

const oidc = provider.callback();
const server = http.createServer(async (req, res) => {
  const path = req.url.split('?')[0];
  const started = Date.now();
  res.on('finish', () => log('http', req.method, path, res.statusCode, `${Date.now() - started}ms`, req.headers['user-agent']?.split(' ')[0] ?? ''));
  if (path === '/test/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: true, issuer: ISSUER, access_ttl: ACCESS_TTL, rotate_refresh: ROTATE_REFRESH }));
    return;
  }
  if (path === '/test/revoke-account' && req.method === 'POST') {
    let body = '';
    for await (const chunk of req) body += chunk;
    const account = new URLSearchParams(body).get('account') || new URL(req.url, ISSUER).searchParams.get('account');
    if (!account) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end('{"error":"account required"}');
      return;
    }
    const out = await revokeAccount(account);
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(out));
    return;
  }
  if (path === '/token/introspection') { // log what Dovecot was told (active, sub, scope)
    const chunks = [];
    const { write, end } = res;
    res.write = function w(chunk, ...rest) { if (chunk) chunks.push(Buffer.from(chunk)); return write.call(this, chunk, ...rest); };
    res.end = function e(chunk, ...rest) {
      if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk));
      try {
        const b = JSON.parse(Buffer.concat(chunks).toString());
        log('introspection', `active=${b.active}`, b.sub ?? '', b.scope ? `scope="${b.scope}"` : '', b.error ?? '');
      } catch { /* not JSON */ }
      return end.call(this, chunk, ...rest);
    };
  }
  oidc(req, res);
});
// Dovecot's HTTP client keeps its connection for 60 s idle and does not retry a request that meets
// a connection the server just closed: let it always be the one that closes (Node's default is 5 s).
server.keepAliveTimeout = 75_000;
server.headersTimeout = 80_000;
server.listen(PORT, '127.0.0.1', () => {
  if (process.env.OAUTH_PID_FILE) fs.writeFileSync(process.env.OAUTH_PID_FILE, `${process.pid}\n`);
  log(`oauth: listening on ${ISSUER} (access ttl ${ACCESS_TTL}s, refresh ttl ${REFRESH_TTL}s, rotate refresh ${ROTATE_REFRESH})`);
});
for (const sig of ['SIGTERM', 'SIGINT']) {
  process.on(sig, () => { log(`oauth: ${sig}, exiting`); server.close(); process.exit(0); });
}
