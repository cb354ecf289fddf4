//! Signals in: stored once each, then turned by the rep's rules into
//! proposals (or enrollments, when a rule says so), each refusal with its
//! reason. Proposals accepted or dismissed; results by where enrollments
//! came from.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use serde_json::json;

use super::enroll::start;
use super::Engine;
use crate::domain::{EnrollmentId, NewProspect, Prospect, ProspectId, SequenceVersionId};
use crate::error::{Error, Result};
use crate::events::Change;
use crate::sequence::Sequence;
use crate::sequence::{Finding, Rule as LintRule};
use crate::signal::{self, NewSignal, RawSignal, SignalKind};
use crate::store::{self, signals::Proposal, signals::Rule, signals::Signal, signals::Standing};

/// The cooldown a rule gets unless it says otherwise.
pub const DEFAULT_COOLDOWN_DAYS: u32 = 30;

/// What became of one signal for one prospect (a company signal can reach
/// several), or of a row that is not a signal.
#[derive(Debug, Clone, PartialEq)]
pub enum Taken {
    Proposed {
        proposal: i64,
        prospect: ProspectId,
        sequence: String,
    },
    Enrolled {
        enrollment: EnrollmentId,
        prospect: ProspectId,
        sequence: String,
    },
    /// Stored, and nothing to do (no rule for the kind, no one known there).
    Kept(String),
    /// Stored, and the rule did not apply to this prospect, with why.
    Refused {
        prospect: ProspectId,
        reason: String,
    },
    /// The same signal came in before; not stored again.
    Duplicate(String),
    /// Not a signal: what is wrong with the row. Nothing stored.
    Rejected(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct SignalOutcome {
    /// The row's line in its file (1 for the command line).
    pub line: usize,
    /// The email, or "@domain".
    pub who: String,
    pub taken: Taken,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignalReport {
    /// "command line", or the file's name.
    pub origin: String,
    pub outcomes: Vec<SignalOutcome>,
    /// Signals stored (not duplicates or bad rows).
    pub stored: usize,
    /// New prospects made for people the signals named.
    pub new_prospects: usize,
}

impl SignalReport {
    fn count(&self, f: impl Fn(&Taken) -> bool) -> usize {
        self.outcomes.iter().filter(|o| f(&o.taken)).count()
    }
    pub fn proposed(&self) -> usize {
        self.count(|t| matches!(t, Taken::Proposed { .. }))
    }
    pub fn enrolled(&self) -> usize {
        self.count(|t| matches!(t, Taken::Enrolled { .. }))
    }
    pub fn kept(&self) -> usize {
        self.count(|t| matches!(t, Taken::Kept(_)))
    }
    pub fn refused(&self) -> usize {
        self.count(|t| matches!(t, Taken::Refused { .. }))
    }
    pub fn duplicates(&self) -> usize {
        self.count(|t| matches!(t, Taken::Duplicate(_)))
    }
    pub fn rejected(&self) -> usize {
        self.count(|t| matches!(t, Taken::Rejected(_)))
    }
}

/// An open proposal with what the rep needs to decide.
#[derive(Debug, Clone)]
pub struct ProposalView {
    pub proposal: Proposal,
    pub signal: Signal,
    pub prospect: Prospect,
    pub sequence_name: String,
}

/// What accepting proposals did.
#[derive(Debug, Clone, Default)]
pub struct Accepted {
    pub enrolled: Vec<(i64, EnrollmentId)>,
    /// Proposals that could no longer be accepted, with why (they stay dismissed).
    pub skipped: Vec<(i64, String)>,
}

/// Reply, positive and meeting figures of the enrollments from one source.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceResults {
    /// The signal kind, or `None` for enrollments made by hand.
    pub kind: Option<SignalKind>,
    pub enrolled: u64,
    pub replied: u64,
    pub positive: u64,
    pub meetings: u64,
}

/// Everything the rules consult, read once for a batch and kept current
/// as the batch proposes and enrolls.
struct Context {
    rules: HashMap<SignalKind, Rule>,
    sequences: HashMap<String, (SequenceVersionId, std::sync::Arc<Sequence>)>,
    dnc: HashSet<String>,
    in_flight: HashSet<ProspectId>,
    standing: Standing,
}

impl Context {
    /// Why the rule does not apply to `p` now, if it does not.
    fn refusal(&self, p: &Prospect, rule: &Rule, now: DateTime<Utc>) -> Option<String> {
        if self.dnc.contains(&p.email) || self.dnc.contains(&format!("@{}", p.domain)) {
            return Some("on the do-not-contact list".into());
        }
        if self.standing.left.contains(&p.id) {
            let at = p.company.as_deref().map_or(String::new(), |c| format!(" {c}"));
            return Some(format!("has left{at} (an automatic reply said so): not enrolled again at this address"));
        }
        if self.standing.invalid.contains(&p.id) {
            return Some("the address bounced as not existing".into());
        }
        if self.in_flight.contains(&p.id) {
            return Some("already in an active sequence".into());
        }
        if self.standing.proposed.contains(&p.id) {
            return Some("already has a proposal waiting in Signals".into());
        }
        if let Some(last) = self.standing.last_started.get(&p.id) {
            let until = *last + Duration::days(i64::from(rule.cooldown_days));
            if until > now {
                return Some(format!(
                    "enrolled or proposed on {}: cooling down until {} ({} days)",
                    last.format("%Y-%m-%d"),
                    until.format("%Y-%m-%d"),
                    rule.cooldown_days
                ));
            }
        }
        None
    }
}

impl Engine {
    /// One signal from the command line (or the app), taken like a file's row.
    pub fn add_signal(&mut self, raw: &RawSignal, now: DateTime<Utc>) -> Result<SignalReport> {
        let s = signal::check(raw, "added by hand", now).map_err(Error::Invalid)?;
        self.take_signals("command line", vec![signal::Row { line: 1, signal: Ok(s) }], now)
    }

    /// A signals file (CSV or JSON lines), every row reported.
    pub fn import_signals(&mut self, name: &str, bytes: &[u8], now: DateTime<Utc>) -> Result<SignalReport> {
        let rows = signal::read(name, bytes, now).map_err(|e| Error::Invalid(format!("{name}: {e}")))?;
        self.take_signals(name, rows, now)
    }

    /// Stores each new signal and applies the rule for its kind, all in one
    /// transaction.
    pub fn take_signals(&mut self, origin: &str, rows: Vec<signal::Row>, now: DateTime<Utc>) -> Result<SignalReport> {
        let rep = self.settings()?;
        let mut ctx = self.context()?;
        let mut report = SignalReport { origin: origin.to_string(), ..Default::default() };
        let tx = self.conn.savepoint()?;
        for row in rows {
            let s = match row.signal {
                Ok(s) => s,
                Err(reason) => {
                    report.outcomes.push(SignalOutcome { line: row.line, who: String::new(), taken: Taken::Rejected(reason) });
                    continue;
                }
            };
            let out = |taken| SignalOutcome { line: row.line, who: s.who(), taken };
            if let Some((id, at)) = store::signals::find(&tx, &s.fingerprint())? {
                let why = format!("the same signal came in on {} (signal {id})", at.format("%Y-%m-%d"));
                report.outcomes.push(out(Taken::Duplicate(why)));
                continue;
            }
            let id = store::signals::insert(&tx, &s, origin, now)?;
            report.stored += 1;
            let Some(rule) = ctx.rules.get(&s.kind).cloned() else {
                report.outcomes.push(out(Taken::Kept(format!("no rule for {} signals", s.kind))));
                continue;
            };
            let targets = targets(&tx, &s, &mut report, now)?;
            if targets.is_empty() {
                report.outcomes.push(out(Taken::Kept(format!("no one at {} is a prospect yet", s.domain))));
                continue;
            }
            for p in targets {
                if let Some(reason) = ctx.refusal(&p, &rule, now) {
                    report.outcomes.push(out(Taken::Refused { prospect: p.id, reason }));
                    continue;
                }
                let taken = if rule.enroll {
                    let (version, seq) = ctx.sequences[&rule.sequence].clone();
                    let eid = start(&tx, &rep, (version, &seq), &p, Some(id), json!({ "forced": false }), now)?;
                    store::signals::insert_proposal(&tx, id, p.id, &rule.sequence, Some(eid), now)?;
                    ctx.in_flight.insert(p.id);
                    Taken::Enrolled { enrollment: eid, prospect: p.id, sequence: rule.sequence.clone() }
                } else {
                    let proposal = store::signals::insert_proposal(&tx, id, p.id, &rule.sequence, None, now)?;
                    ctx.standing.proposed.insert(p.id);
                    Taken::Proposed { proposal, prospect: p.id, sequence: rule.sequence.clone() }
                };
                ctx.standing.last_started.insert(p.id, now);
                report.outcomes.push(out(taken));
            }
        }
        tx.commit()?;
        let mut what = vec![Change::Signals];
        if report.enrolled() > 0 || report.new_prospects > 0 {
            what.extend([Change::Queue, Change::Prospects, Change::Sequences]);
        }
        self.changed(&what);
        Ok(report)
    }

    fn context(&self) -> Result<Context> {
        let rules: HashMap<SignalKind, Rule> = store::signals::rules(&self.conn)?.into_iter().map(|r| (r.kind, r)).collect();
        let mut sequences = HashMap::new();
        for r in rules.values() {
            if let Some(stored) = store::sequences::latest(&self.conn, &r.sequence)? {
                sequences.insert(r.sequence.clone(), (stored.id, self.sequence_version(stored.id)?));
            }
        }
        // A rule whose sequence is gone applies to no one.
        let rules = rules.into_iter().filter(|(_, r)| sequences.contains_key(&r.sequence)).collect();
        Ok(Context {
            rules,
            sequences,
            dnc: store::prospects::do_not_contact(&self.conn)?,
            in_flight: store::enrollments::prospects_in_flight(&self.conn)?,
            standing: store::signals::standing(&self.conn)?,
        })
    }

    /// The folder watched for signal files, if the rep chose one.
    pub fn signals_folder(&self) -> Result<Option<String>> {
        store::signals::folder(&self.conn)
    }

    pub fn set_signals_folder(&mut self, folder: Option<&str>) -> Result<()> {
        store::signals::set_folder(&self.conn, folder)?;
        self.changed(&[Change::Signals]);
        Ok(())
    }

    pub fn signal_rules(&self) -> Result<Vec<Rule>> {
        store::signals::rules(&self.conn)
    }

    /// Sets the rule for a kind (replacing the one there was). Returns the
    /// rule and what the linter says about its sequence as a signal's
    /// sequence (a sequence that never quotes the signal).
    pub fn set_signal_rule(&mut self, rule: &Rule, now: DateTime<Utc>) -> Result<(Rule, Vec<Finding>)> {
        let stored = store::sequences::latest(&self.conn, &rule.sequence)?
            .ok_or_else(|| Error::NotFound { what: "sequence", id: format!("{} (see `cadence sequences list`)", rule.sequence) })?;
        if rule.cooldown_days > 3650 {
            return Err(Error::Invalid(format!("a cooldown of {} days is more than ten years", rule.cooldown_days)));
        }
        store::signals::set_rule(&self.conn, rule, now)?;
        let findings = self.signal_findings(&rule.sequence, &*self.sequence_version(stored.id)?)?;
        self.changed(&[Change::Signals, Change::Sequences]);
        Ok((rule.clone(), findings))
    }

    pub fn remove_signal_rule(&mut self, kind: SignalKind) -> Result<()> {
        if !store::signals::remove_rule(&self.conn, kind)? {
            return Err(Error::NotFound { what: "signal rule", id: kind.to_string() });
        }
        self.changed(&[Change::Signals, Change::Sequences]);
        Ok(())
    }

    /// The linter's word on a sequence that signal rules enroll people in:
    /// it should quote the signal.
    pub(super) fn signal_findings(&self, slug: &str, seq: &Sequence) -> Result<Vec<Finding>> {
        let kinds: Vec<String> =
            store::signals::rules(&self.conn)?.into_iter().filter(|r| r.sequence == slug).map(|r| r.kind.to_string()).collect();
        if kinds.is_empty() || crate::draft::mentions_signal(seq) {
            return Ok(Vec::new());
        }
        Ok(vec![Finding {
            rule: LintRule::SignalUnused,
            step: None,
            message: format!(
                "the signal rule for {} enrolls people in this sequence, but no step mentions the signal",
                kinds.join(" and ")
            ),
            reason: "Outreach timed by a signal works when it says why now: quote {{ signal.text }} (or signal.kind, signal.when) in the first touch.".into(),
        }])
    }

    /// Open proposals, oldest first, with their signal and prospect.
    pub fn proposals(&self) -> Result<Vec<ProposalView>> {
        let mut names: HashMap<String, String> = HashMap::new();
        store::signals::open_proposals(&self.conn)?
            .into_iter()
            .map(|proposal| {
                let signal =
                    store::signals::get(&self.conn, proposal.signal_id)?.ok_or_else(|| Error::not_found("signal", proposal.signal_id))?;
                let prospect = self.prospect(proposal.prospect_id)?;
                if !names.contains_key(&proposal.sequence) {
                    let name = store::sequences::latest(&self.conn, &proposal.sequence)?.map_or(proposal.sequence.clone(), |s| s.name);
                    names.insert(proposal.sequence.clone(), name);
                }
                let sequence_name = names[&proposal.sequence].clone();
                Ok(ProposalView { proposal, signal, prospect, sequence_name })
            })
            .collect()
    }

    pub fn open_proposal_count(&self) -> Result<u64> {
        store::signals::count_open(&self.conn)
    }

    /// Accepts open proposals (these, or all with `None`): each prospect is
    /// enrolled in the newest version of the proposed sequence, from the
    /// signal. One that can no longer be (on the list now, in a sequence
    /// since, the sequence gone) is dismissed with its reason.
    pub fn accept_proposals(&mut self, ids: Option<&[i64]>, now: DateTime<Utc>) -> Result<Accepted> {
        let list = self.chosen(ids)?;
        let rep = self.settings()?;
        let mut ctx = self.context()?;
        for slug in list.iter().map(|p| &p.sequence) {
            if !ctx.sequences.contains_key(slug) {
                if let Some(stored) = store::sequences::latest(&self.conn, slug)? {
                    ctx.sequences.insert(slug.clone(), (stored.id, self.sequence_version(stored.id)?));
                }
            }
        }
        let mut out = Accepted::default();
        let tx = self.conn.savepoint()?;
        for pr in list {
            let p = store::prospects::get(&tx, pr.prospect_id)?.ok_or_else(|| Error::not_found("prospect", pr.prospect_id))?;
            let stored = ctx.sequences.get(&pr.sequence).cloned();
            let why = if ctx.dnc.contains(&p.email) || ctx.dnc.contains(&format!("@{}", p.domain)) {
                Some("on the do-not-contact list".to_string())
            } else if ctx.in_flight.contains(&p.id) {
                Some("already in an active sequence".to_string())
            } else if stored.is_none() {
                Some(format!("the sequence {} is gone", pr.sequence))
            } else {
                None
            };
            if let Some(why) = why {
                store::signals::decide(&tx, pr.id, "dismissed", None, now)?;
                out.skipped.push((pr.id, why));
                continue;
            }
            let (version, seq) = stored.expect("checked");
            let eid = start(&tx, &rep, (version, &seq), &p, Some(pr.signal_id), json!({ "forced": false, "proposal": pr.id }), now)?;
            store::signals::decide(&tx, pr.id, "accepted", Some(eid), now)?;
            ctx.in_flight.insert(p.id);
            out.enrolled.push((pr.id, eid));
        }
        tx.commit()?;
        self.changed(&[Change::Signals, Change::Queue, Change::Prospects, Change::Sequences]);
        Ok(out)
    }

    /// Dismisses open proposals (these, or all with `None`).
    pub fn dismiss_proposals(&mut self, ids: Option<&[i64]>, now: DateTime<Utc>) -> Result<usize> {
        let list = self.chosen(ids)?;
        let tx = self.conn.savepoint()?;
        for pr in &list {
            store::signals::decide(&tx, pr.id, "dismissed", None, now)?;
        }
        tx.commit()?;
        self.changed(&[Change::Signals]);
        Ok(list.len())
    }

    /// The open proposals named (each must be open), or all.
    fn chosen(&self, ids: Option<&[i64]>) -> Result<Vec<Proposal>> {
        let Some(ids) = ids else { return store::signals::open_proposals(&self.conn) };
        ids.iter()
            .map(|&id| {
                let p = store::signals::get_proposal(&self.conn, id)?.ok_or_else(|| Error::not_found("proposal", id))?;
                if p.state != "open" {
                    return Err(Error::Conflict(format!("proposal {id} is {} already", p.state)));
                }
                Ok(p)
            })
            .collect()
    }

    /// Reply, positive and meeting figures of the enrollments started in
    /// `span`, by where they came from: each signal kind, and by hand.
    pub fn results_by_source(&self, span: store::results::Span) -> Result<Vec<SourceResults>> {
        let started = store::signals::enrollment_sources(&self.conn, span.from, span.to)?;
        let versions: Vec<SequenceVersionId> = store::sequences::list_all_names(&self.conn)?.into_iter().map(|(id, _)| id).collect();
        let outcomes = self.outcomes(&versions)?;
        let meetings: HashSet<EnrollmentId> = store::results::call_meetings_all(&self.conn)?.into_iter().collect();
        let mut by: HashMap<Option<String>, SourceResults> = HashMap::new();
        for (e, kind) in started {
            let r = by
                .entry(kind.clone())
                .or_insert_with(|| SourceResults { kind: kind.as_deref().and_then(SignalKind::parse), ..Default::default() });
            r.enrolled += 1;
            let o = outcomes.get(&e);
            if o.is_some_and(|o| o.reply.is_some()) {
                r.replied += 1;
            }
            if o.is_some_and(|o| o.positive) {
                r.positive += 1;
            }
            if o.is_some_and(|o| o.meeting.is_some()) || meetings.contains(&e) {
                r.meetings += 1;
            }
        }
        let mut out: Vec<SourceResults> = by.into_values().collect();
        // By hand first, then the kinds in their order.
        out.sort_by_key(|r| r.kind.map_or(0, |k| 1 + SignalKind::ALL.iter().position(|x| *x == k).unwrap_or(0)));
        Ok(out)
    }
}

/// The prospects a signal is about: the person (made a prospect when new),
/// or everyone known at the company's domain.
fn targets(conn: &rusqlite::Connection, s: &NewSignal, report: &mut SignalReport, now: DateTime<Utc>) -> Result<Vec<Prospect>> {
    let ids = match &s.email {
        Some(email) => match store::prospects::find_id(conn, email)? {
            Some(id) => vec![id],
            None => {
                let new = NewProspect {
                    email: email.clone(),
                    first_name: s.first_name.clone(),
                    last_name: s.last_name.clone(),
                    company: s.company.clone(),
                    title: s.title.clone(),
                    tags: vec!["signal".into()],
                    ..Default::default()
                };
                let id = match store::prospects::upsert(conn, &new, None, false, now)? {
                    store::prospects::Upserted::Inserted(id)
                    | store::prospects::Upserted::Updated(id)
                    | store::prospects::Upserted::Skipped(id) => id,
                };
                report.new_prospects += 1;
                vec![id]
            }
        },
        None => store::prospects::ids_in_domain(conn, &s.domain)?,
    };
    ids.into_iter().map(|id| store::prospects::get(conn, id)?.ok_or_else(|| Error::not_found("prospect", id))).collect()
}
