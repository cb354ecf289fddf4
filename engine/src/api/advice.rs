//! What the results say, in words: whether an A/B difference is real yet, and
//! advice from the data (beside the linter's advice from best practice).

use super::results::{AbTest, StepResults, Verdict, VersionResults};
use crate::domain::Channel;
use crate::settings::ResultsSettings;
use crate::stats;

/// Below this many sends on the smallest variant no verdict is given.
pub const MIN_VARIANT_SENDS: u64 = 50;
/// Below this many sends in the window a step's rates are not judged.
pub const MIN_JUDGED_SENDS: u64 = 50;
/// Unsubscribes per email sent worth a warning, and the least count.
pub const UNSUBSCRIBE_WARN: f64 = 0.01;
/// Bounces per email sent worth a warning.
pub const BOUNCE_WARN: f64 = 0.03;
const MIN_EVENTS: u64 = 3;
/// The significance level of an A/B verdict.
pub const ALPHA: f64 = 0.05;

#[derive(Debug, Clone, PartialEq)]
pub struct Advice {
    /// low_reply | unsubscribes | bounces | reply_sources | untagged
    pub kind: &'static str,
    pub version: Option<i64>,
    /// 0-based.
    pub step: Option<usize>,
    pub text: String,
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// Fills in each A/B step's verdict and each variant's interval.
pub(super) fn judge_variants(steps: &mut [StepResults]) {
    for s in steps.iter_mut().filter(|s| s.variants.len() > 1) {
        for v in &mut s.variants {
            v.interval = stats::wilson(v.figures.replies, v.figures.emails_sent);
        }
        s.ab = Some(verdict(s));
    }
}

fn verdict(s: &StepResults) -> AbTest {
    let groups: Vec<(u64, u64)> = s.variants.iter().map(|v| (v.figures.replies, v.figures.emails_sent)).collect();
    let rate = |i: usize| groups[i].0 as f64 / groups[i].1.max(1) as f64;
    let mut order: Vec<usize> = (0..groups.len()).collect();
    order.sort_by(|&a, &b| rate(b).total_cmp(&rate(a)));
    let (top, next) = (order[0], order[1]);
    let needed = stats::sends_needed(rate(top), rate(next));
    let name = |i: usize| s.variants[i].name.as_str();
    let smallest = groups.iter().map(|g| g.1).min().unwrap_or(0);
    let test = stats::chi_square(&groups);
    let need_text = |n: Option<u64>| match n {
        Some(n) => format!("about {n} sends per variant would tell a gap this size"),
        None => "the variants are level so far".to_string(),
    };
    let (verdict, leader, summary) = match test {
        _ if smallest == 0 => (Verdict::TooEarly, None, "No sends on every variant yet.".to_string()),
        Some(t) if smallest >= MIN_VARIANT_SENDS && t.min_expected >= 5.0 && t.p_value < ALPHA => (
            Verdict::Meaningful,
            Some(top),
            format!(
                "{} leads: {} against {} replies (p = {:.3}); a difference chance would rarely produce.",
                name(top),
                pct(rate(top)),
                pct(rate(next)),
                t.p_value
            ),
        ),
        Some(t) if smallest >= MIN_VARIANT_SENDS && t.min_expected >= 5.0 => {
            (Verdict::NoDifferenceYet, None, format!("No real difference yet (p = {:.2}); {}.", t.p_value, need_text(needed)))
        }
        _ => (
            Verdict::TooEarly,
            None,
            format!(
                "Too early to call: {smallest} sends on the smallest variant; {}.",
                need_text(needed.map(|n| n.max(MIN_VARIANT_SENDS)))
            ),
        ),
    };
    AbTest { verdict, p_value: test.map(|t| t.p_value), leader, sends_needed: needed, summary }
}

fn step_name(s: &StepResults) -> String {
    let what = match s.channel {
        Channel::Email => "email",
        Channel::Call => "call",
        _ => "touch",
    };
    match &s.label {
        Some(l) => format!("step {} ({what}, {l})", s.step + 1),
        None => format!("step {} ({what})", s.step + 1),
    }
}

/// Advice from the data: steps under the reply floor or with outsized
/// unsubscribes or bounces over the window, and where replies come from.
pub(super) fn advise(versions: &[VersionResults], recent: &[(i64, Vec<StepResults>)], settings: &ResultsSettings) -> Vec<Advice> {
    let mut out = Vec::new();
    let with_data = recent.iter().filter(|(_, steps)| steps.iter().any(|s| s.figures.emails_sent > 0)).count();
    let days = settings.window_days;
    for (version, steps) in recent {
        let name = |s: &StepResults| if with_data > 1 { format!("Version {version}, {}", step_name(s)) } else { capital(&step_name(s)) };
        for s in steps.iter().filter(|s| s.channel == Channel::Email && s.figures.emails_sent >= MIN_JUDGED_SENDS) {
            let f = &s.figures;
            let rate = f.reply_rate().unwrap_or(0.0);
            if rate * 100.0 < settings.reply_floor_pct {
                out.push(Advice {
                    kind: "low_reply",
                    version: Some(*version),
                    step: Some(s.step),
                    text: format!(
                        "{} drew {} replies ({} of {} sent) in the last {days} days, under your {}% floor. Try a new angle, a shorter email or a lower-effort ask.",
                        name(s),
                        pct(rate),
                        f.replies,
                        f.emails_sent,
                        settings.reply_floor_pct
                    ),
                });
            }
            if f.unsubscribes >= MIN_EVENTS && f.unsubscribe_rate().unwrap_or(0.0) >= UNSUBSCRIBE_WARN {
                out.push(Advice {
                    kind: "unsubscribes",
                    version: Some(*version),
                    step: Some(s.step),
                    text: format!(
                        "{} drew unsubscribes from {} of the people it reached ({} of {}) in the last {days} days. Check its tone and whether the emails before it come too close together.",
                        name(s),
                        pct(f.unsubscribe_rate().unwrap_or(0.0)),
                        f.unsubscribes,
                        f.emails_sent
                    ),
                });
            }
            let bounces = f.bounces_hard + f.bounces_soft;
            if bounces >= MIN_EVENTS && f.bounce_rate().unwrap_or(0.0) >= BOUNCE_WARN {
                out.push(Advice {
                    kind: "bounces",
                    version: Some(*version),
                    step: Some(s.step),
                    text: format!(
                        "{} bounced {} of its emails ({} of {}, {} hard) in the last {days} days. Verify the list's addresses before sending more: bounces hurt the mailbox's reputation.",
                        name(s),
                        pct(f.bounce_rate().unwrap_or(0.0)),
                        bounces,
                        f.emails_sent,
                        f.bounces_hard
                    ),
                });
            }
        }
    }
    if let Some(a) = reply_sources(versions) {
        out.push(a);
    }
    let untagged: u64 = versions.iter().map(|v| v.figures.untagged).sum();
    if untagged > 0 {
        let what = if untagged == 1 { "1 reply is".to_string() } else { format!("{untagged} replies are") };
        out.push(Advice {
            kind: "untagged",
            version: None,
            step: None,
            text: format!(
                "{what} not tagged yet. Tag replies positive, neutral or negative in Replies so the positive-reply rate is complete."
            ),
        });
    }
    out
}

/// Where replies came from, in the version that drew the most.
fn reply_sources(versions: &[VersionResults]) -> Option<Advice> {
    let v = versions.iter().max_by_key(|v| v.figures.replies)?;
    let total = v.figures.replies;
    if total < 5 {
        return None;
    }
    let mut by_step: Vec<&StepResults> = v.steps.iter().filter(|s| s.figures.replies > 0).collect();
    by_step.sort_by(|a, b| b.figures.replies.cmp(&a.figures.replies).then(a.step.cmp(&b.step)));
    let first_email = v.steps.iter().find(|s| s.channel == Channel::Email).map(|s| s.step);
    let followups: u64 = v.steps.iter().filter(|s| Some(s.step) != first_email).map(|s| s.figures.replies).sum();
    let top: Vec<String> = by_step
        .iter()
        .take(3)
        .map(|s| format!("{} {} ({})", step_name(s), pct(s.figures.replies as f64 / total as f64), s.figures.replies))
        .collect();
    Some(Advice {
        kind: "reply_sources",
        version: Some(v.version),
        step: by_step.first().map(|s| s.step),
        text: format!(
            "Of {total} replies, {} came from follow-ups after the first email. Most came from {}.",
            pct(followups as f64 / total as f64),
            top.join(", ")
        ),
    })
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}
