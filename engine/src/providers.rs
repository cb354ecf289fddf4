//! Mail providers Cadence knows: where their servers are, how a rep signs
//! in (OAuth2 for Google and Microsoft 365, a password anywhere else), and
//! the OAuth endpoints and scopes. One table; choosing a provider in
//! Settings or `cadence mailbox set provider google` fills the mailbox
//! from it.

use crate::mailbox::Security;

crate::domain::str_enum!(
    /// The rep's mail provider.
    Provider { Google = "google", Microsoft = "microsoft", Other = "other" }
);

crate::domain::str_enum!(
    /// How Cadence logs in to the mailbox.
    Auth { Password = "password", OAuth2 = "oauth2" }
);

/// One provider's servers and sign-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Preset {
    pub provider: Provider,
    /// In words, for Settings and the CLI.
    pub name: &'static str,
    pub imap: (&'static str, u16, Security),
    pub smtp: (&'static str, u16, Security),
    /// The provider files what is sent over SMTP in Sent by itself.
    pub saves_sent: bool,
    pub auth_url: &'static str,
    pub token_url: &'static str,
    /// IMAP and SMTP access, and a refresh token (offline access).
    pub scopes: &'static str,
    /// Extra query parameters on the authorization URL (Google gives a
    /// refresh token only when asked for offline access with consent).
    pub extra_auth_params: &'static [(&'static str, &'static str)],
}

/// Google Workspace and Gmail. Google's installed-app clients come with a
/// client secret that is not secret (RFC 8252 §8.5); it is a setting.
pub const GOOGLE: Preset = Preset {
    provider: Provider::Google,
    name: "Google Workspace / Gmail",
    imap: ("imap.gmail.com", 993, Security::Tls),
    smtp: ("smtp.gmail.com", 587, Security::StartTls),
    saves_sent: true,
    auth_url: "https://accounts.google.com/o/oauth2/v2/auth",
    token_url: "https://oauth2.googleapis.com/token",
    scopes: "https://mail.google.com/",
    extra_auth_params: &[("access_type", "offline"), ("prompt", "consent")],
};

/// Microsoft 365 and Outlook.com (the `common` endpoint takes work and
/// personal accounts).
pub const MICROSOFT: Preset = Preset {
    provider: Provider::Microsoft,
    name: "Microsoft 365 / Outlook.com",
    imap: ("outlook.office365.com", 993, Security::Tls),
    smtp: ("smtp.office365.com", 587, Security::StartTls),
    saves_sent: true,
    auth_url: "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
    token_url: "https://login.microsoftonline.com/common/oauth2/v2.0/token",
    scopes: "offline_access https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send",
    extra_auth_params: &[("prompt", "select_account")],
};

pub fn preset(p: Provider) -> Option<&'static Preset> {
    match p {
        Provider::Google => Some(&GOOGLE),
        Provider::Microsoft => Some(&MICROSOFT),
        Provider::Other => None,
    }
}
