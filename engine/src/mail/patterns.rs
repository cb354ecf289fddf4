//! Language patterns: out-of-office and opt-out phrases in the seven
//! languages Cadence reads (en, de, fr, es, pt, it, nl), and the split of a
//! message's own text from the original it quotes.
//!
//! Every pattern is lower-case and is matched against text passed through
//! [`lower`], at the start of a word.

/// A language the patterns know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    De,
    Fr,
    Es,
    Pt,
    It,
    Nl,
    Sv,
    Da,
    Nb,
    Fi,
    Pl,
    Ja,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::De => "de",
            Lang::Fr => "fr",
            Lang::Es => "es",
            Lang::Pt => "pt",
            Lang::It => "it",
            Lang::Nl => "nl",
            Lang::Sv => "sv",
            Lang::Da => "da",
            Lang::Nb => "nb",
            Lang::Fi => "fi",
            Lang::Pl => "pl",
            Lang::Ja => "ja",
        }
    }
}

use std::sync::OnceLock;

use Lang::*;

/// Subjects of out-of-office replies ("Automatic reply: <our subject>").
pub(crate) static OOO_SUBJECT: Patterns = Patterns::new(&[
    (En, "out of office"),
    (En, "out of the office"),
    (En, "automatic reply"),
    (En, "auto reply"),
    (En, "auto-reply"),
    (En, "autoreply"),
    (En, "auto response"),
    (En, "automatic response"),
    (En, "away from the office"),
    (En, "on vacation"),
    (En, "on holiday"),
    (En, "on leave"),
    (De, "abwesenheitsnotiz"),
    (De, "automatische antwort"),
    (De, "abwesenheit"),
    (De, "abwesend"),
    (De, "nicht im büro"),
    (De, "außer haus"),
    (De, "im urlaub"),
    (Fr, "réponse automatique"),
    (Fr, "reponse automatique"),
    (Fr, "absence du bureau"),
    (Fr, "message d'absence"),
    (Fr, "absent du bureau"),
    (Fr, "absente du bureau"),
    (Fr, "en congé"),
    (Es, "respuesta automática"),
    (Es, "respuesta automatica"),
    (Es, "fuera de la oficina"),
    (Es, "de vacaciones"),
    (Pt, "resposta automática"),
    (Pt, "resposta automatica"),
    (Pt, "ausente do escritório"),
    (Pt, "fora do escritório"),
    (Pt, "de férias"),
    (It, "risposta automatica"),
    (It, "fuori ufficio"),
    (It, "fuori sede"),
    (It, "in ferie"),
    (Nl, "automatisch antwoord"),
    (Nl, "afwezigheidsbericht"),
    (Nl, "afwezig"),
    (Nl, "niet op kantoor"),
    (Nl, "met vakantie"),
    (Sv, "automatiskt svar"),
    (Sv, "frånvaro"),
    (Sv, "frånvarande"),
    (Sv, "ej på kontoret"),
    (Sv, "inte på kontoret"),
    (Sv, "på semester"),
    (Sv, "semester"),
    (Da, "automatisk svar"),
    (Da, "fravær"),
    (Da, "fraværende"),
    (Da, "ikke på kontoret"),
    (Da, "på ferie"),
    (Da, "ferie"),
    (Nb, "automatisk svar"),
    (Nb, "fravær"),
    (Nb, "fraværende"),
    (Nb, "ikke på kontoret"),
    (Nb, "på ferie"),
    (Nb, "ferie"),
    (Fi, "automaattinen vastaus"),
    (Fi, "poissa toimistolta"),
    (Fi, "poissaolo"),
    (Fi, "poissa"),
    (Fi, "lomalla"),
    (Fi, "lomailen"),
    (Pl, "automatyczna odpowiedź"),
    (Pl, "automatyczna odpowiedz"),
    (Pl, "nieobecność"),
    (Pl, "nieobecnosc"),
    (Pl, "poza biurem"),
    (Pl, "urlop"),
    (Ja, "自動応答"),
    (Ja, "自動返信"),
    (Ja, "不在通知"),
    (Ja, "不在のお知らせ"),
    (Ja, "不在"),
    (Ja, "休暇"),
]);

/// Phrases in the body of an out-of-office reply. Deliberately first-person
/// and specific: "I'm away next week, let's talk after" in a human reply is
/// not enough, "I am out of the office until" is.
pub(crate) static OOO_BODY: Patterns = Patterns::new(&[
    (En, "i am out of the office"),
    (En, "i'm out of the office"),
    (En, "i am currently out of the office"),
    (En, "i'm currently out of the office"),
    (En, "i am out of office"),
    (En, "i'm out of office"),
    (En, "i will be out of the office"),
    (En, "i'll be out of the office"),
    (En, "i am currently away"),
    (En, "i'm currently away"),
    (En, "i am away from the office"),
    (En, "i am on vacation"),
    (En, "i'm on vacation"),
    (En, "i am on holiday"),
    (En, "i'm on holiday"),
    (En, "i am on annual leave"),
    (En, "i'm on annual leave"),
    (En, "i am on leave"),
    (En, "i'm on leave"),
    (En, "with limited access to email"),
    (En, "with limited access to my email"),
    (En, "this is an automatic reply"),
    (En, "this is an automated reply"),
    (En, "this is an automated response"),
    (De, "ich bin bis"),
    (De, "nicht im büro"),
    (De, "außer haus"),
    (De, "ich bin derzeit nicht"),
    (De, "ich bin zurzeit nicht"),
    (De, "ich bin momentan nicht"),
    (De, "ich bin im urlaub"),
    (De, "bin ich nicht im büro"),
    (De, "bin ich wieder erreichbar"),
    (De, "bin ich wieder im büro"),
    (De, "dies ist eine automatische antwort"),
    (Fr, "je suis absent"),
    (Fr, "je suis absente"),
    (Fr, "je serai absent"),
    (Fr, "je serai absente"),
    (Fr, "absent du bureau"),
    (Fr, "absente du bureau"),
    (Fr, "je suis en congé"),
    (Fr, "je suis en vacances"),
    (Fr, "ceci est une réponse automatique"),
    (Es, "estaré fuera de la oficina"),
    (Es, "estoy fuera de la oficina"),
    (Es, "me encuentro fuera de la oficina"),
    (Es, "estoy de vacaciones"),
    (Es, "estaré de vacaciones"),
    (Es, "estaré ausente"),
    (Es, "estoy ausente"),
    (Es, "esta es una respuesta automática"),
    (Pt, "estarei ausente"),
    (Pt, "estou ausente"),
    (Pt, "fora do escritório"),
    (Pt, "ausente do escritório"),
    (Pt, "estou de férias"),
    (Pt, "estarei de férias"),
    (Pt, "esta é uma resposta automática"),
    (It, "sarò fuori ufficio"),
    (It, "sono fuori ufficio"),
    (It, "sarò assente"),
    (It, "sono assente"),
    (It, "sono in ferie"),
    (It, "sarò in ferie"),
    (It, "questa è una risposta automatica"),
    (Nl, "ik ben afwezig"),
    (Nl, "ben ik afwezig"),
    (Nl, "ik ben niet aanwezig"),
    (Nl, "ik ben met vakantie"),
    (Nl, "ben ik niet op kantoor"),
    (Nl, "ik ben niet op kantoor"),
    (Nl, "dit is een automatisch antwoord"),
    (Sv, "jag är på semester"),
    (Sv, "jag är ledig"),
    (Sv, "jag är borta"),
    (Sv, "jag är tjänstledig"),
    (Sv, "jag är föräldraledig"),
    (Sv, "jag är inte på kontoret"),
    (Sv, "jag är frånvarande"),
    (Sv, "är jag ledig"),
    (Sv, "är jag på semester"),
    (Sv, "är jag inte på kontoret"),
    (Sv, "är jag borta"),
    (Sv, "är jag frånvarande"),
    (Sv, "jag har semester"),
    (Sv, "har jag semester"),
    (Sv, "detta är ett automatiskt svar"),
    (Da, "jeg er på ferie"),
    (Da, "jeg holder ferie"),
    (Da, "jeg er fraværende"),
    (Da, "jeg er ikke på kontoret"),
    (Da, "jeg er ude af kontoret"),
    (Da, "er jeg på ferie"),
    (Da, "er jeg fraværende"),
    (Da, "er jeg ikke på kontoret"),
    (Da, "holder jeg ferie"),
    (Da, "jeg har ferie"),
    (Da, "har jeg ferie"),
    (Da, "dette er et automatisk svar"),
    (Nb, "jeg er på ferie"),
    (Nb, "jeg er fraværende"),
    (Nb, "jeg er borte"),
    (Nb, "jeg er ikke på kontoret"),
    (Nb, "jeg er ute av kontoret"),
    (Nb, "er jeg på ferie"),
    (Nb, "er jeg fraværende"),
    (Nb, "er jeg borte"),
    (Nb, "er jeg ikke på kontoret"),
    (Nb, "jeg har ferie"),
    (Nb, "har jeg ferie"),
    (Nb, "dette er et automatisk svar"),
    (Fi, "olen lomalla"),
    (Fi, "olen poissa"),
    (Fi, "olen vuosilomalla"),
    (Fi, "olen talvilomalla"),
    (Fi, "olen kesälomalla"),
    (Fi, "olen matkoilla"),
    (Fi, "olen työmatkalla"),
    (Fi, "olen koulutuksessa"),
    (Fi, "olen estynyt"),
    (Fi, "tämä on automaattinen vastaus"),
    (Fi, "palaan toimistolle"),
    (Fi, "palaan töihin"),
    (Pl, "jestem na urlopie"),
    (Pl, "przebywam na urlopie"),
    (Pl, "jestem nieobecny"),
    (Pl, "jestem nieobecna"),
    (Pl, "będę nieobecny"),
    (Pl, "będę nieobecna"),
    (Pl, "będę niedostępny"),
    (Pl, "będę niedostępna"),
    (Pl, "jestem niedostępny"),
    (Pl, "jestem niedostępna"),
    (Pl, "jestem poza biurem"),
    (Pl, "przebywam poza biurem"),
    (Pl, "to jest automatyczna odpowiedź"),
    (Pl, "wiadomość wygenerowana automatycznie"),
    (Ja, "不在にしております"),
    (Ja, "不在にしています"),
    (Ja, "休暇をいただいております"),
    (Ja, "休暇を取得しております"),
    (Ja, "休暇中"),
    (Ja, "出張中"),
    (Ja, "自動返信"),
    (Ja, "自動応答"),
    (Ja, "不在"),
]);

/// Subjects that are, on their own (after "Re:" and punctuation), a request
/// to stop.
pub(crate) const UNSUB_SUBJECT: &[&str] = &[
    "unsubscribe",
    "unsubscribe me",
    "remove",
    "remove me",
    "stop",
    "opt out",
    "opt-out",
    "abmelden",
    "austragen",
    "désinscrire",
    "désinscription",
    "désabonner",
    "baja",
    "darme de baja",
    "descadastrar",
    "cancellami",
    "disiscrivimi",
    "afmelden",
    "uitschrijven",
];

/// Phrases in a message's own text that ask us to stop writing.
pub(crate) static UNSUB_BODY: Patterns = Patterns::new(&[
    (En, "unsubscribe"),
    (En, "remove me"),
    (En, "remove my email"),
    (En, "remove my address"),
    (En, "take me off"),
    (En, "stop emailing"),
    (En, "stop e-mailing"),
    (En, "stop sending"),
    (En, "stop contacting"),
    (En, "stop writing"),
    (En, "don't contact me"),
    (En, "do not contact me"),
    (En, "don't email me"),
    (En, "do not email me"),
    (En, "don't e-mail me"),
    (En, "do not e-mail me"),
    (En, "don't write to me"),
    (En, "no more emails"),
    (En, "opt me out"),
    (En, "not interested, please stop"),
    (En, "please stop"),
    (De, "abmelden"),
    (De, "abbestellen"),
    (De, "austragen"),
    (De, "bitte keine weiteren"),
    (De, "keine weiteren e-mails"),
    (De, "keine weiteren mails"),
    (De, "keine e-mails mehr"),
    (De, "keine mails mehr"),
    (De, "nicht mehr kontaktieren"),
    (De, "nicht mehr anschreiben"),
    (De, "nicht mehr schreiben"),
    (Fr, "désinscrire"),
    (Fr, "désinscrivez"),
    (Fr, "désabonner"),
    (Fr, "désabonnez"),
    (Fr, "ne plus recevoir"),
    (Fr, "ne plus me contacter"),
    (Fr, "ne m'écrivez plus"),
    (Fr, "retirez-moi"),
    (Fr, "retirez moi"),
    (Fr, "arrêtez de m'écrire"),
    (Es, "darme de baja"),
    (Es, "denme de baja"),
    (Es, "dame de baja"),
    (Es, "no me escribas más"),
    (Es, "no me escriba más"),
    (Es, "no me escriban más"),
    (Es, "no me contacte"),
    (Es, "no deseo recibir"),
    (Es, "elimíname de"),
    (Es, "eliminarme de"),
    (Es, "quitarme de"),
    (Pt, "descadastrar"),
    (Pt, "descadastre"),
    (Pt, "cancelar inscrição"),
    (Pt, "cancelar a inscrição"),
    (Pt, "cancelar minha inscrição"),
    (Pt, "não quero receber"),
    (Pt, "me remova"),
    (Pt, "remova meu"),
    (Pt, "não me envie"),
    (Pt, "parem de enviar"),
    (It, "non scrivermi più"),
    (It, "non scrivetemi più"),
    (It, "non contattarmi"),
    (It, "cancellami"),
    (It, "cancellatemi"),
    (It, "disiscrivermi"),
    (It, "disiscrivimi"),
    (It, "rimuovetemi"),
    (It, "rimuovermi"),
    (It, "non voglio ricevere"),
    (Nl, "afmelden"),
    (Nl, "uitschrijven"),
    (Nl, "schrijf mij uit"),
    (Nl, "schrijf me uit"),
    (Nl, "verwijder mij"),
    (Nl, "verwijder me"),
    (Nl, "geen e-mails meer"),
    (Nl, "niet meer mailen"),
    (Nl, "niet meer contacteren"),
    (De, "streichen sie mich"),
    (De, "aus ihrem verteiler"),
    (De, "aus dem verteiler"),
    (De, "keine weiteren nachrichten"),
    (De, "mich nicht mehr"),
    (Fr, "souhaite plus recevoir"),
    (Fr, "veux plus recevoir"),
    (Fr, "retirer mon adresse"),
    (Fr, "retirez mon adresse"),
    (Fr, "supprimer mon adresse"),
    (Es, "dejen de escribirme"),
    (Es, "deje de escribirme"),
    (Es, "dejes de escribirme"),
    (Es, "borren mi dirección"),
    (Es, "borrar mi dirección"),
    (Es, "no quiero recibir"),
    (Pt, "parem de me enviar"),
    (Pt, "remover meu"),
    (It, "smettete di scrivermi"),
    (It, "smetta di scrivermi"),
    (Nl, "geen mails meer"),
    (Nl, "geen e-mail meer"),
    (Nl, "uit uw bestand"),
    (Nl, "uit het bestand"),
    (Nl, "wil geen e-mails"),
]);

/// Look-alikes of an opt-out phrase that are not one.
const UNSUB_NOT: &[&str] = &["please stop by", "please stop in", "please stop over"];

/// Reply and forward prefixes, lower-case, without the colon.
const SUBJECT_PREFIXES: &[&str] = &["re", "aw", "sv", "vs", "fw", "fwd", "wg", "tr", "rv", "r", "res", "enc", "ref", "antw", "odp"];

/// Lower-cases and folds the characters that vary between mail clients
/// (typographic apostrophes, non-breaking spaces).
pub(crate) fn lower(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\u{2019}' | '\u{2018}' | '\u{00b4}' | '`' => out.push('\''),
            '\u{00a0}' | '\u{202f}' | '\t' => out.push(' '),
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            c => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// A list of phrases, indexed by first byte on first use.
pub(crate) struct Patterns {
    list: &'static [(Lang, &'static str)],
    by_first: OnceLock<Vec<Vec<u16>>>,
}

impl Patterns {
    pub(crate) const fn new(list: &'static [(Lang, &'static str)]) -> Patterns {
        Patterns { list, by_first: OnceLock::new() }
    }

    fn by_first(&self) -> &[Vec<u16>] {
        self.by_first.get_or_init(|| {
            let mut index = vec![Vec::new(); 256];
            for (i, (_, p)) in self.list.iter().enumerate() {
                if let Some(&b) = p.as_bytes().first() {
                    index[b as usize].push(i as u16);
                }
            }
            index
        })
    }

    /// The earliest phrase in `hay` (lower-cased) at the start of a word:
    /// (position, language, phrase); at one position the first listed wins.
    ///
    /// One pass over the text, trying only the phrases whose first byte
    /// fits: the text is read once, not once per phrase.
    pub(crate) fn earliest(&self, hay: &str) -> Option<(usize, Lang, &'static str)> {
        let index = self.by_first();
        let bytes = hay.as_bytes();
        each_word_start(hay, |i| {
            let rest = &bytes[i..];
            index[rest[0] as usize]
                .iter()
                .map(|&k| self.list[k as usize])
                .find(|(_, p)| {
                    let p = p.as_bytes();
                    rest.len() >= p.len() && rest.get(1) == p.get(1) && rest[..p.len()] == *p
                })
                .map(|(lang, p)| (i, lang, p))
        })
    }
}

/// Calls `f` at every byte offset not preceded by a letter or digit, until
/// it returns something.
pub(crate) fn each_word_start<T>(hay: &str, mut f: impl FnMut(usize) -> Option<T>) -> Option<T> {
    let bytes = hay.as_bytes();
    let mut prev_word = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (is_word, len) = if b.is_ascii() {
            (b.is_ascii_alphanumeric(), 1)
        } else {
            let c = hay[i..].chars().next().unwrap_or(' ');
            (c.is_alphanumeric(), c.len_utf8())
        };
        if !prev_word || !b.is_ascii() && is_cjk(&hay[i..]) {
            if let Some(t) = f(i) {
                return Some(t);
            }
        }
        prev_word = is_word;
        i += len;
    }
    None
}

/// Chinese and Japanese characters: no spaces between words, so every
/// character is a place a phrase may start.
fn is_cjk(s: &str) -> bool {
    s.chars().next().is_some_and(|c| matches!(c as u32, 0x3000..=0x9fff | 0xf900..=0xfaff | 0xff00..=0xffef))
}

/// The subject without "Re:"/"AW:"/"Fwd:" prefixes (lower-cased input).
pub(crate) fn strip_subject_prefixes(mut s: &str) -> &str {
    loop {
        let t = s.trim_start();
        let Some(colon) = t.find(':') else { return t };
        let head = t[..colon].trim();
        // "Re[2]:" and "RE :" too.
        let word = head.split('[').next().unwrap_or("").trim();
        if SUBJECT_PREFIXES.contains(&word) {
            s = &t[colon + 1..];
        } else {
            return t;
        }
    }
}

/// Whether a (lower-cased) subject is by itself an opt-out ("Re: UNSUBSCRIBE!").
pub(crate) fn subject_is_opt_out(subject: &str) -> bool {
    let s = strip_subject_prefixes(subject);
    let s = s.trim_matches(|c: char| !c.is_alphanumeric());
    UNSUB_SUBJECT.contains(&s)
}

/// The first opt-out phrase in a message's own text (lower-cased).
pub(crate) fn opt_out_phrase(own: &str) -> Option<(Lang, &'static str)> {
    // A loop, not recursion: a message of nothing but look-alikes ("please
    // stop by" 200,000 times) must not grow the stack. Each look is past the
    // last, so the text is read once.
    let mut from = 0;
    loop {
        let (at, lang, pat) = UNSUB_BODY.earliest(&own[from..])?;
        let at = from + at;
        if !UNSUB_NOT.iter().any(|n| own[at..].starts_with(n)) && !negated_or_quoted(own, at) {
            return Some((lang, pat));
        }
        // Look past the look-alike.
        from = at + pat.len();
    }
}

/// Words right before a phrase that turn it around ("please don't remove me").
const NEGATIONS: &[&str] = &["don't ", "do not ", "dont ", "not ", "never ", "nicht ", "ne pas ", "no ", "não ", "non ", "niet "];

/// The phrase at `at` is negated, or quoted ("I was about to reply
/// \"unsubscribe\""): a mention, not a request.
fn negated_or_quoted(text: &str, at: usize) -> bool {
    let before = &text[..at];
    if before.ends_with(['"', '\u{201c}', '\u{201e}', '«', '\'']) || before.ends_with("« ") {
        return true;
    }
    let mut start = at.saturating_sub(12);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let near = &text[start..at];
    NEGATIONS.iter().any(|n| near.ends_with(n) || near.contains(&format!(" {n}")) && near.trim_end().ends_with(n.trim_end()))
}

/// Attribution lines that open a quoted original ("On ... wrote:").
const ATTRIBUTION: &[&str] = &[
    " wrote",
    " schrieb",
    " a écrit",
    " escribió",
    " escreveu",
    " ha scritto",
    " schreef",
    " skrev",
    " kirjoitti",
    " napisał",
    "書きました",
];

/// Separator lines of quoted or forwarded originals.
const SEPARATORS: &[&str] = &[
    "original message",
    "ursprüngliche nachricht",
    "message d'origine",
    "mensaje original",
    "mensagem original",
    "messaggio originale",
    "oorspronkelijk bericht",
    "forwarded message",
    "weitergeleitete nachricht",
    "ursprungligt meddelande",
    "oprindelig meddelelse",
    "opprinnelig melding",
    "alkuperäinen viesti",
    "oryginalna wiadomość",
    "元のメッセージ",
];

/// First lines of an Outlook-style header block quoting the original.
const HEADER_FROM: &[&str] = &["from:", "von:", "de :", "de:", "da:", "van:", "från:", "fra:", "lähettäjä:", "od:", "差出人:"];

/// Whether a (lower-cased, trimmed) line looks like "Sent: ..." in a quoted
/// header block: a short word then a colon.
fn looks_like_header(line: &str) -> bool {
    match line.find(':') {
        Some(i) if i > 0 && i <= 16 => line[..i].chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-'),
        _ => false,
    }
}

fn opens_quote(line: &str, next: Option<&str>) -> bool {
    if line.ends_with(':') && ATTRIBUTION.iter().any(|a| line.contains(a)) {
        return true;
    }
    // "On Tue, 3 Mar 2026, Jane Doe <jane@example.com>" / "wrote:" on the next line.
    if let Some(next) = next {
        let n = next.trim();
        if (line.starts_with("on ")
            || line.starts_with("am ")
            || line.starts_with("le ")
            || line.starts_with("el ")
            || line.starts_with("op "))
            && n.ends_with(':')
            && ATTRIBUTION.iter().any(|a| format!(" {n}").contains(a))
        {
            return true;
        }
    }
    // "2026年11月26日(木) 14:01 Alex Morgan <alex@…>:" then a quoted line: any language.
    if line.ends_with(':')
        && line.contains('@')
        && line.contains('<')
        && next.is_some_and(|n| n.trim_start().starts_with('>') || n.trim().is_empty())
    {
        return true;
    }
    if (line.starts_with("---") || line.starts_with("___")) && SEPARATORS.iter().any(|s| line.contains(s)) {
        return true;
    }
    if line.len() >= 10 && line.chars().all(|c| c == '_') {
        return true;
    }
    if HEADER_FROM.iter().any(|h| line.starts_with(h)) {
        if let Some(next) = next {
            return looks_like_header(next.trim());
        }
    }
    false
}

/// The message's own text, lower-cased: lines quoted with `>` and
/// everything from an attribution line ("On ... wrote:", "Am ... schrieb",
/// "-----Original Message-----", a "From:"/"De :" header block) on are
/// dropped. At most about `max` bytes are kept.
pub(crate) fn own_text(body: &str, max: usize) -> String {
    let mut out = String::with_capacity(body.len().min(max) + 64);
    let mut lines = body.lines().map(str::trim).filter(|l| !l.starts_with('>'));
    let mut line = match lines.next() {
        Some(l) => lower(l),
        None => return out,
    };
    loop {
        let next = lines.next().map(lower);
        if opens_quote(&line, next.as_deref()) {
            break;
        }
        // The cap holds inside a line too: one 3 MB line is not read whole.
        if out.len() + line.len() > max {
            let mut cut = max.saturating_sub(out.len()).min(line.len());
            while !line.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&line[..cut]);
            out.push('\n');
            break;
        }
        out.push_str(&line);
        out.push('\n');
        match next {
            Some(n) if out.len() < max => line = n,
            _ => break,
        }
    }
    out
}

/// A rough guess of the language of (lower-cased) text from common words.
pub fn guess_lang(text: &str) -> Option<Lang> {
    const WORDS: &[(Lang, &[&str])] = &[
        (En, &["the", "and", "i", "you", "until", "will", "my", "office", "back"]),
        (De, &["der", "die", "und", "ich", "bis", "sie", "nicht", "bin", "mit"]),
        (Fr, &["le", "la", "et", "je", "vous", "suis", "jusqu", "les", "du"]),
        (Es, &["el", "la", "y", "estoy", "hasta", "los", "con", "estaré", "oficina"]),
        (Pt, &["o", "e", "até", "estou", "não", "com", "estarei", "escritório", "os"]),
        (It, &["il", "e", "di", "sono", "non", "fino", "con", "sarò", "ufficio"]),
        (Nl, &["de", "het", "en", "ik", "niet", "tot", "ben", "met", "van"]),
        (Sv, &["jag", "är", "och", "till", "på", "med", "den", "inte", "tillbaka"]),
        (Da, &["jeg", "er", "og", "til", "på", "med", "ikke", "tilbage", "har"]),
        (Nb, &["jeg", "er", "og", "til", "på", "med", "ikke", "tilbake", "har"]),
        (Fi, &["olen", "ja", "on", "ei", "palaan", "asti", "lomalla", "kiitos", "viestistä"]),
        (Pl, &["jestem", "i", "do", "na", "nie", "w", "z", "się", "dnia"]),
    ];
    let mut counts = [0usize; 12];
    let mut seen = 0;
    for word in text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        seen += 1;
        if seen > 400 {
            break;
        }
        for (i, (_, words)) in WORDS.iter().enumerate() {
            if words.contains(&word) {
                counts[i] += 1;
            }
        }
    }
    let (i, &n) = counts.iter().enumerate().max_by_key(|&(i, &n)| (n, std::cmp::Reverse(i)))?;
    (n > 0).then_some(WORDS[i].0)
}
