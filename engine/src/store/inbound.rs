//! Mail read back from the mailbox, and where reading stopped per folder.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row};
use serde_json::{json, Value};

use super::{secs, ts};
use crate::domain::{EnrollmentId, ProspectId, TouchId};
use crate::error::Result;

/// What acting on a message did, kept (as JSON, under `effect` in the
/// message's detail) so that a correction can undo exactly that.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// A reply: the prospect's sequences ended, their unsent emails were
    /// cancelled, and colleagues' sequences may have been paused.
    Replied { exited: Vec<EnrollmentId>, cancelled: Vec<TouchId>, paused: Vec<EnrollmentId> },
    /// An unsubscribe request: the sequences ended and the address went on
    /// the do-not-contact list (`dnc`: `None` when it was there already).
    Unsubscribed { exited: Vec<EnrollmentId>, cancelled: Vec<TouchId>, dnc: Option<String> },
    /// A hard bounce: the sequences ended and the address was marked invalid.
    HardBounced { exited: Vec<EnrollmentId>, cancelled: Vec<TouchId> },
    /// A soft bounce: the address was flagged, and the email it answers was
    /// queued again a day later (when it had not been already); a second
    /// one paused the prospect's enrollments.
    SoftBounced { retried: Option<TouchId>, paused: Vec<EnrollmentId> },
    /// "Left the company": the sequences ended and the prospect is marked as gone.
    Left { exited: Vec<EnrollmentId>, cancelled: Vec<TouchId> },
    /// A refusal of the rep's own sending: recorded (the alarm), and the
    /// email it answers held until the rep resumes sending.
    SenderRefused { refusal: i64, held: Option<TouchId> },
    /// An out-of-office: the sequences were paused until the person is back.
    OutOfOffice { paused: Vec<EnrollmentId>, until: DateTime<Utc> },
    /// Nothing (a message about no sequence, or one stored without an effect).
    Nothing,
}

/// The email status a hard bounce leaves, as stored in the effect.
const INVALID: &str = "invalid";
const SOFT_BOUNCED: &str = "soft_bounced";
const LEFT: &str = "left";

impl Effect {
    /// The stored form (unchanged since the mailbox came: existing databases
    /// read back the same).
    pub fn to_json(&self) -> Value {
        match self {
            Effect::Replied { exited, cancelled, paused } => json!({ "exited": exited, "cancelled": cancelled, "paused": paused }),
            Effect::Unsubscribed { exited, cancelled, dnc } => json!({ "exited": exited, "cancelled": cancelled, "dnc": dnc }),
            Effect::HardBounced { exited, cancelled } => json!({ "exited": exited, "cancelled": cancelled, "status": INVALID }),
            Effect::SoftBounced { retried, paused } if paused.is_empty() => json!({ "status": SOFT_BOUNCED, "retried": retried }),
            Effect::SoftBounced { retried, paused } => json!({ "status": SOFT_BOUNCED, "retried": retried, "paused": paused }),
            Effect::Left { exited, cancelled } => json!({ "exited": exited, "cancelled": cancelled, "status": LEFT }),
            Effect::SenderRefused { refusal, held } => json!({ "refusal": refusal, "held": held }),
            Effect::OutOfOffice { paused, until } => json!({ "paused": paused, "until": until.to_rfc3339() }),
            Effect::Nothing => json!({}),
        }
    }

    /// Reads a stored effect; anything unrecognised (or missing) is `Nothing`.
    pub fn from_json(v: &Value) -> Effect {
        let ids = |k: &str| v[k].as_array().map(|a| a.iter().filter_map(Value::as_i64).collect::<Vec<_>>()).unwrap_or_default();
        let has = |k: &str| v.get(k).is_some();
        match v["status"].as_str() {
            Some(INVALID) => return Effect::HardBounced { exited: ids("exited"), cancelled: ids("cancelled") },
            Some(LEFT) => return Effect::Left { exited: ids("exited"), cancelled: ids("cancelled") },
            Some(_) => return Effect::SoftBounced { retried: v["retried"].as_i64(), paused: ids("paused") },
            None => {}
        }
        if let Some(refusal) = v["refusal"].as_i64() {
            Effect::SenderRefused { refusal, held: v["held"].as_i64() }
        } else if has("dnc") {
            Effect::Unsubscribed { exited: ids("exited"), cancelled: ids("cancelled"), dnc: v["dnc"].as_str().map(str::to_string) }
        } else if has("until") {
            let until =
                v["until"].as_str().and_then(|u| DateTime::parse_from_rfc3339(u).ok()).map(|u| u.with_timezone(&Utc)).unwrap_or_default();
            Effect::OutOfOffice { paused: ids("paused"), until }
        } else if has("exited") || has("paused") {
            Effect::Replied { exited: ids("exited"), cancelled: ids("cancelled"), paused: ids("paused") }
        } else {
            Effect::Nothing
        }
    }
}

pub struct NewInbound<'a> {
    pub folder: &'a str,
    pub uidvalidity: u32,
    pub uid: u32,
    pub message_id: Option<&'a str>,
    pub from: Option<&'a str>,
    pub subject: Option<&'a str>,
    pub received_at: DateTime<Utc>,
    pub kind: &'a str,
    pub prospect_id: Option<ProspectId>,
    pub touch_id: Option<TouchId>,
}

#[derive(Debug, Clone)]
pub struct Stored {
    pub id: i64,
    pub from: Option<String>,
    pub subject: Option<String>,
    pub received_at: DateTime<Utc>,
    pub kind: String,
    pub detail: Value,
    pub prospect_id: Option<ProspectId>,
    pub touch_id: Option<TouchId>,
    pub action: String,
    pub corrected: bool,
    /// The rep's tag: positive, neutral or negative.
    pub sentiment: Option<String>,
}

const COLUMNS: &str = "id, from_addr, subject, received_at, kind, detail, prospect_id, touch_id, action, corrected, sentiment";

fn stored(r: &Row) -> rusqlite::Result<Stored> {
    Ok(Stored {
        id: r.get(0)?,
        from: r.get(1)?,
        subject: r.get(2)?,
        received_at: ts(r.get(3)?),
        kind: r.get(4)?,
        detail: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or(Value::Null),
        prospect_id: r.get(6)?,
        touch_id: r.get(7)?,
        action: r.get(8)?,
        corrected: r.get::<_, i64>(9)? != 0,
        sentiment: r.get(10)?,
    })
}

impl Stored {
    /// What acting on the message did, as recorded.
    pub fn effect(&self) -> Effect {
        Effect::from_json(&self.detail["effect"])
    }
}

pub fn insert(conn: &Connection, m: &NewInbound, detail: &Value) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO inbound (folder, uidvalidity, uid, message_id, from_addr, subject, received_at, kind, detail, prospect_id, touch_id, action)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, '')
         ON CONFLICT (folder, uidvalidity, uid) DO UPDATE SET kind = excluded.kind",
    )?
    .execute(params![m.folder, m.uidvalidity, m.uid, m.message_id, m.from, m.subject, secs(m.received_at), m.kind, detail.to_string(), m.prospect_id, m.touch_id])?;
    Ok(conn.query_row(
        "SELECT id FROM inbound WHERE folder = ?1 AND uidvalidity = ?2 AND uid = ?3",
        params![m.folder, m.uidvalidity, m.uid],
        |r| r.get(0),
    )?)
}

pub fn set_outcome(conn: &Connection, id: i64, kind: &str, action: &str, detail: &Value, corrected: bool) -> Result<()> {
    conn.prepare_cached("UPDATE inbound SET kind = ?2, action = ?3, detail = ?4, corrected = ?5 WHERE id = ?1")?.execute(params![
        id,
        kind,
        action,
        detail.to_string(),
        corrected as i64
    ])?;
    Ok(())
}

pub fn set_sentiment(conn: &Connection, id: i64, sentiment: &str) -> Result<()> {
    conn.prepare_cached("UPDATE inbound SET sentiment = ?2 WHERE id = ?1")?.execute(params![id, sentiment])?;
    Ok(())
}

/// A message with this Message-ID was already taken (from another folder, or
/// before its folder's UIDVALIDITY changed).
pub fn seen(conn: &Connection, message_id: &str) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM inbound WHERE message_id = ?1")?.exists([message_id])?)
}

/// The message at this place in a folder was already taken (a message with
/// no Message-ID seen by both the watcher and the pre-send check).
pub fn seen_at(conn: &Connection, folder: &str, uidvalidity: u32, uid: u32) -> Result<bool> {
    Ok(conn.prepare_cached("SELECT 1 FROM inbound WHERE folder = ?1 AND uidvalidity = ?2 AND uid = ?3")?.exists(params![
        folder,
        uidvalidity,
        uid
    ])?)
}

pub fn get(conn: &Connection, id: i64) -> Result<Option<Stored>> {
    Ok(conn.prepare_cached(&format!("SELECT {COLUMNS} FROM inbound WHERE id = ?1"))?.query_row([id], stored).optional()?)
}

pub fn recent(conn: &Connection, limit: usize) -> Result<Vec<Stored>> {
    let mut stmt = conn.prepare_cached(&format!("SELECT {COLUMNS} FROM inbound ORDER BY received_at DESC, id DESC LIMIT ?1"))?;
    let rows = stmt.query_map([limit as i64], stored)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub fn folder_mark(conn: &Connection, folder: &str) -> Result<Option<(u32, u32)>> {
    Ok(conn
        .prepare_cached("SELECT uidvalidity, last_uid FROM mail_folders WHERE name = ?1")?
        .query_row([folder], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

pub fn set_folder_mark(conn: &Connection, folder: &str, uidvalidity: u32, last_uid: u32) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO mail_folders (name, uidvalidity, last_uid) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid",
    )?
    .execute(params![folder, uidvalidity, last_uid])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn all() -> Vec<Effect> {
        let until = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
        vec![
            Effect::Replied { exited: vec![1, 2], cancelled: vec![7], paused: vec![3] },
            Effect::Replied { exited: vec![], cancelled: vec![], paused: vec![] },
            Effect::Unsubscribed { exited: vec![1], cancelled: vec![], dnc: Some("ana@nubaria.es".into()) },
            Effect::Unsubscribed { exited: vec![], cancelled: vec![], dnc: None },
            Effect::HardBounced { exited: vec![4], cancelled: vec![9] },
            Effect::SoftBounced { retried: Some(12), paused: vec![] },
            Effect::SoftBounced { retried: None, paused: vec![] },
            Effect::OutOfOffice { paused: vec![5, 6], until },
            Effect::OutOfOffice { paused: vec![], until },
            Effect::Nothing,
        ]
    }

    #[test]
    fn effects_round_trip() {
        let newer = [
            Effect::SoftBounced { retried: None, paused: vec![3] },
            Effect::Left { exited: vec![1], cancelled: vec![2] },
            Effect::SenderRefused { refusal: 4, held: Some(9) },
            Effect::SenderRefused { refusal: 5, held: None },
        ];
        for e in all().into_iter().chain(newer) {
            assert_eq!(Effect::from_json(&e.to_json()), e, "{}", e.to_json());
        }
    }

    /// The JSON written before the effect was typed reads back as the same
    /// effect, and is written again byte for byte.
    #[test]
    fn effects_read_what_existing_databases_hold() {
        let stored = [
            r#"{"cancelled":[7],"exited":[1,2],"paused":[3]}"#,
            r#"{"cancelled":[],"exited":[],"paused":[]}"#,
            r#"{"cancelled":[],"dnc":"ana@nubaria.es","exited":[1]}"#,
            r#"{"cancelled":[],"dnc":null,"exited":[]}"#,
            r#"{"cancelled":[9],"exited":[4],"status":"invalid"}"#,
            r#"{"retried":12,"status":"soft_bounced"}"#,
            r#"{"retried":null,"status":"soft_bounced"}"#,
            r#"{"paused":[5,6],"until":"2026-12-01T08:00:00+00:00"}"#,
            r#"{"paused":[],"until":"2026-12-01T08:00:00+00:00"}"#,
            r#"{}"#,
        ];
        for (text, want) in stored.iter().zip(all()) {
            let v: Value = serde_json::from_str(text).unwrap();
            assert_eq!(Effect::from_json(&v), want, "{text}");
            assert_eq!(want.to_json(), v, "{text}");
        }
        assert_eq!(Effect::from_json(&Value::Null), Effect::Nothing);
    }
}
