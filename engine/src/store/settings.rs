//! Rep settings, stored as one JSON document under the key `rep`.

use chrono::{NaiveDate, NaiveTime};
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::mailbox::{MailboxSettings, Security};
use crate::sequence::parse_weekday;
use crate::settings::{AwayPeriod, RepSettings, ResultsSettings};

/// The stored form; private to the store.
#[derive(Serialize, Deserialize)]
struct Stored {
    timezone: String,
    working_days: Vec<String>,
    day_start: String,
    day_end: String,
    holiday_country: Option<String>,
    away: Vec<(String, String)>,
    sender_name: String,
    sender_company: String,
    signature: String,
    opt_out: String,
    #[serde(default = "on")]
    notifications: bool,
}

fn on() -> bool {
    true
}

pub fn load(conn: &Connection) -> Result<RepSettings> {
    let text: Option<String> = conn.query_row("SELECT value FROM settings WHERE key = 'rep'", [], |r| r.get(0)).optional()?;
    let Some(text) = text else { return Ok(RepSettings::default()) };
    let s: Stored = serde_json::from_str(&text).map_err(|e| Error::Invalid(format!("stored settings are unreadable: {e}")))?;
    let bad = |what: &str| Error::Invalid(format!("stored settings: bad {what}"));
    let time = |t: &str| NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| bad("working hours"));
    let date = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| bad("away date"));
    Ok(RepSettings {
        timezone: s.timezone.parse().map_err(|_| bad("time zone"))?,
        working_days: s.working_days.iter().map(|d| parse_weekday(d).ok_or_else(|| bad("working day"))).collect::<Result<_>>()?,
        day_start: time(&s.day_start)?,
        day_end: time(&s.day_end)?,
        holiday_country: s.holiday_country,
        away: s.away.iter().map(|(a, b)| Ok(AwayPeriod { from: date(a)?, to: date(b)? })).collect::<Result<_>>()?,
        sender_name: s.sender_name,
        sender_company: s.sender_company,
        signature: s.signature,
        opt_out: s.opt_out,
        notifications: s.notifications,
    })
}

pub fn save(conn: &Connection, r: &RepSettings) -> Result<()> {
    let s = Stored {
        timezone: r.timezone.name().to_string(),
        working_days: r.working_days.iter().map(|d| d.to_string().to_lowercase()).collect(),
        day_start: r.day_start.format("%H:%M").to_string(),
        day_end: r.day_end.format("%H:%M").to_string(),
        holiday_country: r.holiday_country.clone(),
        away: r.away.iter().map(|a| (a.from.to_string(), a.to.to_string())).collect(),
        sender_name: r.sender_name.clone(),
        sender_company: r.sender_company.clone(),
        signature: r.signature.clone(),
        opt_out: r.opt_out.clone(),
        notifications: r.notifications,
    };
    let text = serde_json::to_string(&s).map_err(|e| Error::Invalid(e.to_string()))?;
    conn.execute("INSERT INTO settings (key, value) VALUES ('rep', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", [text])?;
    Ok(())
}

/// The mailbox settings' stored form (no password: that is in the keyring).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct StoredMailbox {
    address: String,
    username: String,
    smtp_host: String,
    smtp_port: u16,
    smtp_security: String,
    imap_host: String,
    imap_port: u16,
    imap_security: String,
    ca_file: Option<String>,
    daily_cap: u32,
    spacing_s: u32,
    jitter_pct: u32,
    server_saves_sent: bool,
    folders: Vec<String>,
    hold_on_company_mail: bool,
    pause_company_on_reply: bool,
    ooo_default_days: u32,
    recovery_grace_s: u32,
    provider: String,
    auth: String,
    oauth_client_id: String,
    oauth_client_secret: String,
    oauth_auth_url: String,
    oauth_token_url: String,
    oauth_scopes: String,
    list_unsubscribe: bool,
    /// Missing in settings stored before it existed: the default.
    refusals_to_pause: Option<u32>,
}

pub fn load_mailbox(conn: &Connection) -> Result<MailboxSettings> {
    let text: Option<String> = conn.query_row("SELECT value FROM settings WHERE key = 'mailbox'", [], |r| r.get(0)).optional()?;
    let Some(text) = text else { return Ok(MailboxSettings::default()) };
    let s: StoredMailbox =
        serde_json::from_str(&text).map_err(|e| Error::Invalid(format!("stored mailbox settings are unreadable: {e}")))?;
    let security = |v: &str| Security::parse(v).ok_or_else(|| Error::Invalid(format!("stored mailbox settings: bad security \"{v}\"")));
    Ok(MailboxSettings {
        address: s.address,
        username: s.username,
        smtp_host: s.smtp_host,
        smtp_port: s.smtp_port,
        smtp_security: security(&s.smtp_security)?,
        imap_host: s.imap_host,
        imap_port: s.imap_port,
        imap_security: security(&s.imap_security)?,
        ca_file: s.ca_file,
        daily_cap: s.daily_cap,
        spacing_s: s.spacing_s,
        jitter_pct: s.jitter_pct,
        server_saves_sent: s.server_saves_sent,
        folders: s.folders,
        hold_on_company_mail: s.hold_on_company_mail,
        pause_company_on_reply: s.pause_company_on_reply,
        ooo_default_days: s.ooo_default_days,
        recovery_grace_s: s.recovery_grace_s,
        // Settings stored before sign-in existed: another provider, a password.
        provider: crate::providers::Provider::parse(&s.provider).unwrap_or(crate::providers::Provider::Other),
        auth: crate::providers::Auth::parse(&s.auth).unwrap_or(crate::providers::Auth::Password),
        oauth_client_id: s.oauth_client_id,
        oauth_client_secret: s.oauth_client_secret,
        oauth_auth_url: s.oauth_auth_url,
        oauth_token_url: s.oauth_token_url,
        oauth_scopes: s.oauth_scopes,
        list_unsubscribe: s.list_unsubscribe,
        refusals_to_pause: s.refusals_to_pause.unwrap_or(MailboxSettings::default().refusals_to_pause),
    })
}

pub fn save_mailbox(conn: &Connection, m: &MailboxSettings) -> Result<()> {
    let s = StoredMailbox {
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
        provider: m.provider.as_str().into(),
        auth: m.auth.as_str().into(),
        oauth_client_id: m.oauth_client_id.clone(),
        oauth_client_secret: m.oauth_client_secret.clone(),
        oauth_auth_url: m.oauth_auth_url.clone(),
        oauth_token_url: m.oauth_token_url.clone(),
        oauth_scopes: m.oauth_scopes.clone(),
        list_unsubscribe: m.list_unsubscribe,
        refusals_to_pause: Some(m.refusals_to_pause),
    };
    let text = serde_json::to_string(&s).map_err(|e| Error::Invalid(e.to_string()))?;
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('mailbox', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [text],
    )?;
    Ok(())
}

#[derive(Serialize, Deserialize)]
struct StoredResults {
    reply_floor_pct: f64,
    window_days: u32,
}

/// The thresholds for advice from results, under the key `results`.
pub fn load_results(conn: &Connection) -> Result<ResultsSettings> {
    let text: Option<String> = conn.query_row("SELECT value FROM settings WHERE key = 'results'", [], |r| r.get(0)).optional()?;
    let Some(text) = text else { return Ok(ResultsSettings::default()) };
    let s: StoredResults =
        serde_json::from_str(&text).map_err(|e| Error::Invalid(format!("stored results settings are unreadable: {e}")))?;
    Ok(ResultsSettings { reply_floor_pct: s.reply_floor_pct, window_days: s.window_days })
}

pub fn save_results(conn: &Connection, r: &ResultsSettings) -> Result<()> {
    let text =
        serde_json::to_string(&StoredResults { reply_floor_pct: r.reply_floor_pct, window_days: r.window_days }).expect("serialisable");
    conn.execute(
        "INSERT INTO settings (key, value) VALUES ('results', ?1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [text],
    )?;
    Ok(())
}
