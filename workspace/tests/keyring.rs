//! The password's round trip through the real OS keyring: the kernel keyring
//! always, and the Secret Service (gnome-keyring) where the test command
//! runs one (`CADENCE_TEST_SECRET_SERVICE=1`, under dbus-run-session).

use engine::mailbox::MailboxSettings;
use mail::MailError;
use workspace::keyring::{self as secret, Kind, Store};

fn mailbox(account: &str) -> MailboxSettings {
    let mut m = MailboxSettings::default();
    for (k, v) in [("address", account), ("smtp_host", "smtp.example.test"), ("imap_host", "imap.example.test")] {
        m.set(k, v).unwrap();
    }
    m
}

fn round_trip(account: &str) {
    let m = mailbox(account);
    secret::delete(&m, Kind::Password).unwrap();
    assert!(matches!(secret::get(&m, Kind::Password), Err(MailError::NoPassword(_))));
    secret::save(&m, Kind::Password, "correct horse battery staple").unwrap();
    assert_eq!(secret::get(&m, Kind::Password).unwrap(), "correct horse battery staple");
    secret::save(&m, Kind::Password, "changed").unwrap();
    assert_eq!(secret::get(&m, Kind::Password).unwrap(), "changed", "saving again replaces");

    // Bound to where it is used: another host, port or security finds nothing.
    for (k, v) in [("imap_host", "imap.elsewhere.test"), ("smtp_port", "2525"), ("imap_security", "starttls")] {
        let mut moved = m.clone();
        moved.set(k, v).unwrap();
        assert!(matches!(secret::get(&moved, Kind::Password), Err(MailError::NoPassword(_))), "{k} changed: no password handed over");
        assert!(!secret::has_secret(&moved));
    }
    // A refresh token is its own entry.
    assert!(matches!(secret::get(&m, Kind::RefreshToken), Err(MailError::NotSignedIn(_))));

    secret::delete(&m, Kind::Password).unwrap();
    let err = secret::get(&m, Kind::Password).unwrap_err();
    assert!(matches!(err, MailError::NoPassword(_)));
    assert!(!err.to_string().contains("changed"), "an error never shows the password");
}

#[test]
fn kernel_keyring_round_trip() {
    // SAFETY: single-threaded test process (nextest runs one test per process).
    unsafe { std::env::set_var("CADENCE_KEYRING", "kernel") };
    assert_eq!(secret::store(), Store::Kernel);
    round_trip("kernel-test@example.test");
}

#[test]
fn secret_service_round_trip() {
    if std::env::var("CADENCE_TEST_SECRET_SERVICE").as_deref() != Ok("1") {
        eprintln!("skipped: no Secret Service in this session (scripts/test runs one)");
        return;
    }
    unsafe { std::env::remove_var("CADENCE_KEYRING") };
    eprintln!("probe: {:?}", secret::probe_secret_service());
    assert_eq!(secret::store(), Store::SecretService, "gnome-keyring answers on the session bus");
    round_trip("secret-service-test@example.test");
}
