//! The desktop's side of a team, with no network: joining and leaving, the
//! ops waiting for the server and what it answered, the feed pulled from it
//! applied (the cursor moved in the same transaction), and how fresh this
//! desktop's copy of the team's list is. The `team` crate talks to the
//! server; the workspace runs the loop.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::Engine;
use crate::activity::ActivityKind;
use crate::domain::{normalise_email, ExitReason, ProspectId};
use crate::error::{Error, Result};
use crate::events::Change;
use crate::store::{self, activity::Entry};

/// How long emails keep going on this desktop's copy of the team's list
/// while the server cannot be asked, unless the team settings say.
pub const GRACE_DEFAULT_S: i64 = 15 * 60;

/// The team this desktop is on.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamSettings {
    /// The server and role, without the secret (that is in the keyring).
    pub url: String,
    pub role: String,
    /// Seconds the local copy of the list is trusted without the server.
    pub grace_s: i64,
}

impl TeamSettings {
    fn to_json(&self) -> String {
        json!({ "url": self.url, "role": self.role, "grace_s": self.grace_s }).to_string()
    }

    fn from_json(text: &str) -> Option<TeamSettings> {
        let v: Value = serde_json::from_str(text).ok()?;
        Some(TeamSettings {
            url: v["url"].as_str()?.to_string(),
            role: v["role"].as_str()?.to_string(),
            grace_s: v["grace_s"].as_i64().unwrap_or(GRACE_DEFAULT_S),
        })
    }
}

/// An op for the server; `uid` is fixed (`team_fix_uids`) before it is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamOp {
    pub id: i64,
    pub uid: Option<String>,
    pub kind: String,
    pub body: Value,
}

/// The server's answer to one op.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamAck {
    pub id: i64,
    /// Applied, or refused for good (with `why`): either way it is done.
    /// `retry`: the server could not take it yet; it stays.
    pub retry: bool,
    pub result: Value,
}

/// One row of the team's feed.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamChange {
    pub seq: i64,
    pub kind: String,
    pub key: String,
    pub body: Value,
}

/// What applying the feed did here.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TeamApplied {
    pub listed: usize,
    pub unlisted: usize,
    /// Enrollments ended because their prospect is now on the list.
    pub ended: usize,
    /// Approved emails that will not go.
    pub cancelled: usize,
    /// Team sequence versions received or retired.
    pub sequences: usize,
    /// What could not be applied, in words.
    pub problems: Vec<String>,
    pub position: i64,
}

/// Where this desktop stands with its team.
#[derive(Debug, Clone, PartialEq)]
pub struct TeamStatus {
    pub team: Option<TeamSettings>,
    pub pending: u64,
    /// The feed position read so far.
    pub position: i64,
    /// When the server was last heard from.
    pub synced_at: Option<DateTime<Utc>>,
    /// Why the last push failed, while ops wait.
    pub last_error: Option<String>,
    /// Emails wait: the local copy of the team's list is older than the grace.
    pub stale: bool,
}

impl Engine {
    pub fn team(&self) -> Result<Option<TeamSettings>> {
        Ok(store::team::settings(&self.conn)?.as_deref().and_then(TeamSettings::from_json))
    }

    /// Joins a team: from now on every change to the do-not-contact list
    /// made here goes to it, and the entries already listed here go first.
    pub fn join_team(&mut self, team: &TeamSettings, now: DateTime<Utc>) -> Result<usize> {
        if self.team()?.is_some() {
            return Err(Error::Conflict("this desktop is on a team already; leave it first".into()));
        }
        let tx = self.conn.savepoint()?;
        store::team::set_settings(&tx, Some(&team.to_json()))?;
        let queued = store::team::enqueue_local_list(&tx)?;
        store::team::set_cursor(&tx, 0, None)?;
        tx.commit()?;
        let _ = now;
        self.changed(&[Change::Settings]);
        Ok(queued)
    }

    /// Leaves the team: ops not pushed yet are dropped; entries pulled from
    /// the team stay on the list (nobody is contacted because of a leave).
    pub fn leave_team(&mut self) -> Result<()> {
        let tx = self.conn.savepoint()?;
        store::team::set_settings(&tx, None)?;
        store::team::drop_pending(&tx)?;
        tx.execute("DELETE FROM team_cursor", [])?;
        tx.commit()?;
        self.changed(&[Change::Settings]);
        Ok(())
    }

    /// Ops waiting for the server, oldest first.
    pub fn team_ops(&self, limit: usize) -> Result<Vec<TeamOp>> {
        store::team::pending(&self.conn, limit)?
            .into_iter()
            .map(|p| {
                let body = serde_json::from_str(&p.body).map_err(|e| Error::Invalid(format!("team op {}: {e}", p.id)))?;
                Ok(TeamOp { id: p.id, uid: p.uid, kind: p.kind, body })
            })
            .collect()
    }

    /// Fixes the UUIDs of ops about to be pushed for the first time, before
    /// they go: a retry sends the same UUID and the server applies it once.
    pub fn team_fix_uids(&mut self, uids: &[(i64, String)]) -> Result<()> {
        let tx = self.conn.savepoint()?;
        for (id, uid) in uids {
            store::team::set_uid(&tx, *id, uid)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The server answered: done ops are marked, the rest wait.
    pub fn team_acked(&mut self, acks: &[TeamAck], now: DateTime<Utc>) -> Result<()> {
        let tx = self.conn.savepoint()?;
        for a in acks {
            if a.retry {
                let why = a.result["why"].as_str().unwrap_or("the server could not take it yet");
                store::team::failed(&tx, a.id, why)?;
            } else {
                store::team::ack(&tx, a.id, &a.result.to_string(), now)?;
            }
        }
        let (position, _) = store::team::cursor(&tx)?;
        store::team::set_cursor(&tx, position, Some(now))?;
        tx.commit()?;
        Ok(())
    }

    /// The push did not get through: the ops wait, with the reason.
    pub fn team_push_failed(&mut self, ids: &[i64], why: &str) -> Result<()> {
        let tx = self.conn.savepoint()?;
        for id in ids {
            store::team::failed(&tx, *id, why)?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Applies the feed pulled after this desktop's cursor, with the cursor,
    /// in one transaction: a crash leaves both as they were, so nothing is
    /// applied twice or missed. A team entry ends the running sequences of
    /// the prospects it names, with their approved emails, as one added here.
    pub fn team_apply(&mut self, changes: &[TeamChange], now: DateTime<Utc>) -> Result<TeamApplied> {
        let (mut position, _) = store::team::cursor(&self.conn)?;
        let mut out = TeamApplied::default();
        let tx = self.conn.savepoint()?;
        for c in changes {
            if c.seq <= position {
                continue;
            }
            let entry = normalise_email(&c.key);
            match c.kind.as_str() {
                "dnc_add" => {
                    let reason = c.body["reason"].as_str().unwrap_or("");
                    let by = c.body["rep"].as_str().unwrap_or("the team");
                    let why = if reason.is_empty() { format!("listed by {by}") } else { format!("{reason} (listed by {by})") };
                    if store::team::add_team_entry(&tx, &entry, &why, now)? {
                        out.listed += 1;
                    }
                    let matching: Vec<ProspectId> = match entry.strip_prefix('@') {
                        Some(domain) => store::prospects::ids_in_domain(&tx, domain)?,
                        None => store::prospects::find_id(&tx, &entry)?.into_iter().collect(),
                    };
                    for pid in matching {
                        let ended = super::enroll::exit_all(&tx, pid, ExitReason::DoNotContact, now)?;
                        if !ended.enrollments.is_empty() {
                            let data = json!({ "entry": entry, "reason": why, "team": true, "seq": c.seq });
                            store::activity::append(
                                &tx,
                                now,
                                &Entry { prospect_id: Some(pid), data, ..Entry::new(ActivityKind::DoNotContact) },
                            )?;
                        }
                        out.ended += ended.enrollments.len();
                        out.cancelled += ended.cancelled.len();
                    }
                }
                "dnc_remove" => out.unlisted += usize::from(store::team::remove_team_entry(&tx, &entry)?),
                "sequence_published" => {
                    let slug = c.body["slug"].as_str().unwrap_or(&c.key);
                    let version = c.body["version"].as_i64().unwrap_or(0);
                    let source = c.body["source"].as_str().unwrap_or_default();
                    // A file this Cadence cannot read is passed over, not half-stored.
                    if let Ok(seq) = crate::sequence::parse_sequence(&format!("{slug}.toml"), source) {
                        let sha = c.body["sha256"].as_str().unwrap_or_default();
                        if store::sequences::insert_team(&tx, slug, version, &seq.name, source, sha, now)? {
                            out.sequences += 1;
                        } else if !store::sequences::is_team(&tx, slug)? {
                            out.problems.push(format!(
                                "the team published \"{slug}\", and a sequence of yours has that name: rename yours to receive the team's"
                            ));
                        }
                    } else {
                        out.problems.push(format!("the team's \"{slug}\" version {version} cannot be read by this Cadence: update it"));
                    }
                }
                "sequence_retired" => {
                    let slug = c.body["slug"].as_str().unwrap_or(&c.key);
                    out.sequences += usize::from(store::sequences::retire(&tx, slug, c.body["version"].as_i64().unwrap_or(0), now)?);
                }
                // A kind this Cadence does not know yet is passed over; a
                // newer Cadence reads the feed from the start of what it knows.
                _ => {}
            }
            position = c.seq;
        }
        store::team::set_cursor(&tx, position, Some(now))?;
        tx.commit()?;
        out.position = position;
        if out.listed + out.unlisted + out.ended + out.sequences > 0 {
            self.changed(&[Change::Prospects, Change::Queue, Change::Sequences, Change::Outbox]);
        }
        Ok(out)
    }

    /// The newest version of a team sequence this desktop has (0: none):
    /// what a publish expects to be the newest on the server.
    pub fn team_version(&self, slug: &str) -> Result<i64> {
        store::sequences::team_version(&self.conn, slug)
    }

    pub fn team_status(&self, now: DateTime<Utc>) -> Result<TeamStatus> {
        let team = self.team()?;
        let (position, synced_at) = store::team::cursor(&self.conn)?;
        let stale = team.as_ref().is_some_and(|t| synced_at.is_none_or(|s| now - s > Duration::seconds(t.grace_s)));
        Ok(TeamStatus {
            team,
            pending: store::team::count_pending(&self.conn)?,
            position,
            synced_at,
            last_error: store::team::last_error(&self.conn)?,
            stale,
        })
    }

    /// Why emails must wait for the team server, if they must: on a team,
    /// with this desktop's copy of the list older than the grace.
    pub(super) fn team_hold(&self, now: DateTime<Utc>) -> Result<Option<String>> {
        // On the send path: the settings row and the cursor, nothing more.
        let Some(team) = self.team()? else { return Ok(None) };
        let (_, synced_at) = store::team::cursor(&self.conn)?;
        if synced_at.is_some_and(|s| now - s <= Duration::seconds(team.grace_s)) {
            return Ok(None);
        }
        let rep = self.settings()?;
        Ok(Some(match synced_at {
            Some(at) => format!("team do-not-contact list not checked since {}", at.with_timezone(&rep.timezone).format("%H:%M")),
            None => "team do-not-contact list not checked yet".to_string(),
        }))
    }
}
