//! Sequences: the model, the TOML file format, the built-in playbooks and
//! the best-practice linter.

mod builtin;
mod lint;
mod parse;

use std::collections::BTreeMap;

use chrono::{NaiveTime, Weekday};

use crate::domain::{str_enum, Channel};

pub use builtin::{builtin_sequences, BuiltinSequence};
pub use lint::{lint, Finding, Rule};
pub use parse::parse_hours;
pub use parse::parse_sequence;
pub use parse::parse_weekday;

str_enum!(
    /// What a sequence is for; the linter's recommended ranges depend on it.
    SequenceKind {
        Cold = "cold",
        ColdShort = "cold_short",
        Inbound = "inbound",
        Reengagement = "reengagement",
        PostDemo = "post_demo",
    }
);

str_enum!(
    /// Whether an email starts a new thread or replies in the previous one.
    Thread { New = "new", Reply = "reply" }
);

/// A whole sequence as written in its file.
#[derive(Debug, Clone, PartialEq)]
pub struct Sequence {
    pub name: String,
    pub description: String,
    pub kind: SequenceKind,
    pub settings: SequenceSettings,
    /// Values used when the prospect has none for a field.
    pub defaults: BTreeMap<String, String>,
    pub steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SequenceSettings {
    /// Days on which touches may fall (and business days are counted).
    pub working_days: Vec<Weekday>,
    /// Sending window for emails, in the prospect's local time.
    pub window: (NaiveTime, NaiveTime),
    /// Hours in the prospect's local time in which calls are preferred.
    pub call_hours: (NaiveTime, NaiveTime),
}

impl Default for SequenceSettings {
    fn default() -> Self {
        let t = |h, m| NaiveTime::from_hms_opt(h, m, 0).expect("valid time");
        SequenceSettings {
            working_days: vec![Weekday::Mon, Weekday::Tue, Weekday::Wed, Weekday::Thu, Weekday::Fri],
            window: (t(8, 30), t(11, 30)),
            call_hours: (t(9, 0), t(17, 0)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub channel: Channel,
    /// Business days after the previous step (or after enrollment, for the first).
    pub delay: u32,
    pub approval: bool,
    pub thread: Thread,
    /// Marks the last, polite "closing the loop" touch.
    pub breakup: bool,
    /// A short label for the step ("new angle", "case study").
    pub label: Option<String>,
    /// Email: the subject template (absent for replies in thread).
    pub subject: Option<String>,
    /// Email body, call script, message text or task instructions (a template).
    pub text: String,
    /// Extra A/B variants of an email; the step's own subject and text are variant "A".
    pub variants: Vec<Variant>,
    /// Where the enrollment goes after this step, by what happened at it;
    /// anything not listed goes on to the next step in the file.
    pub next: Vec<Branch>,
    /// A LinkedIn connection request that branches on `accepted`: business
    /// days to wait for the acceptance before the not-accepted way is taken
    /// (0 for every other step).
    pub accept_within: u32,
}

/// Days a connection request waits for its acceptance unless the file says.
pub const ACCEPT_WITHIN_DEFAULT: u32 = 5;

/// One way out of a step: when `when` happened (a call's outcome, or
/// `always`), go to the step labelled `label` (`to`, its index), or end the
/// sequence (`to` is None, `label` is "end").
#[derive(Debug, Clone, PartialEq)]
pub struct Branch {
    pub when: String,
    pub label: String,
    pub to: Option<usize>,
}

/// What a step's branch may be keyed by. Any step: `always`. A call: the
/// outcomes that keep the sequence going (meeting booked and not interested
/// end it). A LinkedIn connection request: `accepted` (the rep marks it) or
/// `not_accepted` (still pending after `accept_within` business days). An
/// email: `positive`, `neutral` or `negative`, a reply so tagged that the
/// rep keeps in the sequence. Any step but a call: `nothing`, the way on
/// when nothing happened (no reply, no acceptance).
pub fn branch_keys(channel: crate::domain::Channel) -> &'static [&'static str] {
    use crate::domain::Channel;
    match channel {
        Channel::Call => &["always", "connected", "voicemail", "no_answer", "wrong_number"],
        Channel::LinkedinConnect => &["always", "accepted", "not_accepted", "nothing"],
        Channel::Email => &["always", "nothing", "positive", "neutral", "negative"],
        _ => &["always", "nothing"],
    }
}

/// The keys that name a way taken when nothing happened (the default way).
const QUIET: &[&str] = &["nothing", "not_accepted"];

/// The reply tags an email step may branch on.
pub const REPLY_TAGS: &[&str] = &["positive", "neutral", "negative"];

#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    pub name: String,
    pub subject: Option<String>,
    pub text: String,
}

impl Step {
    /// The step after this one (`index`) when `what` happened at it: a
    /// branch for it; when nothing happened (`None`, or a quiet key), one
    /// for `nothing`/`not_accepted`; else one for `always`; else the next
    /// in the file. `None`: the sequence ends here.
    pub fn next_after(&self, index: usize, what: Option<&str>) -> Option<usize> {
        let quiet = what.is_none_or(|w| QUIET.contains(&w));
        let branch = self
            .next
            .iter()
            .find(|b| Some(b.when.as_str()) == what)
            .or_else(|| if quiet { self.next.iter().find(|b| QUIET.contains(&b.when.as_str())) } else { None })
            .or_else(|| self.next.iter().find(|b| b.when == "always"));
        match branch {
            Some(b) => b.to,
            None => Some(index + 1),
        }
    }

    /// Whether this step waits for a LinkedIn acceptance before going on.
    pub fn waits_for_acceptance(&self) -> bool {
        self.next.iter().any(|b| b.when == "accepted")
    }

    /// Every step that can follow this one (`index`, of `n`), each once, in
    /// order; `None` is the end of the sequence. The next step in the file
    /// is among them unless the branches cover every way the step can turn
    /// out: `always`, every call outcome, or (for other steps) the way taken
    /// when nothing happens.
    pub fn successors(&self, index: usize, n: usize) -> Vec<Option<usize>> {
        let mut out: Vec<Option<usize>> = self.next.iter().map(|b| b.to).collect();
        let has = |k: &str| self.next.iter().any(|b| b.when == k);
        let covered = has("always")
            || if self.channel == crate::domain::Channel::Call {
                ["connected", "voicemail", "no_answer", "wrong_number"].iter().all(|k| has(k))
            } else {
                QUIET.iter().any(|k| has(k))
            };
        if !covered {
            out.push((index + 1 < n).then_some(index + 1));
        }
        out.sort();
        out.dedup();
        out
    }

    /// Number of variants, counting the step's own content as the first.
    pub fn variant_count(&self) -> usize {
        1 + self.variants.len()
    }

    /// The subject and text of variant `index` (0 is the step's own).
    pub fn variant(&self, index: usize) -> (&str, Option<&str>, &str) {
        match index.checked_sub(1).and_then(|i| self.variants.get(i)) {
            Some(v) => (v.name.as_str(), v.subject.as_deref().or(self.subject.as_deref()), v.text.as_str()),
            None => ("A", self.subject.as_deref(), self.text.as_str()),
        }
    }
}

/// How many paths through a branching sequence are followed (the linter,
/// the tree): enough for any sequence a person would write.
pub const MAX_PATHS: usize = 32;

impl Sequence {
    /// Every way through the sequence from its first step to its end, each
    /// a list of step indexes (one path, in order, when nothing branches).
    /// Branches go forward only, so there are finitely many; past
    /// [`MAX_PATHS`] the rest are left out.
    pub fn paths(&self) -> Vec<Vec<usize>> {
        let n = self.steps.len();
        let mut out = Vec::new();
        if n == 0 {
            return out;
        }
        let mut todo = vec![vec![0usize]];
        while let Some(path) = todo.pop() {
            if out.len() >= MAX_PATHS {
                break;
            }
            let i = *path.last().expect("a path has a step");
            for to in self.steps[i].successors(i, n).into_iter().rev() {
                match to {
                    Some(j) => todo.push([path.as_slice(), &[j]].concat()),
                    None => out.push(path.clone()),
                }
            }
        }
        out
    }

    /// Whether any step branches.
    pub fn branches(&self) -> bool {
        self.steps.iter().any(|s| !s.next.is_empty())
    }

    /// Business days from enrollment to the last step.
    pub fn span_business_days(&self) -> u32 {
        self.steps.iter().map(|s| s.delay).sum()
    }

    /// Calendar days from the first touch to the last, assuming five working
    /// days a week, counting the first day as day 1.
    pub fn span_calendar_days(&self) -> u32 {
        let bd = self.span_business_days();
        1 + bd + 2 * (bd / 5)
    }

    /// Distinct channel families (email, phone, LinkedIn, SMS, task).
    pub fn channel_families(&self) -> Vec<&'static str> {
        let mut fams: Vec<&'static str> = self
            .steps
            .iter()
            .map(|s| match s.channel {
                Channel::Email => "email",
                Channel::Call => "phone",
                c if c.is_linkedin() => "LinkedIn",
                Channel::Sms => "SMS",
                _ => "task",
            })
            .collect();
        fams.sort();
        fams.dedup();
        fams
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_parses_and_lints_clean() {
        let all = builtin_sequences();
        assert!(all.len() >= 5, "expected the five playbooks, got {}", all.len());
        for b in all {
            let seq = parse_sequence(b.file, b.source).unwrap_or_else(|e| panic!("{e}"));
            let findings = lint(&seq);
            assert!(findings.is_empty(), "{}: {:#?}", b.slug, findings);
        }
    }
}
