//! The rep's mailbox: where to send and read mail, how to log in, and the
//! sending rules. The password and the refresh token are not here: they live
//! in the OS keyring only, under a key bound to where they are used
//! ([`MailboxSettings::secret_binding`]).

use crate::error::Error;
pub use crate::providers::{Auth, Provider};

crate::domain::str_enum!(
    /// How a connection is secured. `plain` is refused for anything but loopback.
    Security { StartTls = "starttls", Tls = "tls", Plain = "plain" }
);

#[derive(Debug, Clone, PartialEq)]
pub struct MailboxSettings {
    /// The rep's address: the sender of every email and the login by default.
    pub address: String,
    /// The login name, when it differs from the address.
    pub username: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: Security,
    pub imap_host: String,
    pub imap_port: u16,
    pub imap_security: Security,
    /// A PEM file with an extra certificate authority to trust (a self-hosted server).
    pub ca_file: Option<String>,
    /// At most this many emails a day (rep's calendar day).
    pub daily_cap: u32,
    /// Seconds between two sends, before jitter.
    pub spacing_s: u32,
    /// Jitter on the spacing, in percent either way.
    pub jitter_pct: u32,
    /// The server files sent mail in Sent by itself (Gmail, Microsoft 365).
    pub server_saves_sent: bool,
    /// Folders to watch besides INBOX and the junk folder.
    pub folders: Vec<String>,
    /// Hold a send when anyone at the prospect's company wrote since the last touch.
    pub hold_on_company_mail: bool,
    /// Pause the other enrollments at a company when one of its people replies.
    pub pause_company_on_reply: bool,
    /// Business days an out-of-office pauses a prospect when it names no return date.
    pub ooo_default_days: u32,
    /// Seconds a message left "sending" by a crash is given to show up in the
    /// mailbox before it is looked up and, if absent, sent again.
    pub recovery_grace_s: u32,
    /// The provider chosen (its preset filled the servers and sign-in).
    pub provider: Provider,
    /// A password, or OAuth2 sign-in (XOAUTH2).
    pub auth: Auth,
    /// The OAuth client the rep's company registered (see the README).
    pub oauth_client_id: String,
    /// Google's installed-app clients have a client secret that is not
    /// secret (RFC 8252 §8.5): a setting, not a keyring entry.
    pub oauth_client_secret: String,
    pub oauth_auth_url: String,
    pub oauth_token_url: String,
    /// Space-separated.
    pub oauth_scopes: String,
    /// Put a List-Unsubscribe header on every email. Off by default: mail
    /// with List-* headers gets no automatic replies from RFC 5230
    /// responders (Sieve vacation), so out-of-office and "left the company"
    /// notes would never arrive; the opt-out line in the body stays either way.
    pub list_unsubscribe: bool,
    /// Refusals of the rep's own sending in 24 hours that pause sending (0: never pause).
    pub refusals_to_pause: u32,
}

impl Default for MailboxSettings {
    fn default() -> Self {
        MailboxSettings {
            address: String::new(),
            username: String::new(),
            smtp_host: String::new(),
            smtp_port: 587,
            smtp_security: Security::StartTls,
            imap_host: String::new(),
            imap_port: 993,
            imap_security: Security::Tls,
            ca_file: None,
            daily_cap: 40,
            spacing_s: 120,
            jitter_pct: 30,
            server_saves_sent: false,
            folders: Vec::new(),
            hold_on_company_mail: false,
            pause_company_on_reply: false,
            ooo_default_days: 5,
            recovery_grace_s: 600,
            provider: Provider::Other,
            auth: Auth::Password,
            oauth_client_id: String::new(),
            oauth_client_secret: String::new(),
            oauth_auth_url: String::new(),
            oauth_token_url: String::new(),
            oauth_scopes: String::new(),
            list_unsubscribe: false,
            refusals_to_pause: 3,
        }
    }
}

/// The settings a rep can change, by key, as the CLI and the app's form take them.
pub const KEYS: &[&str] = &[
    "address",
    "username",
    "smtp_host",
    "smtp_port",
    "smtp_security",
    "imap_host",
    "imap_port",
    "imap_security",
    "ca_file",
    "daily_cap",
    "spacing_s",
    "jitter_pct",
    "server_saves_sent",
    "folders",
    "hold_on_company_mail",
    "pause_company_on_reply",
    "ooo_default_days",
    "recovery_grace_s",
    "provider",
    "auth",
    "oauth_client_id",
    "oauth_client_secret",
    "oauth_auth_url",
    "oauth_token_url",
    "oauth_scopes",
    "list_unsubscribe",
    "refusals_to_pause",
];

impl MailboxSettings {
    pub fn is_configured(&self) -> bool {
        let servers = !self.address.is_empty() && !self.smtp_host.is_empty() && !self.imap_host.is_empty();
        servers && (self.auth == Auth::Password || !self.oauth_client_id.is_empty() && !self.oauth_token_url.is_empty())
    }

    /// Where a saved secret may be used: the servers (host, port, security)
    /// and, for OAuth2, the token endpoint. The keyring entry's key includes
    /// it, so changing any of them never hands the old secret to a new
    /// server: the rep types the password or signs in again.
    pub fn secret_binding(&self) -> String {
        let mut b = format!(
            "imap={}:{}:{};smtp={}:{}:{}",
            self.imap_host, self.imap_port, self.imap_security, self.smtp_host, self.smtp_port, self.smtp_security
        );
        if self.auth == Auth::OAuth2 {
            b.push_str(&format!(";token={};client={}", self.oauth_token_url, self.oauth_client_id));
        }
        b
    }

    /// Fills the servers and sign-in from a provider's preset; `other`
    /// keeps the servers and logs in with a password.
    pub fn apply_preset(&mut self, provider: Provider) {
        self.provider = provider;
        let Some(p) = crate::providers::preset(provider) else {
            self.auth = Auth::Password;
            return;
        };
        (self.imap_host, self.imap_port, self.imap_security) = (p.imap.0.into(), p.imap.1, p.imap.2);
        (self.smtp_host, self.smtp_port, self.smtp_security) = (p.smtp.0.into(), p.smtp.1, p.smtp.2);
        self.server_saves_sent = p.saves_sent;
        self.auth = Auth::OAuth2;
        self.oauth_auth_url = p.auth_url.into();
        self.oauth_token_url = p.token_url.into();
        self.oauth_scopes = p.scopes.into();
    }

    pub fn login(&self) -> &str {
        if self.username.is_empty() {
            &self.address
        } else {
            &self.username
        }
    }

    /// The domain of the rep's address.
    pub fn domain(&self) -> &str {
        self.address.rsplit_once('@').map_or("localhost", |(_, d)| d)
    }

    /// Sets one setting from text.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), Error> {
        let v = value.trim();
        let number = |max: u32| -> Result<u32, Error> {
            v.parse::<u32>()
                .ok()
                .filter(|n| *n <= max)
                .ok_or_else(|| Error::Invalid(format!("{key} must be a whole number from 0 to {max}, not \"{v}\"")))
        };
        let port = || -> Result<u16, Error> {
            v.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| Error::Invalid(format!("{key} must be a port number, not \"{v}\"")))
        };
        let security =
            || Security::parse(&v.to_lowercase()).ok_or_else(|| Error::Invalid(format!("{key} must be one of {}", Security::expected())));
        let flag = || match v.to_lowercase().as_str() {
            "true" | "yes" | "on" | "1" => Ok(true),
            "false" | "no" | "off" | "0" => Ok(false),
            _ => Err(Error::Invalid(format!("{key} must be yes or no, not \"{v}\""))),
        };
        match key {
            "address" => {
                let a = v.to_lowercase();
                if !crate::domain::is_valid_email(&a) {
                    return Err(Error::Invalid(format!("\"{v}\" is not an email address")));
                }
                self.address = a;
            }
            "username" => self.username = v.to_string(),
            "smtp_host" => self.smtp_host = host(v)?,
            "smtp_port" => self.smtp_port = port()?,
            "smtp_security" => self.smtp_security = security()?,
            "imap_host" => self.imap_host = host(v)?,
            "imap_port" => self.imap_port = port()?,
            "imap_security" => self.imap_security = security()?,
            "ca_file" => self.ca_file = (!v.is_empty()).then(|| v.to_string()),
            "daily_cap" => self.daily_cap = number(2_000)?,
            "spacing_s" => self.spacing_s = number(86_400)?,
            "jitter_pct" => self.jitter_pct = number(90)?,
            "server_saves_sent" => self.server_saves_sent = flag()?,
            "folders" => self.folders = v.split(',').map(str::trim).filter(|f| !f.is_empty()).map(str::to_string).collect(),
            "hold_on_company_mail" => self.hold_on_company_mail = flag()?,
            "pause_company_on_reply" => self.pause_company_on_reply = flag()?,
            "ooo_default_days" => self.ooo_default_days = number(60)?,
            "recovery_grace_s" => self.recovery_grace_s = number(86_400)?,
            "provider" => self.apply_preset(
                Provider::parse(&v.to_lowercase())
                    .ok_or_else(|| Error::Invalid(format!("provider must be one of {}, not \"{v}\"", Provider::expected())))?,
            ),
            "auth" => {
                self.auth = Auth::parse(&v.to_lowercase())
                    .ok_or_else(|| Error::Invalid(format!("auth must be one of {}, not \"{v}\"", Auth::expected())))?
            }
            "oauth_client_id" => self.oauth_client_id = v.to_string(),
            "oauth_client_secret" => self.oauth_client_secret = v.to_string(),
            "oauth_auth_url" => self.oauth_auth_url = endpoint(key, v)?,
            "oauth_token_url" => self.oauth_token_url = endpoint(key, v)?,
            "oauth_scopes" => self.oauth_scopes = v.split_whitespace().collect::<Vec<_>>().join(" "),
            "list_unsubscribe" => self.list_unsubscribe = flag()?,
            "refusals_to_pause" => self.refusals_to_pause = number(1_000)?,
            _ => return Err(Error::Invalid(format!("unknown mailbox setting \"{key}\"; use one of {}", KEYS.join(", ")))),
        }
        Ok(())
    }

    /// Refuses settings that would send the password in clear text over a network.
    pub fn check_secure(&self) -> Result<(), Error> {
        for (what, host, sec) in [("SMTP", &self.smtp_host, self.smtp_security), ("IMAP", &self.imap_host, self.imap_security)] {
            if sec == Security::Plain && !is_loopback(host) {
                return Err(Error::Invalid(format!(
                    "{what} to {host} without TLS would send the password in clear text; use starttls or tls (plain is only allowed to this computer)"
                )));
            }
        }
        if self.auth == Auth::OAuth2 {
            for (what, url) in [("oauth_auth_url", &self.oauth_auth_url), ("oauth_token_url", &self.oauth_token_url)] {
                endpoint(what, url)?;
            }
        }
        Ok(())
    }
}

/// Loopback: this computer. The only place a password may travel without TLS.
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// An OAuth endpoint: https, or http to this computer only (tokens never
/// travel in clear text over a network).
fn endpoint(key: &str, v: &str) -> Result<String, Error> {
    let bad = |why: &str| Error::Invalid(format!("{key} \"{v}\" {why}"));
    let url = url::Url::parse(v).map_err(|_| bad("is not a URL"))?;
    let host = url.host_str().ok_or_else(|| bad("has no host"))?;
    match url.scheme() {
        "https" => Ok(url.to_string()),
        "http" if is_loopback(host) => Ok(url.to_string()),
        "http" => Err(bad("would send tokens in clear text; use https (http is only allowed to this computer)")),
        _ => Err(bad("must be an https URL")),
    }
}

fn host(v: &str) -> Result<String, Error> {
    if v.is_empty() || v.chars().any(|c| c.is_whitespace() || c == '/' || c == '@') {
        return Err(Error::Invalid(format!("\"{v}\" is not a host name")));
    }
    Ok(v.to_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plaintext_is_refused_except_to_loopback() {
        let mut m = MailboxSettings::default();
        m.set("smtp_host", "smtp.example.com").unwrap();
        m.set("imap_host", "127.0.0.1").unwrap();
        m.set("imap_security", "plain").unwrap();
        assert!(m.check_secure().is_ok());
        m.set("smtp_security", "plain").unwrap();
        let err = m.check_secure().unwrap_err().to_string();
        assert!(err.contains("smtp.example.com") && err.contains("clear text"), "{err}");
        assert!(is_loopback("::1") && is_loopback("localhost") && !is_loopback("10.0.0.1"));
    }

    #[test]
    fn a_provider_fills_servers_and_sign_in_and_the_secret_is_bound_to_them() {
        let mut m = MailboxSettings::default();
        m.set("address", "rep@company.com").unwrap();
        let password_binding = m.secret_binding();
        m.set("provider", "google").unwrap();
        assert_eq!((m.imap_host.as_str(), m.imap_port, m.imap_security), ("imap.gmail.com", 993, Security::Tls));
        assert_eq!((m.smtp_host.as_str(), m.smtp_port, m.smtp_security), ("smtp.gmail.com", 587, Security::StartTls));
        assert_eq!(m.auth, Auth::OAuth2);
        assert!(m.oauth_scopes.contains("https://mail.google.com/") && m.server_saves_sent);
        assert!(!m.is_configured(), "no client id yet");
        m.set("oauth_client_id", "123.apps.googleusercontent.com").unwrap();
        assert!(m.is_configured());
        let google = m.secret_binding();
        assert_ne!(google, password_binding);
        for (k, v) in [
            ("imap_host", "imap.evil.example"),
            ("imap_port", "994"),
            ("smtp_security", "tls"),
            ("oauth_token_url", "https://t.example/token"),
        ] {
            let mut changed = m.clone();
            changed.set(k, v).unwrap();
            assert_ne!(changed.secret_binding(), google, "{k} changes where the secret may go");
        }
        m.set("provider", "microsoft").unwrap();
        assert_eq!(m.imap_host, "outlook.office365.com");
        assert!(m.oauth_scopes.contains("offline_access"));
        m.set("provider", "other").unwrap();
        assert_eq!(m.auth, Auth::Password);
    }

    #[test]
    fn oauth_endpoints_are_https_or_loopback() {
        let mut m = MailboxSettings::default();
        assert!(m.set("oauth_token_url", "http://127.0.0.1:1780/token").is_ok());
        let e = m.set("oauth_token_url", "http://login.example.com/token").unwrap_err().to_string();
        assert!(e.contains("clear text"), "{e}");
        assert!(m.set("oauth_auth_url", "ftp://x.example/").is_err());
        assert!(m.set("provider", "yahoo").unwrap_err().to_string().contains("google, microsoft, other"));
    }

    #[test]
    fn bad_values_are_named() {
        let mut m = MailboxSettings::default();
        assert!(m.set("smtp_port", "seventy").unwrap_err().to_string().contains("smtp_port"));
        assert!(m.set("address", "not-an-address").is_err());
        assert!(m.set("colour", "blue").unwrap_err().to_string().contains("unknown mailbox setting"));
    }
}
