//! `cadence`: the engine from the terminal. Every command is a thin call into
//! `engine::Engine`; `--json` output goes through `cadence-dto`.

mod args;
mod human;
mod mailbox;
mod stats;

use std::collections::HashMap;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use clap::Parser;
use dto::*;
use engine::api::{ImportOptions, Outcome, QueueOptions, SampleOptions, Selection};
use engine::domain::{CallOutcome, Channel, EnrollmentState, OnDuplicate};
use engine::import::Field;
use engine::store::prospects::Filter;
use engine::{Engine, Error};
use serde::Serialize;

use args::*;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let json = cli.json;
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if json {
                println!("{}", serde_json::json!({ "error": ErrorDto::from(&e) }));
            }
            eprintln!("error: {e}");
            ExitCode::from(1)
        }
    }
}

/// Prints `value` as JSON, or runs `human` to print it for people.
fn emit<T: Serialize>(json: bool, value: &T, human: impl FnOnce()) {
    if json {
        println!("{}", serde_json::to_string_pretty(value).expect("DTOs serialise"));
    } else {
        human();
    }
}

fn run(cli: Cli) -> Result<(), Error> {
    let now = match &cli.now {
        Some(t) => DateTime::parse_from_rfc3339(t)
            .map_err(|_| Error::Invalid(format!("--now \"{t}\" is not an RFC 3339 time like 2026-11-24T09:00:00Z")))?
            .with_timezone(&Utc),
        None => Utc::now(),
    };
    if let Command::Classify { unsubscribe_address } = &cli.command {
        return mailbox::classify(unsubscribe_address.as_deref(), now);
    }
    let db = cli.db.clone().unwrap_or_else(engine::store::default_path);
    let mut eng = Engine::open(&db, now)?;
    let json = cli.json;
    match cli.command {
        Command::Demo { prospects, seed } => {
            if eng.prospect_count()? == 0 {
                let r = eng.generate_sample(&SampleOptions { rep_timezone: engine::timezone::system_zone(), past: 400, ..SampleOptions::new(prospects, seed) }, now)?;
                if !json {
                    println!("Loaded a sample workspace into {}: {} prospects, {} in a sequence.\n", db.display(), r.prospects, r.active_enrollments);
                }
            }
            let q = eng.queue(now, &QueueOptions::default())?;
            emit(json, &QueueDto::new(&q), || human::queue(&q));
        }
        Command::Sample { prospects, seed, active_percent, past } => {
            let opts = SampleOptions { rep_timezone: engine::timezone::system_zone(), active_percent, past, ..SampleOptions::new(prospects, seed) };
            let r = eng.generate_sample(&opts, now)?;
            let v = serde_json::json!({ "prospects": r.prospects, "active_enrollments": r.active_enrollments, "touches": r.touches });
            emit(json, &v, || println!("Sample workspace: {} prospects, {} active enrollments, {} touches.", r.prospects, r.active_enrollments, r.touches));
        }
        Command::Stats { sequence, days, since, until, csv, activity, output } => {
            let span = stats::span(&eng, days, since, until, now)?;
            stats::run(&eng, sequence.as_deref(), span, csv || activity, activity, output.as_deref(), json, now)?;
        }
        Command::StatsSettings { reply_floor, window_days } => {
            let mut s = eng.results_settings()?;
            if reply_floor.is_some() || window_days.is_some() {
                s.reply_floor_pct = reply_floor.unwrap_or(s.reply_floor_pct);
                s.window_days = window_days.unwrap_or(s.window_days);
                eng.set_results_settings(s)?;
            }
            let dto = dto::ResultsSettingsDto::from(s);
            emit(json, &dto, || println!("Advice points out email steps under {}% replies over the last {} days.", dto.reply_floor_pct, dto.window_days));
        }
        Command::Import { file, map, update, tag, enroll } => {
            let bytes = std::fs::read(&file).map_err(|source| Error::Io { path: file.clone(), source })?;
            let mut mapping = HashMap::new();
            for m in &map {
                let (h, f) = m.rsplit_once('=').ok_or_else(|| Error::Invalid(format!("--map \"{m}\": expected \"Header=field\"")))?;
                let field = Field::parse(f).ok_or_else(|| {
                    Error::Invalid(format!("--map \"{m}\": unknown field \"{f}\" (use email, first_name, last_name, full_name, company, title, phone, linkedin, city, state, country, timezone, tags, custom:<name> or ignore)"))
                })?;
                mapping.insert(h.to_string(), field);
            }
            let opts = ImportOptions { mapping, on_duplicate: if update { OnDuplicate::Update } else { OnDuplicate::Skip }, tags: tag };
            let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
            let r = eng.import_csv(&name, &bytes, &opts, now)?;
            let enrolled = match &enroll {
                Some(slug) => Some(eng.enroll(&Selection::Import(r.import_id), slug, false, now)?),
                None => None,
            };
            let mut v = serde_json::to_value(ImportReportDto::from(&r)).expect("serialise");
            if let Some(e) = &enrolled {
                v["enrollment"] = serde_json::to_value(EnrollReportDto::from(e)).expect("serialise");
            }
            emit(json, &v, || {
                human::import(&r);
                if let (Some(e), Some(slug)) = (&enrolled, &enroll) {
                    human::enroll(e, slug);
                }
            });
        }
        Command::Prospects { search, tag, import, limit, offset } => {
            let f = Filter { search, tag, import_id: import, limit: Some(limit), offset, ..Default::default() };
            let list = eng.prospects(&f)?;
            let dtos: Vec<ProspectDto> = list.iter().map(ProspectDto::from).collect();
            emit(json, &dtos, || human::prospects(&list));
        }
        Command::Prospect(cmd) => match cmd {
            ProspectCmd::Show { key } => {
                let p = eng.find_prospect(&key)?;
                let enrollments = eng.enrollments_of(p.id)?;
                let timeline = eng.timeline(p.id)?;
                let v = serde_json::json!({
                    "prospect": ProspectDto::from(&p),
                    "enrollments": enrollments.iter().map(EnrollmentDto::from).collect::<Vec<_>>(),
                    "timeline": timeline.iter().map(TimelineDto::from).collect::<Vec<_>>(),
                });
                emit(json, &v, || human::prospect(&p, &enrollments, &timeline));
            }
            ProspectCmd::Set { key, field, value } => {
                let p = eng.find_prospect(&key)?;
                let p = eng.set_prospect_field(p.id, &field, &value, now)?;
                emit(json, &ProspectDto::from(&p), || println!("Updated {} ({}): {field} = \"{value}\"", p.full_name(), p.email));
            }
        },
        Command::Dnc(cmd) => match cmd {
            DncCmd::Add { entry, reason } => {
                let ended = eng.add_do_not_contact(&entry, &reason, now)?;
                let v = serde_json::json!({ "entry": entry, "enrollments_ended": ended });
                emit(json, &v, || println!("{entry} is on the do-not-contact list; {ended} enrollment(s) ended."));
            }
        },
        Command::Sequences(cmd) => match cmd {
            SequencesCmd::List => {
                let list = eng.sequences()?;
                let dtos: Vec<SequenceDto> = list.iter().map(SequenceDto::summary).collect();
                emit(json, &dtos, || human::sequences(&list));
            }
            SequencesCmd::Show { slug } => {
                let d = eng.sequence(&slug)?;
                emit(json, &SequenceDto::detail(&d), || human::sequence(&d));
            }
            SequencesCmd::Lint { target } => {
                let path = PathBuf::from(&target);
                let (name, findings) = if path.extension().is_some_and(|e| e == "toml") || path.exists() {
                    let (seq, f) = eng.lint_file(&path)?;
                    (seq.name, f)
                } else {
                    let d = eng.sequence(&target)?;
                    (d.info.sequence.name, d.findings)
                };
                let dto = LintDto { file: target.clone(), name: name.clone(), ok: findings.is_empty(), findings: findings.iter().map(FindingDto::from).collect() };
                emit(json, &dto, || human::lint(&name, &findings));
            }
            SequencesCmd::Add { file } => {
                let d = eng.add_sequence(&file, now)?;
                emit(json, &SequenceDto::detail(&d), || {
                    println!("Added \"{}\" as {} (version {}).", d.info.sequence.name, d.info.slug, d.info.version);
                    human::lint(&d.info.sequence.name, &d.findings);
                });
            }
        },
        Command::Enroll { sequence, prospect, tag, search, import, all, force } => {
            let selection = if all {
                Selection::All
            } else if let Some(i) = import {
                Selection::Import(i)
            } else if !prospect.is_empty() {
                Selection::Prospects(prospect.iter().map(|k| eng.find_prospect(k).map(|p| p.id)).collect::<Result<_, _>>()?)
            } else if tag.is_some() || search.is_some() {
                Selection::Filter(Filter { tag, search, ..Default::default() })
            } else {
                return Err(Error::Invalid("say who to enroll: --prospect, --tag, --search, --import or --all".into()));
            };
            let r = eng.enroll(&selection, &sequence, force, now)?;
            emit(json, &EnrollReportDto::from(&r), || human::enroll(&r, &sequence));
        }
        Command::Queue { channel, limit } => {
            let channel = channel.map(|c| Channel::parse(&c).ok_or_else(|| Error::Invalid(format!("unknown channel \"{c}\"; use one of {}", Channel::expected())))).transpose()?;
            let q = eng.queue(now, &QueueOptions { limit, channel })?;
            emit(json, &QueueDto::new(&q), || human::queue(&q));
        }
        Command::Touch { id } => {
            let d = eng.touch(id)?;
            emit(json, &TouchDto::new(&d, eng.settings()?.timezone), || human::touch(&d));
        }
        Command::Approve { id, subject, body_file } => {
            let body = match body_file {
                Some(p) => Some(std::fs::read_to_string(&p).map_err(|source| Error::Io { path: p.clone(), source })?),
                None => None,
            };
            let o = eng.complete(id, Outcome::Approve { subject, body }, now)?.expect("approve returns the outbox entry");
            emit(json, &OutboxDto::new(&o, eng_tz(&eng)), || println!("Approved: \"{}\" to {} goes out {}.", o.subject, o.email, human::when(o.send_at, eng_tz(&eng))));
        }
        Command::Call { id, outcome, notes, duration } => {
            let outcome = CallOutcome::parse(&outcome).ok_or_else(|| Error::Invalid(format!("unknown outcome \"{outcome}\"; use one of {}", CallOutcome::expected())))?;
            eng.complete(id, Outcome::Call { outcome, notes, duration_s: duration }, now)?;
            done_msg(json, &eng, id, &format!("Call logged: {}", outcome.as_str().replace('_', " ")))?;
        }
        Command::Done { id, notes } => {
            eng.complete(id, Outcome::Done { notes }, now)?;
            done_msg(json, &eng, id, "Marked done")?;
        }
        Command::Skip { id, reason } => {
            eng.complete(id, Outcome::Skip { reason }, now)?;
            done_msg(json, &eng, id, "Skipped")?;
        }
        Command::Snooze { id, until, r#for } => {
            let until = match (until, r#for) {
                (Some(u), _) => DateTime::parse_from_rfc3339(&u).map_err(|_| Error::Invalid(format!("--until \"{u}\" is not an RFC 3339 time")))?.with_timezone(&Utc),
                (None, Some(f)) => now + parse_span(&f)?,
                (None, None) => return Err(Error::Invalid("say how long: --for 2h / 1d, or --until <time>".into())),
            };
            let due = eng.snooze(id, until, now)?;
            let v = serde_json::json!({ "touch_id": id, "due_at": utc(due) });
            emit(json, &v, || println!("Snoozed touch {id}: due {}.", human::when(due, eng_tz(&eng))));
        }
        Command::Pause { enrollment, prospect } => {
            let id = enrollment_key(&eng, enrollment, prospect, &[EnrollmentState::Active])?;
            eng.pause(id, now)?;
            emit(json, &serde_json::json!({ "enrollment_id": id, "state": "paused" }), || println!("Paused enrollment {id}."));
        }
        Command::Resume { enrollment, prospect } => {
            let id = enrollment_key(&eng, enrollment, prospect, &[EnrollmentState::Paused])?;
            eng.resume(id, now)?;
            emit(json, &serde_json::json!({ "enrollment_id": id, "state": "active" }), || println!("Resumed enrollment {id}."));
        }
        Command::Remove { enrollment, prospect } => {
            let id = enrollment_key(&eng, enrollment, prospect, &[EnrollmentState::Active, EnrollmentState::Paused])?;
            eng.remove(id, now)?;
            emit(json, &serde_json::json!({ "enrollment_id": id, "state": "exited" }), || println!("Removed enrollment {id} from its sequence."));
        }
        Command::Away { from, to } => {
            let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| Error::Invalid(format!("\"{s}\" is not a date like 2026-12-21")));
            let moved = eng.add_away(d(&from)?, d(&to)?, now)?;
            emit(json, &serde_json::json!({ "from": from, "to": to, "touches_moved": moved }), || {
                println!("Away {from} to {to}: {moved} touch(es) moved to after your return, spacing kept.")
            });
        }
        Command::Outbox => {
            let list = eng.outbox()?;
            let tz = eng_tz(&eng);
            let dtos: Vec<OutboxDto> = list.iter().map(|o| OutboxDto::new(o, tz)).collect();
            emit(json, &dtos, || human::outbox(&list, eng_tz(&eng)));
        }
        Command::Classify { .. } => unreachable!("handled before the database opens"),
        Command::Mailbox(cmd) => mailbox::run(eng, cmd, json, now)?,
        Command::Settings(cmd) => {
            if let SettingsCmd::Set { key, value } = &cmd {
                let mut s = eng.settings()?;
                s.set(key, value)?;
                eng.set_settings(&s)?;
            }
            let s = eng.settings()?;
            emit(json, &SettingsDto::from(&s), || human::settings(&s));
        }
    }
    Ok(())
}

fn eng_tz(eng: &Engine) -> chrono_tz::Tz {
    eng.settings().map(|s| s.timezone).unwrap_or(chrono_tz::UTC)
}

fn done_msg(json: bool, eng: &Engine, id: i64, what: &str) -> Result<(), Error> {
    let d = eng.touch(id)?;
    let v = serde_json::json!({ "touch_id": id, "state": d.touch.state.as_str(), "enrollment_state": d.enrollment.state.as_str() });
    let after = eng.enrollments_of(d.prospect.id)?.into_iter().find(|e| e.id == d.enrollment.id);
    emit(json, &v, || {
        let tail = match after.map(|e| (e.state, e.exit_reason)) {
            Some((EnrollmentState::Exited, Some(r))) => format!("; {} left the sequence ({})", d.prospect.full_name(), r.as_str().replace('_', " ")),
            Some((EnrollmentState::Finished, _)) => format!("; {} finished the sequence", d.prospect.full_name()),
            _ => String::new(),
        };
        println!("{what} (touch {id}){tail}.");
    });
    Ok(())
}

fn enrollment_key(eng: &Engine, id: Option<i64>, prospect: Option<String>, states: &[EnrollmentState]) -> Result<i64, Error> {
    if let Some(id) = id {
        return Ok(id);
    }
    let key = prospect.ok_or_else(|| Error::Invalid("give an enrollment id or --prospect <email|id>".into()))?;
    let p = eng.find_prospect(&key)?;
    eng.enrollments_of(p.id)?
        .into_iter()
        .find(|e| states.contains(&e.state))
        .map(|e| e.id)
        .ok_or_else(|| Error::Conflict(format!("{} has no {} enrollment", p.email, states.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" or "))))
}

/// "90m", "2h", "1d", "3d" (calendar time).
fn parse_span(s: &str) -> Result<Duration, Error> {
    let bad = || Error::Invalid(format!("\"{s}\" is not a span like 90m, 2h or 3d"));
    let (n, unit) = s.trim().split_at(s.trim().len().saturating_sub(1));
    let n: i64 = n.parse().map_err(|_| bad())?;
    match unit {
        "m" => Ok(Duration::minutes(n)),
        "h" => Ok(Duration::hours(n)),
        "d" => Ok(Duration::days(n)),
        "w" => Ok(Duration::weeks(n)),
        _ => Err(bad()),
    }
}
