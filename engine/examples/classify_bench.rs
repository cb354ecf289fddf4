//! Throughput of the mail classifier on a realistic mix of generated mail.
//!
//!     cargo run -p cadence-engine --release --example classify_bench -- [--messages 10000] [--runs 7]
//!     cargo run -p cadence-engine --example classify_bench -- --show engine/tests/mail/*.eml
//!     cargo run -p cadence-engine --release --example classify_bench -- --fixtures engine/tests/corpus [--messages 10000]
//!
//! Builds the messages in memory (people's replies with quoted originals,
//! some 20-50 KB with HTML parts; out-of-office replies in seven languages;
//! delivery reports and the non-standard bounces; opt-outs), classifies them
//! all per run and prints the median messages per second. It also checks
//! that every generated message got the kind it was generated as. With
//! `--fixtures DIR` the mix is the fixture corpus instead (bounces of some
//! thirty mail systems, complaints, notices, out-of-office replies in
//! thirteen languages), each message repeated until the count is reached.

use std::fmt::Write as _;
use std::time::Instant;

use chrono::NaiveDate;
use engine::mail::{classify, Kind};

const UNSUBSCRIBE: &str = "unsubscribe@brightpath.example";

fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok()).unwrap_or(default)
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

const FIRST: &[&str] = &["jane", "rob", "lena", "marco", "amelie", "carlos", "beatriz", "pieter", "priya", "tom", "nadia", "greg"];
const DOMAINS: &[&str] =
    &["acme-widgets.example", "fabrikam.example", "tulpenhandel.example", "vinhos-douro.example", "harbourlight.example"];
const WORDS: &[&str] = &[
    "pipeline",
    "quarter",
    "onboarding",
    "forecast",
    "team",
    "budget",
    "renewal",
    "pricing",
    "rollout",
    "training",
    "the",
    "and",
    "we",
    "our",
    "next",
    "week",
    "review",
    "customers",
    "support",
    "migration",
    "timeline",
    "contract",
    "security",
    "integration",
];

/// Roughly `bytes` of plain prose.
fn prose(rng: &mut Rng, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + 100);
    while s.len() < bytes {
        for _ in 0..12 {
            s.push_str(rng.pick(WORDS));
            s.push(' ');
        }
        s.push_str(".\n");
        if rng.below(5) == 0 {
            s.push('\n');
        }
    }
    s
}

fn html(text: &str) -> String {
    let mut h = String::from("<html><head><style>p{font-family:Arial}</style></head><body>");
    for para in text.split("\n\n") {
        let _ = write!(h, "<p style=\"margin:0 0 12px 0\"><span>{}</span></p>", para.replace('\n', "<br>"));
    }
    h.push_str("</body></html>");
    h
}

fn head(rng: &mut Rng, from: &str, subject: &str, extra: &str, n: usize) -> String {
    format!(
        "Received: from mx{} by mx1.brightpath.example with ESMTPS; Tue, 24 Nov 2026 10:00:00 +0000\nFrom: {from}\nTo: alex.morgan@brightpath.example\nSubject: {subject}\nDate: Tue, 24 Nov 2026 {:02}:{:02}:00 +0000\nMessage-ID: <m{n}.{}@mail.example>\nIn-Reply-To: <cad.{n}@brightpath.example>\nMIME-Version: 1.0\n{extra}",
        rng.below(9),
        rng.below(24),
        rng.below(60),
        rng.next() % 100000,
    )
}

fn reply(rng: &mut Rng, n: usize, big: bool, opt_out: bool) -> String {
    let who = format!("{}@{}", rng.pick(FIRST), rng.pick(DOMAINS));
    let mine = if opt_out {
        rng.pick(&[
            "Please remove me from your list.",
            "Bitte keine weiteren E-Mails.",
            "Merci de me désinscrire.",
            "Por favor, darme de baja.",
        ])
        .to_string()
    } else {
        rng.pick(&["Thanks, happy to talk. Does Thursday work?", "Not interested right now, but try me in Q3.", "Send me the deck please."])
            .to_string()
    };
    let quoted: String = prose(rng, if big { 1500 } else { 400 }).lines().map(|l| format!("> {l}\n")).collect();
    let extra = 9_000 + rng.below(14_000);
    let own = if big { prose(rng, extra) } else { String::new() };
    let text = format!(
        "{mine}\n\n{own}\nOn Tue, 24 Nov 2026 at 09:00, Alex Morgan <alex.morgan@brightpath.example> wrote:\n{quoted}> Reply \"unsubscribe\" and I won't write again.\n"
    );
    let h = head(rng, &who, "Re: Quick question", "", n);
    if big {
        let b = format!("b{n}");
        format!(
            "{h}Content-Type: multipart/alternative; boundary=\"{b}\"\n\n--{b}\nContent-Type: text/plain; charset=utf-8\n\n{text}\n--{b}\nContent-Type: text/html; charset=utf-8\n\n{}\n--{b}--\n",
            html(&text)
        )
    } else {
        format!("{h}Content-Type: text/plain; charset=utf-8\n\n{text}")
    }
}

fn auto_reply(rng: &mut Rng, n: usize) -> String {
    const OOO: &[(&str, &str)] = &[
        ("Automatic reply: Quick question", "I'm out of the office until 12/03/2026 with limited access to email."),
        ("Abwesenheitsnotiz", "Ich bin bis einschließlich 04.12.2026 nicht im Büro."),
        ("Réponse automatique", "Je suis absente du bureau jusqu'au 7 décembre inclus."),
        ("Respuesta automática", "Estaré fuera de la oficina hasta el 9 de diciembre de 2026."),
        ("Resposta automática", "Estou ausente do escritório até 10/12/2026."),
        ("Risposta automatica", "Sarò fuori ufficio fino al 7 gennaio."),
        ("Automatisch antwoord", "Ik ben afwezig tot en met 5 december."),
    ];
    let (subject, body) = OOO[rng.below(OOO.len())];
    let who = format!("{}@{}", rng.pick(FIRST), rng.pick(DOMAINS));
    let extra = if rng.below(2) == 0 { "Auto-Submitted: auto-replied\n" } else { "" };
    let h = head(rng, &who, subject, extra, n);
    let len = 300 + rng.below(2000);
    let filler = prose(rng, len);
    format!("{h}Content-Type: text/plain; charset=utf-8\n\nHello,\n\n{body}\n\n{filler}")
}

fn bounce(rng: &mut Rng, n: usize) -> String {
    let rcpt = format!("{}@{}", rng.pick(FIRST), rng.pick(DOMAINS));
    match rng.below(4) {
        0 => {
            let h = head(
                rng,
                "MAILER-DAEMON@mx1.brightpath.example (Mail Delivery System)",
                "Undelivered Mail Returned to Sender",
                "Auto-Submitted: auto-replied\n",
                n,
            );
            format!(
                "{h}Content-Type: multipart/report; report-type=delivery-status; boundary=\"r{n}\"\n\n--r{n}\nContent-Type: text/plain\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<{rcpt}>: host mx said: 550 5.1.1 User unknown\n\n--r{n}\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; mx1.brightpath.example\n\nFinal-Recipient: rfc822; {rcpt}\nAction: failed\nStatus: 5.1.1\nDiagnostic-Code: smtp; 550 5.1.1 User unknown\n\n--r{n}\nContent-Type: text/rfc822-headers\n\nFrom: alex.morgan@brightpath.example\nTo: {rcpt}\nMessage-ID: <cad.{n}@brightpath.example>\n\n--r{n}--\n"
            )
        }
        1 => {
            let h = head(rng, "Mail Delivery Subsystem <mailer-daemon@googlemail.com>", "Delivery Status Notification (Failure)", "", n);
            format!("{h}Content-Type: text/plain\n\n** Address not found **\n\nYour message wasn't delivered to {rcpt} because the address couldn't be found.\n\nThe response was:\n550 5.1.1 The email account that you tried to reach does not exist.\n")
        }
        2 => {
            let h = head(rng, "MAILER-DAEMON@mail.example.net", "failure notice", "", n);
            format!("{h}Content-Type: text/plain\n\nHi. This is the qmail-send program at mail.example.net.\nI'm afraid I wasn't able to deliver your message to the following addresses.\n\n<{rcpt}>:\nSorry, no mailbox here by that name. (#5.1.1)\n\n--- Below this line is a copy of the message.\n\nMessage-ID: <cad.{n}@brightpath.example>\n\n{}", prose(rng, 1500))
        }
        _ => {
            let h = head(rng, "postmaster@fabrikam.onmicrosoft.example", "Undeliverable: Quick question", "", n);
            let text = format!("Your message to {rcpt} couldn't be delivered.\n\nRemote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound'\n\nOriginal message headers:\n\nMessage-ID: <cad.{n}@brightpath.example>\n");
            format!("{h}Content-Type: multipart/alternative; boundary=\"x{n}\"\n\n--x{n}\nContent-Type: text/plain\n\n{text}\n--x{n}\nContent-Type: text/html\n\n{}\n--x{n}--\n", html(&text))
        }
    }
}

/// The generated mix: (raw message, the kind it was generated as).
fn corpus(count: usize) -> Vec<(Vec<u8>, Kind)> {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    (0..count)
        .map(|n| {
            let roll = rng.below(100);
            let (raw, kind) = match roll {
                0..=39 => (reply(&mut rng, n, false, false), Kind::Reply),
                40..=54 => (reply(&mut rng, n, true, false), Kind::Reply),
                55..=74 => (auto_reply(&mut rng, n), Kind::AutoReply),
                75..=89 => (bounce(&mut rng, n), Kind::Bounce),
                _ => (reply(&mut rng, n, roll >= 97, true), Kind::Unsubscribe),
            };
            (raw.into_bytes(), kind)
        })
        .collect()
}

/// The `.eml` files under `dir` (one level of folders), repeated to `count`.
fn fixtures(dir: &str, count: usize) -> Vec<(Vec<u8>, Kind)> {
    let mut files = Vec::new();
    for folder in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{dir}: {e}")).flatten() {
        let Ok(inner) = std::fs::read_dir(folder.path()) else { continue };
        for f in inner.flatten().filter(|f| f.path().extension().is_some_and(|x| x == "eml")) {
            files.push(std::fs::read(f.path()).unwrap());
        }
    }
    files.sort();
    assert!(!files.is_empty(), "no .eml files under {dir}");
    let received = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    // The kind the classifier gives is the reference here: the corpus test
    // checks it against the expected one.
    let files: Vec<_> = files.into_iter().map(|raw| (classify(&raw, Some(UNSUBSCRIBE), received).kind, raw)).collect();
    files.iter().cycle().take(count).map(|(k, raw)| (raw.clone(), *k)).collect()
}

fn show(paths: &[String]) {
    for p in paths {
        let raw = std::fs::read(p).unwrap_or_else(|e| panic!("{p}: {e}"));
        let c = classify(&raw, Some(UNSUBSCRIBE), NaiveDate::from_ymd_opt(2026, 11, 24).unwrap());
        println!("{p}\n  {} | {} | back {:?} | {:?}", c.kind.as_str(), c.evidence, c.return_date, c.bounce);
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--show") {
        return show(&args[1..]);
    }
    let count = arg("--messages", 10_000);
    let runs = arg("--runs", 7);
    let received = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let args: Vec<String> = std::env::args().collect();
    let messages = match args.iter().position(|a| a == "--fixtures").and_then(|i| args.get(i + 1)) {
        Some(dir) => fixtures(dir, count),
        None => corpus(count),
    };
    let bytes: usize = messages.iter().map(|(m, _)| m.len()).sum();
    let big = messages.iter().filter(|(m, _)| m.len() >= 20_000).count();

    let wrong: Vec<_> = messages
        .iter()
        .enumerate()
        .filter_map(|(i, (raw, kind))| {
            let c = classify(raw, Some(UNSUBSCRIBE), received);
            (c.kind != *kind).then(|| format!("#{i}: generated {}, got {} ({})", kind.as_str(), c.kind.as_str(), c.evidence))
        })
        .collect();
    for w in wrong.iter().take(5) {
        eprintln!("{w}");
    }

    let mut rates = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        let mut bounces = 0usize;
        for (raw, _) in &messages {
            let c = classify(std::hint::black_box(raw), Some(UNSUBSCRIBE), received);
            bounces += usize::from(c.kind == Kind::Bounce);
        }
        std::hint::black_box(bounces);
        rates.push(count as f64 / start.elapsed().as_secs_f64());
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "{count} messages ({:.1} MB, {big} of 20-50 KB with HTML), {runs} runs: median {:.0} messages/s (min {:.0}, max {:.0}); {} misclassified",
        bytes as f64 / 1e6,
        rates[rates.len() / 2],
        rates[0],
        rates[rates.len() - 1],
        wrong.len()
    );
}
