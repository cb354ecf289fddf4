//! A sample workspace: realistic prospects across continents, enrolled in
//! the built-in sequences at different points, with the history that got them
//! there. Serves the run command, the app's first run and the benchmarks.
//! Deterministic for a given seed and `now`.

use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde_json::json;

use super::{calendar, enroll::schedule_step, place, Engine};
use crate::activity::ActivityKind;
use crate::domain::{CallOutcome, Channel, EnrollmentState, NewProspect, TouchState, TzSource};
use crate::error::Result;
use crate::events::Change;
use crate::settings::RepSettings;
use crate::store::{self, activity::Entry, enrollments::Completion};

#[derive(Debug, Clone)]
pub struct SampleOptions {
    pub prospects: usize,
    pub seed: u64,
    /// The rep's zone, used when the rep has no settings yet.
    pub rep_timezone: Option<Tz>,
    /// Share of prospects in an active sequence, in percent.
    pub active_percent: u8,
    /// Extra prospects, after the others, who went through a sequence in the
    /// last three months and are in none now: the history behind results.
    pub past: usize,
}

impl SampleOptions {
    pub fn new(prospects: usize, seed: u64) -> Self {
        SampleOptions { prospects, seed, rep_timezone: None, active_percent: 85, past: 0 }
    }
}

#[derive(Debug, Clone, Default)]
pub struct SampleReport {
    pub prospects: usize,
    pub active_enrollments: usize,
    pub touches: usize,
}

/// SplitMix64: small, fast, and the same everywhere.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// (city, state, country, calling code, first names, last names)
type Region = (&'static str, &'static str, &'static str, &'static str, &'static [&'static str], &'static [&'static str]);

const US_FIRST: &[&str] = &["Dana", "Marcus", "Jordan", "Priya", "Tyler", "Keisha", "Ethan", "Morgan", "Sam", "Rachel", "Andre", "Megan"];
const US_LAST: &[&str] =
    &["Brooks", "Carter", "Nguyen", "Patel", "Reyes", "Sullivan", "Okafor", "Kim", "Hughes", "Lopez", "Bennett", "Ward"];
const REGIONS: &[Region] = &[
    ("New York", "NY", "United States", "1", US_FIRST, US_LAST),
    ("Austin", "TX", "United States", "1", US_FIRST, US_LAST),
    ("San Francisco", "CA", "United States", "1", US_FIRST, US_LAST),
    ("Denver", "CO", "United States", "1", US_FIRST, US_LAST),
    ("Toronto", "ON", "Canada", "1", &["Liam", "Chloe", "Noah", "Avery", "Owen"], &["Tremblay", "Roy", "MacDonald", "Singh", "Campbell"]),
    (
        "London",
        "",
        "United Kingdom",
        "44",
        &["Oliver", "Amelia", "Harry", "Isla", "George"],
        &["Smith", "Taylor", "Evans", "O'Neill", "Wright"],
    ),
    ("Berlin", "", "Germany", "49", &["Jonas", "Lena", "Felix", "Mia", "Lukas"], &["Müller", "Schmidt", "Schneider", "Fischer", "Weber"]),
    ("Paris", "", "France", "33", &["Camille", "Louis", "Chloé", "Hugo", "Léa"], &["Martin", "Bernard", "Dubois", "Lefèvre", "Moreau"]),
    ("Madrid", "", "Spain", "34", &["Lucía", "Javier", "Carmen", "Diego", "Sofía"], &["Fernández", "García", "Martínez", "López", "Ruiz"]),
    ("Amsterdam", "", "Netherlands", "31", &["Daan", "Emma", "Sem", "Julia", "Lars"], &["de Jong", "Jansen", "Visser", "Bakker", "Smit"]),
    ("Bengaluru", "", "India", "91", &["Priya", "Arjun", "Ananya", "Rahul", "Kavya"], &["Raman", "Iyer", "Sharma", "Reddy", "Nair"]),
    ("Singapore", "", "Singapore", "65", &["Wei", "Hui Min", "Jun", "Mei", "Darren"], &["Tan", "Lim", "Lee", "Ng", "Goh"]),
    (
        "Sydney",
        "NSW",
        "Australia",
        "61",
        &["Jack", "Charlotte", "Mason", "Ruby", "Lachlan"],
        &["Williams", "Brown", "Wilson", "Thompson", "Kelly"],
    ),
    (
        "São Paulo",
        "SP",
        "Brazil",
        "55",
        &["Ana", "Pedro", "Beatriz", "Rafael", "Juliana"],
        &["Silva", "Santos", "Oliveira", "Souza", "Costa"],
    ),
];
const COMPANY_A: &[&str] = &[
    "Lumen", "Nubar", "Kranich", "Taran", "North", "Blue", "Vela", "Quarry", "Orbit", "Harbor", "Cinder", "Maple", "Atlas", "Pylon",
    "Juniper",
];
const COMPANY_B: &[&str] = &["field", "ia", "soft", "works", "stack", "line", "grid", "logic", "path", "forge", "loop", "base"];
const TITLES: &[&str] = &[
    "VP Sales",
    "Head of Revenue Operations",
    "Director of Sales Development",
    "Chief Revenue Officer",
    "Sales Operations Manager",
    "VP Marketing",
    "Head of Growth",
    "Director of Customer Success",
    "RevOps Lead",
    "Founder & CEO",
];

fn ascii_slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.to_lowercase().chars() {
        let c = match c {
            'á' | 'à' | 'â' | 'ä' | 'ã' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'ö' | 'õ' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c);
        }
    }
    out
}

impl Engine {
    pub fn generate_sample(&mut self, opts: &SampleOptions, now: DateTime<Utc>) -> Result<SampleReport> {
        let mut rng = Rng(opts.seed);
        let mut rep = self.settings()?;
        if rep == RepSettings::default() {
            rep.timezone = opts.rep_timezone.unwrap_or(chrono_tz::America::New_York);
            rep.holiday_country = Some("US".into());
            rep.sender_name = "Alex Rivera".into();
            rep.sender_company = "Northwind Labs".into();
            rep.signature = "Alex Rivera\nNorthwind Labs".into();
            self.set_settings(&rep)?;
        }
        // The sample plays steps in file order, so the playbooks that branch
        // are left out of it.
        let (mut sequences, mut parsed) = (Vec::new(), Vec::new());
        for s in store::sequences::list_latest(&self.conn)?.into_iter().filter(|s| s.builtin) {
            let seq = self.sequence_version(s.id)?;
            if !seq.branches() {
                sequences.push(s);
                parsed.push(seq);
            }
        }
        let mut report = SampleReport::default();
        let tx = self.conn.savepoint()?;
        let import_id = store::prospects::create_import(&tx, "sample workspace", now)?;
        for i in 0..opts.prospects + opts.past {
            let past = i >= opts.prospects;
            let (city, state, country, cc, firsts, lasts) = *rng.pick(REGIONS);
            let first = *rng.pick(firsts);
            let last = *rng.pick(lasts);
            let company = format!("{}{}", rng.pick(COMPANY_A), rng.pick(COMPANY_B));
            let domain = format!("{}.example", company.to_lowercase());
            let email =
                format!("{}.{}{}@{}", ascii_slug(first), ascii_slug(last), if i >= 50 { i.to_string() } else { String::new() }, domain);
            let unknown_place = rng.chance(3);
            let phone = if unknown_place {
                format!("555 01{:02}", i % 100)
            } else {
                format!("+{cc} {} {:04}", 200 + rng.below(700), rng.below(10_000))
            };
            let mut p = NewProspect {
                email,
                first_name: (!rng.chance(4)).then(|| first.to_string()),
                last_name: Some(last.to_string()),
                company: (!rng.chance(3)).then(|| company.clone()),
                title: Some(rng.pick(TITLES).to_string()),
                phone: Some(phone),
                linkedin: Some(format!("https://www.linkedin.com/in/{}-{}-{i}", ascii_slug(first), ascii_slug(last))),
                city: (!unknown_place).then(|| city.to_string()),
                state: (!unknown_place && !state.is_empty()).then(|| state.to_string()),
                country: (!unknown_place).then(|| country.to_string()),
                tags: vec!["sample".into()],
                ..Default::default()
            };
            let place_in = crate::timezone::Place {
                zone: None,
                country: p.country.as_deref(),
                state: p.state.as_deref(),
                city: p.city.as_deref(),
                phone: p.phone.as_deref(),
            };
            let (tz, src) = crate::timezone::infer(&place_in);
            p.timezone = tz;
            p.tz_source = if tz.is_some() { src } else { TzSource::Unknown };
            let store::prospects::Upserted::Inserted(pid) =
                store::prospects::upsert(&tx, &p, Some(import_id), false, now - Duration::days(90))?
            else {
                continue;
            };
            report.prospects += 1;
            store::activity::append(
                &tx,
                now - Duration::days(90),
                &Entry {
                    prospect_id: Some(pid),
                    data: json!({ "import_id": import_id, "file": "sample workspace" }),
                    ..Entry::new(ActivityKind::ProspectImported)
                },
            )?;
            let prospect = store::prospects::get(&tx, pid)?.expect("just inserted");

            // An earlier, finished sequence for most: the history behind results.
            if past || rng.chance(85) {
                let k = rng.below(parsed.len());
                // Past prospects spread over the last three months, so recent
                // periods have results too.
                let start =
                    if past { now - Duration::days(30 + rng.below(60) as i64) } else { now - Duration::days(60 + rng.below(30) as i64) };
                let steps = parsed[k].steps.len();
                // The fate of each email (replies, bounces...) has its own
                // stream, so the prospects and queue stay as they were.
                let mut fate = Rng(opts.seed ^ (pid as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
                report.touches += play(&tx, &rep, &parsed[k], sequences[k].id, &prospect, start, steps, &mut rng, Some(&mut fate), now)?.1;
            }
            // Most are in an active sequence at some step, unless the history
            // left them unreachable.
            let reachable =
                store::prospects::email_status(&tx, pid)? != "invalid" && !store::prospects::do_not_contact(&tx)?.contains(&prospect.email);
            if !past && rng.chance(opts.active_percent.min(100) as u64) && reachable {
                let k = rng.below(parsed.len());
                let seq = &parsed[k];
                let step = rng.below(seq.steps.len());
                // Start it so this step falls due on a chosen day: mostly today
                // or soon, a few a little late (a rep with a small backlog).
                let offset = [-1i64, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 4][rng.below(12)];
                let start = start_for(&rep, seq, &prospect, step, now, offset) - Duration::minutes(rng.below(120) as i64);
                let (_, n) = play(&tx, &rep, seq, sequences[k].id, &prospect, start, step, &mut rng, None, now)?;
                report.touches += n + 1;
                report.active_enrollments += 1;
            }
        }
        store::prospects::finish_import(&tx, import_id, [report.prospects, 0, 0, 0])?;
        tx.commit()?;
        self.changed(&[Change::Queue, Change::Prospects, Change::Sequences, Change::Outbox, Change::Settings]);
        Ok(report)
    }
}

/// When to have enrolled `p` so that step `step` falls due `offset` days from
/// today: a dry run of the scheduler, corrected twice.
fn start_for(
    rep: &RepSettings,
    seq: &crate::sequence::Sequence,
    p: &crate::domain::Prospect,
    step: usize,
    now: DateTime<Utc>,
    offset: i64,
) -> DateTime<Utc> {
    let cal = calendar(rep);
    let target = cal.rep_date(now) + Duration::days(offset);
    let span: i64 = seq.steps[..=step].iter().map(|s| s.delay as i64).sum::<i64>() * 7 / 5;
    let mut start = now - Duration::days(span - offset);
    for _ in 0..3 {
        let mut base = start;
        for s in &seq.steps[..=step] {
            match cal.schedule(&seq.settings, place(p, rep), s.channel, base, s.delay) {
                Some(slot) => base = slot.due_at,
                None => return start,
            }
        }
        let diff = (target - cal.rep_date(base)).num_days();
        if diff == 0 {
            break;
        }
        start += Duration::days(diff);
    }
    start
}

/// Enrolls `p` at `start` and works the first `done` steps as a rep would
/// have, each at its due time; the next step is left pending. When every step
/// is done the enrollment is finished. Nothing is done after `now`: a step
/// due later stays pending. With a `fate`, emails go out and some draw a
/// reply (tagged, sometimes a meeting), a bounce or an unsubscribe, which ends
/// the enrollment as reading the mailbox would have. Returns the enrollment
/// and touches worked.
#[allow(clippy::too_many_arguments)]
fn play(
    conn: &rusqlite::Connection,
    rep: &RepSettings,
    seq: &crate::sequence::Sequence,
    seq_id: i64,
    p: &crate::domain::Prospect,
    start: DateTime<Utc>,
    done: usize,
    rng: &mut Rng,
    mut fate: Option<&mut Rng>,
    now: DateTime<Utc>,
) -> Result<(i64, usize)> {
    let eid = store::enrollments::create(conn, p.id, seq_id, start)?;
    let log = |conn: &rusqlite::Connection, at, kind, touch: Option<i64>, step: usize, data| {
        store::activity::append(
            conn,
            at,
            &Entry {
                prospect_id: Some(p.id),
                enrollment_id: Some(eid),
                touch_id: touch,
                sequence_id: Some(seq_id),
                step: Some(step),
                data,
                ..Entry::new(kind)
            },
        )
    };
    log(conn, start, ActivityKind::Enrolled, None, 0, json!({}))?;
    let mut base = start;
    let fields = crate::draft::fields(p, rep, seq);
    let mut thread_subject: Option<String> = None;
    for step in 0..seq.steps.len() {
        let tid = schedule_step(conn, rep, seq, p, eid, step, base, start)?;
        let due = store::enrollments::get_touch(conn, tid)?.map(|t| t.due_at);
        if step == done || due.is_some_and(|d| d > now) {
            store::enrollments::update(conn, eid, EnrollmentState::Active, None, step, base)?;
            return Ok((eid, step));
        }
        let t = store::enrollments::get_touch(conn, tid)?.expect("just inserted");
        let at = t.due_at + Duration::minutes(rng.below(90) as i64);
        let channel = seq.steps[step].channel;
        let (kind, c, data) = match channel {
            Channel::Email => {
                // What the rep would have approved: the step's subject for this
                // prospect (a reply keeps the thread's subject).
                let s = &seq.steps[step];
                let subject = match (s.thread, &thread_subject, s.subject.as_deref()) {
                    (crate::sequence::Thread::Reply, Some(prev), _) => format!("Re: {}", prev.trim_start_matches("Re: ")),
                    (_, _, Some(src)) => crate::template::render(src, &fields).unwrap_or_else(|_| "Quick question".into()),
                    _ => "Quick question".into(),
                };
                thread_subject = Some(subject.clone());
                (ActivityKind::EmailApproved, Completion { subject: Some(subject), ..Default::default() }, json!({ "variant": "A" }))
            }
            Channel::Call => {
                let mut o = *rng.pick(&[CallOutcome::Connected, CallOutcome::Voicemail, CallOutcome::NoAnswer, CallOutcome::NoAnswer]);
                if fate.as_mut().is_some_and(|f| f.chance(3)) {
                    o = CallOutcome::MeetingBooked;
                }
                (
                    ActivityKind::CallLogged,
                    Completion { outcome: Some(o.as_str().into()), duration_s: Some(20 + rng.below(400) as i64), ..Default::default() },
                    json!({ "outcome": o.as_str() }),
                )
            }
            _ => (ActivityKind::TouchDone, Completion::default(), json!({ "channel": channel.as_str() })),
        };
        store::enrollments::complete_touch(conn, tid, TouchState::Done, &c, at)?;
        let variant = (channel == Channel::Email).then_some(t.variant);
        let label = c.outcome.clone().or_else(|| (kind == ActivityKind::TouchDone).then(|| channel.as_str().to_string()));
        store::activity::append(
            conn,
            at,
            &Entry {
                kind,
                prospect_id: Some(p.id),
                enrollment_id: Some(eid),
                touch_id: Some(tid),
                sequence_id: Some(seq_id),
                step: Some(step),
                variant,
                label,
                data,
            },
        )?;
        base = at;
        if c.outcome.as_deref() == Some(CallOutcome::MeetingBooked.as_str()) {
            end(conn, p, eid, seq_id, step, crate::domain::ExitReason::MeetingBooked, at)?;
            return Ok((eid, step + 1));
        }
        if let (Channel::Email, Some(f)) = (channel, fate.as_mut()) {
            let sent = at + Duration::minutes(5);
            store::sends::queue(conn, tid, sent, at)?;
            store::sends::start(conn, tid, &format!("sample-{tid}@cadence.invalid"), "alex@northwind.example", None, &[], sent)?;
            store::sends::mark_sent(conn, tid, sent, sent)?;
            store::activity::append(
                conn,
                sent,
                &Entry {
                    prospect_id: Some(p.id),
                    enrollment_id: Some(eid),
                    touch_id: Some(tid),
                    sequence_id: Some(seq_id),
                    step: Some(step),
                    variant,
                    ..Entry::new(ActivityKind::EmailSent)
                },
            )?;
            let first = step == 0;
            let at_mail = sent + Duration::hours(2 + f.below(40) as i64);
            if at_mail < now {
                let reply_per_mille = match (first, t.variant, seq.steps[step].breakup) {
                    (true, 0, _) => 60,
                    (true, _, _) => 95,
                    (_, _, true) => 45,
                    _ => 30,
                };
                let roll = f.below(1000);
                let mail = Mail { touch: tid, variant: t.variant, at: at_mail };
                if roll < reply_per_mille {
                    reply(conn, p, eid, seq_id, step, &mail, f)?;
                    return Ok((eid, step + 1));
                }
                if first && roll < reply_per_mille + 25 {
                    let hard = f.chance(80);
                    bounce(conn, p, eid, seq_id, step, &mail, hard)?;
                    if hard {
                        return Ok((eid, step + 1));
                    }
                } else if roll >= 990 {
                    unsubscribe(conn, p, eid, seq_id, step, &mail)?;
                    return Ok((eid, step + 1));
                }
            }
        }
    }
    store::enrollments::update(conn, eid, EnrollmentState::Finished, None, seq.steps.len() - 1, base)?;
    log(conn, base, ActivityKind::Finished, None, seq.steps.len() - 1, json!({}))?;
    Ok((eid, seq.steps.len()))
}

/// A message a sample prospect sent back about the email `touch`.
struct Mail {
    touch: i64,
    variant: usize,
    at: DateTime<Utc>,
}

/// Stores a message read back and logs it against the email it answers.
#[allow(clippy::too_many_arguments)]
fn mail_back(
    conn: &rusqlite::Connection,
    p: &crate::domain::Prospect,
    eid: i64,
    seq_id: i64,
    step: usize,
    m: &Mail,
    kind: &'static str,
    subject: &str,
    detail: serde_json::Value,
    action: &str,
) -> Result<i64> {
    let row = store::inbound::NewInbound {
        folder: "INBOX",
        uidvalidity: 1,
        uid: m.touch as u32,
        message_id: Some(&format!("{kind}-{}@sample.invalid", m.touch)),
        from: Some(&p.email),
        subject: Some(subject),
        received_at: m.at,
        kind,
        prospect_id: Some(p.id),
        touch_id: Some(m.touch),
    };
    let mut detail = detail;
    detail["attributed"] = json!(m.touch);
    let id = store::inbound::insert(conn, &row, &detail)?;
    store::inbound::set_outcome(conn, id, kind, action, &detail, false)?;
    let mut data = json!({ "inbound": id, "kind": kind, "subject": subject });
    if let Some(h) = detail["bounce"]["hard"].as_bool() {
        data["hard"] = json!(h);
    }
    let entry = Entry {
        kind: ActivityKind::MailReceived,
        prospect_id: Some(p.id),
        enrollment_id: Some(eid),
        touch_id: Some(m.touch),
        sequence_id: Some(seq_id),
        step: Some(step),
        variant: Some(m.variant),
        label: Some(kind.into()),
        data,
    };
    store::activity::append(conn, m.at, &entry)?;
    Ok(id)
}

fn end(
    conn: &rusqlite::Connection,
    p: &crate::domain::Prospect,
    eid: i64,
    seq_id: i64,
    step: usize,
    reason: crate::domain::ExitReason,
    at: DateTime<Utc>,
) -> Result<()> {
    store::enrollments::update(conn, eid, EnrollmentState::Exited, Some(reason), step, at)?;
    let entry = Entry {
        prospect_id: Some(p.id),
        enrollment_id: Some(eid),
        sequence_id: Some(seq_id),
        step: Some(step),
        label: Some(reason.as_str().into()),
        data: json!({ "reason": reason.as_str() }),
        ..Entry::new(ActivityKind::Exited)
    };
    store::activity::append(conn, at, &entry)
}

/// A reply: the sequence ends; most replies get a tag, some a meeting.
fn reply(
    conn: &rusqlite::Connection,
    p: &crate::domain::Prospect,
    eid: i64,
    seq_id: i64,
    step: usize,
    m: &Mail,
    f: &mut Rng,
) -> Result<()> {
    let id =
        mail_back(conn, p, eid, seq_id, step, m, "reply", "Re: your note", json!({ "evidence": "sample reply" }), "stopped 1 sequence")?;
    end(conn, p, eid, seq_id, step, crate::domain::ExitReason::Replied, m.at)?;
    let roll = f.below(100);
    let sentiment = match roll {
        0..40 => Some("positive"),
        40..70 => Some("neutral"),
        70..85 => Some("negative"),
        _ => None,
    };
    let attributed = |kind: ActivityKind, label: &str, data| Entry {
        kind,
        prospect_id: Some(p.id),
        enrollment_id: Some(eid),
        touch_id: Some(m.touch),
        sequence_id: Some(seq_id),
        step: Some(step),
        variant: Some(m.variant),
        label: Some(label.into()),
        data,
    };
    if let Some(s) = sentiment {
        let later = m.at + Duration::minutes(30);
        store::inbound::set_sentiment(conn, id, s)?;
        store::activity::append(conn, later, &attributed(ActivityKind::ReplyTagged, s, json!({ "inbound": id, "sentiment": s })))?;
        if s == "positive" && f.chance(45) {
            store::activity::append(conn, later, &attributed(ActivityKind::MeetingBooked, "reply", json!({ "inbound": id })))?;
        }
    }
    Ok(())
}

fn bounce(
    conn: &rusqlite::Connection,
    p: &crate::domain::Prospect,
    eid: i64,
    seq_id: i64,
    step: usize,
    m: &Mail,
    hard: bool,
) -> Result<()> {
    let (status, action) =
        if hard { ("5.1.1", "marked the address invalid and stopped 1 sequence") } else { ("4.2.2", "flagged the address (soft bounce)") };
    let detail = json!({ "evidence": "sample bounce", "bounce": { "hard": hard, "recipient": p.email, "status": status } });
    mail_back(conn, p, eid, seq_id, step, m, "bounce", "Undelivered Mail Returned to Sender", detail, action)?;
    store::prospects::set_email_status(conn, p.id, if hard { "invalid" } else { "soft_bounced" }, m.at)?;
    if hard {
        end(conn, p, eid, seq_id, step, crate::domain::ExitReason::Bounced, m.at)?;
    }
    Ok(())
}

fn unsubscribe(conn: &rusqlite::Connection, p: &crate::domain::Prospect, eid: i64, seq_id: i64, step: usize, m: &Mail) -> Result<()> {
    mail_back(
        conn,
        p,
        eid,
        seq_id,
        step,
        m,
        "unsubscribe",
        "unsubscribe",
        json!({ "evidence": "sample unsubscribe" }),
        "stopped 1 sequence and added the address to do-not-contact",
    )?;
    store::prospects::add_do_not_contact(conn, &p.email, "asked to unsubscribe", m.at)?;
    end(conn, p, eid, seq_id, step, crate::domain::ExitReason::Unsubscribed, m.at)
}
