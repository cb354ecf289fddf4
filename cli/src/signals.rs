//! `cadence signal ...`: one call into the workspace each, then printing.

use dto::{ProposalDto, SignalReportDto, SignalRuleInput, SourceResultsDto};
use engine::signal::RawSignal;
use workspace::{Result, Workspace};

use crate::args::SignalCmd;
use crate::emit;
use crate::human::{safe, safe_text};

pub fn run(ws: &Workspace, cmd: SignalCmd, json: bool) -> Result<()> {
    match cmd {
        SignalCmd::Add { kind, email, domain, text, source, when, first_name, last_name, company, title } => {
            let mut raw = RawSignal::new();
            let fields = [
                ("kind", Some(kind)),
                ("email", email),
                ("domain", domain),
                ("text", Some(text)),
                ("source", source),
                ("when", when),
                ("first_name", first_name),
                ("last_name", last_name),
                ("company", company),
                ("title", title),
            ];
            for (k, v) in fields {
                if let Some(v) = v {
                    raw.insert(k.to_string(), v);
                }
            }
            emit(json, &ws.add_signal(&raw)?, report);
        }
        SignalCmd::Import { file } => emit(json, &ws.import_signals_path(&file)?, report),
        SignalCmd::Scan => emit(json, &ws.scan_signals_folder()?, |files| {
            if files.is_empty() {
                println!("No new signal files.");
            }
            for f in files {
                match (&f.report, &f.error) {
                    (Some(r), _) => report(r),
                    (None, Some(e)) => println!("{}: not read as signals: {}", safe(&f.file), safe(e)),
                    _ => {}
                }
                println!("  moved to {}", safe(&f.moved_to));
            }
        }),
        SignalCmd::Folder { path, off } => {
            let s = if off || path.is_some() { ws.set_signals_folder(path.as_deref())? } else { ws.signals()? };
            emit(json, &s, |s| match &s.folder {
                Some(f) => println!("Watching {} for signal files (.csv, .jsonl); read files go to its done/ folder.", safe(f)),
                None => println!("No folder is watched. Choose one with: cadence signal folder /path/to/folder"),
            });
        }
        SignalCmd::Rules => emit(json, &ws.signals()?.rules, |rules| {
            if rules.is_empty() {
                println!("No rules. Add one with: cadence signal rule funding SEQUENCE");
            }
            for r in rules {
                let how = if r.enroll { "enroll in" } else { "propose" };
                println!("{:<18} {how} {}  (cooldown {} days)", r.kind, safe(&r.sequence), r.cooldown_days);
            }
        }),
        SignalCmd::Rule { kind, sequence, enroll, cooldown } => {
            let input = SignalRuleInput { kind, sequence, enroll, cooldown_days: cooldown };
            emit(json, &ws.set_signal_rule(&input)?, |r| {
                let how = if r.rule.enroll { "enrolls people in" } else { "proposes" };
                println!("A {} signal now {how} {} (cooldown {} days).", r.rule.kind_words, safe(&r.rule.sequence), r.rule.cooldown_days);
                for f in &r.findings {
                    println!("  warning: {}\n    {}", safe(&f.message), safe(&f.reason));
                }
            });
        }
        SignalCmd::Unrule { kind } => {
            ws.remove_signal_rule(&kind)?;
            emit(json, &serde_json::json!({ "removed": kind }), |_| println!("The rule for {} signals is removed.", safe(&kind)));
        }
        SignalCmd::Proposals => emit(json, &ws.signals()?.proposals, |list| proposals(list)),
        SignalCmd::Accept { ids, all } => {
            let a = ws.accept_proposals(chosen(&ids, all)?)?;
            emit(json, &a, |a| {
                println!("{} enrolled.", a.enrolled);
                for s in &a.skipped {
                    println!("  proposal {} not enrolled: {}", s.proposal, safe(&s.reason));
                }
            });
        }
        SignalCmd::Dismiss { ids, all } => {
            let n = ws.dismiss_proposals(chosen(&ids, all)?)?;
            emit(json, &serde_json::json!({ "dismissed": n }), |_| println!("{n} dismissed."));
        }
        SignalCmd::Results { days } => emit(json, &ws.results_by_source(days)?, |rows| results(rows)),
    }
    Ok(())
}

/// The ids given, or all with `--all`; neither is an error.
fn chosen(ids: &[i64], all: bool) -> Result<Option<&[i64]>> {
    if all {
        return Ok(None);
    }
    if ids.is_empty() {
        return Err(workspace::Error::Invalid("name the proposals (their ids, see `cadence signal proposals`) or give --all".into()));
    }
    Ok(Some(ids))
}

fn report(r: &SignalReportDto) {
    print!("{}", safe_text(&r.text()));
}

fn proposals(list: &[ProposalDto]) {
    if list.is_empty() {
        println!("No proposals waiting.");
    }
    for p in list {
        let at = p.company.as_deref().map(|c| format!(" · {}", safe(c))).unwrap_or_default();
        println!("{:>5}  {}{at}  →  {}", p.id, safe(&p.name), safe(&p.sequence_name));
        println!(
            "       {} ({}, {}): \"{}\"",
            p.signal.kind_words,
            safe(&p.signal.source),
            &p.signal.happened_at[..10],
            safe(&p.signal.text)
        );
    }
}

fn results(rows: &[SourceResultsDto]) {
    if rows.is_empty() {
        println!("No enrollments in this period.");
        return;
    }
    let pct = |r: Option<f64>| r.map_or("-".to_string(), |r| format!("{:.1}%", r * 100.0));
    println!("{:<20} {:>8} {:>8} {:>9} {:>9}", "source", "enrolled", "replied", "positive", "meetings");
    for r in rows {
        println!("{:<20} {:>8} {:>8} {:>9} {:>9}", r.label, r.enrolled, pct(r.reply_rate), pct(r.positive_rate), pct(r.meeting_rate));
    }
}
