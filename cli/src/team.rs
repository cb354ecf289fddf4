//! `cadence team ...`: one call into the workspace each, then printing.

use std::io::Read;

use dto::TeamStatusDto;
use workspace::{Error, Result, Workspace};

use crate::args::TeamCmd;
use crate::emit;
use crate::human::safe;

pub fn run(ws: &Workspace, cmd: TeamCmd, json: bool) -> Result<()> {
    let rt = workspace::runtime()?;
    match cmd {
        TeamCmd::Init { url } => {
            let r = rt.block_on(workspace::team::team_init(&url))?;
            emit(json, &r, |r| match (r.schema_from, r.schema_to) {
                (Some(f), Some(t)) if f == t => println!("The team server is up to date (schema {t})."),
                (Some(0), Some(t)) => println!("The team server is set up (schema {t}). Add people with `cadence team add-rep NAME`."),
                (Some(f), Some(t)) => println!("The team server went from schema {f} to {t}."),
                _ => {}
            });
        }
        TeamCmd::AddRep { name, url, public } => add(&rt, &name, &url, &public, false, json)?,
        TeamCmd::AddManager { name, url, public } => add(&rt, &name, &url, &public, true, json)?,
        TeamCmd::Join { line } => {
            let line = match line {
                Some(l) => l,
                None => {
                    let mut s = String::new();
                    std::io::stdin()
                        .read_to_string(&mut s)
                        .map_err(|e| Error::Invalid(format!("cannot read the line from standard input: {e}")))?;
                    s.trim().to_string()
                }
            };
            let s = rt.block_on(ws.join_team(&line))?;
            emit(json, &s, |s| {
                println!("Joined the team at {} as {}.", safe(s.url.as_deref().unwrap_or("")), safe(s.role.as_deref().unwrap_or("")));
                println!("The secret is in this computer's keyring. `cadence team sync` shares your do-not-contact list now.");
            });
        }
        TeamCmd::Publish { files } => {
            let r = rt.block_on(ws.team_publish(&files))?;
            let failed = r.iter().any(|p| p.version.is_none());
            emit(json, &r, |r| {
                for p in r {
                    match (p.version, &p.problem) {
                        (Some(v), _) => println!("{}: published as {} version {v}", safe(&p.file), safe(&p.slug)),
                        (None, Some(why)) => println!("{}: not published: {}", safe(&p.file), safe(why)),
                        (None, None) => println!("{}: not published", safe(&p.file)),
                    }
                    for f in &p.findings {
                        println!("  warning: {}", safe(f));
                    }
                }
            });
            if failed {
                return Err(Error::Conflict("not every file was published (see above)".into()));
            }
        }
        TeamCmd::Retire { slug, version } => {
            rt.block_on(ws.team_retire(&slug, version))?;
            emit(json, &serde_json::json!({ "retired": slug, "version": version }), |_| {
                println!("{} version {version} is retired: no new enrollments; running ones keep it.", safe(&slug))
            });
        }
        TeamCmd::Leave => emit(json, &ws.leave_team()?, |_| println!("Left the team; its entries stay on your do-not-contact list.")),
        TeamCmd::Status => emit(json, &ws.team_status()?, status),
        TeamCmd::Sync => {
            let r = rt.block_on(ws.team_sync())?;
            emit(json, &r, |r| {
                println!(
                    "Pushed {}, pulled {}: {} listed here, {} taken off, {} sequences ended, {} emails cancelled.",
                    r.pushed, r.pulled, r.listed, r.unlisted, r.ended, r.cancelled
                );
                for why in &r.refused {
                    println!("  refused: {}", safe(why));
                }
            });
        }
    }
    Ok(())
}

fn add(rt: &tokio::runtime::Runtime, name: &str, url: &str, public: &str, manager: bool, json: bool) -> Result<()> {
    let r = rt.block_on(workspace::team::team_add_member(url, name, manager, public))?;
    emit(json, &r, |r| {
        let who = if manager { "manager" } else { "rep" };
        println!(
            "Added {} as a {who}. Give them this line once; it holds their secret and is not shown again:",
            safe(r.member.as_deref().unwrap_or(""))
        );
        println!();
        println!("    cadence team join '{}'", r.secret_url.as_deref().unwrap_or(""));
    });
    Ok(())
}

fn status(s: &TeamStatusDto) {
    if !s.joined {
        println!("Not on a team. Join with the line your admin gave you: cadence team join");
        return;
    }
    println!("Team server {} as {}.", safe(s.url.as_deref().unwrap_or("")), safe(s.role.as_deref().unwrap_or("")));
    match &s.synced_at {
        Some(at) => println!("Last heard from {at}; {} change(s) waiting to go; feed read to {}.", s.pending, s.position),
        None => println!("Not synced yet; {} change(s) waiting to go.", s.pending),
    }
    if s.stale {
        println!("Emails wait: the team do-not-contact list has not been checked in the last {} minutes.", s.grace_minutes);
    }
    if let Some(p) = &s.problem {
        println!("Problem: {}", safe(p));
    }
}
