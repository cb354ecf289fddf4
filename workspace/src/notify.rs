//! Desktop notifications: mail that changed a sequence (a reply stopped it,
//! an out-of-office paused it, someone left or unsubscribed) is worth
//! telling the rep about while Cadence is in the background. The front end
//! shows them; this decides which and in what words.

use dto::{InboundDto, NoticeDto};

/// The longest preview of what the person wrote.
const PREVIEW: usize = 140;

/// The notification for this message, if it changed a sequence.
pub fn for_inbound(m: &InboundDto) -> Option<NoticeDto> {
    m.prospect_id?;
    let changed = ["stopped", "paused", "marked"].iter().any(|w| m.action.starts_with(w));
    if !changed {
        return None;
    }
    let who = match (&m.prospect_name, &m.prospect_company) {
        (Some(n), Some(c)) if !c.is_empty() => format!("{n} · {c}"),
        (Some(n), _) => n.clone(),
        _ => m.prospect_email.clone().or_else(|| m.from.clone()).unwrap_or_default(),
    };
    let title = match m.kind.as_str() {
        "reply" => format!("Reply from {who}"),
        "auto_reply" => format!("Out of office: {who}"),
        "left_company" => format!("Left the company: {who}"),
        "unsubscribe" => format!("Unsubscribed: {who}"),
        _ => return None,
    };
    let mut body = capitalised(&m.action);
    body.push('.');
    if m.kind == "reply" {
        if let Some(line) = m.text.as_deref().and_then(|t| t.lines().map(str::trim).find(|l| !l.is_empty())) {
            body.push_str("\n“");
            body.push_str(&preview(line));
            body.push('”');
        }
    }
    Some(NoticeDto { title: plain(&title), body: plain(&body), prospect_id: m.prospect_id })
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

fn preview(line: &str) -> String {
    if line.chars().count() <= PREVIEW {
        return line.to_string();
    }
    let cut: String = line.chars().take(PREVIEW - 1).collect();
    format!("{}…", cut.trim_end())
}

/// Text from outside (names, what a person wrote) as the notification server
/// takes it: notification servers read `<b>`, `<a href>` and entities in a
/// body, so those characters are escaped, and control characters dropped.
fn plain(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\n' => out.push('\n'),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inbound(kind: &str, action: &str, text: Option<&str>) -> InboundDto {
        InboundDto {
            id: 1,
            kind: kind.into(),
            corrected: false,
            from: Some("ana@quarrygrid.example".into()),
            subject: Some("Re: pipeline".into()),
            received_at: "2026-11-24T15:00:00Z".into(),
            prospect_id: Some(7),
            prospect_email: Some("ana@quarrygrid.example".into()),
            touch_id: Some(3),
            action: action.into(),
            evidence: None,
            return_date: None,
            bounce_status: None,
            bounce_reason: None,
            bounce_reason_label: None,
            bounce_fault: None,
            bounce_said: None,
            notice: None,
            referral: None,
            referral_prospect_id: None,
            sentiment: None,
            keep: None,
            text: text.map(str::to_string),
            prospect_name: Some("Ana Costa".into()),
            prospect_company: Some("Quarrygrid".into()),
            answers_subject: None,
        }
    }

    #[test]
    fn a_reply_that_stopped_a_sequence_is_told_with_its_first_line() {
        let n =
            for_inbound(&inbound("reply", "stopped 1 sequence", Some("\nSure, <b>Thursday</b> works & I'll bring Tom.\n\nAna"))).unwrap();
        assert_eq!(n.title, "Reply from Ana Costa · Quarrygrid");
        assert_eq!(n.body, "Stopped 1 sequence.\n“Sure, &lt;b&gt;Thursday&lt;/b&gt; works &amp; I'll bring Tom.”");
        assert_eq!(n.prospect_id, Some(7));
    }

    #[test]
    fn an_out_of_office_that_paused_is_told_and_what_changed_nothing_is_not() {
        let n = for_inbound(&inbound("auto_reply", "paused 1 sequence until 2026-12-01 (the return date given)", None)).unwrap();
        assert_eq!(n.title, "Out of office: Ana Costa · Quarrygrid");
        assert!(n.body.starts_with("Paused 1 sequence until 2026-12-01"));
        assert!(for_inbound(&inbound("reply", "nothing: not about a sequence", None)).is_none());
        assert!(for_inbound(&inbound("bounce", "marked ana@quarrygrid.example invalid", None)).is_none());
        let mut stranger = inbound("reply", "stopped 1 sequence", None);
        stranger.prospect_id = None;
        assert!(for_inbound(&stranger).is_none());
    }

    #[test]
    fn a_long_first_line_is_cut() {
        let long = "word ".repeat(60);
        let n = for_inbound(&inbound("reply", "stopped 1 sequence", Some(&long))).unwrap();
        let quoted = n.body.split('“').nth(1).unwrap();
        assert!(quoted.chars().count() <= PREVIEW + 1 && quoted.ends_with("…”"), "{quoted}");
    }
}
