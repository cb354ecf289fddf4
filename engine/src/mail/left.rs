//! "Left the company" replies: an automatic answer saying the person no
//! longer works there, often naming who to write to instead. The sequence
//! ends and the named person becomes a warm referral.

use super::bounce::addresses;
use super::patterns::{Lang, Patterns};
use Lang::*;

/// Phrases saying the person has left (lower-case, at a word start; for
/// Japanese anywhere).
pub(crate) static LEFT: Patterns = Patterns::new(&[
    (En, "no longer with"),
    (En, "no longer work"),
    (En, "no longer employed"),
    (En, "no longer part of"),
    (En, "no longer at "),
    (En, "has left the company"),
    (En, "has left the organi"),
    (En, "has left our"),
    (En, "have left the company"),
    (En, "have left the organi"),
    (En, "i've left the company"),
    (En, "left the company"),
    (En, "left the business"),
    (En, "has moved on from"),
    (En, "has left "),
    (En, "have left "),
    (En, "i retired"),
    (En, "i have retired"),
    (En, "has now retired"),
    (En, "has retired"),
    (En, "have retired"),
    (En, "i've retired"),
    (En, "is no longer employed"),
    (De, "nicht mehr im unternehmen"),
    (De, "nicht mehr bei"),
    (De, "nicht mehr für"),
    (De, "nicht mehr tätig"),
    (De, "nicht mehr in unserem unternehmen"),
    (De, "das unternehmen verlassen"),
    (De, "unser unternehmen verlassen"),
    (De, "ausgeschieden"),
    (De, "verlassen"),
    (De, "in den ruhestand"),
    (De, "im ruhestand"),
    (Fr, "ne fait plus partie"),
    (Fr, "ne fais plus partie"),
    (Fr, "à la retraite"),
    (Fr, "ne travaille plus"),
    (Fr, "a quitté"),
    (Fr, "ai quitté"),
    (Fr, "n'est plus en poste"),
    (Fr, "n'est plus au sein"),
    (Fr, "n'est plus chez"),
    (Fr, "n'est plus employé"),
    (Fr, "ne suis plus"),
    (Fr, "pris sa retraite"),
    (Fr, "pris ma retraite"),
    (Es, "ya no trabaja"),
    (Es, "ya no trabajo"),
    (Es, "ya no forma parte"),
    (Es, "ya no formo parte"),
    (Es, "ya no pertenece"),
    (Es, "ya no está en"),
    (Es, "ha dejado la empresa"),
    (Es, "dejó la empresa"),
    (Es, "ha dejado de trabajar"),
    (Es, "se ha jubilado"),
    (Es, "se jubiló"),
    (Pt, "não trabalha mais"),
    (Pt, "não trabalho mais"),
    (Pt, "já não trabalha"),
    (Pt, "não faz mais parte"),
    (Pt, "não faço mais parte"),
    (Pt, "deixou a empresa"),
    (Pt, "saiu da empresa"),
    (Pt, "deixei a empresa"),
    (Pt, "não está mais"),
    (Pt, "não pertence mais"),
    (Pt, "se aposentou"),
    (Pt, "não se encontra ao serviço"),
    (Pt, "já não se encontra"),
    (Pt, "deixou de fazer parte"),
    (Pt, "deixou de trabalhar"),
    (It, "non lavora più"),
    (It, "non lavoro più"),
    (It, "non fa più parte"),
    (It, "non faccio più parte"),
    (It, "ha lasciato"),
    (It, "ho lasciato"),
    (It, "non è più"),
    (It, "non collabora più"),
    (It, "in pensione"),
    (Nl, "niet meer werkzaam"),
    (Nl, "niet langer werkzaam"),
    (Nl, "niet meer in dienst"),
    (Nl, "niet langer in dienst"),
    (Nl, "uit dienst"),
    (Nl, "het bedrijf verlaten"),
    (Nl, "met pensioen"),
    (Sv, "har slutat"),
    (Sv, "slutat på"),
    (Sv, "slutat sin anställning"),
    (Sv, "arbetar inte längre"),
    (Sv, "jobbar inte längre"),
    (Sv, "inte längre anställd"),
    (Sv, "har lämnat"),
    (Sv, "avslutat min anställning"),
    (Sv, "avslutat sin anställning"),
    (Sv, "gått i pension"),
    (Da, "er stoppet"),
    (Da, "er fratrådt"),
    (Da, "fratrådt"),
    (Da, "har forladt"),
    (Da, "arbejder ikke længere"),
    (Da, "ikke længere ansat"),
    (Da, "er ikke længere"),
    (Da, "gået på pension"),
    (Nb, "har sluttet"),
    (Nb, "sluttet i"),
    (Nb, "jobber ikke lenger"),
    (Nb, "arbeider ikke lenger"),
    (Nb, "ikke lenger ansatt"),
    (Nb, "er ikke lenger"),
    (Nb, "har forlatt"),
    (Nb, "gått av med pensjon"),
    (Fi, "ei enää työskentele"),
    (Fi, "työskentele enää"),
    (Fi, "enää töissä"),
    (Fi, "en enää työskentele"),
    (Fi, "ei ole enää"),
    (Fi, "ei enää ole"),
    (Fi, "en ole enää"),
    (Fi, "on lopettanut"),
    (Fi, "olen lopettanut"),
    (Fi, "lopettanut työskentelyn"),
    (Fi, "siirtynyt eläkkeelle"),
    (Fi, "jäänyt eläkkeelle"),
    (Fi, "on siirtynyt muualle"),
    (Fi, "on siirtynyt toisen"),
    (Fi, "on siirtynyt uusiin"),
    (Pl, "nie pracuje już"),
    (Pl, "już nie pracuje"),
    (Pl, "nie pracuję już"),
    (Pl, "już nie pracuję"),
    (Pl, "odszedł z"),
    (Pl, "odeszła z"),
    (Pl, "nie jest już"),
    (Pl, "zakończył współpracę"),
    (Pl, "zakończyła współpracę"),
    (Pl, "zakończyłem współpracę"),
    (Pl, "zakończyłam współpracę"),
    (Pl, "przeszedł na emeryturę"),
    (Pl, "przeszła na emeryturę"),
    (Ja, "退職"),
    (Ja, "退社いたしました"),
    (Ja, "退社しました"),
    (Ja, "在籍しておりません"),
    (Ja, "在籍していません"),
]);

/// Words of an automatic message (for a note with no auto-reply header or
/// subject, which is how some systems answer for a closed mailbox).
const AUTOMATIC: &[&str] = &[
    "automatic",
    "automated",
    "automatisch",
    "automatique",
    "automático",
    "automática",
    "automatico",
    "automatiskt",
    "automatisk",
    "automaattinen",
    "automatyczn",
    "自動",
    "this mailbox",
    "diese e-mail-adresse",
    "diese adresse",
    "cette adresse",
    "esta dirección",
    "este endereço",
    "questo indirizzo",
    "dit e-mailadres",
    "deze mailbox",
    "niet meer in gebruik",
    "den här e-postadressen",
    "denna e-postadress",
    "denne e-mailadresse",
    "denne e-postadressen",
    "tämä sähköpostiosoite",
    "tätä sähköpostiosoitetta",
    "ten adres",
    "このメールアドレス",
    "this address",
    "this e-mail address",
    "this email address",
    "no longer monitored",
    "not monitored",
    "thank you for your",
    "thanks for your",
    "vielen dank für ihre",
    "danke für ihre",
    "merci pour votre",
    "merci de votre",
    "gracias por su",
    "gracias por tu",
    "obrigado pel",
    "grazie per",
    "bedankt voor",
    "tack för",
    "tak for",
    "takk for",
    "kiitos",
    "dziękuję za",
    "dziękujemy za",
    "ありがとうございます",
    "お問い合わせ",
];

/// How far into a message's own text the phrase may be.
const OWN_TEXT_LOOK: usize = 2000;

/// The phrase saying the person left, when `own` (lower-case) says so.
/// `auto`: the message is an automatic reply by its headers or subject.
pub(crate) fn detect(own: &str, auto: bool) -> Option<(&'static str, Lang)> {
    let head = super::classify::capped(own, OWN_TEXT_LOOK).replace('\n', " ");
    let (_, lang, pat) = earliest_left(&head)?;
    (auto || AUTOMATIC.iter().any(|w| head.contains(w))).then_some((pat, lang))
}

/// Look-alikes of a "has left" phrase that are about the day, not the job.
const LEFT_NOT: &[&str] = &[
    "has left the office",
    "have left the office",
    "has left for",
    "have left for",
    "has left early",
    "have left early",
    "has left on",
    "have left on",
];

fn earliest_left(text: &str) -> Option<(usize, Lang, &'static str)> {
    let mut from = 0;
    loop {
        let (at, lang, pat) = LEFT.earliest(&text[from..])?;
        let at = from + at;
        if !LEFT_NOT.iter().any(|n| text[at..].starts_with(n)) {
            return Some((at, lang, pat));
        }
        from = at + pat.len();
    }
}

/// Local parts of role mailboxes: not a person to write to.
const ROLES: &[&str] = &[
    "info",
    "sales",
    "support",
    "office",
    "kontakt",
    "contact",
    "contacto",
    "contato",
    "contatti",
    "hello",
    "hallo",
    "hej",
    "admin",
    "service",
    "team",
    "mail",
    "post",
    "postmaster",
    "reception",
    "empfang",
    "hr",
    "jobs",
    "noreply",
    "no-reply",
    "billing",
    "help",
    "vertrieb",
    "verkauf",
    "ventas",
    "vendas",
    "vendite",
    "ventes",
    "myynti",
    "sprzedaz",
    "biuro",
    "toimisto",
    "kundeservice",
    "kundservice",
    "kundenservice",
    "customerservice",
    "enquiries",
    "inquiries",
    "general",
    "welcome",
    "marketing",
];

/// The person a left-the-company note names, when it names a person (not a
/// role mailbox, not the sender).
pub(crate) fn referral(body: &str, own: &str, from: Option<&str>) -> Option<super::classify::Referral> {
    let email = addresses(own).find(|a| {
        let local = a.split('@').next().unwrap_or("");
        Some(*a) != from && !ROLES.contains(&local) && !local.starts_with("info") && !local.ends_with("-info")
    })?;
    let name = name_before(body, email).or_else(|| name_from_address(email));
    Some(super::classify::Referral { email: email.to_string(), name })
}

/// "Maria Lopez" from "please contact Maria Lopez (maria.lopez@...)".
fn name_before(body: &str, email: &str) -> Option<String> {
    let lower = body.to_lowercase();
    // Lower-casing can move byte offsets for some scripts: find the line instead.
    let line = body.lines().zip(lower.lines()).find(|(_, l)| l.contains(email))?.0;
    let at = line.to_lowercase().find(email).filter(|&i| line.is_char_boundary(i))?;
    let before = line[..at].trim_end().trim_end_matches(['(', '<', '[', ',', ':', '-', '–', '（', '＜', '、', ' ']).trim_end();
    // Japanese: the name run right before the bracket ("後任の山田（…）").
    let tail: String =
        before.chars().rev().take_while(|c| !c.is_ascii() && *c != 'の' && *c != '、' && *c != '。' && !c.is_whitespace()).collect();
    if !tail.is_empty() && before.chars().next_back().is_some_and(|c| !c.is_ascii()) {
        let name: String = tail.chars().rev().collect();
        return (name.chars().count() <= 8).then_some(name);
    }
    let words: Vec<&str> = before.split_whitespace().collect();
    let mut name: Vec<&str> = words
        .iter()
        .rev()
        .take_while(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\''))
        .take(3)
        .copied()
        .collect();
    name.reverse();
    (name.len() >= 2).then(|| name.join(" "))
}

/// "maria.lopez@..." → "Maria Lopez".
fn name_from_address(email: &str) -> Option<String> {
    let local = email.split('@').next()?;
    let parts: Vec<String> = local
        .split(['.', '_', '-'])
        .filter(|p| p.len() > 1 && p.chars().all(char::is_alphabetic))
        .map(|p| {
            let mut c = p.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
        })
        .collect();
    (parts.len() >= 2).then(|| parts.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_referral_is_a_person_with_their_name() {
        let body = "Jane has left the company. Please contact Maria Lopez (maria.lopez@acme.example) instead.";
        let own = body.to_lowercase();
        let r = referral(body, &own, Some("jane@acme.example")).unwrap();
        assert_eq!(r.email, "maria.lopez@acme.example");
        assert_eq!(r.name.as_deref(), Some("Maria Lopez"));
        let generic = "Jane has left. Write to info@acme.example.";
        assert_eq!(referral(generic, &generic.to_lowercase(), None), None);
        let bare = "Er ist ausgeschieden, bitte an jan.becker@acme.example.";
        assert_eq!(referral(bare, &bare.to_lowercase(), None).unwrap().name.as_deref(), Some("Jan Becker"));
    }

    #[test]
    fn a_person_mentioning_a_departure_in_a_reply_is_not_an_auto_reply() {
        assert!(detect("john has left the company; i took over his accounts. happy to talk.", false).is_none());
        assert!(detect("thank you for your email. john has left the company.", false).is_some());
        assert!(detect("john has left the company.", true).is_some());
    }
}
