//! Signing in with Google or Microsoft 365: OAuth 2.0 for native apps
//! (RFC 8252). The provider's page opens in the rep's own browser (the
//! front end opens the URL; never a web view of ours), the authorization
//! code comes back to a one-shot listener on 127.0.0.1 on a port the OS
//! picks, protected by PKCE S256 (RFC 7636) and a `state` checked on return.
//! The refresh token goes to the OS keyring only; access tokens live in
//! memory, are refreshed before they expire and once more when a server
//! refuses one. A refresh the provider refuses (revoked, password changed,
//! consent withdrawn) puts the mailbox in "sign in again": mail waits,
//! nothing is lost, and signing in again replaces the dead refresh token.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use engine::mailbox::{Auth, MailboxSettings};
use mail::{MailError, Secret, Secrets};
use sha2::{Digest, Sha256};

use crate::keyring::{self, Kind};
use crate::{Error, Result};

/// How long a sign-in waits for the rep to finish in the browser.
pub const WAIT: Duration = Duration::from_secs(300);

/// Access tokens in memory, by keyring key (login and where it may be used).
static TOKENS: LazyLock<Mutex<HashMap<String, Access>>> = LazyLock::new(Default::default);

#[derive(Clone)]
struct Access {
    token: String,
    expires: Instant,
    lifetime: Duration,
}

impl Access {
    /// Fresh enough to use: not within a quarter of its life (at most a
    /// minute) of expiring.
    fn fresh(&self) -> bool {
        let margin = (self.lifetime / 4).min(Duration::from_secs(60));
        Instant::now() + margin < self.expires
    }
}

fn cache_key(m: &MailboxSettings) -> String {
    format!("{}:{}", m.login(), m.secret_binding())
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn random(n: usize) -> Result<String> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).map_err(|e| Error::mailbox(format!("no randomness for the sign-in: {e}")))?;
    Ok(b64(&bytes))
}

/// A sign-in under way: the URL to open, and the listener its redirect
/// comes back to.
pub struct SignIn {
    pub url: String,
    listener: TcpListener,
    redirect_uri: String,
    verifier: String,
    state: String,
    mailbox: MailboxSettings,
    cancel: Arc<AtomicBool>,
}

/// Starts a sign-in for the mailbox `m` (which must be set up for OAuth2).
pub fn begin(m: &MailboxSettings) -> Result<SignIn> {
    if m.auth != Auth::OAuth2 {
        return Err(Error::Invalid("this mailbox logs in with a password; choose Google or Microsoft 365 to sign in".into()));
    }
    if m.address.is_empty() || m.oauth_client_id.is_empty() || m.oauth_auth_url.is_empty() || m.oauth_token_url.is_empty() {
        return Err(Error::Invalid(
            "enter the address and the OAuth client ID first (your admin registers the app: see the README, \"Connect a mailbox\")".into(),
        ));
    }
    m.check_secure()?;
    let listener = TcpListener::bind(("127.0.0.1", 0)).map_err(|e| Error::mailbox(format!("cannot listen for the sign-in: {e}")))?;
    let port = listener.local_addr().map_err(|e| Error::mailbox(e.to_string()))?.port();
    let redirect_uri = format!("http://127.0.0.1:{port}/callback");
    let verifier = random(32)?;
    let state = random(16)?;
    let challenge = b64(&Sha256::digest(verifier.as_bytes()));
    let mut url = url::Url::parse(&m.oauth_auth_url).map_err(|e| Error::Invalid(format!("oauth_auth_url: {e}")))?;
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code")
            .append_pair("client_id", &m.oauth_client_id)
            .append_pair("redirect_uri", &redirect_uri)
            .append_pair("scope", &m.oauth_scopes)
            .append_pair("state", &state)
            .append_pair("code_challenge", &challenge)
            .append_pair("code_challenge_method", "S256")
            .append_pair("login_hint", m.login());
        for (k, v) in engine::providers::preset(m.provider).map_or(&[][..], |p| p.extra_auth_params) {
            q.append_pair(k, v);
        }
    }
    Ok(SignIn {
        url: url.to_string(),
        listener,
        redirect_uri,
        verifier,
        state,
        mailbox: m.clone(),
        cancel: Arc::new(AtomicBool::new(false)),
    })
}

/// What came back to the listener.
enum Redirect {
    Code(String),
    Refused(String),
}

impl SignIn {
    /// Stops a `finish` waiting on another thread.
    pub fn canceller(&self) -> Arc<AtomicBool> {
        self.cancel.clone()
    }

    /// Waits for the browser's redirect (up to `wait`), checks `state`,
    /// trades the code (with the PKCE verifier) for tokens and saves the
    /// refresh token in the keyring. The browser is told it can return to
    /// Cadence.
    pub fn finish(self, wait: Duration) -> Result<()> {
        self.listener.set_nonblocking(true).map_err(|e| Error::mailbox(e.to_string()))?;
        let deadline = Instant::now() + wait;
        let code = loop {
            if self.cancel.load(Ordering::SeqCst) {
                return Err(Error::Invalid("the sign-in was cancelled".into()));
            }
            if Instant::now() > deadline {
                return Err(Error::Invalid("the sign-in timed out: nothing came back from the browser".into()));
            }
            match self.listener.accept() {
                Ok((stream, _)) => match self.answer(stream) {
                    Some(Redirect::Code(code)) => break code,
                    Some(Redirect::Refused(why)) => return Err(Error::Invalid(why)),
                    None => continue,
                },
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => std::thread::sleep(Duration::from_millis(50)),
                Err(e) => return Err(Error::mailbox(format!("the sign-in listener failed: {e}"))),
            }
        };
        drop(self.listener);
        let m = &self.mailbox;
        let mut form = vec![
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("redirect_uri", self.redirect_uri.as_str()),
            ("client_id", m.oauth_client_id.as_str()),
            ("code_verifier", self.verifier.as_str()),
        ];
        if !m.oauth_client_secret.is_empty() {
            form.push(("client_secret", m.oauth_client_secret.as_str()));
        }
        let t = token_request(m, &form).map_err(Error::from)?;
        let refresh = t.refresh_token.clone().ok_or_else(|| {
            Error::mailbox(
                "the provider gave no refresh token, so Cadence could not stay signed in; check the app registration's offline access",
            )
        })?;
        keyring::save(m, Kind::RefreshToken, &refresh)?;
        remember(m, &t);
        Ok(())
    }

    /// Reads one request; answers the browser. `None`: not the redirect
    /// (a favicon, a stray request): keep waiting.
    fn answer(&self, mut stream: TcpStream) -> Option<Redirect> {
        let _ = stream.set_nonblocking(false);
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let mut buf = vec![0u8; 8192];
        let mut len = 0;
        while len < buf.len() {
            match stream.read(&mut buf[len..]) {
                Ok(0) => break,
                Ok(n) => {
                    len += n;
                    if buf[..len].windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        let head = String::from_utf8_lossy(&buf[..len]);
        let target = head.lines().next().and_then(|l| l.strip_prefix("GET ")).and_then(|l| l.split(' ').next()).unwrap_or("");
        let Ok(url) = url::Url::parse(&format!("http://127.0.0.1{target}")) else {
            page(&mut stream, 400, "That was not a sign-in.");
            return None;
        };
        if url.path() != "/callback" {
            page(&mut stream, 404, "Nothing here.");
            return None;
        }
        let q: HashMap<String, String> = url.query_pairs().into_owned().collect();
        if q.get("state").is_none_or(|s| !same(s, &self.state)) {
            page(&mut stream, 400, "This sign-in was not started by this Cadence window, so it was refused. Start it again from Cadence.");
            return Some(Redirect::Refused("the sign-in came back with the wrong state and was refused; start it again".into()));
        }
        if let Some(e) = q.get("error") {
            let why = q.get("error_description").map_or(e.clone(), |d| format!("{e}: {d}"));
            page(&mut stream, 200, "The sign-in did not complete. You can close this tab and try again from Cadence.");
            return Some(Redirect::Refused(format!("the provider did not sign you in ({})", one_line(&why))));
        }
        match q.get("code") {
            Some(code) if !code.is_empty() => {
                page(&mut stream, 200, "You are signed in. You can close this tab and return to Cadence.");
                Some(Redirect::Code(code.clone()))
            }
            _ => {
                page(&mut stream, 400, "The sign-in came back without a code. Try again from Cadence.");
                Some(Redirect::Refused("the sign-in came back without a code".into()))
            }
        }
    }
}

/// Compares without stopping at the first difference.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn one_line(s: &str) -> String {
    s.chars().filter(|c| !c.is_control()).take(200).collect()
}

/// A small page for the browser tab the provider sent back.
fn page(stream: &mut TcpStream, status: u16, text: &str) {
    let body = format!(
        "<!doctype html><meta charset=utf-8><title>Cadence</title>\
         <body style=\"font:16px system-ui,sans-serif;margin:15vh auto;max-width:32em;color:#222\">\
         <h1 style=\"font-size:20px\">Cadence</h1><p>{text}</p></body>"
    );
    let reason = if status == 200 { "OK" } else { "Bad Request" };
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Security-Policy: default-src 'none'; style-src 'unsafe-inline'\r\n\
         Cache-Control: no-store\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// The token endpoint's answer.
#[derive(serde::Deserialize)]
struct TokenReply {
    access_token: Option<String>,
    expires_in: Option<u64>,
    refresh_token: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

fn token_request(m: &MailboxSettings, form: &[(&str, &str)]) -> mail::Result<TokenReply> {
    let server = url::Url::parse(&m.oauth_token_url).ok().and_then(|u| u.host_str().map(str::to_string)).unwrap_or_default();
    let agent: ureq::Agent =
        ureq::Agent::config_builder().http_status_as_error(false).timeout_global(Some(Duration::from_secs(30))).build().into();
    let mut resp = agent
        .post(&m.oauth_token_url)
        .header("Accept", "application/json")
        .send_form(form.iter().copied())
        .map_err(|e| MailError::Unreachable { server: server.clone(), detail: e.to_string() })?;
    let status = resp.status().as_u16();
    let body = resp.body_mut().read_to_string().map_err(|e| MailError::Unreachable { server: server.clone(), detail: e.to_string() })?;
    let reply: TokenReply = serde_json::from_str(&body).map_err(|_| MailError::Protocol {
        server: server.clone(),
        detail: format!("the token endpoint answered {status} with something else than JSON"),
    })?;
    if let Some(error) = &reply.error {
        let detail = one_line(&reply.error_description.clone().map_or(error.clone(), |d| format!("{error}: {d}")));
        // RFC 6749 §5.2: the grant (code or refresh token) is no good any more.
        if error == "invalid_grant" || error == "unauthorized_client" || error == "invalid_client" {
            return Err(MailError::SignInAgain { account: m.login().into(), detail: format!("{server} refused the sign-in ({detail})") });
        }
        return Err(MailError::Protocol { server, detail });
    }
    if reply.access_token.is_none() {
        return Err(MailError::Protocol { server, detail: format!("the token endpoint answered {status} without an access token") });
    }
    Ok(reply)
}

fn remember(m: &MailboxSettings, t: &TokenReply) {
    if let Some(token) = &t.access_token {
        let lifetime = Duration::from_secs(t.expires_in.unwrap_or(3600));
        lock(&TOKENS).insert(cache_key(m), Access { token: token.clone(), expires: Instant::now() + lifetime, lifetime });
    }
}

/// A fresh access token for the mailbox `m`: the one in memory, or one
/// refreshed now with the saved refresh token (a new refresh token the
/// provider hands back replaces the old one).
pub fn access_token(m: &MailboxSettings) -> mail::Result<String> {
    if let Some(a) = lock(&TOKENS).get(&cache_key(m)).filter(|a| a.fresh()) {
        return Ok(a.token.clone());
    }
    refresh(m)
}

/// Refreshes the access token now.
pub fn refresh(m: &MailboxSettings) -> mail::Result<String> {
    let refresh = keyring::get(m, Kind::RefreshToken)?;
    let mut form = vec![("grant_type", "refresh_token"), ("refresh_token", refresh.as_str()), ("client_id", m.oauth_client_id.as_str())];
    if !m.oauth_client_secret.is_empty() {
        form.push(("client_secret", m.oauth_client_secret.as_str()));
    }
    match token_request(m, &form) {
        Ok(t) => {
            if let Some(new) = t.refresh_token.as_deref().filter(|n| *n != refresh) {
                keyring::save(m, Kind::RefreshToken, new)?;
            }
            remember(m, &t);
            Ok(t.access_token.unwrap_or_default())
        }
        Err(e @ MailError::SignInAgain { .. }) => {
            // Revoked or expired for good: the rep signs in again. The dead
            // refresh token stays until then (or Sign out), so every retry
            // says "sign in again" rather than "not set up".
            forget(m);
            Err(e)
        }
        Err(e) => Err(e),
    }
}

/// Drops the access token in memory (a server refused it).
pub fn forget(m: &MailboxSettings) {
    lock(&TOKENS).remove(&cache_key(m));
}

/// Signs out: the refresh token leaves the keyring, the access token memory.
pub fn sign_out(m: &MailboxSettings) -> mail::Result<()> {
    forget(m);
    keyring::delete(m, Kind::RefreshToken)
}

/// The mail loops' secrets: the saved password, or a fresh access token.
struct KeyringSecrets;

impl Secrets for KeyringSecrets {
    fn secret(&self, m: &MailboxSettings) -> mail::Result<Secret> {
        match m.auth {
            Auth::Password => keyring::get(m, Kind::Password).map(Secret::Password),
            Auth::OAuth2 => access_token(m).map(Secret::Bearer),
        }
    }

    fn refused(&self, m: &MailboxSettings) {
        forget(m);
    }
}

pub fn credentials() -> mail::Credentials {
    Arc::new(KeyringSecrets)
}

/// The mail loops' secrets, and the team's word before each email: on a
/// team, the server is asked whether the address may be mailed.
pub(crate) struct TeamGate {
    pub engine: mail::SharedEngine,
    pub client: tokio::sync::Mutex<Option<team::Client>>,
}

impl Secrets for TeamGate {
    fn secret(&self, m: &MailboxSettings) -> mail::Result<Secret> {
        KeyringSecrets.secret(m)
    }

    fn refused(&self, m: &MailboxSettings) {
        KeyringSecrets.refused(m)
    }

    fn may_send<'a>(&'a self, to: &'a str) -> futures::future::BoxFuture<'a, Option<String>> {
        Box::pin(async move {
            let settings = self.engine.lock().ok()?.team().ok()??;
            let mut held = self.client.lock().await;
            if held.as_ref().is_none_or(team::Client::is_closed) {
                let (target, _) = team::Target::parse(&settings.url).ok()?;
                let secret = keyring::get_team(&settings.url).ok()??;
                *held = team::Client::connect(&target, Some(&secret)).await.ok();
            }
            // Unreachable: the grace on this desktop's copy of the list decides
            // (the engine holds emails once it has passed).
            let answer = held.as_ref()?.may_send(to).await;
            match answer {
                Ok(m) if !m.ok => Some(m.why.unwrap_or_else(|| format!("{to} is on the team do-not-contact list"))),
                Ok(_) => None,
                Err(_) => {
                    *held = None;
                    None
                }
            }
        })
    }
}
