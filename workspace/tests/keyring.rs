//! The password's round trip through the real OS keyring: the kernel keyring
//! always, and the Secret Service (gnome-keyring) where the test command
//! runs one (`CADENCE_TEST_SECRET_SERVICE=1`, under dbus-run-session).

use mail::MailError;
use workspace::keyring::{self as secret, Store};

fn round_trip(account: &str) {
    secret::delete_password(account).unwrap();
    assert!(matches!(secret::password(account), Err(MailError::NoPassword(_))));
    secret::save_password(account, "correct horse battery staple").unwrap();
    assert_eq!(secret::password(account).unwrap(), "correct horse battery staple");
    secret::save_password(account, "changed").unwrap();
    assert_eq!(secret::password(account).unwrap(), "changed", "saving again replaces");
    secret::delete_password(account).unwrap();
    let err = secret::password(account).unwrap_err();
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
