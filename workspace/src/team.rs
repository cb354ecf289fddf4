//! The team: joining with the secret an admin was shown (kept in the
//! keyring), one sync (push every op waiting, pull and apply the feed),
//! the status, and the admin's two commands (set a server up, add a
//! member). The engine keeps the outbox and the cursor; the `team` crate
//! talks to the server.

use dto::{TeamAdminDto, TeamStatusDto, TeamSyncDto};
use engine::api::{TeamAck, TeamChange, TeamSettings, GRACE_DEFAULT_S};
use engine::{Error, Result};
use team::{Client, Op, Target};

use crate::{keyring, Workspace};

/// Ops pushed and feed rows pulled per round trip.
const BATCH: usize = 200;

fn team_error(e: team::Error) -> Error {
    match e {
        team::Error::Unreachable(_) | team::Error::Server(_) => Error::Conflict(e.to_string()),
        other => Error::Invalid(other.to_string()),
    }
}

/// A fresh UUIDv7 for an op.
fn uid() -> String {
    uuid::Uuid::now_v7().to_string()
}

impl Workspace {
    /// Joins the team whose connection string (with its secret) the admin
    /// printed: the server is tried first, then the secret goes to the
    /// keyring and the address to the settings. The entries already on this
    /// desktop's list go to the team with the next sync.
    pub async fn join_team(&self, secret_url: &str) -> Result<TeamStatusDto> {
        if self.read(|e, _| e.team())?.is_some() {
            return Err(Error::Conflict("this desktop is on a team already; leave it first (`cadence team leave`)".into()));
        }
        let (target, secret) = Target::parse(secret_url).map_err(team_error)?;
        let secret = secret
            .ok_or_else(|| Error::Invalid("the connection string has no secret in it: use the whole line your admin gave you".into()))?;
        Client::connect(&target, Some(&secret)).await.map_err(team_error)?;
        keyring::save_team(&target.url, &secret)?;
        let settings = TeamSettings { url: target.url.clone(), role: target.role().to_string(), grace_s: GRACE_DEFAULT_S };
        self.with(|e, now| e.join_team(&settings, now))?;
        // The first sync now: this desktop's list goes up, the team's comes
        // down, and emails need not wait for the loop (best effort: the
        // loop and `team sync` try again).
        let _ = self.team_sync().await;
        self.team_status()
    }

    /// Leaves the team; its entries stay on this desktop's list.
    pub fn leave_team(&self) -> Result<TeamStatusDto> {
        if let Some(t) = self.read(|e, _| e.team())? {
            keyring::delete_team(&t.url)?;
        }
        self.with(|e, _| e.leave_team())?;
        self.team_status()
    }

    pub fn team_status(&self) -> Result<TeamStatusDto> {
        let problem = crate::lock(&self.team_problem).clone();
        self.read(|e, now| Ok(TeamStatusDto::new(&e.team_status(now)?, problem)))
    }

    /// Remembers why the server could not be reached (or forgets it).
    fn team_problem(&self, problem: Option<String>) {
        *crate::lock(&self.team_problem) = problem;
    }

    /// A connection to this desktop's team server, when it is on one.
    async fn team_client(&self) -> Result<Option<Client>> {
        let Some(t) = self.read(|e, _| e.team())? else { return Ok(None) };
        let (target, _) = Target::parse(&t.url).map_err(team_error)?;
        let secret = keyring::get_team(&t.url)?.ok_or_else(|| {
            Error::Invalid(
                "the team secret is not in this computer's keyring: join the team again with the line your admin gave you".into(),
            )
        })?;
        Ok(Some(Client::connect(&target, Some(&secret)).await.map_err(team_error)?))
    }

    /// One sync: every op waiting is pushed (each with its UUID, so a retry
    /// after a lost reply is applied once), then the feed after this
    /// desktop's cursor is pulled and applied with the cursor moved in the
    /// same transaction. A push that fails leaves the ops waiting, with why.
    pub async fn team_sync(&self) -> Result<TeamSyncDto> {
        let out = self.team_sync_inner().await;
        self.team_problem(out.as_ref().err().map(|e| e.to_string()));
        let mut out = out?;
        out.status = self.team_status()?;
        Ok(out)
    }

    async fn team_sync_inner(&self) -> Result<TeamSyncDto> {
        let client = match self.team_client().await {
            Ok(Some(c)) => c,
            Ok(None) => {
                return Err(Error::Invalid("this desktop is not on a team: `cadence team join` with the line your admin gave you".into()))
            }
            Err(e) => return Err(e),
        };
        let (mut pushed, mut refused) = (0, Vec::new());
        loop {
            let mut ops = self.read(|e, _| e.team_ops(BATCH))?;
            if ops.is_empty() {
                break;
            }
            // UUIDs are fixed on disk before the first push; a retry sends the same.
            let fresh: Vec<(i64, String)> = ops.iter().filter(|o| o.uid.is_none()).map(|o| (o.id, uid())).collect();
            if !fresh.is_empty() {
                self.with(|e, _| e.team_fix_uids(&fresh))?;
                for (op, (_, u)) in ops.iter_mut().filter(|o| o.uid.is_none()).zip(&fresh) {
                    op.uid = Some(u.clone());
                }
            }
            let sent: Vec<Op> =
                ops.iter().map(|o| Op { uid: o.uid.clone().unwrap_or_default(), kind: o.kind.clone(), body: o.body.clone() }).collect();
            let results = match client.push(&sent).await {
                Ok(r) => r,
                Err(err) => {
                    let why = err.to_string();
                    let ids: Vec<i64> = ops.iter().map(|o| o.id).collect();
                    self.with(|e, _| e.team_push_failed(&ids, &why))?;
                    return Err(team_error(err));
                }
            };
            let acks: Vec<TeamAck> = ops
                .iter()
                .zip(&results)
                .map(|(o, r)| {
                    if !r.ok && !r.retry {
                        refused.push(format!("{}: {}", o.body["entry"].as_str().unwrap_or(&o.kind), r.why.clone().unwrap_or_default()));
                    }
                    TeamAck { id: o.id, retry: r.retry, result: r.raw.clone() }
                })
                .collect();
            pushed += acks.iter().filter(|a| !a.retry).count();
            let stuck = acks.iter().all(|a| a.retry);
            self.with(|e, now| e.team_acked(&acks, now))?;
            if stuck {
                break;
            }
        }
        let mut out =
            TeamSyncDto { pushed, refused, pulled: 0, listed: 0, unlisted: 0, ended: 0, cancelled: 0, status: self.team_status()? };
        loop {
            let after = self.read(|e, now| Ok(e.team_status(now)?.position))?;
            let rows = client.pull(after, BATCH as i32).await.map_err(team_error)?;
            let changes: Vec<TeamChange> =
                rows.iter().map(|r| TeamChange { seq: r.seq, kind: r.kind.clone(), key: r.key.clone(), body: r.body.clone() }).collect();
            let applied = self.with(|e, now| e.team_apply(&changes, now))?;
            out.pulled += changes.len();
            out.listed += applied.listed;
            out.unlisted += applied.unlisted;
            out.ended += applied.ended;
            out.cancelled += applied.cancelled;
            if rows.len() < BATCH {
                break;
            }
        }
        out.status = self.team_status()?;
        Ok(out)
    }
}

/// What publishing one file did.
#[derive(serde::Serialize, Debug, Clone)]
pub struct PublishedDto {
    pub file: String,
    pub slug: String,
    /// The version published; null when it was not.
    pub version: Option<i32>,
    /// Why not (a parse error, someone published since, not a manager).
    pub problem: Option<String>,
    /// The linter's findings, as warnings.
    pub findings: Vec<String>,
}

impl Workspace {
    /// Publishes sequence files to the team (a manager): each is parsed and
    /// linted here first, then published as the version after the newest
    /// this desktop has pulled; if someone published since, it is refused
    /// with the version on the server. The desktop syncs before and after.
    pub async fn team_publish(&self, files: &[std::path::PathBuf]) -> Result<Vec<PublishedDto>> {
        let client = self.team_client().await?.ok_or_else(|| Error::Invalid("this desktop is not on a team".into()))?;
        self.team_sync().await?;
        let mut out = Vec::new();
        for path in files {
            let file = path.display().to_string();
            let slug = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            let read = self.read(|e, _| e.lint_file(path));
            let (seq, findings) = match read {
                Ok(r) => r,
                Err(err) => {
                    out.push(PublishedDto { file, slug, version: None, problem: Some(err.to_string()), findings: Vec::new() });
                    continue;
                }
            };
            let source = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.clone(), source })?;
            let sha = {
                use sha2::Digest;
                sha2::Sha256::digest(source.as_bytes()).iter().map(|b| format!("{b:02x}")).collect::<String>()
            };
            let expected = self.read(|e, _| e.team_version(&slug))? as i32;
            let r = client.publish(&slug, expected, &seq.name, &source, &sha).await.map_err(team_error)?;
            out.push(PublishedDto {
                file,
                slug,
                version: r.version.filter(|_| r.ok),
                problem: r.why,
                findings: findings.iter().map(|f| f.message.clone()).collect(),
            });
        }
        self.team_sync().await?;
        Ok(out)
    }

    /// Retires a version of a team sequence (a manager): no new enrollments.
    pub async fn team_retire(&self, slug: &str, version: i32) -> Result<()> {
        let client = self.team_client().await?.ok_or_else(|| Error::Invalid("this desktop is not on a team".into()))?;
        let r = client.retire(slug, version).await.map_err(team_error)?;
        if !r.ok {
            return Err(Error::Invalid(r.why.unwrap_or_else(|| "the server refused".into())));
        }
        self.team_sync().await?;
        Ok(())
    }
}

/// Sets a team server up (an admin, with a superuser connection string):
/// the schema, idempotently.
pub async fn team_init(admin_url: &str) -> Result<TeamAdminDto> {
    let (admin, password) = Target::parse(admin_url).map_err(team_error)?;
    let r = team::init(&admin, password.as_deref()).await.map_err(team_error)?;
    Ok(TeamAdminDto { schema_from: Some(r.from), schema_to: Some(r.to), member: None, role: None, secret_url: None })
}

/// Adds a rep or a manager; the returned connection string holds their
/// secret, shown once. `public` is the server's address as desktops reach it.
pub async fn team_add_member(admin_url: &str, name: &str, manager: bool, public: &str) -> Result<TeamAdminDto> {
    let (admin, password) = Target::parse(admin_url).map_err(team_error)?;
    let m = team::add_member(&admin, password.as_deref(), name, manager, public).await.map_err(team_error)?;
    Ok(TeamAdminDto { schema_from: None, schema_to: None, member: Some(m.id), role: Some(m.role), secret_url: Some(m.secret_url) })
}

/// How often the team loop looks for local changes to push (a cheap read).
pub const LOCAL_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

impl Workspace {
    /// Keeps this desktop in step with its team, for as long as it runs:
    /// pushes local changes within seconds, pulls when the server says the
    /// feed changed (LISTEN) or every `team::POLL` otherwise, and tells
    /// `told` the status after every sync that did something or failed.
    /// Does nothing (and checks again each poll) while not on a team.
    pub async fn team_run(&self, told: impl Fn(TeamStatusDto)) {
        let mut listening: Option<tokio::sync::mpsc::Receiver<bool>> = None;
        let mut last_pull = std::time::Instant::now() - team::POLL;
        loop {
            let Ok(Some(settings)) = self.read(|e, _| e.team()) else {
                listening = None;
                tokio::time::sleep(team::POLL).await;
                continue;
            };
            if listening.is_none() {
                if let (Ok((target, _)), Ok(Some(secret))) = (Target::parse(&settings.url), keyring::get_team(&settings.url)) {
                    listening = team::listen(&target, Some(&secret)).await.ok();
                }
            }
            let pending = self.read(|e, now| Ok(e.team_status(now)?.pending)).unwrap_or(0);
            let woken = match listening.as_mut() {
                Some(rx) => match rx.try_recv() {
                    Ok(true) => true,
                    Ok(false) | Err(tokio::sync::mpsc::error::TryRecvError::Disconnected) => {
                        listening = None;
                        false
                    }
                    Err(tokio::sync::mpsc::error::TryRecvError::Empty) => false,
                },
                None => false,
            };
            if pending > 0 || woken || last_pull.elapsed() >= team::POLL {
                last_pull = std::time::Instant::now();
                match self.team_sync().await {
                    Ok(r) if r.pushed + r.pulled > 0 => told(r.status),
                    Ok(_) => {}
                    Err(_) => {
                        if let Ok(s) = self.team_status() {
                            told(s);
                        }
                    }
                }
            }
            // Wake on the server's word, or look again shortly.
            match listening.as_mut() {
                Some(rx) => {
                    if let Ok(Some(more)) = tokio::time::timeout(LOCAL_EVERY, rx.recv()).await {
                        if more {
                            last_pull = std::time::Instant::now() - team::POLL;
                        } else {
                            listening = None;
                        }
                    }
                }
                None => tokio::time::sleep(LOCAL_EVERY).await,
            }
        }
    }
}
