//! Results: what each sequence, each step and each A/B variant achieved in a
//! period, computed from the activity log alone, so the figures are exact and
//! can be rebuilt at any time.
//!
//! How things are counted (the rules the tests hold the figures to):
//! - Figures stay with the sequence *version* an enrollment was in, and with
//!   the step and variant of the email a message answers (or, when it does not
//!   thread, of the last email sent to the prospect before it came).
//! - An enrollment replies once: later messages from the same person add no
//!   reply. A reply that comes after the enrollment ended (finished, removed)
//!   still counts. A re-enrolled prospect is two enrollments.
//! - Positive: the enrollment replied and one of its replies is tagged
//!   positive (the latest tag of each message counts). It sits at the step of
//!   the first reply, so a step never has more positive replies than replies.
//! - Bounces, unsubscribes and out-of-office replies likewise count once per
//!   enrollment, at the step of the first one. A meeting counts at the call
//!   that booked it, or else at the step of the reply it came from. A bounce is hard when
//!   any of the enrollment's bounces was hard.
//! - A message's kind is the latest the rep corrected it to.
//! - A call is connected when the rep spoke to someone: connected, meeting
//!   booked or not interested.
//! - Exits count at the step that was next when the prospect left, by reason;
//!   an exit undone by a corrected classification is taken back.
//! - Events count in the period when they happened (a reply when it was read).
//! - Opens are not tracked, by design: pixels are blocked or pre-loaded by
//!   mail clients, so an open rate would be noise.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::outcomes::{settle, Landed, Outcomes};
use super::Engine;
use crate::activity::ActivityKind;
use crate::domain::{CallOutcome, Channel, EnrollmentId, SequenceVersionId};
use crate::error::{Error, Result};
use crate::schedule::local_to_utc;
use crate::settings::ResultsSettings;
use crate::store::{self, results::Span};

/// What Cadence says where people look for open rates.
pub const NO_OPENS: &str =
    "Opens are not tracked: mail clients block or pre-load tracking pixels, so open rates mislead. Replies are the measure.";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub enrolled: u64,
    pub emails_sent: u64,
    pub calls: u64,
    pub calls_connected: u64,
    pub linkedin: u64,
    pub tasks: u64,
    pub skipped: u64,
    pub replies: u64,
    pub positive: u64,
    /// Replies not tagged yet (none of the enrollment's replies has a tag).
    pub untagged: u64,
    pub meetings: u64,
    pub bounces_hard: u64,
    pub bounces_soft: u64,
    pub unsubscribes: u64,
    /// Spam complaints (feedback reports) about the sequence's emails.
    pub complaints: u64,
    pub auto_replies: u64,
    pub exited: u64,
    pub finished: u64,
}

fn ratio(a: u64, b: u64) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

impl Figures {
    pub fn reply_rate(&self) -> Option<f64> {
        ratio(self.replies, self.emails_sent)
    }
    pub fn positive_rate(&self) -> Option<f64> {
        ratio(self.positive, self.emails_sent)
    }
    pub fn meeting_rate(&self) -> Option<f64> {
        ratio(self.meetings, self.emails_sent)
    }
    pub fn reply_rate_enrolled(&self) -> Option<f64> {
        ratio(self.replies, self.enrolled)
    }
    pub fn positive_rate_enrolled(&self) -> Option<f64> {
        ratio(self.positive, self.enrolled)
    }
    pub fn meeting_rate_enrolled(&self) -> Option<f64> {
        ratio(self.meetings, self.enrolled)
    }
    pub fn connect_rate(&self) -> Option<f64> {
        ratio(self.calls_connected, self.calls)
    }
    pub fn unsubscribe_rate(&self) -> Option<f64> {
        ratio(self.unsubscribes, self.emails_sent)
    }
    pub fn bounce_rate(&self) -> Option<f64> {
        ratio(self.bounces_hard + self.bounces_soft, self.emails_sent)
    }

    fn add(&mut self, o: &Figures) {
        let pairs = [
            (&mut self.enrolled, o.enrolled),
            (&mut self.emails_sent, o.emails_sent),
            (&mut self.calls, o.calls),
            (&mut self.calls_connected, o.calls_connected),
            (&mut self.linkedin, o.linkedin),
            (&mut self.tasks, o.tasks),
            (&mut self.skipped, o.skipped),
            (&mut self.replies, o.replies),
            (&mut self.positive, o.positive),
            (&mut self.untagged, o.untagged),
            (&mut self.meetings, o.meetings),
            (&mut self.bounces_hard, o.bounces_hard),
            (&mut self.bounces_soft, o.bounces_soft),
            (&mut self.unsubscribes, o.unsubscribes),
            (&mut self.complaints, o.complaints),
            (&mut self.auto_replies, o.auto_replies),
            (&mut self.exited, o.exited),
            (&mut self.finished, o.finished),
        ];
        for (a, b) in pairs {
            *a += b;
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct VariantResults {
    pub index: usize,
    pub name: String,
    /// The subject template, as written in the sequence.
    pub subject: Option<String>,
    pub figures: Figures,
    /// 95% interval of the reply rate.
    pub interval: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StepResults {
    /// 0-based.
    pub step: usize,
    pub channel: Channel,
    pub label: Option<String>,
    pub figures: Figures,
    /// Only for email steps with A/B variants.
    pub variants: Vec<VariantResults>,
    pub ab: Option<AbTest>,
}

crate::domain::str_enum!(
    /// What an A/B test says so far.
    Verdict {
        /// Too few sends (or replies) for any test to mean anything.
        TooEarly = "too_early",
        /// Enough data to test, and no difference beyond chance so far.
        NoDifferenceYet = "no_difference_yet",
        /// A difference that chance would rarely produce (p < 0.05).
        Meaningful = "meaningful",
    }
);

#[derive(Debug, Clone, PartialEq)]
pub struct AbTest {
    pub verdict: Verdict,
    /// Chi-square test of reply rates across the variants.
    pub p_value: Option<f64>,
    /// The variant ahead, when the difference is meaningful.
    pub leader: Option<usize>,
    /// Sends per variant that would tell the two leading rates apart.
    pub sends_needed: Option<u64>,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct VersionResults {
    pub id: SequenceVersionId,
    pub version: i64,
    pub figures: Figures,
    pub exits: BTreeMap<String, u64>,
    pub steps: Vec<StepResults>,
}

/// Emails sent and replies in one week (weeks start on Monday, rep's zone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrendPoint {
    pub week: NaiveDate,
    pub emails_sent: u64,
    pub replies: u64,
}

/// One sequence's figures in a period, before verdicts and advice.
pub(super) struct SequenceFigures {
    /// The latest version's name.
    pub name: String,
    pub figures: Figures,
    pub exits: BTreeMap<String, u64>,
    /// Oldest version first.
    pub versions: Vec<VersionResults>,
    pub trend: Vec<TrendPoint>,
    /// Each version's steps over the advice window (by version number).
    pub recent: Vec<(i64, Vec<StepResults>)>,
    /// The advice thresholds the window came from.
    pub settings: ResultsSettings,
}

/// One line per sequence, for picking one.
#[derive(Debug, Clone, PartialEq)]
pub struct SequenceSummary {
    pub slug: String,
    pub name: String,
    pub figures: Figures,
}

/// The rep's own day so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TodayStats {
    pub day: Option<NaiveDate>,
    /// Touches worked today: emails approved, calls logged, tasks done.
    pub done: u64,
    pub skipped: u64,
    /// Touches still in today's queue.
    pub left: u64,
    pub emails_sent: u64,
    pub replies: u64,
    /// The first working day after time away (that many days long), or
    /// after this many days with nothing worked: the day to offer a re-plan.
    pub back_after_days: Option<u32>,
}

/// Days without work after which the rep is taken to be back from an absence.
pub const LONG_ABSENCE_DAYS: i64 = 4;

/// The figures of one version being filled in.
struct Builder {
    figures: Figures,
    exits: BTreeMap<String, u64>,
    steps: Vec<StepResults>,
}

impl Builder {
    fn new(seq: &crate::sequence::Sequence) -> Self {
        let steps = seq
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| StepResults {
                step: i,
                channel: s.channel,
                label: s.label.clone(),
                figures: Figures::default(),
                variants: if s.variant_count() > 1 {
                    (0..s.variant_count())
                        .map(|v| {
                            let (name, subject, _) = s.variant(v);
                            VariantResults {
                                index: v,
                                name: name.to_string(),
                                subject: subject.map(str::to_string),
                                figures: Figures::default(),
                                interval: None,
                            }
                        })
                        .collect()
                } else {
                    Vec::new()
                },
                ab: None,
            })
            .collect();
        Builder { figures: Figures::default(), exits: BTreeMap::new(), steps }
    }

    /// Adds to the version, the step and the variant the event belongs to.
    fn count(&mut self, step: Option<usize>, variant: Option<usize>, n: u64, f: impl Fn(&mut Figures, u64)) {
        f(&mut self.figures, n);
        if let Some(s) = step.and_then(|s| self.steps.get_mut(s)) {
            f(&mut s.figures, n);
            if let Some(v) = variant.and_then(|v| s.variants.get_mut(v)) {
                f(&mut v.figures, n);
            }
        }
    }
}

/// Figures for `span` from the log's counts and the settled outcomes.
fn build(
    seqs: &[(store::sequences::StoredSequence, std::sync::Arc<crate::sequence::Sequence>)],
    tallies: &[store::results::Tally],
    outcomes: &HashMap<EnrollmentId, Outcomes>,
    span: Span,
) -> Vec<Builder> {
    let mut builders: Vec<Builder> = seqs.iter().map(|(_, s)| Builder::new(s)).collect();
    let index: HashMap<SequenceVersionId, usize> = seqs.iter().enumerate().map(|(i, (s, _))| (s.id, i)).collect();
    for t in tallies {
        let Some(b) = index.get(&t.sequence_id).map(|&i| &mut builders[i]) else { continue };
        let label = t.label.as_deref().unwrap_or("");
        let (step, variant, n) = (t.step, t.variant, t.count);
        match t.kind {
            ActivityKind::Enrolled => b.figures.enrolled += n,
            ActivityKind::Finished => b.figures.finished += n,
            ActivityKind::EmailSent => b.count(step, variant, n, |f, n| f.emails_sent += n),
            ActivityKind::CallLogged => {
                let outcome = CallOutcome::parse(label);
                let spoke = outcome.is_some_and(CallOutcome::spoke);
                let met = outcome == Some(CallOutcome::MeetingBooked);
                b.count(step, None, n, |f, n| {
                    f.calls += n;
                    if spoke {
                        f.calls_connected += n;
                    }
                    if met {
                        f.meetings += n;
                    }
                });
            }
            ActivityKind::TouchDone if Channel::parse(label).is_some_and(Channel::is_linkedin) => {
                b.count(step, None, n, |f, n| f.linkedin += n)
            }
            ActivityKind::TouchDone => b.count(step, None, n, |f, n| f.tasks += n),
            ActivityKind::TouchSkipped => b.count(step, variant, n, |f, n| f.skipped += n),
            ActivityKind::Exited => {
                b.count(step, None, n, |f, n| f.exited += n);
                *b.exits.entry(label.to_string()).or_default() += n;
            }
            // A corrected classification took an exit back.
            ActivityKind::Reinstated if !label.is_empty() => {
                b.count(step, None, n, |f, n| f.exited = f.exited.saturating_sub(n));
                let e = b.exits.entry(label.to_string()).or_default();
                *e = e.saturating_sub(n);
            }
            _ => {}
        }
    }
    for o in outcomes.values() {
        let Some(b) = index.get(&o.version).map(|&i| &mut builders[i]) else { continue };
        let mut put = |l: Option<Landed>, f: fn(&mut Figures, u64)| {
            if let Some(l) = l.filter(|l| span.contains(l.at)) {
                b.count(l.step, l.variant, 1, f);
            }
        };
        put(o.reply, |f, n| f.replies += n);
        if o.positive {
            put(o.reply, |f, n| f.positive += n);
        }
        if !o.tagged {
            put(o.reply, |f, n| f.untagged += n);
        }
        put(o.unsubscribe, |f, n| f.unsubscribes += n);
        put(o.complaint, |f, n| f.complaints += n);
        put(o.hard, |f, n| f.bounces_hard += n);
        if o.hard.is_none() {
            put(o.soft, |f, n| f.bounces_soft += n);
        }
        put(o.auto_reply, |f, n| f.auto_replies += n);
        put(o.meeting, |f, n| f.meetings += n);
    }
    for b in &mut builders {
        b.exits.retain(|_, n| *n > 0);
    }
    builders
}

/// Monday 3 January 2000: weeks are counted from it.
fn epoch_monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2000, 1, 3).expect("valid date")
}

impl Engine {
    /// One sequence's figures (every version) in `span`, with the trend and
    /// each version's steps over the advice window ending `now`; no verdicts
    /// or advice yet (see `report.rs`).
    pub(super) fn sequence_figures(&self, slug: &str, span: Span, now: DateTime<Utc>) -> Result<SequenceFigures> {
        let stored = store::sequences::versions(&self.conn, slug)?;
        if stored.is_empty() {
            return Err(Error::NotFound { what: "sequence", id: format!("{slug} (see `cadence sequences list`)") });
        }
        let seqs = stored.into_iter().map(|s| Ok((s.clone(), self.sequence_version(s.id)?))).collect::<Result<Vec<_>>>()?;
        let ids: Vec<SequenceVersionId> = seqs.iter().map(|(s, _)| s.id).collect();
        let outcomes = self.outcomes(&ids)?;
        let tallies = store::results::tallies(&self.conn, &ids, span)?;
        let builders = build(&seqs, &tallies, &outcomes, span);

        let rep = self.settings()?;
        let origin = local_to_utc(rep.timezone, epoch_monday(), chrono::NaiveTime::MIN);
        let day_of = |t: DateTime<Utc>| (t - origin).num_seconds().div_euclid(86_400);
        let mut per_day: BTreeMap<i64, u64> = BTreeMap::new();
        // UTC days, placed by their midday in the rep's calendar.
        for (day, n) in store::results::sent_per_day(&self.conn, &ids, span)? {
            *per_day.entry(day_of(DateTime::from_timestamp(day * 86_400 + 43_200, 0).unwrap_or(origin))).or_default() += n;
        }
        let sent: Vec<(i64, u64)> = per_day.into_iter().collect();
        let replies: Vec<i64> = outcomes.values().filter_map(|o| o.reply).filter(|l| span.contains(l.at)).map(|l| day_of(l.at)).collect();
        let trend = trend(&sent, &replies, span, origin, now);

        let settings = self.results_settings()?;
        let window = Span { from: Some(now - Duration::days(i64::from(settings.window_days))), to: Some(now) };
        let recent = build(&seqs, &store::results::tallies(&self.conn, &ids, window)?, &outcomes, window);
        let versions: Vec<VersionResults> = seqs
            .iter()
            .zip(builders)
            .map(|((s, _), b)| VersionResults { id: s.id, version: s.version, figures: b.figures, exits: b.exits, steps: b.steps })
            .collect();
        let recent: Vec<(i64, Vec<StepResults>)> = seqs.iter().zip(recent).map(|((s, _), b)| (s.version, b.steps)).collect();

        let mut figures = Figures::default();
        let mut exits = BTreeMap::new();
        for v in &versions {
            figures.add(&v.figures);
            for (k, n) in &v.exits {
                *exits.entry(k.clone()).or_default() += n;
            }
        }
        let name = seqs.last().map(|(s, _)| s.name.clone()).unwrap_or_default();
        Ok(SequenceFigures { name, figures, exits, versions, trend, recent, settings })
    }

    /// The headline figures of every sequence, for `span`.
    pub fn results_overview(&self, span: Span) -> Result<Vec<SequenceSummary>> {
        store::sequences::list_latest(&self.conn)?
            .into_iter()
            .map(|s| {
                let r = self.results_figures(&s.slug, span)?;
                Ok(SequenceSummary { slug: s.slug, name: s.name, figures: r })
            })
            .collect::<Result<Vec<_>>>()
            .map(|mut v| {
                v.sort_by(|a, b| b.figures.enrolled.cmp(&a.figures.enrolled).then(a.name.cmp(&b.name)));
                v
            })
    }

    /// One sequence's totals only (no trend, verdicts or advice).
    fn results_figures(&self, slug: &str, span: Span) -> Result<Figures> {
        let stored = store::sequences::versions(&self.conn, slug)?;
        let seqs = stored.into_iter().map(|s| Ok((s.clone(), self.sequence_version(s.id)?))).collect::<Result<Vec<_>>>()?;
        let ids: Vec<SequenceVersionId> = seqs.iter().map(|(s, _)| s.id).collect();
        let outcomes = self.outcomes(&ids)?;
        let mut total = Figures::default();
        for b in build(&seqs, &store::results::tallies(&self.conn, &ids, span)?, &outcomes, span) {
            total.add(&b.figures);
        }
        Ok(total)
    }

    /// Each enrollment's settled mail and meetings. A meeting booked on a
    /// call is counted from the call (with the calls); one booked from a
    /// reply counts unless a call already booked one in that enrollment.
    pub(super) fn outcomes(&self, ids: &[SequenceVersionId]) -> Result<HashMap<EnrollmentId, Outcomes>> {
        let mut out = settle(&store::results::events(&self.conn, ids)?);
        let prospects: Vec<i64> = out.values().filter(|o| o.meeting.is_some()).filter_map(|o| o.prospect).collect();
        for e in store::results::call_meetings(&self.conn, ids, &prospects)? {
            if let Some(o) = out.get_mut(&e) {
                o.meeting = None;
            }
        }
        Ok(out)
    }

    /// The rep's own day: worked, left, sent and replies since midnight.
    pub fn today_stats(&self, now: DateTime<Utc>) -> Result<TodayStats> {
        let rep = self.settings()?;
        let day = super::calendar(&rep).rep_date(now);
        let since = local_to_utc(rep.timezone, day, chrono::NaiveTime::MIN);
        let mut t = TodayStats { day: Some(day), ..Default::default() };
        let mut pulled_back = 0;
        for (kind, n) in store::results::worked_since(&self.conn, since)? {
            match kind {
                ActivityKind::EmailSent => t.emails_sent += n,
                ActivityKind::TouchSkipped => t.skipped += n,
                // An approval taken back is no longer work done.
                ActivityKind::EmailPulledBack => pulled_back += n,
                _ => t.done += n,
            }
        }
        t.done = t.done.saturating_sub(pulled_back);
        t.replies = store::results::replies_since(&self.conn, since)?;
        t.left = self.queue(now, &super::QueueOptions { limit: Some(0), channel: None })?.total as u64;
        t.back_after_days = self.back_after(&rep, day, since)?;
        Ok(t)
    }

    /// Whether `day` is the first working day after an away period, or
    /// after [`LONG_ABSENCE_DAYS`] or more with nothing worked (and something
    /// worked before); how many days the rep was away.
    fn back_after(&self, rep: &crate::settings::RepSettings, day: NaiveDate, since: DateTime<Utc>) -> Result<Option<u32>> {
        let cal = super::calendar(rep);
        let first_after = |to: NaiveDate| to.succ_opt().is_some_and(|d| cal.working_day_on_or_after(d) == day);
        if let Some(a) = rep.away.iter().filter(|a| a.to < day && first_after(a.to)).max_by_key(|a| a.to) {
            return Ok(Some(((a.to - a.from).num_days() + 1) as u32));
        }
        Ok(store::results::last_worked_before(&self.conn, since)?
            .map(|last| (since - last).num_days() + 1)
            .filter(|&gap| gap >= LONG_ABSENCE_DAYS)
            .map(|gap| gap as u32))
    }

    pub fn results_settings(&self) -> Result<ResultsSettings> {
        store::settings::load_results(&self.conn)
    }

    pub fn set_results_settings(&mut self, s: ResultsSettings) -> Result<()> {
        if !(0.0..=100.0).contains(&s.reply_floor_pct) || !s.reply_floor_pct.is_finite() {
            return Err(Error::Invalid("the reply-rate floor is a percentage between 0 and 100".into()));
        }
        if !(1..=365).contains(&s.window_days) {
            return Err(Error::Invalid("the advice window is between 1 and 365 days".into()));
        }
        store::settings::save_results(&self.conn, &s)?;
        self.changed(&[crate::events::Change::Settings]);
        Ok(())
    }
}

/// Weekly points from the first to the last week of the span (or of the data).
fn trend(sent: &[(i64, u64)], replies: &[i64], span: Span, origin: DateTime<Utc>, now: DateTime<Utc>) -> Vec<TrendPoint> {
    let day_of = |t: DateTime<Utc>| (t - origin).num_seconds().div_euclid(86_400);
    let first_data = sent.first().map(|d| d.0).into_iter().chain(replies.iter().copied()).min();
    let Some(first) = span.from.map(day_of).or(first_data) else { return Vec::new() };
    let last = day_of(span.to.unwrap_or(now).min(now) - Duration::seconds(1)).max(first);
    let (w0, w1) = (first.div_euclid(7), last.div_euclid(7));
    let mut points: Vec<TrendPoint> =
        (w0..=w1).map(|w| TrendPoint { week: epoch_monday() + Duration::days(w * 7), emails_sent: 0, replies: 0 }).collect();
    for &(d, n) in sent {
        if let Some(p) = usize::try_from(d.div_euclid(7) - w0).ok().and_then(|i| points.get_mut(i)) {
            p.emails_sent += n;
        }
    }
    for &d in replies {
        if let Some(p) = usize::try_from(d.div_euclid(7) - w0).ok().and_then(|i| points.get_mut(i)) {
            p.replies += 1;
        }
    }
    points
}
