//! The mailbox's secrets (the password, or the OAuth2 refresh token), in the
//! OS keyring and nowhere else: the Secret Service (GNOME Keyring, KWallet)
//! on a desktop, the kernel keyring where there is none (a headless machine;
//! it lasts until reboot). Never logged, never returned to the UI, never
//! part of an error message.
//!
//! An entry is keyed by its kind, the login and where it may be used (the
//! servers' hosts, ports and security and, for a token, the token endpoint:
//! `MailboxSettings::secret_binding`). A mailbox pointed somewhere else finds
//! no secret, so the old one is never handed to the new server.

use keyring::{Entry, Error as KeyError};

use engine::mailbox::{Auth, MailboxSettings};
use mail::{MailError, Result};

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

/// What a keyring entry holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Password,
    RefreshToken,
}

impl Kind {
    fn as_str(self) -> &'static str {
        match self {
            Kind::Password => "password",
            Kind::RefreshToken => "refresh-token",
        }
    }

    /// The kind a mailbox logs in with.
    pub fn of(m: &MailboxSettings) -> Kind {
        match m.auth {
            Auth::Password => Kind::Password,
            Auth::OAuth2 => Kind::RefreshToken,
        }
    }
}

/// The entry's key: kind, login, and where the secret may be used.
fn key(m: &MailboxSettings, kind: Kind) -> String {
    format!("{}:{}:{}", kind.as_str(), m.login(), m.secret_binding())
}

/// Saves a secret for the mailbox `m` as it is set up now. Returns where it went.
pub fn save(m: &MailboxSettings, kind: Kind, secret: &str) -> Result<Store> {
    if secret.is_empty() {
        return Err(MailError::Keyring(format!("the {} is empty", kind.as_str().replace('-', " "))));
    }
    let store = store();
    entry(&key(m, kind), store)?.set_password(secret).map_err(|e| MailError::Keyring(describe(&e)))?;
    Ok(store)
}

/// The secret saved for the mailbox `m` as it is set up now.
pub fn get(m: &MailboxSettings, kind: Kind) -> Result<String> {
    let store = store();
    match entry(&key(m, kind), store)?.get_password() {
        Ok(p) => Ok(p),
        Err(KeyError::NoEntry) if kind == Kind::Password => adopt_unbound_password(m, store),
        Err(KeyError::NoEntry) => Err(MailError::NotSignedIn(m.login().into())),
        Err(e) => Err(MailError::Keyring(describe(&e))),
    }
}

/// A password saved by an earlier Cadence, keyed by the login alone: bound
/// to the servers the mailbox uses now (those it was last used with) and
/// moved under the new key, once.
fn adopt_unbound_password(m: &MailboxSettings, store: Store) -> Result<String> {
    let old = entry(m.login(), store)?;
    match old.get_password() {
        Ok(p) => {
            save(m, Kind::Password, &p)?;
            let _ = old.delete_credential();
            Ok(p)
        }
        Err(KeyError::NoEntry) => Err(MailError::NoPassword(m.login().to_string())),
        Err(e) => Err(MailError::Keyring(describe(&e))),
    }
}

/// A secret of the kind `m` logs in with is saved for its servers.
pub fn has_secret(m: &MailboxSettings) -> bool {
    get(m, Kind::of(m)).is_ok()
}

/// Forgets the secret (nothing to forget is fine).
pub fn delete(m: &MailboxSettings, kind: Kind) -> Result<()> {
    match entry(&key(m, kind), store())?.delete_credential() {
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

/// The team server's secret for this desktop's role, keyed by the server's
/// address and the role (a desktop pointed at another server finds none).
pub fn save_team(url: &str, secret: &str) -> Result<Store> {
    if secret.is_empty() {
        return Err(MailError::Keyring("the team secret is empty".into()));
    }
    let store = store();
    entry(&format!("team:{url}"), store)?.set_password(secret).map_err(|e| MailError::Keyring(describe(&e)))?;
    Ok(store)
}

pub fn get_team(url: &str) -> Result<Option<String>> {
    match entry(&format!("team:{url}"), store())?.get_password() {
        Ok(p) => Ok(Some(p)),
        Err(KeyError::NoEntry) => Ok(None),
        Err(e) => Err(MailError::Keyring(describe(&e))),
    }
}

pub fn delete_team(url: &str) -> Result<()> {
    match entry(&format!("team:{url}"), store())?.delete_credential() {
        Ok(()) | Err(KeyError::NoEntry) => Ok(()),
        Err(e) => Err(MailError::Keyring(describe(&e))),
    }
}
