//! What the workspace tells its front end without being asked.

use std::sync::Arc;

use dto::{ChangedDto, DueDto, InboundDto, MailboxStatusDto, NoticeDto};

#[derive(Debug, Clone)]
pub enum Event {
    /// Views to refresh after a write (by a call, or by the mail loops).
    Changed(ChangedDto),
    /// Today's due and overdue counts, after the queue changed.
    Due(DueDto),
    /// The mailbox went online, offline or off.
    MailboxStatus(MailboxStatusDto),
    /// A message was read and acted on (a reply, an out-of-office...).
    MailReceived(Box<InboundDto>),
    /// That message changed a sequence, and the rep wants to be told
    /// (the `notifications` setting): for a desktop notification.
    Notify(NoticeDto),
    /// The sender sent this many emails.
    MailSent(usize),
}

impl Event {
    /// The window event's name, for front ends that forward events by name.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Changed(_) => "changed",
            Event::Due(_) => "due",
            Event::MailboxStatus(_) => "mailbox-status",
            Event::MailReceived(_) => "mail-received",
            Event::Notify(_) => "notify",
            Event::MailSent(_) => "mail-sent",
        }
    }
}

/// Where events go. A write by the mail loops is told from inside the
/// engine call that made it (the engine is locked then): the callback must
/// not call back into the `Workspace`; forward the event and return.
pub type Events = Arc<dyn Fn(Event) + Send + Sync>;
