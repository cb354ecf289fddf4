//! Signing in with a provider (OAuth2), as the desktop and the CLI do it,
//! against real parts on loopback: the test authorization server
//! (oidc-provider, `scripts/oauth-server start`, access tokens that live
//! 60 s), Dovecot's oauth2 passdb introspecting the tokens for IMAP and
//! Postfix submission through Dovecot SASL for SMTP, and the real OS keyring.
//! The provider's page is driven like the rep's browser would be
//! (`tests/oauth-server/authorize.mjs`). Runs in the `mail-servers` group.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::time::{Duration, Instant};

use common::live::{reply, wait_for, Seen};
use common::Host;
use dto::{OutcomeInput, SendsKind};
use workspace::keyring::{self, Kind};
use workspace::{oauth, Event, PathImport};

const ISSUER: &str = "http://127.0.0.1:1780";

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

/// A workspace whose mailbox is the Google preset pointed at the loopback
/// provider and the test mail servers; a calendar that is always open.
fn google_at_loopback() -> Host {
    std::env::set_var("CADENCE_MAIL_BACKOFF_S", "1");
    std::env::set_var("CADENCE_KEYRING", "kernel");
    let h = Host::new(None);
    for (k, v) in
        [("working_days", "mon,tue,wed,thu,fri,sat,sun"), ("hours", "00:00-23:59"), ("sender_name", "Alex Rivera"), ("timezone", "UTC")]
    {
        h.ws.set_setting(k, v).unwrap();
    }
    let ca = repo().join("target/mail-server/tls/ca.pem");
    assert!(ca.exists(), "the test mail servers run (scripts/mail-server start)");
    h.ws.set_mailbox("provider", "google").unwrap();
    for (k, v) in [
        ("address", "rep@example.test"),
        ("smtp_host", "127.0.0.1"),
        ("smtp_port", "1587"),
        ("imap_host", "127.0.0.1"),
        ("imap_port", "1993"),
        ("ca_file", ca.to_str().unwrap()),
        ("oauth_client_id", "cadence-test"),
        ("oauth_auth_url", &format!("{ISSUER}/auth")),
        ("oauth_token_url", &format!("{ISSUER}/token")),
        ("oauth_scopes", "openid email offline_access mail"),
        ("spacing_s", "0"),
        ("jitter_pct", "0"),
    ] {
        h.ws.set_mailbox(k, v).unwrap();
    }
    // The kernel keyring outlives a test: start signed out.
    h.ws.sign_out().unwrap();
    h
}

/// Signs in as the rep would: Cadence makes the URL; the "browser" logs in
/// and consents on the provider's pages and is sent back to Cadence.
fn sign_in(h: &Host) {
    let signin = h.ws.begin_sign_in().unwrap();
    let url = signin.url.clone();
    assert!(url.contains("code_challenge_method=S256") && url.contains("state="), "{url}");
    let browser = std::thread::spawn(move || {
        std::process::Command::new("node").arg(repo().join("tests/oauth-server/authorize.mjs")).arg(&url).output().unwrap()
    });
    h.ws.finish_sign_in(signin).unwrap();
    let out = browser.join().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("You are signed in. You can close this tab and return to Cadence."));
    assert!(h.ws.mailbox().unwrap().signed_in);
}

fn enroll_one(h: &Host, who: &str) -> i64 {
    let seq = h.file("all-day.toml", include_str!("../../mail/tests/fixtures/all-day.toml"));
    if h.ws.sequences().unwrap().iter().all(|s| s.slug != "all-day") {
        h.ws.add_sequence(&seq).unwrap();
    }
    let csv = h.file("one.csv", &format!("email,first_name,company,timezone\n{who},Pat,Harbor Labs,UTC\n"));
    h.ws.import_path(&csv, &PathImport { enroll: Some("all-day"), ..Default::default() }, &mut |_, _| {}).unwrap();
    h.ws.queue(None, None).unwrap().items.into_iter().find(|i| i.email == who).unwrap().touch_id
}

fn sent_to(h: &Host, who: &str) -> usize {
    h.ws.sends(SendsKind::Sent).unwrap().iter().filter(|s| s.email == who).count()
}

fn revoke(refresh_token: &str) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let r = agent
        .post(&format!("{ISSUER}/token/revocation"))
        .send_form([("token", refresh_token), ("token_type_hint", "refresh_token"), ("client_id", "cadence-test")])
        .unwrap();
    assert_eq!(r.status().as_u16(), 200, "the provider revoked the refresh token");
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn sign_in_send_and_read_over_xoauth2_then_a_revoked_sign_in_waits_and_sends_once() {
    let h = google_at_loopback();
    let ws = &h.ws;
    assert!(!ws.mailbox().unwrap().signed_in);
    sign_in(&h);
    let m = ws.engine().lock().unwrap().mailbox().unwrap();
    let refresh = keyring::get(&m, Kind::RefreshToken).unwrap();

    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    ws.start_mail(rt.handle());
    let mut seen = Seen::default();
    wait_for(&h, "online", &mut seen, |e| matches!(e, Event::MailboxStatus(s) if s.state == "online"));

    // An approval goes out over XOAUTH2; the prospect's reply is read and stops the sequence.
    let who = format!("prospect+oauth{}-0@example.test", std::process::id());
    ws.complete(enroll_one(&h, &who), OutcomeInput::Approve { subject: None, body: None }).unwrap();
    wait_for(&h, "the email sent", &mut seen, |e| matches!(e, Event::MailSent(n) if *n >= 1));
    assert_eq!(sent_to(&h, &who), 1);
    let message_id = ws.sends(SendsKind::Sent).unwrap().into_iter().find(|s| s.email == who).unwrap().message_id.unwrap();
    reply(&rt, &who, &message_id, "Sounds good, call me Thursday.");
    wait_for(
        &h,
        "the reply read",
        &mut seen,
        |e| matches!(e, Event::MailReceived(r) if r.kind == "reply" && r.from.as_deref() == Some(who.as_str())),
    );
    let t = rt.block_on(ws.test_mailbox()).unwrap();
    assert!(t.smtp_ok && t.imap_ok && t.token_ok == Some(true) && t.login == "oauth2", "{t:?}", t = (&t.smtp, &t.imap, &t.token));

    // Secrets stay in the keyring: not in the database, not in what the window gets.
    let access = oauth::access_token(&m).unwrap();
    let window = format!("{}{}{:?}", serde_json::to_string(&ws.mailbox().unwrap()).unwrap(), serde_json::to_string(&t).unwrap(), seen.all);
    for (what, secret) in [("refresh token", &refresh), ("access token", &access)] {
        for file in ["data/cadence.db", "data/cadence.db-wal"] {
            let bytes = std::fs::read(h.dir.path().join(file)).unwrap_or_default();
            assert!(!contains(&bytes, secret), "the {what} is in {file}");
        }
        assert!(!window.contains(secret.as_str()), "the {what} reached the window");
    }

    // The provider revokes the sign-in: mail waits, the nav says "sign in again".
    revoke(&refresh);
    oauth::forget(&m); // the access token in memory ends with it
    let second = format!("prospect+oauth{}-1@example.test", std::process::id());
    ws.complete(enroll_one(&h, &second), OutcomeInput::Approve { subject: None, body: None }).unwrap();
    wait_for(&h, "sign in again", &mut seen, |e| matches!(e, Event::MailboxStatus(s) if s.code == Some("mailbox_sign_in_again")));
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(sent_to(&h, &second), 0, "nothing went while signed out");
    assert_eq!(ws.sends(SendsKind::Waiting).unwrap().iter().filter(|s| s.email == second).count(), 1, "the approved email waits");

    // Signed in again: the waiting email goes, once.
    sign_in(&h);
    wait_for(&h, "online again", &mut seen, |e| matches!(e, Event::MailboxStatus(s) if s.state == "online"));
    let until = Instant::now() + Duration::from_secs(45);
    while sent_to(&h, &second) == 0 && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(sent_to(&h, &second), 1, "sent exactly once after signing in again");
    ws.stop_mail();
    ws.sign_out().unwrap();
    assert!(keyring::get(&m, Kind::RefreshToken).is_err(), "signed out: the refresh token left the keyring");
}

#[test]
fn tokens_that_live_a_minute_are_refreshed_through_a_three_minute_run() {
    let h = google_at_loopback();
    sign_in(&h);
    let m = h.ws.engine().lock().unwrap().mailbox().unwrap();
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    h.ws.start_mail(rt.handle());
    let start = Instant::now();
    let mut tokens = std::collections::BTreeSet::new();
    let mut sent = Vec::new();
    let mut n = 0;
    while start.elapsed() < Duration::from_secs(180) {
        let who = format!("prospect+ttl{}-{n}@example.test", std::process::id());
        h.ws.complete(enroll_one(&h, &who), OutcomeInput::Approve { subject: None, body: None }).unwrap();
        sent.push(who);
        n += 1;
        tokens.insert(oauth::access_token(&m).unwrap());
        std::thread::sleep(Duration::from_secs(15));
    }
    let until = Instant::now() + Duration::from_secs(60);
    while sent.iter().any(|w| sent_to(&h, w) == 0) && Instant::now() < until {
        std::thread::sleep(Duration::from_millis(200));
    }
    h.ws.stop_mail();
    for w in &sent {
        assert_eq!(sent_to(&h, w), 1, "{w} sent once");
    }
    assert!(h.ws.sends(SendsKind::Failed).unwrap().is_empty(), "no failed send");
    assert!(tokens.len() >= 3, "the access token was refreshed as it expired: {} tokens in 3 minutes", tokens.len());
    h.ws.sign_out().unwrap();
}

#[test]
fn a_redirect_with_the_wrong_state_is_refused() {
    let h = google_at_loopback();
    let signin = h.ws.begin_sign_in().unwrap();
    let url = url::Url::parse(&signin.url).unwrap();
    let redirect = url.query_pairs().find(|(k, _)| k == "redirect_uri").unwrap().1.into_owned();
    let forger = std::thread::spawn(move || {
        let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
        let mut r = agent.get(&format!("{redirect}?code=stolen-code&state=not-the-state")).call().unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    });
    let Err(e) = h.ws.finish_sign_in(signin) else { panic!("a forged redirect signed in") };
    assert!(e.to_string().contains("wrong state"), "{e}");
    let (status, page) = forger.join().unwrap();
    assert_eq!(status, 400);
    assert!(page.contains("was not started by this Cadence window"), "{page}");
    assert!(!h.ws.mailbox().unwrap().signed_in);
}

/// A server on loopback that greets like IMAP and records what it is sent.
fn listening_imap() -> (u16, std::sync::Arc<std::sync::Mutex<Vec<u8>>>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    let got = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let g = got.clone();
    std::thread::spawn(move || {
        for mut s in l.incoming().flatten() {
            let _ = s.write_all(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 AUTH=OAUTHBEARER] ready\r\n");
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0u8; 4096];
            while let Ok(n) = s.read(&mut buf) {
                if n == 0 {
                    break;
                }
                g.lock().unwrap().extend_from_slice(&buf[..n]);
                let _ = s.write_all(b"+ \r\n");
            }
        }
    });
    (port, got)
}

#[test]
fn a_saved_mailbox_pointed_at_another_host_never_sends_it_the_old_secret() {
    let h = google_at_loopback();
    sign_in(&h);
    let m = h.ws.engine().lock().unwrap().mailbox().unwrap();
    let refresh = keyring::get(&m, Kind::RefreshToken).unwrap();
    let access = oauth::access_token(&m).unwrap();
    let (port, got) = listening_imap();
    for (k, v) in [("imap_host", "localhost"), ("imap_port", &port.to_string()), ("imap_security", "plain")] {
        h.ws.set_mailbox(k, v).unwrap();
    }
    assert!(!h.ws.mailbox().unwrap().signed_in, "not signed in for the new server");
    let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    let Err(e) = rt.block_on(h.ws.test_mailbox()) else { panic!("the test logged in to the new host") };
    assert_eq!(e.code().as_str(), "mailbox_not_set_up", "{e}");
    assert!(e.to_string().contains("not signed in for these servers"), "{e}");
    h.ws.start_mail(rt.handle());
    std::thread::sleep(Duration::from_secs(3));
    h.ws.stop_mail();
    let seen = got.lock().unwrap().clone();
    assert!(!contains(&seen, &access) && !contains(&seen, &refresh), "a token reached the new host");
    assert!(!contains(&seen, "AUTHENTICATE") && !contains(&seen, "LOGIN"), "no login was tried: {}", String::from_utf8_lossy(&seen));
    // Back to the old servers: the sign-in is still there for them.
    for (k, v) in [("imap_host", "127.0.0.1"), ("imap_port", "1993"), ("imap_security", "tls")] {
        h.ws.set_mailbox(k, v).unwrap();
    }
    assert!(h.ws.mailbox().unwrap().signed_in);
    h.ws.sign_out().unwrap();
}
