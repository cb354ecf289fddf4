//! The rep's mailbox: where to send and read mail, and the sending rules.
//! The password is not here: it lives in the OS keyring only.

use crate::error::Error;

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
];

impl MailboxSettings {
    pub fn is_configured(&self) -> bool {
        !self.address.is_empty() && !self.smtp_host.is_empty() && !self.imap_host.is_empty()
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
        Ok(())
    }
}

/// Loopback: this computer. The only place a password may travel without TLS.
pub fn is_loopback(host: &str) -> bool {
    let h = host.trim_start_matches('[').trim_end_matches(']');
    h.eq_ignore_ascii_case("localhost") || h.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
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
    fn bad_values_are_named() {
        let mut m = MailboxSettings::default();
        assert!(m.set("smtp_port", "seventy").unwrap_err().to_string().contains("smtp_port"));
        assert!(m.set("address", "not-an-address").is_err());
        assert!(m.set("colour", "blue").unwrap_err().to_string().contains("unknown mailbox setting"));
    }
}
