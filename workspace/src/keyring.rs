//! The mailbox password, in the OS keyring and nowhere else: the Secret
//! Service (GNOME Keyring, KWallet) on a desktop, the kernel keyring where
//! there is none (a headless machine; it lasts until reboot). Never logged,
//! never returned to the UI, never part of an error message.

use keyring::{Entry, Error as KeyError};

use std::sync::Arc;

use mail::{Credentials, MailError, Result};

const SERVICE: &str = "app.cadence.mailbox";

/// Which keyring holds the password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    SecretService,
    Kernel,
}

impl Store {
    pub fn label(self) -> &'static str {
        match self {
            Store::SecretService => "the desktop keyring (Secret Service)",
            Store::Kernel => "the kernel keyring (kept until the computer restarts)",
        }
    }
}

/// The store to use: `CADENCE_KEYRING=secret-service|kernel` forces one;
/// otherwise the Secret Service when it answers, else the kernel keyring.
pub fn store() -> Store {
    match std::env::var("CADENCE_KEYRING").as_deref() {
        Ok("kernel") => return Store::Kernel,
        Ok("secret-service") => return Store::SecretService,
        _ => {}
    }
    match probe_secret_service() {
        Ok(()) => Store::SecretService,
        Err(_) => Store::Kernel,
    }
}

/// Whether the Secret Service answers (and why not).
pub fn probe_secret_service() -> Result<(), String> {
    match secret_service_entry("probe").and_then(|e| e.get_password()) {
        Ok(_) | Err(KeyError::NoEntry) => Ok(()),
        Err(e) => Err(format!("{e:?}")),
    }
}

fn secret_service_entry(account: &str) -> keyring::Result<Entry> {
    let cred = keyring::secret_service::SsCredential::new_with_target(None, SERVICE, account)?;
    Ok(Entry::new_with_credential(Box::new(cred)))
}

fn entry(account: &str, store: Store) -> Result<Entry> {
    let made = match store {
        Store::SecretService => secret_service_entry(account),
        // The user keyring: shared by the user's processes (the app and the
        // CLI) until reboot. Not the "persistent" keyring, which containers
        // and some kernels refuse.
        Store::Kernel => linux_keyutils::KeyRing::from_special_id(linux_keyutils::KeyRingIdentifier::User, true)
            .map_err(|e| KeyError::PlatformFailure(Box::new(e)))
            .map(|user| {
                let cred =
                    keyring::keyutils::KeyutilsCredential { session: user, persistent: None, description: format!("{SERVICE}:{account}") };
                Entry::new_with_credential(Box::new(cred))
            }),
    };
    made.map_err(|e| MailError::Keyring(describe(&e)))
}

/// Saves the password for `account` (the login). Returns where it went.
pub fn save_password(account: &str, password: &str) -> Result<Store> {
    if password.is_empty() {
        return Err(MailError::Keyring("the password is empty".into()));
    }
    let store = store();
    entry(account, store)?.set_password(password).map_err(|e| MailError::Keyring(describe(&e)))?;
    Ok(store)
}

/// The saved password for `account`.
pub fn password(account: &str) -> Result<String> {
    match entry(account, store())?.get_password() {
        Ok(p) => Ok(p),
        Err(KeyError::NoEntry) => Err(MailError::NoPassword(account.to_string())),
        Err(e) => Err(MailError::Keyring(describe(&e))),
    }
}

pub fn has_password(account: &str) -> bool {
    password(account).is_ok()
}

/// Forgets the password for `account` (nothing to forget is fine).
pub fn delete_password(account: &str) -> Result<()> {
    match entry(account, store())?.delete_credential() {
        Ok(()) | Err(KeyError::NoEntry) => Ok(()),
        Err(e) => Err(MailError::Keyring(describe(&e))),
    }
}

/// The keyring's error without anything it may have echoed back.
fn describe(e: &KeyError) -> String {
    match e {
        KeyError::PlatformFailure(_) => "the keyring service failed".into(),
        KeyError::NoStorageAccess(_) => "the keyring is locked or not running".into(),
        KeyError::NoEntry => "no entry".into(),
        KeyError::TooLong(what, max) => format!("the {what} is longer than {max} characters"),
        KeyError::Invalid(what, why) => format!("invalid {what}: {why}"),
        other => format!("{other}"),
    }
}

/// The mail loops' credentials: the saved password for the mailbox's login,
/// read from the keyring before each connection.
pub fn credentials() -> Credentials {
    Arc::new(|m| password(m.login()))
}
