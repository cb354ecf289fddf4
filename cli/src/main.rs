//! `cadence`: Cadence from the terminal. Every command is one call into the
//! application layer (`workspace::Workspace`) and then formatting: `--json`
//! prints the same DTOs the desktop gets over IPC; `human.rs` prints them
//! for people.

mod args;
mod human;
mod mailbox;
mod signals;
mod stats;
mod team;

use std::process::ExitCode;

use chrono::{DateTime, Duration, Utc};
use clap::Parser;
use dto::*;
use engine::api::Filter;
use serde::Serialize;
use workspace::{EnrollmentRef, Error, ErrorCode, PathImport, Result, SampleSize, Who, Workspace};

use args::*;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return usage(e),
    };
    // Commands that talk to mail servers keep SIGPIPE ignored: a server that
    // refuses a sender and hangs up (Postfix's "Sender address rejected")
    // must be an error, not a silent death (a TLS socket write does not
    // always pass MSG_NOSIGNAL).
    if !matches!(&cli.command, Command::Mailbox(m) if m.talks_to_servers()) {
        quiet_on_closed_pipe();
    }
    let json = cli.json;
    let database = workspace::database_path(cli.db.clone());
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                println!("{}", serde_json::to_string(&ErrorReplyDto { error: ErrorDto::from(&e) }).expect("DTOs serialise"));
            }
            eprintln!("error: {}", human::safe_text(&e.to_string()));
            if matches!(e.code(), ErrorCode::Damaged | ErrorCode::NewerVersion) {
                eprintln!("{}", human::safe_text(&backup_advice(&database)));
            }
            ExitCode::from(1)
        }
    }
}

/// A reader that goes away (`cadence prospects | head`) ends the process
/// the way it ends `cat` or `grep`: killed by SIGPIPE, no message (the
/// shell reports 141). Rust ignores SIGPIPE so that a write to a closed pipe
/// returns an error, which `println!` turns into a panic; restoring the
/// default covers every write (the summaries, JSON, CSV to standard output,
/// `mailbox run` on standard error) in one place. Sockets are unaffected:
/// libdbus (the keyring) sends with MSG_NOSIGNAL; the mail commands keep
/// SIGPIPE ignored (see `main`), since a server hanging up mid-write killed
/// `mailbox sync` silently with the default.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread starts; it only
    // resets one signal's disposition to the default.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// A command line clap cannot read: help and the version as clap prints
/// them; anything else is an error like every other (exit code 1, `error:`
/// on stderr with control characters replaced, the JSON error with --json).
fn usage(e: clap::Error) -> ExitCode {
    if e.exit_code() == 0 {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let text = e.render().to_string();
    if std::env::args_os().any(|a| a == "--json") {
        let first = text.lines().next().unwrap_or_default();
        let message = first.strip_prefix("error: ").unwrap_or(first).to_string();
        let e = Error::Invalid(message);
        println!("{}", serde_json::to_string(&ErrorReplyDto { error: ErrorDto::from(&e) }).expect("DTOs serialise"));
    }
    eprint!("{}", human::safe_text(&text));
    ExitCode::from(1)
}

/// Prints `value` as JSON, or runs `human` to print it for people.
fn emit<T: Serialize>(json: bool, value: &T, human: impl FnOnce(&T)) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).expect("DTOs serialise"));
    } else {
        human(value);
    }
}

/// After the error of a database that cannot be opened: the newest backup
/// that passes the check, and the command that restores it.
fn backup_advice(database: &std::path::Path) -> String {
    match workspace::backups::good(database).ok().and_then(|b| b.into_iter().next()) {
        Some(b) => format!(
            "The newest good backup is {} (taken {}). Restore it with:\n    cadence restore {}",
            b.path.display(),
            b.taken_at.format("%Y-%m-%d %H:%M UTC"),
            b.path.display()
        ),
        None => format!("There is no good backup in {}.", workspace::backups::folder(database).display()),
    }
}

fn parse_now(t: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(t)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| Error::Invalid(format!("--now \"{t}\" is not an RFC 3339 time like 2026-11-24T09:00:00Z")))
}

fn run(cli: Cli) -> Result<()> {
    let now = cli.now.as_deref().map(parse_now).transpose()?;
    if let Command::Classify { unsubscribe_address } = &cli.command {
        return mailbox::classify(unsubscribe_address.as_deref(), now.unwrap_or_else(Utc::now));
    }
    let database = workspace::database_path(cli.db.clone());
    let ws = match Workspace::open(&database, now) {
        Ok(ws) => ws,
        Err(e) if matches!(e.code(), ErrorCode::Damaged | ErrorCode::NewerVersion) => {
            if let Command::Restore { file } = &cli.command {
                // The database in place cannot be opened: the backup goes in its place.
                let r = workspace::backups::restore_in_place(&database, file, now.unwrap_or_else(Utc::now))?;
                emit(cli.json, &r, human::restored);
                return Ok(());
            }
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    let json = cli.json;
    if !matches!(cli.command, Command::Backup { .. } | Command::Backups | Command::Restore { .. }) {
        if let Err(e) = ws.backup_if_due() {
            eprintln!("cadence: the daily backup failed: {}", human::safe_text(&e.to_string()));
        }
    }
    match cli.command {
        Command::Backup { file } => emit(json, &ws.backup(file.as_deref())?, human::backup),
        Command::Backups => emit(json, &ws.backups()?, |b| human::backups(b, &workspace::backups::folder(&database))),
        Command::Restore { file } => emit(json, &ws.restore(&file)?, human::restored),
        Command::Demo { prospects, seed } => {
            if let Some(r) = ws.demo(prospects, seed)? {
                if !json {
                    println!(
                        "Loaded a sample workspace into {}: {} prospects, {} in a sequence.\n",
                        human::safe(&ws.database().display().to_string()),
                        r.prospects,
                        r.active_enrollments
                    );
                }
            }
            emit(json, &ws.queue(None, None)?, human::queue);
        }
        Command::Sample { prospects, seed, active_percent, past } => {
            let r = ws.generate(&SampleSize { prospects, seed, active_percent: Some(active_percent), past })?;
            emit(json, &r, |r| {
                println!("Sample workspace: {} prospects, {} active enrollments, {} touches.", r.prospects, r.active_enrollments, r.touches)
            });
        }
        Command::Stats { sequence, days, since, until, csv, activity, output } => {
            stats::run(&ws, sequence.as_deref(), stats::period(days, since, until), csv || activity, activity, output.as_deref(), json)?;
        }
        Command::StatsSettings { reply_floor, window_days } => {
            let s = ws.set_results_settings(reply_floor, window_days)?;
            emit(json, &s, |s| {
                println!("Advice points out email steps under {}% replies over the last {} days.", s.reply_floor_pct, s.window_days)
            });
        }
        Command::Import { file, map, update, tag, enroll, delimiter } => {
            let mapping = map.iter().map(|m| human::header_mapping(m)).collect::<Result<Vec<_>>>()?;
            let how = PathImport { mapping: &mapping, update, tags: tag, delimiter: delimiter.as_deref(), enroll: enroll.as_deref() };
            let done = ws.import_path(&file, &how, &mut |_, _| {}).map_err(|e| match e {
                // The engine names the columns it found; say how to map one here.
                Error::Csv(m) if m.starts_with("no column holds email") => Error::Csv(format!(
                    "{m}; map the email column with --map \"<header>=email\"{}",
                    if delimiter.is_none() { ", or choose the separator with --delimiter comma|semicolon|tab" } else { "" }
                )),
                other => other,
            })?;
            emit(json, &done, |d| {
                human::import(&d.report);
                if let (Some(e), Some(slug)) = (&d.enrollment, &enroll) {
                    human::enroll(e, slug);
                }
            });
        }
        Command::Prospects { search, tag, import, limit, offset } => {
            // SQLite counts rows in an i64: anything larger means "all of them".
            let (limit, offset) = (limit.min(MAX_ROWS), offset.min(MAX_ROWS));
            let list = ws.prospect_list(&Filter { search, tag, import_id: import, limit: Some(limit), offset, ..Default::default() })?;
            emit(json, &list, |l| human::prospects(l));
        }
        Command::Prospect(cmd) => match cmd {
            ProspectCmd::Show { key } => emit(json, &ws.prospect(&key)?, human::prospect),
            ProspectCmd::Set { key, field, value } => {
                let p = ws.set_prospect_field(&key, &field, &value)?;
                emit(json, &p, |p| {
                    println!(
                        "Updated {} ({}): {} = \"{}\"",
                        human::safe(&human::name(p)),
                        human::safe(&p.email),
                        human::safe(&field),
                        human::safe(&value)
                    )
                });
            }
        },
        Command::Dnc(DncCmd::Add { entry, reason }) => {
            let d = ws.add_do_not_contact(&entry, &reason)?;
            emit(json, &d, |d| {
                println!("{} is on the do-not-contact list; {} enrollment(s) ended.", human::safe(&d.entry), d.enrollments_ended)
            });
        }
        Command::Sequences(cmd) => match cmd {
            SequencesCmd::List => emit(json, &ws.sequences()?, |l| human::sequences(l)),
            SequencesCmd::Show { slug } => emit(json, &ws.sequence(&slug)?, human::sequence),
            SequencesCmd::Lint { target } => emit(json, &ws.lint(&target)?, |l| human::lint(&l.name, &l.findings)),
            SequencesCmd::Add { file } => emit(json, &ws.add_sequence(&file)?, |d| {
                println!("Added \"{}\" as {} (version {}).", human::safe(&d.name), human::safe(&d.slug), d.version);
                human::lint(&d.name, d.findings.as_deref().unwrap_or_default());
            }),
        },
        Command::Enroll { sequence, prospect, tag, search, import, all, force } => {
            let who = if all {
                Who::Everyone
            } else if let Some(i) = import {
                Who::Import(i)
            } else if !prospect.is_empty() {
                Who::Prospects(prospect)
            } else {
                Who::Matching { tag, search }
            };
            emit(json, &ws.enroll_who(&sequence, &who, force)?, |r| human::enroll(r, &sequence));
        }
        Command::Queue { channel, limit } => {
            let channel = channel.as_deref().map(workspace::channel).transpose()?;
            emit(json, &ws.queue(channel, limit)?, human::queue);
        }
        Command::Touch { id } => emit(json, &ws.touch(id)?, human::touch),
        Command::Approve { id, subject, body_file } => {
            let body =
                body_file.map(|p| std::fs::read_to_string(&p).map_err(|source| Error::Io { path: p.clone(), source })).transpose()?;
            let done = ws.complete(id, OutcomeInput::Approve { subject, body })?;
            let o = done.outbox.ok_or_else(|| Error::Conflict(format!("touch {id} is not an email; use call, done or skip")))?;
            let zone = ws.settings()?.timezone;
            emit(json, &o, |o| {
                println!(
                    "Approved: \"{}\" to {} goes out {}.",
                    human::safe(&o.subject),
                    human::safe(&o.email),
                    human::when_utc(&o.send_at, &zone)
                )
            });
        }
        Command::Call { id, outcome, notes, duration } => {
            let words = format!("Call logged: {}", outcome.replace('_', " "));
            emit(json, &ws.complete(id, OutcomeInput::Call { outcome, notes, duration_s: duration })?, |d| human::completed(d, &words));
        }
        Command::Done { id, notes } => emit(json, &ws.complete(id, OutcomeInput::Done { notes })?, |d| human::completed(d, "Marked done")),
        Command::Accepted { prospect } => emit(json, &ws.connection_accepted(&prospect)?, |b| match b.step {
            Some(n) => println!("Accepted: the sequence goes on at step {n} ({}).", human::safe(&b.to)),
            None => println!("Accepted: the sequence ends there, as it says."),
        }),
        Command::Skip { id, reason } => emit(json, &ws.complete(id, OutcomeInput::Skip { reason })?, |d| human::completed(d, "Skipped")),
        Command::Snooze { id, until, r#for } => {
            let s = match (until, r#for) {
                (Some(u), _) => {
                    let at =
                        DateTime::parse_from_rfc3339(&u).map_err(|_| Error::Invalid(format!("--until \"{u}\" is not an RFC 3339 time")))?;
                    ws.snooze_until(id, at.with_timezone(&Utc))?
                }
                (None, Some(f)) => ws.snooze_for(id, parse_span(&f)?)?,
                (None, None) => return Err(Error::Invalid("say how long: --for 2h / 1d, or --until <time>".into())),
            };
            let zone = ws.settings()?.timezone;
            emit(json, &s, |s| println!("Snoozed touch {id}: due {}.", human::when_utc(&s.due_at, &zone)));
        }
        Command::Pause { enrollment, prospect } => {
            emit(json, &ws.pause(&which(enrollment, prospect)?)?, |s| println!("Paused enrollment {}.", s.enrollment_id));
        }
        Command::Resume { enrollment, prospect } => {
            emit(json, &ws.resume(&which(enrollment, prospect)?)?, |s| println!("Resumed enrollment {}.", s.enrollment_id));
        }
        Command::Remove { enrollment, prospect } => {
            emit(json, &ws.remove(&which(enrollment, prospect)?)?, |s| {
                println!("Removed enrollment {} from its sequence.", s.enrollment_id)
            });
        }
        Command::Away { from, to } => {
            let a = ws.add_away(calendar_date(&from)?, calendar_date(&to)?)?;
            emit(json, &a, |a| {
                println!("Away {} to {}: {} touch(es) moved to after your return, spacing kept.", a.from, a.to, a.touches_moved)
            });
        }
        Command::Outbox => {
            let zone = ws.settings()?.timezone;
            emit(json, &ws.outbox()?, |l| human::outbox(l, &zone));
        }
        Command::Classify { .. } => unreachable!("handled before the database opens"),
        Command::Mailbox(cmd) => mailbox::run(ws, cmd, json)?,
        Command::Signal(cmd) => signals::run(&ws, cmd, json)?,
        Command::Team(cmd) => team::run(&ws, cmd, json)?,
        Command::Settings(cmd) => {
            let s = match &cmd {
                SettingsCmd::Set { key, value } => ws.set_setting(key, value)?,
                _ => ws.settings()?,
            };
            emit(json, &s, human::settings);
        }
    }
    Ok(())
}

/// The most rows a listing asks for (SQLite's LIMIT and OFFSET are i64).
const MAX_ROWS: usize = i64::MAX as usize;

/// A date like 2026-12-21 in the years 1 to 9999 (the parser also takes
/// "+262142-12-31", at the end of the calendar, where a day more overflows).
fn calendar_date(s: &str) -> Result<chrono::NaiveDate> {
    use chrono::Datelike;
    let d = workspace::date(s)?;
    if !(1..=9999).contains(&d.year()) {
        return Err(Error::Invalid(format!("{d} is out of range; give a date in the years 1 to 9999")));
    }
    Ok(d)
}

/// `--enrollment ID` or `--prospect EMAIL|ID`.
fn which(id: Option<i64>, prospect: Option<String>) -> Result<EnrollmentRef> {
    match (id, prospect) {
        (Some(id), _) => Ok(EnrollmentRef::Id(id)),
        (None, Some(p)) => Ok(EnrollmentRef::Prospect(p)),
        (None, None) => Err(Error::Invalid("give an enrollment id or --prospect <email|id>".into())),
    }
}

/// "90m", "2h", "1d", "3d" (calendar time). A number too large for a
/// duration is an error here; the workspace checks the range of a snooze.
fn parse_span(s: &str) -> Result<Duration> {
    let bad = || Error::Invalid(format!("\"{s}\" is not a span like 90m, 2h or 3d"));
    let s = s.trim();
    // The unit is the last character, whatever its width in bytes.
    let unit = s.chars().next_back().ok_or_else(bad)?;
    let n: i64 = s[..s.len() - unit.len_utf8()].parse().map_err(|_| bad())?;
    let span = match unit {
        'm' => Duration::try_minutes(n),
        'h' => Duration::try_hours(n),
        'd' => Duration::try_days(n),
        'w' => Duration::try_weeks(n),
        _ => return Err(bad()),
    };
    span.ok_or_else(|| Error::Invalid(format!("\"{s}\" is too long a span")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_parse_without_panicking() {
        assert_eq!(parse_span("90m").unwrap(), Duration::minutes(90));
        assert_eq!(parse_span(" 2w ").unwrap(), Duration::weeks(2));
        for bad in ["", "d", "2é", "é", "日本", "2", "1.5h", "99999999999999999999d"] {
            assert!(matches!(parse_span(bad), Err(Error::Invalid(_))), "{bad:?}");
        }
        // Too long for a duration at all: an error, not a panic.
        assert!(matches!(parse_span("9223372036854775807d"), Err(Error::Invalid(m)) if m.contains("too long")));
    }
}
