//! The mailbox: its settings (never the password), sent mail, mail read back
//! and what was done about it, the connection state, and `cadence classify`.

use chrono::{DateTime, Utc};
use engine::api::{InboundRecord, Send, SendState};
use engine::mail::{BounceInfo, Classified, Headers};
use engine::mailbox::MailboxSettings;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::utc;

#[derive(Serialize, TS)]
pub struct MailboxDto {
    pub address: String,
    pub username: String,
    pub smtp_host: String,
    pub smtp_port: u16,
    #[ts(type = "MailSecurity")]
    pub smtp_security: String,
    pub imap_host: String,
    pub imap_port: u16,
    #[ts(type = "MailSecurity")]
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
    #[ts(type = "MailProvider")]
    pub provider: String,
    #[ts(type = "MailAuth")]
    pub auth: String,
    pub oauth_client_id: String,
    /// Google's installed-app client secret, which is not secret (RFC 8252 §8.5).
    pub oauth_client_secret: String,
    pub oauth_auth_url: String,
    pub oauth_token_url: String,
    pub oauth_scopes: String,
    /// Put a List-Unsubscribe header on every email (off: auto-replies arrive).
    pub list_unsubscribe: bool,
    /// Refusals of the rep's own sending in a day that pause sending (0: never).
    pub refusals_to_pause: u32,
    pub configured: bool,
    /// A password is saved in the OS keyring for these servers (the password
    /// itself never leaves it).
    pub has_password: bool,
    /// Signed in with the provider: a refresh token is saved in the OS keyring
    /// for these servers (the token itself never leaves it).
    pub signed_in: bool,
}

impl MailboxDto {
    /// `has_secret`: the keyring holds the password (or, signed in, the
    /// refresh token) saved for these servers.
    pub fn new(m: &MailboxSettings, has_secret: bool) -> Self {
        let MailboxSettings {
            address,
            username,
            smtp_host,
            smtp_port,
            smtp_security,
            imap_host,
            imap_port,
            imap_security,
            ca_file,
            daily_cap,
            spacing_s,
            jitter_pct,
            server_saves_sent,
            folders,
            hold_on_company_mail,
            pause_company_on_reply,
            ooo_default_days,
            recovery_grace_s,
            provider,
            auth,
            oauth_client_id,
            oauth_client_secret,
            oauth_auth_url,
            oauth_token_url,
            oauth_scopes,
            list_unsubscribe,
            refusals_to_pause,
        } = m;
        MailboxDto {
            address: address.clone(),
            username: username.clone(),
            smtp_host: smtp_host.clone(),
            smtp_port: *smtp_port,
            smtp_security: smtp_security.as_str().into(),
            imap_host: imap_host.clone(),
            imap_port: *imap_port,
            imap_security: imap_security.as_str().into(),
            ca_file: ca_file.clone(),
            daily_cap: *daily_cap,
            spacing_s: *spacing_s,
            jitter_pct: *jitter_pct,
            server_saves_sent: *server_saves_sent,
            folders: folders.clone(),
            hold_on_company_mail: *hold_on_company_mail,
            pause_company_on_reply: *pause_company_on_reply,
            ooo_default_days: *ooo_default_days,
            recovery_grace_s: *recovery_grace_s,
            provider: provider.as_str().into(),
            auth: auth.as_str().into(),
            oauth_client_id: oauth_client_id.clone(),
            oauth_client_secret: oauth_client_secret.clone(),
            oauth_auth_url: oauth_auth_url.clone(),
            oauth_token_url: oauth_token_url.clone(),
            oauth_scopes: oauth_scopes.clone(),
            list_unsubscribe: *list_unsubscribe,
            refusals_to_pause: *refusals_to_pause,
            configured: m.is_configured(),
            has_password: has_secret && *auth == engine::mailbox::Auth::Password,
            signed_in: has_secret && *auth == engine::mailbox::Auth::OAuth2,
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
    #[ts(type = "SendState")]
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
        let Send {
            touch_id,
            state,
            message_id,
            attempts,
            not_before,
            sent_at,
            reason,
            in_reply_to,
            prospect_id,
            // The sender's own bookkeeping (attempt start, envelope, threading,
            // window, variant): not shown in a ledger row.
            started_at: _,
            from_addr: _,
            refs: _,
            enrollment_id: _,
            step: _,
            closes_at: _,
            variant: _,
        } = s;
        SendDto {
            touch_id: *touch_id,
            prospect_id: *prospect_id,
            email: email.to_string(),
            subject: subject.to_string(),
            state: state.as_str().to_string(),
            message_id: message_id.clone(),
            attempts: *attempts,
            not_before: utc(*not_before),
            sent_at: sent_at.map(utc),
            reason: reason.clone(),
            in_reply_to: in_reply_to.clone(),
        }
    }
}

/// A desktop notification: mail that changed a sequence.
#[derive(Serialize, TS, Clone, Debug, PartialEq)]
pub struct NoticeDto {
    pub title: String,
    /// Plain text, with `&`, `<` and `>` escaped (notification servers read markup).
    pub body: String,
    pub prospect_id: Option<i64>,
}

/// A message read back, what it was taken for, and what Cadence did.
#[derive(Serialize, TS, Clone, Debug)]
pub struct InboundDto {
    pub id: i64,
    #[ts(type = "InboundKind")]
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
    /// Why a bounce failed (user_unknown, mailbox_full, reputation, ...), in words too.
    pub bounce_reason: Option<String>,
    pub bounce_reason_label: Option<String>,
    /// Whose fault: address | mailbox | sender.
    pub bounce_fault: Option<String>,
    /// What the receiving server said.
    pub bounce_said: Option<String>,
    /// A delivery notice: delivered | relayed | delayed.
    pub notice: Option<String>,
    /// The person a "left the company" reply names, and the prospect made from them.
    pub referral: Option<ReferralDto>,
    pub referral_prospect_id: Option<i64>,
    /// The rep's tag for a reply.
    #[ts(type = "Sentiment | null")]
    pub sentiment: Option<String>,
    /// What the person wrote (their own text, the quoted original left out):
    /// plain text, to be shown as text.
    pub text: Option<String>,
    /// The prospect it concerns, by name, and their company.
    pub prospect_name: Option<String>,
    pub prospect_company: Option<String>,
    /// The subject of the email it answers.
    pub answers_subject: Option<String>,
    /// A tagged reply whose email branches on its tag: the step keeping the
    /// prospect in the sequence would take them to.
    pub keep: Option<String>,
}

impl From<&InboundRecord> for InboundDto {
    fn from(r: &InboundRecord) -> Self {
        let InboundRecord {
            id,
            kind,
            corrected,
            from,
            subject,
            received_at,
            prospect_id,
            prospect_email,
            touch_id,
            action,
            detail,
            sentiment,
            prospect_name,
            prospect_company,
            answers_subject,
            keep,
        } = r;
        InboundDto {
            keep: keep.clone(),
            text: detail["text"].as_str().map(str::to_string),
            prospect_name: prospect_name.clone(),
            prospect_company: prospect_company.clone(),
            answers_subject: answers_subject.clone(),
            id: *id,
            kind: kind.clone(),
            corrected: *corrected,
            from: from.clone(),
            subject: subject.clone(),
            received_at: utc(*received_at),
            prospect_id: *prospect_id,
            prospect_email: prospect_email.clone(),
            touch_id: *touch_id,
            action: action.clone(),
            evidence: detail["evidence"].as_str().map(str::to_string),
            return_date: detail["return_date"].as_str().map(str::to_string),
            bounce_status: detail["bounce"]["status"].as_str().map(str::to_string),
            bounce_reason: detail["bounce"]["reason"].as_str().map(str::to_string),
            bounce_reason_label: detail["bounce"]["reason"].as_str().and_then(engine::mail::Reason::parse).map(|r| r.label().to_string()),
            bounce_fault: detail["bounce"]["fault"].as_str().map(str::to_string),
            bounce_said: detail["bounce"]["said"].as_str().filter(|s| !s.is_empty()).map(str::to_string),
            notice: detail["bounce"]["notice"].as_str().map(str::to_string),
            referral: detail["referral"]["email"]
                .as_str()
                .map(|email| ReferralDto { email: email.to_string(), name: detail["referral"]["name"].as_str().map(str::to_string) }),
            referral_prospect_id: detail["referral"]["prospect_id"].as_i64(),
            sentiment: sentiment.clone(),
        }
    }
}

/// Whether the mailbox can be reached, for the offline indicator.
#[derive(Serialize, TS, Clone, Debug, PartialEq)]
pub struct MailboxStatusDto {
    #[ts(type = "MailboxState")]
    pub state: String,
    pub message: Option<String>,
    /// Which kind of failure, when off or offline (a refused login, an
    /// unreachable server, a TLS failure...), so the screen can say what to do.
    #[ts(type = "ErrorCode | null")]
    pub code: Option<&'static str>,
    pub retry_at: Option<String>,
}

/// "Test connection": each server's answer in plain words.
#[derive(Serialize, TS)]
pub struct ConnectionTestDto {
    pub smtp_ok: bool,
    pub smtp: String,
    /// Which kind of failure, when sending failed (`mailbox_auth`...).
    #[ts(type = "ErrorCode | null")]
    pub smtp_code: Option<&'static str>,
    pub imap_ok: bool,
    pub imap: String,
    #[ts(type = "ErrorCode | null")]
    pub imap_code: Option<&'static str>,
    /// How Cadence logged in: `password` or `oauth2`.
    #[ts(type = "MailAuth")]
    pub login: &'static str,
    /// Signed in: whether the access token refreshed, in words (never the token).
    pub token: Option<String>,
    pub token_ok: Option<bool>,
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
    #[serde(skip_serializing_if = "Option::is_none")]
    pub complaint: Option<ComplaintDto>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub referral: Option<ReferralDto>,
}

#[derive(Serialize)]
pub struct ComplaintDto {
    pub feedback_type: String,
    pub recipient: Option<String>,
    pub original_message_id: Option<String>,
}

#[derive(Serialize, TS, Clone, Debug, PartialEq)]
pub struct ReferralDto {
    pub email: String,
    pub name: Option<String>,
}

#[derive(Serialize)]
pub struct BounceDto {
    /// hard | soft | notice
    pub severity: &'static str,
    /// Why it failed (user_unknown, mailbox_full, reputation, ...).
    pub reason: Option<&'static str>,
    /// Whose fault: address | mailbox | sender.
    pub fault: Option<&'static str>,
    /// A notice that is no failure: delivered | relayed | delayed.
    pub notice: Option<&'static str>,
    /// What the receiving server said.
    pub said: String,
    pub recipient: Option<String>,
    pub status: Option<String>,
    pub original_message_id: Option<String>,
}

impl From<&Classified> for ClassifiedDto {
    fn from(c: &Classified) -> Self {
        // The text is for Replies; `cadence classify` says what a message is.
        let Classified { headers, kind, bounce, return_date, evidence, complaint, referral, text: _ } = c;
        let Headers {
            message_id,
            from,
            subject,
            in_reply_to,
            references,
            // What `cadence classify` prints is about the message's kind and
            // thread; recipients and date are not part of it.
            to: _,
            date: _,
        } = headers;
        ClassifiedDto {
            kind: kind.as_str(),
            evidence: evidence.clone(),
            message_id: message_id.clone(),
            from: from.clone(),
            subject: subject.clone(),
            in_reply_to: in_reply_to.clone(),
            references: references.clone(),
            bounce: bounce.as_ref().map(BounceDto::from),
            return_date: return_date.map(|d| d.to_string()),
            complaint: complaint.as_ref().map(|x| ComplaintDto {
                feedback_type: x.feedback_type.clone(),
                recipient: x.recipient.clone(),
                original_message_id: x.original_message_id.clone(),
            }),
            referral: referral.as_ref().map(|r| ReferralDto { email: r.email.clone(), name: r.name.clone() }),
        }
    }
}

impl From<&BounceInfo> for BounceDto {
    fn from(b: &BounceInfo) -> Self {
        // Whether it was a standard report is the engine's concern (it decides
        // whether to act); `cadence classify` says what the bounce says.
        let BounceInfo { hard, reason, notice, said, recipient, status, original_message_id, report: _ } = b;
        BounceDto {
            severity: if notice.is_some() {
                "notice"
            } else if *hard {
                "hard"
            } else {
                "soft"
            },
            reason: reason.map(|r| r.as_str()),
            fault: reason.filter(|_| notice.is_none()).map(|r| r.fault().as_str()),
            notice: notice.map(|n| n.as_str()),
            said: said.clone(),
            recipient: recipient.clone(),
            status: status.clone(),
            original_message_id: original_message_id.clone(),
        }
    }
}

impl MailboxStatusDto {
    pub fn new(state: &str, message: Option<String>, retry_at: Option<DateTime<Utc>>) -> Self {
        MailboxStatusDto { state: state.to_string(), message, code: None, retry_at: retry_at.map(utc) }
    }

    /// Off or offline, for this reason.
    pub fn failed(state: &str, code: engine::ErrorCode, message: String, retry_at: Option<DateTime<Utc>>) -> Self {
        MailboxStatusDto { state: state.to_string(), message: Some(message), code: Some(code.as_str()), retry_at: retry_at.map(utc) }
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
    /// A password typed at a terminal (the CLI).
    pub fn new(password: String) -> Self {
        PasswordInput(password)
    }

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

/// The rep's own sending as receivers judge it: the deliverability alarm.
#[derive(Serialize, TS, Clone, Debug, PartialEq)]
pub struct DeliverabilityDto {
    pub mailbox: String,
    /// Sending is paused until the rep resumes it: since when, and why.
    pub paused_at: Option<String>,
    pub paused_why: Option<String>,
    pub alarm: Option<AlarmDto>,
    /// Refusals of the last seven days, newest first.
    pub refusals: Vec<RefusalDto>,
    /// Refusals that count toward the pause (the last 24 hours, since the
    /// rep last resumed), and how many pause sending (0: never).
    pub last_day: u32,
    pub threshold: u32,
}

/// The newest refusal the rep has not seen, in plain words.
#[derive(Serialize, TS, Clone, Debug, PartialEq)]
pub struct AlarmDto {
    pub reason: String,
    /// What it is, in a few words ("your domain's SPF, DKIM or DMARC check failed").
    pub label: String,
    /// What it usually means and what to check.
    pub advice: String,
    /// What the receiving server said.
    pub said: String,
    pub at: String,
    pub unseen: u32,
}

#[derive(Serialize, TS, Clone, Debug, PartialEq)]
pub struct RefusalDto {
    pub id: i64,
    pub at: String,
    pub reason: String,
    pub label: String,
    pub said: String,
    pub status: Option<String>,
    /// bounce | smtp
    pub source: String,
    pub prospect_id: Option<i64>,
}

impl From<&engine::api::Deliverability> for DeliverabilityDto {
    fn from(d: &engine::api::Deliverability) -> Self {
        let label = |r: &str| engine::mail::Reason::parse(r).map(|r| r.label().to_string()).unwrap_or_else(|| r.replace('_', " "));
        DeliverabilityDto {
            mailbox: d.mailbox.clone(),
            paused_at: d.paused.as_ref().map(|(at, _)| utc(*at)),
            paused_why: d.paused.as_ref().map(|(_, why)| why.clone()),
            alarm: d.alarm.as_ref().map(|a| AlarmDto {
                reason: a.reason.as_str().into(),
                label: a.reason.label().into(),
                advice: a.reason.advice().unwrap_or_default().into(),
                said: a.said.clone(),
                at: utc(a.at),
                unseen: a.unseen,
            }),
            refusals: d
                .refusals
                .iter()
                .map(|r| RefusalDto {
                    id: r.id,
                    at: utc(r.at),
                    reason: r.reason.clone(),
                    label: label(&r.reason),
                    said: r.said.clone(),
                    status: r.status.clone(),
                    source: r.source.clone(),
                    prospect_id: r.prospect_id,
                })
                .collect(),
            last_day: d.last_day,
            threshold: d.threshold,
        }
    }
}
