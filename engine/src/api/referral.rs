//! A "left the company" reply that names a successor is a warm referral:
//! with one action the rep adds that person as a prospect at the same
//! company, with the company, the departed contact's title as context and a
//! note on the timeline saying where they came from.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::json;

use super::Engine;
use crate::activity::ActivityKind;
use crate::domain::{email_domain, NewProspect, Prospect};
use crate::error::{Error, Result};
use crate::events::Change;
use crate::store::{self, activity::Entry, prospects::Upserted};

impl Engine {
    /// Adds the person a "left the company" reply names as a new prospect.
    /// Refused when the message names nobody, the person is already a
    /// prospect, or their address or domain is on the do-not-contact list.
    pub fn add_referral(&mut self, inbound: i64, now: DateTime<Utc>) -> Result<Prospect> {
        let s = store::inbound::get(&self.conn, inbound)?.ok_or_else(|| Error::not_found("message", inbound))?;
        if s.kind != "left_company" {
            return Err(Error::Conflict(format!("message {inbound} is not a \"left the company\" reply")));
        }
        let referral = &s.detail["referral"];
        let Some(email) = referral["email"].as_str().map(str::to_ascii_lowercase) else {
            return Err(Error::Conflict(format!("message {inbound} names nobody to write to instead")));
        };
        if let Some(id) = store::prospects::find_id(&self.conn, &email)? {
            return Err(Error::Conflict(format!("{email} is already a prospect (#{id})")));
        }
        let dnc = store::prospects::do_not_contact(&self.conn)?;
        let domain = email_domain(&email);
        if dnc.contains(&email) || dnc.contains(&domain) || dnc.contains(&format!("@{domain}")) {
            return Err(Error::Conflict(format!("{email} is on the do-not-contact list")));
        }
        let original = s.prospect_id.map(|p| self.prospect(p)).transpose()?;
        let name = referral["name"].as_str().unwrap_or("");
        let (first, last) = match name.trim().split_once(' ') {
            Some((f, l)) => (Some(f.to_string()), Some(l.trim().to_string())),
            None if !name.trim().is_empty() => (Some(name.trim().to_string()), None),
            None => (None, None),
        };
        let note = match &original {
            Some(o) => {
                let title = o.title.as_deref().map(|t| format!(", {t}")).unwrap_or_default();
                format!(
                    "Referred by {}{title}, who has left {}: their reply of {} named this person",
                    o.full_name(),
                    company_of(o),
                    s.received_at.format("%Y-%m-%d")
                )
            }
            None => format!("Named in a \"left the company\" reply of {}", s.received_at.format("%Y-%m-%d")),
        };
        let mut extra = BTreeMap::new();
        extra.insert("referred_by".to_string(), note.clone());
        if let Some(t) = original.as_ref().and_then(|o| o.title.clone()) {
            extra.insert("predecessor_title".to_string(), t);
        }
        let o = original.as_ref();
        let new = NewProspect {
            email: email.clone(),
            first_name: first,
            last_name: last,
            company: o.and_then(|o| o.company.clone()),
            title: None,
            phone: None,
            linkedin: None,
            city: o.and_then(|o| o.city.clone()),
            state: o.and_then(|o| o.state.clone()),
            country: o.and_then(|o| o.country.clone()),
            timezone: o.and_then(|o| o.timezone),
            tz_source: o.map(|o| o.tz_source).unwrap_or_default(),
            tags: vec!["referral".to_string()],
            extra,
        };
        let tx = self.conn.savepoint()?;
        let id = match store::prospects::upsert(&tx, &new, None, false, now)? {
            Upserted::Inserted(id) | Upserted::Updated(id) | Upserted::Skipped(id) => id,
        };
        let entry = Entry {
            prospect_id: Some(id),
            data: json!({ "note": note, "inbound": inbound, "referred_by": s.prospect_id }),
            ..Entry::new(ActivityKind::ReferralAdded)
        };
        store::activity::append(&tx, now, &entry)?;
        let mut detail = s.detail.clone();
        detail["referral"]["prospect_id"] = json!(id);
        store::inbound::set_outcome(&tx, inbound, &s.kind, &s.action, &detail, s.corrected)?;
        tx.commit()?;
        self.changed(&[Change::Prospects, Change::Inbox]);
        self.prospect(id)
    }
}

fn company_of(p: &Prospect) -> String {
    p.company.clone().unwrap_or_else(|| p.domain.clone())
}
