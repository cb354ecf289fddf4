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

use super::classify::capped;

use Lang::*;

pub(crate) use super::phrases::{OOO_BODY, OOO_SUBJECT, UNSUB_BODY, UNSUB_SUBJECT};

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
            out.push_str(capped(&line, max.saturating_sub(out.len())));
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

/// The lines [`own_text`] kept (`own`), as the person wrote them, for the rep
/// to read: the same lines of the body, not lower-cased, with no second pass
/// of the quote rules.
pub(crate) fn own_text_cased(body: &str, own: &str, max: usize) -> String {
    let mut out = String::with_capacity(own.len());
    for line in body.lines().map(str::trim).filter(|l| !l.starts_with('>')).take(own.lines().count()) {
        if out.len() + line.len() > max {
            out.push_str(capped(line, max.saturating_sub(out.len())));
            break;
        }
        out.push_str(line);
        out.push('\n');
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

#[cfg(test)]
mod tests {
    use super::{own_text, own_text_cased};

    #[test]
    fn the_cased_own_text_is_the_same_lines_as_written() {
        let body = "Hi Alex,\n\nWe are REWORKING hand-offs in Jänner.\n> quoted early\nRen\n\nOn Tue, Nov 24, 2026 at 10:00 AM Alex <a@b.example> wrote:\n> Hi Ren,\n> QUOTED\n";
        let own = own_text(body, 6 * 1024);
        let cased = own_text_cased(body, &own, 6 * 1024);
        assert_eq!(cased, "Hi Alex,\n\nWe are REWORKING hand-offs in Jänner.\nRen\n\n");
        assert_eq!(cased.to_lowercase(), own, "line for line what the patterns read");
        // The cap holds, at a character boundary.
        let short = own_text_cased(body, &own, 20);
        assert!(short.len() <= 20 && short.starts_with("Hi Alex,"), "{short:?}");
    }
}
