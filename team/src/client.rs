//! What a desktop does with the team server: push its ops, pull the feed
//! after its cursor, ask whether an address may be mailed, and wait for the
//! server to say something changed (LISTEN, with a poll as the fallback).

use std::time::Duration;

use chrono::{DateTime, Utc};
use futures::StreamExt;
use serde_json::{json, Value};
use tokio::sync::mpsc;
use tokio_postgres::{AsyncMessage, NoTls};

use crate::connect::{check_schema, tls, Target};
use crate::{pg, Result};

/// One op from a desktop's outbox.
#[derive(Debug, Clone, PartialEq)]
pub struct Op {
    /// The op's UUIDv7, fixed before its first push.
    pub uid: String,
    /// `dnc_add`, `dnc_remove`.
    pub kind: String,
    pub body: Value,
}

/// What the server did with one op.
#[derive(Debug, Clone, PartialEq)]
pub struct OpResult {
    pub uid: String,
    pub ok: bool,
    /// Why not, in words.
    pub why: Option<String>,
    /// The server could not take it now (it is older than this Cadence):
    /// keep it and push again later.
    pub retry: bool,
    /// The server's answer as it came, stored with the op.
    pub raw: Value,
}

/// One row of the team's change feed.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedRow {
    pub seq: i64,
    pub at: DateTime<Utc>,
    /// `dnc_add`, `dnc_remove`.
    pub kind: String,
    pub key: String,
    pub body: Value,
}

/// May this address be mailed, by the team's list?
#[derive(Debug, Clone, PartialEq)]
pub struct MaySend {
    pub ok: bool,
    pub why: Option<String>,
}

/// What a publish or a retire did.
#[derive(Debug, Clone, PartialEq)]
pub struct Published {
    pub ok: bool,
    pub version: Option<i32>,
    pub why: Option<String>,
}

impl From<Value> for Published {
    fn from(v: Value) -> Self {
        Published {
            ok: v["ok"].as_bool().unwrap_or(false),
            version: v["version"].as_i64().map(|n| n as i32),
            why: v["why"].as_str().map(str::to_string),
        }
    }
}

/// Who holds an account after a claim, release or reassign.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub ok: bool,
    pub holder: Option<String>,
    pub epoch: Option<i64>,
    /// Why not ("account owned by ana").
    pub why: Option<String>,
}

impl From<Value> for Claim {
    fn from(v: Value) -> Self {
        Claim {
            ok: v["ok"].as_bool().unwrap_or(false),
            holder: v["holder"].as_str().map(str::to_string),
            epoch: v["epoch"].as_i64(),
            why: v["why"].as_str().map(str::to_string),
        }
    }
}

/// A desktop's connection to its team server.
pub struct Client {
    pg: tokio_postgres::Client,
    who: String,
}

impl Client {
    /// Connects as this desktop's role and checks the server's schema.
    pub async fn connect(target: &Target, password: Option<&str>) -> Result<Client> {
        let who = target.role().to_string();
        let pg = target.connect(password).await?;
        check_schema(&pg, &who).await?;
        Ok(Client { pg, who })
    }

    /// Pushes ops; the server applies each once (a retry of an op it has
    /// applied gets the stored result back).
    pub async fn push(&self, ops: &[Op]) -> Result<Vec<OpResult>> {
        let payload: Vec<Value> = ops.iter().map(|o| json!({ "uid": o.uid, "kind": o.kind, "body": o.body })).collect();
        let row = self.pg.query_one("SELECT team.push($1)", &[&Value::Array(payload)]).await.map_err(|e| pg(e, &self.who))?;
        let out: Value = row.get(0);
        let results = out.as_array().cloned().unwrap_or_default();
        Ok(results
            .into_iter()
            .map(|r| OpResult {
                uid: r["uid"].as_str().unwrap_or_default().to_string(),
                ok: r["ok"].as_bool().unwrap_or(false),
                why: r["why"].as_str().map(str::to_string),
                retry: r["retry"].as_bool().unwrap_or(false),
                raw: r,
            })
            .collect())
    }

    /// The feed after `after`, in order, at most `limit` rows.
    pub async fn pull(&self, after: i64, limit: i32) -> Result<Vec<FeedRow>> {
        let rows = self
            .pg
            .query("SELECT seq, at, kind, key, body FROM team.pull($1, $2)", &[&after, &limit])
            .await
            .map_err(|e| pg(e, &self.who))?;
        Ok(rows.iter().map(|r| FeedRow { seq: r.get(0), at: r.get(1), kind: r.get(2), key: r.get(3), body: r.get(4) }).collect())
    }

    /// Asks the server whether `address` may be mailed now.
    pub async fn may_send(&self, address: &str) -> Result<MaySend> {
        let row = self.pg.query_one("SELECT team.may_send($1)", &[&address]).await.map_err(|e| pg(e, &self.who))?;
        let v: Value = row.get(0);
        Ok(MaySend { ok: v["ok"].as_bool().unwrap_or(false), why: v["why"].as_str().map(str::to_string) })
    }

    /// Publishes version `expected + 1` of a sequence if the newest on the
    /// server is still `expected` (a manager's role only).
    pub async fn publish(&self, slug: &str, expected: i32, name: &str, source: &str, sha256: &str) -> Result<Published> {
        let row = self
            .pg
            .query_one("SELECT team.publish($1, $2, $3, $4, $5)", &[&slug, &expected, &name, &source, &sha256])
            .await
            .map_err(|e| pg(e, &self.who))?;
        Ok(Published::from(row.get::<_, Value>(0)))
    }

    /// Retires a version: no new enrollments in it (a manager's role only).
    pub async fn retire(&self, slug: &str, version: i32) -> Result<Published> {
        let row = self.pg.query_one("SELECT team.retire($1, $2)", &[&slug, &version]).await.map_err(|e| pg(e, &self.who))?;
        Ok(Published::from(row.get::<_, Value>(0)))
    }

    /// Claims (or renews) an account for this desktop's rep for `days`.
    pub async fn claim(&self, account: &str, days: i32) -> Result<Claim> {
        let row = self.pg.query_one("SELECT team.claim($1, $2)", &[&account, &days]).await.map_err(|e| pg(e, &self.who))?;
        Ok(Claim::from(row.get::<_, Value>(0)))
    }

    /// Gives an account back (its holder), or takes it from anyone (a manager).
    pub async fn release(&self, account: &str) -> Result<Claim> {
        let row = self.pg.query_one("SELECT team.release($1)", &[&account]).await.map_err(|e| pg(e, &self.who))?;
        Ok(Claim::from(row.get::<_, Value>(0)))
    }

    /// Hands an account to another rep (a manager only).
    pub async fn reassign(&self, account: &str, to: &str, days: i32) -> Result<Claim> {
        let row = self.pg.query_one("SELECT team.reassign($1, $2, $3)", &[&account, &to, &days]).await.map_err(|e| pg(e, &self.who))?;
        Ok(Claim::from(row.get::<_, Value>(0)))
    }

    pub fn is_closed(&self) -> bool {
        self.pg.is_closed()
    }
}

/// Listens for the server's "the feed changed" on a connection of its own;
/// each notification (or the connection's end, as `false`) goes to the
/// returned channel. The task ends when the receiver is dropped.
pub async fn listen(target: &Target, password: Option<&str>) -> Result<mpsc::Receiver<bool>> {
    let config = target.config(password);
    let who = target.role().to_string();
    let (tx, rx) = mpsc::channel(16);
    macro_rules! drive {
        ($tls:expr) => {{
            let (client, mut connection) = config.connect($tls).await.map_err(|e| pg(e, &who))?;
            let (msg_tx, mut msg_rx) = mpsc::unbounded_channel();
            let stream = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
            tokio::spawn(async move {
                let mut stream = Box::pin(stream);
                while let Some(m) = stream.next().await {
                    match m {
                        Ok(AsyncMessage::Notification(_)) => {
                            if msg_tx.send(true).is_err() {
                                break;
                            }
                        }
                        Ok(_) => {}
                        Err(_) => break,
                    }
                }
                let _ = msg_tx.send(false);
            });
            client.batch_execute("LISTEN team_changes").await.map_err(|e| pg(e, &who))?;
            tokio::spawn(async move {
                // The client must live as long as the connection is listened to.
                let _client = client;
                while let Some(m) = msg_rx.recv().await {
                    let end = !m;
                    if tx.send(m).await.is_err() || end {
                        break;
                    }
                }
            });
        }};
    }
    if target.is_local() {
        drive!(NoTls);
    } else {
        drive!(tls());
    }
    Ok(rx)
}

/// How long a sync loop sleeps between polls when no notification comes.
pub const POLL: Duration = Duration::from_secs(10);
