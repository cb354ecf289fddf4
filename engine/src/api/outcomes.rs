//! Settling what happened to an enrollment's mail: the logged messages,
//! their corrections and tags, and meetings, into one outcome per enrollment
//! (first reply, bounce, unsubscribe, out-of-office, meeting). Independent of
//! the period: a correction made later still says what a message was. The
//! figures in `results.rs` count these.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use crate::activity::ActivityKind;
use crate::domain::{EnrollmentId, SequenceVersionId};
use crate::store::results::Event;

/// Where one enrollment's messages and meetings landed (first of each).
#[derive(Debug, Clone, Copy)]
pub(super) struct Landed {
    pub at: DateTime<Utc>,
    pub step: Option<usize>,
    pub variant: Option<usize>,
}

#[derive(Debug, Default)]
pub(super) struct Outcomes {
    pub version: SequenceVersionId,
    pub prospect: Option<i64>,
    pub reply: Option<Landed>,
    pub positive: bool,
    pub tagged: bool,
    pub unsubscribe: Option<Landed>,
    pub complaint: Option<Landed>,
    pub hard: Option<Landed>,
    pub soft: Option<Landed>,
    pub auto_reply: Option<Landed>,
    pub meeting: Option<Landed>,
}

/// A message's final state, after corrections and tags.
struct Message {
    enrollment: Option<EnrollmentId>,
    version: SequenceVersionId,
    first: Landed,
    kind: String,
    hard: bool,
    sentiment: Option<String>,
}

fn keep_first(slot: &mut Option<Landed>, l: Landed) {
    if slot.is_none_or(|s| l.at < s.at) {
        *slot = Some(l);
    }
}

/// Settles the logged events about mail and meetings into one outcome per
/// enrollment. Independent of the period: a correction made later still
/// says what a message was.
pub(super) fn settle(events: &[Event]) -> HashMap<EnrollmentId, Outcomes> {
    let mut messages: BTreeMap<i64, Message> = BTreeMap::new();
    let mut out: HashMap<EnrollmentId, Outcomes> = HashMap::new();
    for e in events {
        let landed = Landed { at: e.at, step: e.step, variant: e.variant };
        match (e.kind, e.inbound) {
            (ActivityKind::MailReceived, Some(id)) => {
                let kind = e.label.clone().unwrap_or_default();
                messages.insert(
                    id,
                    Message {
                        enrollment: e.enrollment_id,
                        version: e.sequence_id,
                        first: landed,
                        kind,
                        hard: e.hard.unwrap_or(true),
                        sentiment: None,
                    },
                );
            }
            (ActivityKind::ClassificationCorrected, Some(id)) => {
                if let Some(m) = messages.get_mut(&id) {
                    m.kind = e.label.clone().unwrap_or_default();
                    m.hard = e.hard.unwrap_or(m.hard);
                }
            }
            (ActivityKind::ReplyTagged, Some(id)) => {
                if let Some(m) = messages.get_mut(&id) {
                    m.sentiment = e.label.clone();
                }
            }
            (ActivityKind::MeetingBooked, _) => {
                if let Some(en) = e.enrollment_id {
                    let o = out.entry(en).or_insert_with(|| Outcomes { version: e.sequence_id, ..Default::default() });
                    o.prospect = e.prospect_id;
                    keep_first(&mut o.meeting, landed);
                }
            }
            _ => {}
        }
    }
    for m in messages.values() {
        let Some(en) = m.enrollment else { continue };
        let o = out.entry(en).or_insert_with(|| Outcomes { version: m.version, ..Default::default() });
        match m.kind.as_str() {
            "reply" => {
                keep_first(&mut o.reply, m.first);
                o.positive |= m.sentiment.as_deref() == Some("positive");
                o.tagged |= m.sentiment.is_some();
            }
            "unsubscribe" => keep_first(&mut o.unsubscribe, m.first),
            "complaint" => keep_first(&mut o.complaint, m.first),
            "bounce" if m.hard => keep_first(&mut o.hard, m.first),
            "bounce" => keep_first(&mut o.soft, m.first),
            "auto_reply" => keep_first(&mut o.auto_reply, m.first),
            _ => {}
        }
    }
    out
}
