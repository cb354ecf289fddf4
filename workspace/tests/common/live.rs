//! For the live tests against the test mail servers: events waited for in
//! order, and a prospect's reply delivered through Postfix on loopback.

use std::path::Path;
use std::time::{Duration, Instant};

use workspace::{Event, Workspace};

use super::Host;

/// Points the mailbox at the loopback test servers (scripts/mail-server):
/// sending as `address`, logging in as rep@example.test, no spacing.
pub fn use_test_servers(ws: &Workspace, address: &str) {
    let ca = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/mail-server/tls/ca.pem");
    assert!(ca.exists(), "the test mail servers run (scripts/mail-server start)");
    for (k, v) in [
        ("address", address),
        ("username", "rep@example.test"),
        ("smtp_host", "127.0.0.1"),
        ("smtp_port", "1587"),
        ("smtp_security", "starttls"),
        ("imap_host", "127.0.0.1"),
        ("imap_port", "1993"),
        ("imap_security", "tls"),
        ("ca_file", ca.to_str().unwrap()),
        ("spacing_s", "0"),
        ("jitter_pct", "0"),
    ] {
        ws.set_mailbox(k, v).unwrap();
    }
}

/// Events as they come, read in order: each wait starts after the event
/// the last one matched.
#[derive(Default)]
pub struct Seen {
    pub all: Vec<Event>,
    next: usize,
}

/// Waits (up to 45 s) for an event `done` accepts.
pub fn wait_for(h: &Host, what: &str, seen: &mut Seen, mut done: impl FnMut(&Event) -> bool) {
    let until = Instant::now() + Duration::from_secs(45);
    loop {
        seen.all.extend(h.events());
        while seen.next < seen.all.len() {
            seen.next += 1;
            if done(&seen.all[seen.next - 1]) {
                return;
            }
        }
        assert!(Instant::now() < until, "no {what} within 45 s; events: {:?}", seen.all);
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// `who` answers the email with `message_id`: delivered to the rep's
/// mailbox through Postfix's port without login (1025).
pub fn reply(rt: &tokio::runtime::Runtime, who: &str, message_id: &str, body: &str) {
    let reply = lettre::Message::builder()
        .from(who.parse::<lettre::message::Mailbox>().unwrap())
        .to("rep@example.test".parse::<lettre::message::Mailbox>().unwrap())
        .subject("Re: A question for Harbor Labs")
        .in_reply_to(message_id.to_string())
        .references(message_id.to_string())
        .body(body.to_string())
        .unwrap();
    let smtp = lettre::AsyncSmtpTransport::<lettre::Tokio1Executor>::builder_dangerous("127.0.0.1")
        .port(1025)
        .tls(lettre::transport::smtp::client::Tls::None)
        .build();
    rt.block_on(lettre::AsyncTransport::send(&smtp, reply)).unwrap();
}
