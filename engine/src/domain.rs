//! Plain domain types. They carry no serialisation: the CLI and the desktop
//! shell convert them to their own DTOs (see the `cadence-dto` crate).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

pub type ProspectId = i64;
pub type EnrollmentId = i64;
pub type TouchId = i64;
pub type SequenceVersionId = i64;

/// Declares a string-backed enum with `as_str`, `parse` and `ALL`.
macro_rules! str_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($(#[$vm])* $variant),+ }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
            /// The accepted spellings, for error messages.
            pub fn expected() -> String {
                [$($text),+].join(", ")
            }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use str_enum;

str_enum!(
    /// How a touch reaches the prospect.
    Channel {
        Email = "email",
        Call = "call",
        LinkedinView = "linkedin_view",
        LinkedinConnect = "linkedin_connect",
        LinkedinMessage = "linkedin_message",
        Sms = "sms",
        Task = "task",
    }
);

/// When a touch on a channel may be due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// In the prospect's sending window (their local time, their working
    /// days), at any hour of the rep's working day: it goes by itself.
    ProspectWindow,
    /// In the prospect's call hours inside the rep's working hours, or else
    /// anywhere in the rep's hours.
    CallHours,
    /// In the rep's working hours.
    RepHours,
}

/// How the rep finishes a touch on a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkedBy {
    /// Approved (as drafted or edited); it then goes out by itself.
    Approving,
    /// Logged with the call's outcome.
    LoggingACall,
    /// Marked done by the rep, who did it by hand.
    MarkingDone,
}

/// What a channel does, declared once for each channel (see
/// [`Channel::capabilities`]). Scheduling, the queue, working a touch,
/// sending, the sequence parser and linter, and the results read these.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Goes out by itself once approved (through the rep's mailbox): it waits
    /// in the send ledger, and is in today's queue ahead of its window.
    pub sends_itself: bool,
    /// A step waits for the rep's approval unless the sequence file says otherwise.
    pub needs_approval_by_default: bool,
    /// Reaches neither the prospect's inbox nor their phone (a profile view, a
    /// connection request, an internal task): exempt from the spacing rule.
    pub light_touch: bool,
    /// An action on LinkedIn, which limits how many a member takes.
    pub linkedin_budget: bool,
    pub timing: Timing,
    pub worked_by: WorkedBy,
}

impl Channel {
    /// The channel's capabilities: one row per channel, each what it adds
    /// to a touch the rep does by hand in their working hours.
    pub const fn capabilities(self) -> Capabilities {
        const BY_HAND: Capabilities = Capabilities {
            sends_itself: false,
            needs_approval_by_default: false,
            light_touch: false,
            linkedin_budget: false,
            timing: Timing::RepHours,
            worked_by: WorkedBy::MarkingDone,
        };
        match self {
            Channel::Email => Capabilities {
                sends_itself: true,
                needs_approval_by_default: true,
                timing: Timing::ProspectWindow,
                worked_by: WorkedBy::Approving,
                ..BY_HAND
            },
            Channel::Call => Capabilities { timing: Timing::CallHours, worked_by: WorkedBy::LoggingACall, ..BY_HAND },
            Channel::LinkedinView | Channel::LinkedinConnect => Capabilities { light_touch: true, linkedin_budget: true, ..BY_HAND },
            Channel::LinkedinMessage => Capabilities { linkedin_budget: true, ..BY_HAND },
            Channel::Sms => BY_HAND,
            Channel::Task => Capabilities { light_touch: true, ..BY_HAND },
        }
    }
    /// Goes out by itself once approved (email): see [`Capabilities::sends_itself`].
    pub fn sends_itself(self) -> bool {
        self.capabilities().sends_itself
    }
    pub fn needs_approval_by_default(self) -> bool {
        self.capabilities().needs_approval_by_default
    }
    /// A profile view, a connection request or a task: see [`Capabilities::light_touch`].
    pub fn is_light_touch(self) -> bool {
        self.capabilities().light_touch
    }
    pub fn counts_toward_linkedin_budget(self) -> bool {
        self.capabilities().linkedin_budget
    }
    pub fn timing(self) -> Timing {
        self.capabilities().timing
    }
    pub fn worked_by(self) -> WorkedBy {
        self.capabilities().worked_by
    }
    pub fn is_linkedin(self) -> bool {
        matches!(self, Channel::LinkedinView | Channel::LinkedinConnect | Channel::LinkedinMessage)
    }
    /// The order a rep's day is worked in: emails (their windows close), calls,
    /// LinkedIn, then the rest.
    pub fn work_rank(self) -> u8 {
        match self {
            Channel::Email => 0,
            Channel::Call => 1,
            Channel::LinkedinView | Channel::LinkedinConnect | Channel::LinkedinMessage => 2,
            Channel::Sms => 3,
            Channel::Task => 4,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "Email",
            Channel::Call => "Call",
            Channel::LinkedinView => "LinkedIn profile view",
            Channel::LinkedinConnect => "LinkedIn connection request",
            Channel::LinkedinMessage => "LinkedIn message",
            Channel::Sms => "SMS",
            Channel::Task => "Task",
        }
    }
}

str_enum!(
    /// Where a prospect's time zone came from.
    #[derive(Default)]
    TzSource {
        File = "file",
        Location = "location",
        Phone = "phone",
        /// The country's dominant zone (a country with several): a guess.
        Guess = "guess",
        #[default]
        Unknown = "unknown",
    }
);

str_enum!(
    EnrollmentState { Active = "active", Paused = "paused", Exited = "exited", Finished = "finished" }
);

str_enum!(
    /// Why an enrollment left its sequence.
    ExitReason {
        Replied = "replied",
        MeetingBooked = "meeting_booked",
        NotInterested = "not_interested",
        Unsubscribed = "unsubscribed",
        Bounced = "bounced",
        Removed = "removed",
        DoNotContact = "do_not_contact",
        /// An automatic reply said the person has left the company.
        LeftCompany = "left_company",
    }
);

str_enum!(
    /// A touch's life: pending (in the queue when due), held (its enrollment is
    /// paused), approved (an email in the outbox), then done, skipped or cancelled.
    TouchState {
        Pending = "pending",
        Held = "held",
        Approved = "approved",
        Done = "done",
        Skipped = "skipped",
        Cancelled = "cancelled",
    }
);

str_enum!(
    CallOutcome {
        Connected = "connected",
        Voicemail = "voicemail",
        NoAnswer = "no_answer",
        WrongNumber = "wrong_number",
        MeetingBooked = "meeting_booked",
        NotInterested = "not_interested",
    }
);

impl CallOutcome {
    /// Outcomes that end the enrollment.
    pub fn exit_reason(self) -> Option<ExitReason> {
        match self {
            CallOutcome::MeetingBooked => Some(ExitReason::MeetingBooked),
            CallOutcome::NotInterested => Some(ExitReason::NotInterested),
            _ => None,
        }
    }
    /// The rep spoke to someone: the call counts as connected.
    pub fn spoke(self) -> bool {
        matches!(self, CallOutcome::Connected | CallOutcome::MeetingBooked | CallOutcome::NotInterested)
    }
}

str_enum!(
    /// What the de-duplication does with a row whose email is already known.
    OnDuplicate { Update = "update", Skip = "skip" }
);

/// A person the rep works. Empty optional fields are `None`, never `""`.
#[derive(Debug, Clone, PartialEq)]
pub struct Prospect {
    pub id: ProspectId,
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub linkedin: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub timezone: Option<Tz>,
    pub tz_source: TzSource,
    pub domain: String,
    pub tags: Vec<String>,
    pub extra: BTreeMap<String, String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Prospect {
    pub fn full_name(&self) -> String {
        display_name(self.first_name.as_deref(), self.last_name.as_deref(), &self.email)
    }
}

/// Prospect fields as they come from an import or an edit, before they get an id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NewProspect {
    pub email: String,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company: Option<String>,
    pub title: Option<String>,
    pub phone: Option<String>,
    pub linkedin: Option<String>,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub timezone: Option<Tz>,
    pub tz_source: TzSource,
    pub tags: Vec<String>,
    pub extra: BTreeMap<String, String>,
}

/// "First Last", whichever part there is, or the email when there is neither.
pub fn display_name(first: Option<&str>, last: Option<&str>, email: &str) -> String {
    match (first, last) {
        (Some(f), Some(l)) => format!("{f} {l}"),
        (Some(n), None) | (None, Some(n)) => n.to_string(),
        (None, None) => email.to_string(),
    }
}

/// The domain part of an email address, lower-case.
pub fn email_domain(email: &str) -> String {
    email.rsplit_once('@').map(|(_, d)| d.to_ascii_lowercase()).unwrap_or_default()
}

/// Normalised form used for de-duplication: trimmed and lower-cased.
pub fn normalise_email(raw: &str) -> String {
    raw.trim().trim_matches(|c| c == '<' || c == '>').to_lowercase()
}

/// A deliberately plain syntax check: one `@`, a dotted domain, no spaces or
/// control characters. Deliverability is the mailbox's job.
pub fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    if local.is_empty() || local.len() > 64 || domain.len() > 253 || domain.contains('@') {
        return false;
    }
    let bad = |c: char| c.is_whitespace() || c.is_control() || "()<>,;:\\\"[]".contains(c);
    if local.chars().any(bad) || domain.chars().any(bad) || local.starts_with('.') || local.ends_with('.') {
        return false;
    }
    let labels: Vec<&str> = domain.split('.').collect();
    labels.len() >= 2
        && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-') && !l.ends_with('-'))
        && labels.last().is_some_and(|tld| tld.len() >= 2 && tld.chars().all(|c| c.is_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_checks() {
        let check = |raw: &str, ok: bool| assert_eq!(is_valid_email(&normalise_email(raw)), ok, "{raw}");
        check("Ana.Lopez@Nubaria.es", true);
        check(" <jonas@kranich.de> ", true);
        check("o'neill+cad@example.co.uk", true);
        check("no-at-sign.example.com", false);
        check("two@@example.com", false);
        check("space in@example.com", false);
        check("nodot@localhost", false);
        check("trailing@example.c0m", false);
        check("", false);
        assert_eq!(email_domain("A@Nubaria.ES"), "nubaria.es");
    }

    /// The capability table, spelled out: a change to it is deliberate.
    #[test]
    fn channel_capabilities() {
        use Channel::*;
        let table = |c: Channel| {
            (
                c.sends_itself(),
                c.needs_approval_by_default(),
                c.is_light_touch(),
                c.counts_toward_linkedin_budget(),
                c.timing(),
                c.worked_by(),
            )
        };
        let (t, f) = (true, false);
        assert_eq!(table(Email), (t, t, f, f, Timing::ProspectWindow, WorkedBy::Approving));
        assert_eq!(table(Call), (f, f, f, f, Timing::CallHours, WorkedBy::LoggingACall));
        assert_eq!(table(LinkedinView), (f, f, t, t, Timing::RepHours, WorkedBy::MarkingDone));
        assert_eq!(table(LinkedinConnect), (f, f, t, t, Timing::RepHours, WorkedBy::MarkingDone));
        assert_eq!(table(LinkedinMessage), (f, f, f, t, Timing::RepHours, WorkedBy::MarkingDone));
        assert_eq!(table(Sms), (f, f, f, f, Timing::RepHours, WorkedBy::MarkingDone));
        assert_eq!(table(Task), (f, f, t, f, Timing::RepHours, WorkedBy::MarkingDone));
    }

    /// What the capabilities imply of each other, for any channel added later.
    #[test]
    fn channel_capabilities_agree() {
        for &c in Channel::ALL {
            let caps = c.capabilities();
            // Approving is what puts a touch in the send ledger, and only a
            // touch that goes by itself waits in its prospect's window.
            assert_eq!(caps.worked_by == WorkedBy::Approving, caps.sends_itself, "{c}");
            assert_eq!(caps.timing == Timing::ProspectWindow, caps.sends_itself, "{c}");
            // The LinkedIn budget is LinkedIn's.
            assert_eq!(caps.linkedin_budget, c.is_linkedin(), "{c}");
            // A touch that reaches the prospect by itself is never light.
            assert!(!(caps.sends_itself && caps.light_touch), "{c}");
        }
    }
}
