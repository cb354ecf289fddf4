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
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }
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

impl Channel {
    /// Touches that land in the prospect's inbox or ring their phone. Viewing a
    /// profile, a connection request and an internal task are lighter.
    pub fn is_contact(self) -> bool {
        matches!(self, Channel::Email | Channel::Call | Channel::Sms | Channel::LinkedinMessage)
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
    TzSource { File = "file", Location = "location", Phone = "phone", Unknown = "unknown" }
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

impl Default for TzSource {
    fn default() -> Self {
        TzSource::Unknown
    }
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
}
