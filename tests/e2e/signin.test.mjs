// Sign in with a provider (OAuth2) in the real app: Settings → the Google
// preset pointed at the loopback provider (tests/oauth-server, oidc-provider)
// and the test mail servers; "Sign in with Google" hands the provider's page
// to the rep's browser (here CADENCE_SIGNIN_URL_FILE, and the page is driven
// like a browser would: login, consent, back to Cadence's listener); the nav
// says connected; an approved email goes out over XOAUTH2 and the prospect's
// reply stops the sequence. Sign out removes the sign-in.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { authorize } from '../oauth-server/authorize.mjs';
import { cli, deliver, launch, press, root, shot, until, workspace, writeCsv } from './harness.mjs';

const CA = join(root, 'target/mail-server/tls/ca.pem');
const ISSUER = 'http://127.0.0.1:1780';
const statusText = (b) => b.execute(() => document.querySelector('[data-testid=mailbox-status]')?.textContent.replace(/\s+/g, ' ').trim() ?? '');

async function fill(b, id, value) {
  await b.$(`#${id}`).setValue(value);
  await press(b, 'Tab');
}

async function providerUp() {
  try {
    return (await fetch(`${ISSUER}/.well-known/openid-configuration`)).ok;
  } catch {
    return false;
  }
}

test('sign in with Google (loopback provider), send, and a reply stops the sequence', { timeout: 240_000, skip: (!existsSync(CA) || !(await providerUp())) && 'the test mail servers or the OAuth provider are not running' }, async () => {
  const ws = workspace('signin');
  ws.env.CADENCE_KEYRING = 'kernel';
  ws.env.CADENCE_MAIL_IDLE_S = '3';
  ws.env.CADENCE_CA_FILE = CA;
  const urlFile = join(ws.dir, 'signin-url.txt');
  ws.env.CADENCE_SIGNIN_URL_FILE = urlFile;
  const tag = `e2eoauth${process.pid}x${Date.now() % 100000}`;
  const pat = `prospect+${tag}@example.test`;
  const csv = writeCsv(ws, 'p.csv', `email,first_name,last_name,company,title,timezone\n${pat},Pat,Quinn,Quinnco,VP Sales,America/New_York\n`);
  cli(ws, 'import', csv);
  cli(ws, 'settings', 'set', 'sender_name', 'Alex Rivera');
  cli(ws, 'enroll', 'cold-outbound-21d', '--all');
  const email = cli(ws, 'queue').items.find((i) => i.channel === 'email');
  cli(ws, 'approve', String(email.touch_id));

  const app = await launch(ws);
  const b = app.browser;
  try {
    await until(async () => (await statusText(b)) === 'Mailbox not set up', 'the nav to say no mailbox');
    await press(b, 'g', ',');
    await until(() => b.$('[data-provider=google]').isExisting(), 'the provider choice');
    await b.$('[data-provider=google]').click();
    await until(() => b.$('#mb-oauth_client_id').isExisting(), 'the Google sign-in fields');
    assert.equal(await b.$('#mb-imap_host').getValue(), 'imap.gmail.com', 'the preset filled the servers');
    await fill(b, 'mb-address', 'rep@example.test');
    await fill(b, 'mb-oauth_client_id', 'cadence-test');
    // Pointed at the loopback provider and the test servers instead of Google's.
    await b.$('.advanced summary').click();
    await fill(b, 'mb-oauth_auth_url', `${ISSUER}/auth`);
    await fill(b, 'mb-oauth_token_url', `${ISSUER}/token`);
    await fill(b, 'mb-oauth_scopes', 'openid email offline_access mail');
    await fill(b, 'mb-smtp_host', '127.0.0.1');
    await fill(b, 'mb-smtp_port', '1587');
    await fill(b, 'mb-imap_host', '127.0.0.1');
    await fill(b, 'mb-imap_port', '1993');
    await fill(b, 'mb-spacing_s', '0');
    await b.$('[data-action=choose-ca]').click();
    await until(async () => (await b.$('#mb-ca_file').getValue()) === CA, 'the certificate chosen');
    assert.equal(await b.$('#mb-password').isExisting(), false, 'no password field for a provider sign-in');
    // The kernel keyring outlives tests: start signed out.
    if (await b.$('[data-action=sign-out]').isExisting()) await b.$('[data-action=sign-out]').click();
    await shot(b, '70-signin-settings');

    rmSync(urlFile, { force: true });
    await b.$('[data-action=sign-in]').click();
    await until(() => b.$('[data-action=cancel-signin]').isExisting(), '"Waiting for you in your browser"');
    const url = await until(() => existsSync(urlFile) && readFileSync(urlFile, 'utf8'), 'the sign-in address handed to the browser');
    assert.match(url, /^http:\/\/127\.0\.0\.1:1780\/auth\?/);
    assert.match(url, /code_challenge_method=S256/);
    assert.match(url, /redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fcallback/);
    await shot(b, '71-signin-waiting');
    const page = await authorize(url, 'rep@example.test');
    assert.match(page.text, /You are signed in\. You can close this tab and return to Cadence\./);
    const signed = await until(async () => (await b.$('[data-testid=signed-in]').isExisting()) && b.$('[data-testid=signed-in]').getText(), '"Signed in as"');
    assert.equal(signed, 'Signed in as rep@example.test');
    await until(async () => (await statusText(b)) === 'Mailbox connected', 'the nav to say connected', 60_000);
    await shot(b, '72-signed-in');
    const shown = cli(ws, 'mailbox', 'show');
    assert.ok(shown.signed_in && shown.auth === 'oauth2' && shown.provider === 'google');

    // The approved email goes out; the prospect's reply stops the sequence.
    const sent = await until(() => cli(ws, 'mailbox', 'sends').find((s) => s.state === 'sent' && s.email === pat), 'the email sent', 60_000);
    await deliver({ from: pat, subject: 'Re: Quinnco', body: 'Sounds good, call me Thursday.\n\nPat', inReplyTo: sent.message_id });
    const toast = await until(async () => b.execute(() => [...document.querySelectorAll('.toast')].map((t) => t.textContent).find((t) => t.startsWith('Reply from')) ?? ''), 'the reply toast', 60_000);
    assert.equal(toast, "Reply from Pat Quinn · Quinnco — stopped 1 sequence", "the prospect by name and company");
    const p = cli(ws, 'prospect', 'show', pat);
    assert.deepEqual([p.enrollments[0].state, p.enrollments[0].exit_reason], ['exited', 'replied']);

    // Sign out: the sign-in leaves the keyring; the button offers it again.
    await b.$('[data-action=sign-out]').click();
    await until(() => b.$('[data-action=sign-in]').isExisting(), 'signed out');
    assert.equal(cli(ws, 'mailbox', 'show').signed_in, false);
    await shot(b, '73-signed-out');
  } finally {
    await app.stop();
  }
});
