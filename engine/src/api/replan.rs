//! Re-planning a backlog: overdue touches spread over the next working
//! days, at most so many a day (counting what is due then already), in the
//! order they fell due, each put at the first time its own rules allow
//! (the prospect's window or calling hours, the rep's hours, holidays).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::json;

use super::{calendar, place, Engine};
use crate::activity::ActivityKind;
use crate::domain::{Channel, EnrollmentId, ProspectId, TouchId};
use crate::error::{Error, Result};
use crate::events::Change;
use crate::schedule::start_of_day;
use crate::sequence::Sequence;
use crate::store::{self, activity::Entry};

/// One touch's new time.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub touch: TouchId,
    pub prospect: ProspectId,
    pub enrollment: EnrollmentId,
    pub channel: Channel,
    pub from: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
}

/// What a re-plan would do: every move, and the load of each working day
/// (the rep's dates) by channel, what was due already included.
#[derive(Debug, Clone, Default)]
pub struct Replan {
    pub moves: Vec<Move>,
    pub days: BTreeMap<NaiveDate, BTreeMap<Channel, usize>>,
    /// The overdue touches did not fit in the days asked for: the plan runs
    /// on to this day, at the same pace.
    pub runs_to: Option<NaiveDate>,
}

impl Engine {
    /// The plan for spreading today's overdue touches over the next `days`
    /// working days (today first), at most `per_day` touches a day.
    pub fn replan_preview(&self, days: u32, per_day: usize, now: DateTime<Utc>) -> Result<Replan> {
        if days == 0 || per_day == 0 {
            return Err(Error::Invalid("spread over at least one day, at least one touch a day".into()));
        }
        let rep = self.settings()?;
        let cal = calendar(&rep);
        let today = cal.working_day_on_or_after(cal.rep_date(now));
        let day_start = start_of_day(rep.timezone, cal.rep_date(now));
        let overdue = store::queue::overdue(&self.conn, day_start, usize::MAX, None)?;
        let mut plan = Replan::default();
        let mut load: HashMap<NaiveDate, usize> = HashMap::new();
        let known = |day: NaiveDate, plan: &mut Replan, load: &mut HashMap<NaiveDate, usize>| -> Result<usize> {
            if let Some(n) = load.get(&day) {
                return Ok(*n);
            }
            let due = store::enrollments::pending_due_between(
                &self.conn,
                start_of_day(rep.timezone, day),
                start_of_day(rep.timezone, day + Duration::days(1)),
            )?;
            for t in &due {
                *plan.days.entry(day).or_default().entry(t.channel).or_default() += 1;
            }
            load.insert(day, due.len());
            Ok(due.len())
        };
        let mut cache: HashMap<EnrollmentId, std::sync::Arc<Sequence>> = HashMap::new();
        let mut day = today;
        let last_asked = cal.add_business_days(today, days - 1);
        for r in overdue {
            // The first day with room, then the first time this touch may go from then on.
            let mut placed = None;
            for _ in 0..400 {
                if known(day, &mut plan, &mut load)? < per_day {
                    let seq = match cache.get(&r.enrollment_id) {
                        Some(s) => s.clone(),
                        None => {
                            let s = self.sequence_version(r.sequence_id)?;
                            cache.insert(r.enrollment_id, s.clone());
                            s
                        }
                    };
                    let p = self.prospect(r.prospect_id)?;
                    let from = start_of_day(rep.timezone, day).max(now);
                    let slot = cal
                        .next_slot(&seq.settings, place(&p, &rep), r.channel, from)
                        .ok_or_else(|| Error::Unschedulable(format!("touch {}", r.touch_id)))?;
                    let landed = cal.rep_date(slot.due_at);
                    // A prospect's window may put it on a later day: it counts there, if there is room.
                    if known(landed, &mut plan, &mut load)? < per_day {
                        placed = Some((slot, landed));
                        break;
                    }
                }
                day = cal.working_day_on_or_after(day + Duration::days(1));
            }
            let (slot, landed) = placed.ok_or_else(|| Error::Unschedulable(format!("touch {}", r.touch_id)))?;
            *load.entry(landed).or_default() += 1;
            *plan.days.entry(landed).or_default().entry(r.channel).or_default() += 1;
            if landed > last_asked {
                plan.runs_to = Some(plan.runs_to.map_or(landed, |d| d.max(landed)));
            }
            plan.moves.push(Move {
                touch: r.touch_id,
                prospect: r.prospect_id,
                enrollment: r.enrollment_id,
                channel: r.channel,
                from: r.due_at,
                due_at: slot.due_at,
                closes_at: slot.closes_at,
            });
        }
        // Only the days the plan touches.
        let used: std::collections::HashSet<NaiveDate> = plan.moves.iter().map(|m| cal.rep_date(m.due_at)).collect();
        plan.days.retain(|d, _| used.contains(d));
        Ok(plan)
    }

    /// Applies the plan [`Engine::replan_preview`] shows, in one transaction.
    pub fn replan(&mut self, days: u32, per_day: usize, now: DateTime<Utc>) -> Result<Replan> {
        let plan = self.replan_preview(days, per_day, now)?;
        let tx = self.conn.savepoint()?;
        for m in &plan.moves {
            store::enrollments::reschedule_touch(&tx, m.touch, m.due_at, m.closes_at)?;
            let data = json!({ "reason": "backlog", "due_at": m.due_at.to_rfc3339() });
            let entry = Entry {
                prospect_id: Some(m.prospect),
                enrollment_id: Some(m.enrollment),
                touch_id: Some(m.touch),
                data,
                ..Entry::new(ActivityKind::TouchRescheduled)
            };
            store::activity::append(&tx, now, &entry)?;
        }
        tx.commit()?;
        self.changed(&[Change::Queue]);
        Ok(plan)
    }
}
