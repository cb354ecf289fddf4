//! The mailbox: its settings (never the password), sent mail, mail read back
//! and what was done about it, the connection state, and `cadence classify`.

use chrono::{DateTime, Utc};
use engine::api::InboundRecord;
use engine::mail::Classified;
use engine::mailbox::MailboxSettings;
use engine::store::sends::{Send, SendState};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::utc;

#[derive(Serialize, TS)]
pub struct MailboxDto {
    pub address: String,
    pub username: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    pub smtp_security: String,
    pub imap_host: String,
    pub imap_port: u16,
    pub imap_security: String,
    pub ca_file: Option<String>,
    pub daily_cap: u32,
    pub spacing_s: u32,
    pub jitter_pct: u32,
    pub server_saves_sent: bool,
    pub folders: Vec<String>,
    pub hold_on_company_mail: bool,
    pub pause_company_on_reply: bool,
    pub ooo_default_days: u32,
    pub recovery_grace_s: u32,
    pub configured: bool,
    /// A password is saved in the OS keyring (the password itself never leaves it).
    pub has_password: bool,
}

impl MailboxDto {
    pub fn new(m: &MailboxSettings, has_password: bool) -> Self {
        MailboxDto {
            address: m.address.clone(),
            username: m.username.clone(),
            smtp_host: m.smtp_host.clone(),
            smtp_port: m.smtp_port,
            smtp_security: m.smtp_security.as_str().into(),
            imap_host: m.imap_host.clone(),
            imap_port: m.imap_port,
            imap_security: m.imap_security.as_str().into(),
            ca_file: m.ca_file.clone(),
            daily_cap: m.daily_cap,
            spacing_s: m.spacing_s,
            jitter_pct: m.jitter_pct,
            server_saves_sent: m.server_saves_sent,
            folders: m.folders.clone(),
            hold_on_company_mail: m.hold_on_company_mail,
            pause_company_on_reply: m.pause_company_on_reply,
            ooo_default_days: m.ooo_default_days,
            recovery_grace_s: m.recovery_grace_s,
            configured: m.is_configured(),
            has_password,
        }
    }
}

/// One row of the send ledger.
#[derive(Serialize, TS)]
pub struct SendDto {
    pub touch_id: i64,
    pub prospect_id: i64,
    pub email: String,
    pub subject: String,
    /// queued | sending | sent | failed | held | cancelled
    pub state: String,
    pub message_id: Option<String>,
    pub attempts: u32,
    pub not_before: String,
    pub sent_at: Option<String>,
    pub reason: Option<String>,
    pub in_reply_to: Option<String>,
}

impl SendDto {
    pub fn new(s: &Send, email: &str, subject: &str) -> Self {
        SendDto {
            touch_id: s.touch_id,
            prospect_id: s.prospect_id,
            email: email.to_string(),
            subject: subject.to_string(),
            state: s.state.as_str().to_string(),
            message_id: s.message_id.clone(),
            attempts: s.attempts,
            not_before: utc(s.not_before),
            sent_at: s.sent_at.map(utc),
            reason: s.reason.clone(),
            in_reply_to: s.in_reply_to.clone(),
        }
    }
}

/// A message read back, what it was taken for, and what Cadence did.
#[derive(Serialize, TS, Clone, Debug)]
pub struct InboundDto {
    pub id: i64,
    /// reply | auto_reply | bounce | unsubscribe | other
    pub kind: String,
    /// The rep corrected the kind.
    pub corrected: bool,
    pub from: Option<String>,
    pub subject: Option<String>,
    pub received_at: String,
    pub prospect_id: Option<i64>,
    pub prospect_email: Option<String>,
    pub touch_id: Option<i64>,
    pub action: String,
    pub evidence: Option<String>,
    pub return_date: Option<String>,
    pub bounce_status: Option<String>,
    /// The rep's tag for a reply: positive | neutral | negative.
    pub sentiment: Option<String>,
}

impl From<&InboundRecord> for InboundDto {
    fn from(r: &InboundRecord) -> Self {
        InboundDto {
            id: r.id,
            kind: r.kind.clone(),
            corrected: r.corrected,
            from: r.from.clone(),
            subject: r.subject.clone(),
            received_at: utc(r.received_at),
            prospect_id: r.prospect_id,
            prospect_email: r.prospect_email.clone(),
            touch_id: r.touch_id,
            action: r.action.clone(),
            evidence: r.detail["evidence"].as_str().map(str::to_string),
            return_date: r.detail["return_date"].as_str().map(str::to_string),
            bounce_status: r.detail["bounce"]["status"].as_str().map(str::to_string),
            sentiment: r.sentiment.clone(),
        }
    }
}

/// Whether the mailbox can be reached, for the offline indicator.
#[derive(Serialize, TS, Clone, Debug, PartialEq)]
pub struct MailboxStatusDto {
    /// off | connecting | online | offline
    pub state: String,
    pub message: Option<String>,
    pub retry_at: Option<String>,
}

/// "Test connection": each server's answer in plain words.
#[derive(Serialize, TS)]
pub struct ConnectionTestDto {
    pub smtp_ok: bool,
    pub smtp: String,
    pub imap_ok: bool,
    pub imap: String,
}

/// `cadence classify`: what a message is.
#[derive(Serialize)]
pub struct ClassifiedDto {
    pub kind: &'static str,
    pub evidence: String,
    pub message_id: Option<String>,
    pub from: Option<String>,
    pub subject: Option<String>,
    pub in_reply_to: Vec<String>,
    pub references: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bounce: Option<BounceDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub return_date: Option<String>,
}

#[derive(Serialize)]
pub struct BounceDto {
    /// hard | soft
    pub severity: &'static str,
    pub recipient: Option<String>,
    pub status: Option<String>,
    pub original_message_id: Option<String>,
}

impl From<&Classified> for ClassifiedDto {
    fn from(c: &Classified) -> Self {
        ClassifiedDto {
            kind: c.kind.as_str(),
            evidence: c.evidence.clone(),
            message_id: c.headers.message_id.clone(),
            from: c.headers.from.clone(),
            subject: c.headers.subject.clone(),
            in_reply_to: c.headers.in_reply_to.clone(),
            references: c.headers.references.clone(),
            bounce: c.bounce.as_ref().map(|b| BounceDto {
                severity: if b.hard { "hard" } else { "soft" },
                recipient: b.recipient.clone(),
                status: b.status.clone(),
                original_message_id: b.original_message_id.clone(),
            }),
            return_date: c.return_date.map(|d| d.to_string()),
        }
    }
}

impl MailboxStatusDto {
    pub fn new(state: &str, message: Option<String>, retry_at: Option<DateTime<Utc>>) -> Self {
        MailboxStatusDto { state: state.to_string(), message, retry_at: retry_at.map(utc) }
    }
}

/// Which sends a list shows: `sent` newest first; the others by send time.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SendsKind {
    Sent,
    Failed,
    Held,
    /// Queued, sending or held: not gone yet, not failed.
    Waiting,
}

impl SendsKind {
    pub fn states(self) -> &'static [SendState] {
        match self {
            SendsKind::Sent => &[SendState::Sent],
            SendsKind::Failed => &[SendState::Failed],
            SendsKind::Held => &[SendState::Held],
            SendsKind::Waiting => &[SendState::Queued, SendState::Sending, SendState::Held],
        }
    }
}

/// The mailbox password on its way to the OS keyring. It cannot be
/// serialised, and its `Debug` never shows it.
#[derive(Deserialize, TS)]
#[serde(transparent)]
#[ts(type = "string")]
pub struct PasswordInput(String);

impl PasswordInput {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PasswordInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_never_prints() {
        let p: PasswordInput = serde_json::from_str("\"hunter2\"").unwrap();
        assert_eq!(p.expose(), "hunter2");
        assert_eq!(format!("{p:?}"), "<redacted>");
    }

    #[test]
    fn send_lists_by_name() {
        let k: SendsKind = serde_json::from_str("\"waiting\"").unwrap();
        assert!(k.states().contains(&SendState::Held) && !k.states().contains(&SendState::Failed));
    }
}
