//! The mail classifier on realistic messages (`tests/mail/*.eml`): bounces
//! of the common mail systems, out-of-office replies in seven languages,
//! people's replies and opt-outs; then the return-date table and garbage.

use chrono::NaiveDate;
use engine::mail::{classify, dates, BounceInfo, Classified, Kind, Lang};

const UNSUBSCRIBE: &str = "unsubscribe@brightpath.example";

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/mail/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn run(name: &str) -> Classified {
    classify(&fixture(name), Some(UNSUBSCRIBE), day("2026-11-24"))
}

fn check(name: &str, kind: Kind) -> Classified {
    let c = run(name);
    assert_eq!(c.kind, kind, "{name}: {}", c.evidence);
    if kind != Kind::Bounce && kind != Kind::Notice {
        assert_eq!(c.bounce, None, "{name}");
    }
    if kind != Kind::AutoReply {
        assert_eq!(c.return_date, None, "{name}");
    }
    c
}

fn check_bounce(name: &str, hard: bool, recipient: &str, status: &str, original: &str) -> Classified {
    let c = check(name, Kind::Bounce);
    let expect = BounceInfo {
        hard,
        recipient: Some(recipient.to_string()),
        status: Some(status.to_string()),
        original_message_id: Some(original.to_string()),
        // Standard report or not: checked apart (`reports_are_told_from_bounces_in_words`);
        // the reason and what the server said by the corpus (`tests/corpus.rs`).
        report: c.bounce.as_ref().is_some_and(|b| b.report),
        reason: c.bounce.as_ref().and_then(|b| b.reason),
        notice: None,
        said: c.bounce.as_ref().map(|b| b.said.clone()).unwrap_or_default(),
    };
    assert_eq!(c.bounce.as_ref(), Some(&expect), "{name}: {}", c.evidence);
    c
}

fn check_auto_reply(name: &str, back: Option<&str>) -> Classified {
    let c = check(name, Kind::AutoReply);
    assert_eq!(c.return_date, back.map(day), "{name}: {}", c.evidence);
    c
}

// --- bounces --------------------------------------------------------------

#[test]
fn postfix_report_for_an_unknown_user_is_a_hard_bounce_despite_auto_submitted() {
    let c =
        check_bounce("postfix_unknown_user.eml", true, "jane.doe@acme-widgets.example", "5.1.1", "cad.7f3a9c21.0001@brightpath.example");
    assert_eq!(c.evidence, "RFC 3464 delivery report");
    assert_eq!(c.headers.message_id.as_deref(), Some("20261124091403.4F2A1C0E31@mx1.brightpath.example"));
}

#[test]
fn delayed_report_with_a_full_mailbox_is_a_notice_not_a_failure() {
    let c = check("dsn_delayed.eml", Kind::Notice);
    let b = c.bounce.unwrap();
    assert_eq!(b.notice, Some(engine::mail::Notice::Delayed));
    assert!(!b.hard);
    assert_eq!(b.recipient.as_deref(), Some("marco.bianchi@lagomaggiore.example"));
    assert_eq!(b.original_message_id.as_deref(), Some("cad.7f3a9c21.0002@brightpath.example"));
}

#[test]
fn failed_report_for_a_full_mailbox_5_2_2_is_soft_and_reads_the_attached_message() {
    check_bounce("dsn_mailbox_full_522.eml", false, "pieter@tulpenhandel.example", "5.2.2", "cad.7f3a9c21.0003@brightpath.example");
}

#[test]
fn gmail_address_not_found() {
    let c = check_bounce(
        "gmail_address_not_found.eml",
        true,
        "carlos.mendez@ferreteria-sol.example",
        "5.1.1",
        "cad.7f3a9c21.0004@brightpath.example",
    );
    assert!(c.evidence.contains("delivery status notification"), "{}", c.evidence);
}

#[test]
fn gmail_delivery_incomplete_is_a_delay_notice() {
    let c = check("gmail_delivery_incomplete.eml", Kind::Notice);
    let b = c.bounce.unwrap();
    assert_eq!(b.notice, Some(engine::mail::Notice::Delayed));
    assert_eq!(b.status.as_deref(), Some("4.7.0"));
    assert_eq!(b.original_message_id.as_deref(), Some("cad.7f3a9c21.0005@brightpath.example"));
}

#[test]
fn office_365_ndr() {
    check_bounce("exchange_ndr.eml", true, "lena.fischer@fabrikam.example", "5.1.10", "cad.7f3a9c21.0006@brightpath.example");
}

#[test]
fn qmail_failure_notice() {
    check_bounce("qmail.eml", true, "tom.baker@oakridge-supply.example", "5.1.1", "cad.7f3a9c21.0007@brightpath.example");
}

#[test]
fn exim_unknown_user_and_exim_full_mailbox() {
    check_bounce("exim.eml", true, "priya.nair@harbourlight.example", "5.1.1", "cad.7f3a9c21.0008@brightpath.example");
    let c = check("exim_quota.eml", Kind::Bounce);
    let b = c.bounce.unwrap();
    assert!(!b.hard, "a full mailbox is soft even in a 'permanent error'");
    assert_eq!(b.recipient.as_deref(), Some("sofia.rossi@vinicola-rossi.example"));
    assert_eq!(b.status, None);
    assert_eq!(b.original_message_id.as_deref(), Some("cad.7f3a9c21.0009@brightpath.example"));
}

// --- auto-replies ---------------------------------------------------------

#[test]
fn dovecot_sieve_vacation() {
    let c = check_auto_reply("dovecot_vacation.eml", Some("2026-12-03"));
    assert_eq!(c.evidence, "Auto-Submitted: auto-replied");
    assert_eq!(c.headers.in_reply_to, vec!["cad.7f3a9c21.0010@brightpath.example".to_string()]);
    assert_eq!(c.headers.from.as_deref(), Some("dana.whitfield@northgate-labs.example"));
}

#[test]
fn outlook_automatic_reply_reads_12_03_month_first_in_english() {
    check_auto_reply("ooo_en_outlook.eml", Some("2026-12-03"));
}

#[test]
fn english_out_of_office_from_subject_and_body_only() {
    let c = check_auto_reply("ooo_en_subject_only.eml", Some("2026-12-07"));
    assert_eq!(c.evidence, "subject says out of office (en)");
}

#[test]
fn german_abwesenheitsnotiz_without_headers() {
    let c = check_auto_reply("ooo_de_no_headers.eml", Some("2026-12-04"));
    assert_eq!(c.evidence, "subject says out of office (de)");
}

#[test]
fn french_spanish_portuguese_italian_dutch() {
    check_auto_reply("ooo_fr.eml", Some("2026-12-07"));
    let es = check_auto_reply("ooo_es.eml", Some("2026-12-09"));
    assert_eq!(es.evidence, "X-Autoreply: yes");
    let pt = check_auto_reply("ooo_pt.eml", Some("2026-12-10"));
    assert_eq!(pt.evidence, "Precedence: auto_reply");
    // Sent on 21 December: "7 gennaio" is next year's.
    let it = check_auto_reply("ooo_it.eml", Some("2027-01-07"));
    assert_eq!(it.evidence, "X-Autorespond");
    check_auto_reply("ooo_nl.eml", Some("2026-12-05"));
}

#[test]
fn auto_reply_without_a_date() {
    check_auto_reply("ooo_no_date.eml", None);
}

// --- people ---------------------------------------------------------------

#[test]
fn human_reply_quoting_our_opt_out_line_is_a_reply() {
    let c = check("reply_human.eml", Kind::Reply);
    let h = &c.headers;
    assert_eq!(h.from.as_deref(), Some("jane.doe@acme-widgets.example"));
    assert_eq!(h.to, vec!["alex.morgan@brightpath.example".to_string(), "rob.singh@acme-widgets.example".to_string()]);
    assert_eq!(h.message_id.as_deref(), Some("CAF=k3xq9Lr2+Zp@mail.gmail.example"));
    assert_eq!(h.references, vec!["cad.7f3a9c21.0001@brightpath.example".to_string()]);
    assert_eq!(h.subject.as_deref(), Some("Re: Quick question about Acme's Q1 hiring"));
    assert_eq!(h.date.unwrap().to_rfc3339(), "2026-11-25T16:44:19+00:00");
    // Outlook quotes without ">": the header block starts the original.
    check("reply_outlook_quote.eml", Kind::Reply);
}

#[test]
fn not_interested_right_now_is_a_reply() {
    check("not_interested_q3.eml", Kind::Reply);
}

#[test]
fn opt_outs_in_english_german_french_spanish() {
    let en = check("unsub_en.eml", Kind::Unsubscribe);
    assert_eq!(en.evidence, "asks to stop (\"remove me\")");
    let de = check("unsub_de.eml", Kind::Unsubscribe);
    assert_eq!(de.evidence, "asks to stop (\"bitte keine weiteren\", de)");
    check("unsub_fr.eml", Kind::Unsubscribe);
    check("unsub_es.eml", Kind::Unsubscribe);
}

#[test]
fn mail_to_the_unsubscribe_address_or_with_a_stop_subject() {
    let c = check("to_unsubscribe_address.eml", Kind::Unsubscribe);
    assert_eq!(c.evidence, "sent to the unsubscribe address");
    // Without knowing the address, the subject still says it.
    let c = classify(&fixture("to_unsubscribe_address.eml"), None, day("2026-11-24"));
    assert_eq!((c.kind, c.evidence.as_str()), (Kind::Unsubscribe, "subject is \"unsubscribe\""));
    check("subject_stop.eml", Kind::Unsubscribe);
}

/// A short message from a person, with extra headers and a body.
fn inline(extra_headers: &str, subject: &str, body: &str) -> Classified {
    let raw = format!(
        "From: Sam Lee <sam.lee@example.org>\nTo: alex.morgan@brightpath.example\nSubject: {subject}\nDate: Wed, 25 Nov 2026 10:00:00 +0000\nMessage-ID: <x1@example.org>\n{extra_headers}MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}"
    );
    classify(raw.as_bytes(), Some(UNSUBSCRIBE), day("2026-11-24"))
}

#[test]
fn own_text_decides_opt_outs_and_quoted_text_does_not() {
    use Kind::*;
    let quoted_en = "\n\nOn Tue, 24 Nov 2026 at 09:00, Alex Morgan <alex.morgan@brightpath.example> wrote:\n> Hi Sam,\n> Reply \"unsubscribe\" and I won't write again.\n";
    #[rustfmt::skip]
    let table: &[(&str, &str, Kind)] = &[
        ("Re: Quick question", "Not interested, please stop.", Unsubscribe),
        ("Re: Quick question", "Please stop by our booth at the expo next week.", Reply),
        ("Re: Quick question", "Non scrivermi più, grazie.", Unsubscribe),
        ("Re: Quick question", "Graag afmelden voor deze mails.", Unsubscribe),
        ("Re: Quick question", "Pode descadastrar meu e-mail, por favor?", Unsubscribe),
        ("Re: Quick question", "Take me off your list.", Unsubscribe),
        ("Re: Quick question", "Sounds good, talk Thursday.", Reply),
        ("Re: Kurze Frage", "Danke, klingt gut.\n\nAm Di., 24. Nov. 2026 um 09:00 Uhr schrieb Alex Morgan <alex.morgan@brightpath.example>:\n> Zum Abmelden einfach antworten.\n", Reply),
        ("Re: Une question", "Merci, rappelez-moi en mars.\n\nLe mar. 24 nov. 2026 à 09:00, Alex Morgan <alex.morgan@brightpath.example> a écrit :\nPour vous désinscrire, répondez simplement.\n", Reply),
        ("RE: Quick question", "Will do.\n\n-----Original Message-----\nFrom: Alex Morgan\nReply \"unsubscribe\" and I won't write again.\n", Reply),
        ("Re: Undeliverable: Quick question", "Your last note bounced, resending from my other address.", Reply),
        ("Unsubscribe", "", Unsubscribe),
        ("Re: Quick question", "Happy to talk!", Reply),
    ];
    for (subject, body, kind) in table {
        let body = if body.is_empty() { String::new() } else { format!("{body}{quoted_en}") };
        let c = inline("", subject, &body);
        assert_eq!(c.kind, *kind, "{subject} / {body}: {}", c.evidence);
    }
}

#[test]
fn headers_that_are_not_auto_reply_evidence() {
    let body = "Thanks, let's talk Thursday.";
    assert_eq!(inline("X-Auto-Response-Suppress: All\n", "Re: Quick question", body).kind, Kind::Reply);
    assert_eq!(inline("Auto-Submitted: no\n", "Re: Quick question", body).kind, Kind::Reply);
    assert_eq!(inline("Precedence: bulk\n", "Re: Quick question", body).kind, Kind::Reply);
    let c = inline("Auto-Submitted: auto-generated\n", "Your request was received", body);
    assert_eq!((c.kind, c.evidence.as_str()), (Kind::AutoReply, "Auto-Submitted: auto-generated"));
}

#[test]
fn kind_names_round_trip() {
    for k in [Kind::Bounce, Kind::AutoReply, Kind::Unsubscribe, Kind::Reply] {
        assert_eq!(Kind::parse(k.as_str()), Some(k));
    }
    assert_eq!(Kind::AutoReply.as_str(), "auto_reply");
    assert_eq!(Kind::parse("auto-reply"), None);
}

// --- return dates ---------------------------------------------------------

#[test]
fn return_dates() {
    let reference = day("2026-11-24");
    #[rustfmt::skip]
    let table: &[(&str, Option<Lang>, Option<&str>)] = &[
        ("I am out of the office until 2026-12-03.", None, Some("2026-12-03")),
        ("Back on 12/03/2026.", Some(Lang::En), Some("2026-12-03")),
        ("I'm away until 25/12/2026.", Some(Lang::En), Some("2026-12-25")),
        ("Ich bin bis 03.12.2026 nicht im Büro.", Some(Lang::De), Some("2026-12-03")),
        ("Ich bin bis 03/12/2026 nicht im Büro.", Some(Lang::De), Some("2026-12-03")),
        ("Ich bin ab dem 3.12. wieder im Büro.", Some(Lang::De), Some("2026-12-03")),
        ("Ich bin vom 1.12. bis 4.12. im Urlaub.", Some(Lang::De), Some("2026-12-04")),
        ("Ab 3. Dezember bin ich wieder da.", None, Some("2026-12-03")),
        ("I'm out until December 3rd.", None, Some("2026-12-03")),
        ("Out from 1 December until Thursday, 3 December 2026.", None, Some("2026-12-03")),
        ("Back on Dec. 3, 2026", None, Some("2026-12-03")),
        ("Je suis absent jusqu'au 3 décembre.", None, Some("2026-12-03")),
        ("De retour le 1er décembre.", None, Some("2026-12-01")),
        ("Estaré fuera de la oficina hasta el 3 de diciembre.", None, Some("2026-12-03")),
        ("Estarei ausente até 3 de dezembro de 2026.", None, Some("2026-12-03")),
        ("Sarò fuori ufficio fino al 3 dicembre.", None, Some("2026-12-03")),
        ("Ik ben afwezig tot 3 december.", None, Some("2026-12-03")),
        ("Ik ben afwezig tot 03-12-2026.", Some(Lang::Nl), Some("2026-12-03")),
        // A past day without a year is next year's.
        ("Back on 20 November.", None, Some("2027-11-20")),
        ("Back on January 4", None, Some("2027-01-04")),
        // Keyword-free: the first full date.
        ("Returning to the office: Dec 3.", None, Some("2026-12-03")),
        ("Abwesend: 01.12.2026 - 04.12.2026", Some(Lang::De), Some("2026-12-04")),
        ("Away 1-4 December 2026.", None, Some("2026-12-04")),
        // Times, versions, phone numbers and "24/7" are not dates.
        ("Call me on +49 30 1234-5678 any time, 24/7 support.", None, None),
        ("Office hours 9.30 to 17.00, release 10.2.3.4.", None, None),
        ("I am out of the office with limited access to email.", None, None),
        ("Back on 31/02/2026.", Some(Lang::En), None),
    ];
    for (text, lang, expect) in table {
        assert_eq!(dates::return_date(text, *lang, reference), expect.map(day), "{text}");
    }
}

// --- never panics ---------------------------------------------------------

#[test]
fn garbage_and_truncated_messages_never_panic() {
    let empty = classify(b"", Some(UNSUBSCRIBE), day("2026-11-24"));
    assert_eq!((empty.kind, empty.evidence.as_str()), (Kind::Reply, "unparseable"));

    let dir = format!("{}/tests/mail", env!("CARGO_MANIFEST_DIR"));
    let mut fixtures: Vec<Vec<u8>> = std::fs::read_dir(&dir).unwrap().map(|e| std::fs::read(e.unwrap().path()).unwrap()).collect();
    assert!(fixtures.len() >= 25);
    // A deterministic xorshift, so a failure reproduces.
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut rand = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for raw in &fixtures {
        for cut in (0..raw.len()).step_by(37) {
            classify(&raw[..cut], Some(UNSUBSCRIBE), day("2026-11-24"));
        }
    }
    for raw in fixtures.iter_mut() {
        for _ in 0..40 {
            let mut m = raw.clone();
            for _ in 0..8 {
                let i = (rand() as usize) % m.len();
                m[i] = match rand() % 4 {
                    0 => rand() as u8,
                    1 => b'\n',
                    2 => b'@',
                    _ => 0xc3,
                };
            }
            classify(&m, Some(UNSUBSCRIBE), day("2026-11-24"));
        }
    }
    for len in [1usize, 2, 7, 64, 513, 4096] {
        for _ in 0..50 {
            let bytes: Vec<u8> = (0..len).map(|_| rand() as u8).collect();
            classify(&bytes, None, day("2026-11-24"));
        }
    }
}

#[test]
fn reports_are_told_from_bounces_in_words() {
    for name in ["postfix_unknown_user.eml", "dsn_delayed.eml", "dsn_mailbox_full_522.eml"] {
        assert!(run(name).bounce.unwrap().report, "{name} is a multipart/report");
    }
    for name in ["exim.eml", "qmail.eml", "gmail_address_not_found.eml"] {
        assert!(!run(name).bounce.unwrap().report, "{name} is a bounce in words");
    }
}
