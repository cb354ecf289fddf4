//! `cadence mailbox signin` and `mailbox test` against the loopback
//! provider and the test mail servers (`scripts/oauth-server start`,
//! `scripts/mail-server start`): the command prints the address to open,
//! the provider's page is driven as a browser would (authorize.mjs), the
//! sign-in lands in the keyring, the test says which login it used and that
//! the token refreshes; nothing the command prints holds a token.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};

use serde_json::Value;

fn repo() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."))
}

#[test]
fn signin_prints_the_address_waits_for_the_browser_and_the_test_reports_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cadence.db");
    let bin = assert_cmd::cargo::cargo_bin("cadence");
    let ca = repo().join("target/mail-server/tls/ca.pem");
    assert!(ca.exists(), "the test mail servers run");
    let cadence = |args: &[&str]| {
        let out = Command::new(&bin).arg("--db").arg(&db).args(args).env("CADENCE_KEYRING", "kernel").output().unwrap();
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    for (k, v) in [
        ("provider", "google"),
        ("address", "rep@example.test"),
        ("smtp_host", "127.0.0.1"),
        ("smtp_port", "1587"),
        ("imap_host", "127.0.0.1"),
        ("imap_port", "1993"),
        ("ca_file", ca.to_str().unwrap()),
        ("oauth_client_id", "cadence-test"),
        ("oauth_auth_url", "http://127.0.0.1:1780/auth"),
        ("oauth_token_url", "http://127.0.0.1:1780/token"),
        ("oauth_scopes", "openid email offline_access mail"),
    ] {
        assert!(cadence(&["mailbox", "set", k, v]).0, "mailbox set {k}");
    }
    assert!(cadence(&["mailbox", "signout"]).0);
    let (ok, _, err) = cadence(&["mailbox", "test"]);
    assert!(!ok && err.contains("not signed in for these servers"), "{err}");

    let mut child = Command::new(&bin)
        .arg("--db")
        .arg(&db)
        .args(["mailbox", "signin", "--no-browser"])
        .env("CADENCE_KEYRING", "kernel")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut said = String::new();
    let url = loop {
        let mut line = String::new();
        assert!(stderr.read_line(&mut line).unwrap() > 0, "the command ended before printing the address: {said}");
        said.push_str(&line);
        if let Some(u) = line.trim().strip_prefix("http://127.0.0.1:1780/auth?") {
            break format!("http://127.0.0.1:1780/auth?{u}");
        }
    };
    let browser = Command::new("node").arg(repo().join("tests/oauth-server/authorize.mjs")).arg(&url).output().unwrap();
    assert!(browser.status.success(), "{}", String::from_utf8_lossy(&browser.stderr));
    let out = child.wait_with_output().unwrap();
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stderr, &mut rest).unwrap();
    said.push_str(&rest);
    assert!(out.status.success(), "{said}");
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    assert_eq!(printed.trim(), "Signed in as rep@example.test; the sign-in is kept in the OS keyring.");

    let (ok, json, err) = cadence(&["--json", "mailbox", "test"]);
    assert!(ok, "{err}");
    let t: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (t["login"].as_str(), t["token_ok"].as_bool(), t["smtp_ok"].as_bool(), t["imap_ok"].as_bool()),
        (Some("oauth2"), Some(true), Some(true), Some(true))
    );
    let (_, human, _) = cadence(&["mailbox", "test"]);
    assert!(human.starts_with("Login: signed in with the provider (OAuth2)\nToken: the sign-in holds"), "{human}");

    // What the commands printed never holds the token.
    std::env::set_var("CADENCE_KEYRING", "kernel");
    let m = engine::Engine::open(&db, chrono::Utc::now()).unwrap().mailbox().unwrap();
    let refresh = workspace::keyring::get(&m, workspace::keyring::Kind::RefreshToken).unwrap();
    for text in [&said, &printed, &json, &human] {
        assert!(!text.contains(&refresh), "a refresh token was printed");
    }
    assert!(!std::fs::read(&db).unwrap().windows(refresh.len()).any(|w| w == refresh.as_bytes()));
    assert!(cadence(&["mailbox", "signout"]).0);
}
