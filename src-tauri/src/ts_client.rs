//! The TypeScript map of the command set, generated from the signatures in
//! `commands.rs`: `ui/src/lib/api/commands.ts` says, per command, the
//! arguments the window sends and the reply it gets. The typed client
//! (`client.ts`) calls through it, so `svelte-check` fails when a command's
//! arguments or reply change and the client does not follow. The file is
//! committed; the test fails when it is stale (`UPDATE_TYPES=1 cargo test
//! -p cadence-desktop ts_client` refreshes it).

/// A command's name, its window-side arguments and its reply, as Rust text.
struct Signature {
    name: String,
    args: Vec<(String, String)>,
    reply: String,
}

/// Arguments Tauri fills in itself: not sent by the window.
const INJECTED: &[&str] = &["Ws", "Ws<'_>", "Startup", "tauri::AppHandle"];

fn signatures(source: &str) -> Vec<Signature> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("#[tauri::command") {
        rest = &rest[at..];
        let start = rest.find("pub ").expect("a command is a pub fn");
        let open = rest[start..].find('{').expect("a body") + start;
        let head: String = rest[start..open].split_whitespace().collect::<Vec<_>>().join(" ");
        rest = &rest[open..];
        let (name_part, after) = head.split_once('(').expect("arguments");
        let name = name_part.rsplit(' ').next().unwrap().to_string();
        let close = after.rfind(')').expect("closing parenthesis");
        let args = split_top(&after[..close])
            .into_iter()
            .filter_map(|a| {
                let (n, t) = a.split_once(':')?;
                let t = t.trim().to_string();
                (!INJECTED.contains(&t.as_str())).then(|| (n.trim().to_string(), t))
            })
            .collect();
        let reply = after[close + 1..].trim().strip_prefix("->").map_or("()", str::trim).to_string();
        out.push(Signature { name, args, reply });
    }
    out
}

/// Splits at commas outside `<…>`.
fn split_top(s: &str) -> Vec<String> {
    let (mut parts, mut depth, mut cur) = (Vec::new(), 0, String::new());
    for c in s.chars() {
        match c {
            '<' => depth += 1,
            '>' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    if !cur.trim().is_empty() {
        parts.push(cur);
    }
    parts.into_iter().map(|p| p.trim().to_string()).collect()
}

/// A Rust type of the IPC, in TypeScript (DTOs keep their names from types.ts).
fn ts(t: &str) -> String {
    let inner = |p: &str| t.strip_prefix(p).and_then(|r| r.strip_suffix('>'));
    if let Some(i) = inner("Reply<") {
        return ts(i);
    }
    if let Some(i) = inner("Option<") {
        return format!("{} | null", ts(i));
    }
    if let Some(i) = inner("Vec<") {
        return format!("Array<{}>", ts(i));
    }
    if let Some(i) = inner("Progress<") {
        return format!("IpcChannel<{}>", ts(i));
    }
    match t {
        "()" => "null".into(),
        "String" | "PasswordInput" => "string".into(),
        "i64" | "u32" | "usize" | "f64" => "number".into(),
        "bool" => "boolean".into(),
        dto => dto.into(),
    }
}

pub fn generate(source: &str) -> String {
    let sigs = signatures(source);
    let mut types: Vec<String> = Vec::new();
    let mut out = String::from("// Generated from src-tauri/src/commands.rs: do not edit. See src-tauri/src/ts_client.rs.\n");
    out += "import type { Channel as IpcChannel } from '@tauri-apps/api/core';\n";
    let mut body = String::from("\n/** Every command: what the window sends, and what it gets back. */\nexport interface Commands {\n");
    for s in &sigs {
        let args: Vec<String> = s.args.iter().map(|(n, t)| format!("{n}: {}", ts(t))).collect();
        let args = if args.is_empty() { "{}".to_string() } else { format!("{{ {} }}", args.join("; ")) };
        body += &format!("  {}: {{ args: {args}; reply: {} }};\n", s.name, ts(&s.reply));
        for t in s.args.iter().map(|(_, t)| ts(t)).chain([ts(&s.reply)]) {
            for word in t
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| w.ends_with("Dto") || w.ends_with("Input") || w.ends_with("Query") || w.ends_with("Kind"))
            {
                if !types.contains(&word.to_string()) {
                    types.push(word.to_string());
                }
            }
        }
    }
    types.sort();
    out += &format!("import type {{ {} }} from './types';\n", types.join(", "));
    out + &body + "}\n"
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    #[test]
    fn ts_client_map_is_current() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let source = std::fs::read_to_string(root.join("src/commands.rs")).unwrap();
        let fresh = super::generate(&source);
        let path = root.join("../ui/src/lib/api/commands.ts");
        if std::env::var_os("UPDATE_TYPES").is_some() {
            std::fs::write(&path, &fresh).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == fresh, "ui/src/lib/api/commands.ts is stale: run UPDATE_TYPES=1 cargo test -p cadence-desktop ts_client");
    }

    #[test]
    fn signatures_read_as_the_window_sees_them() {
        let src = "#[tauri::command(async)]\npub fn queue(ws: Ws, channel: Option<String>, limit: Option<usize>) -> Reply<QueueDto> {\n x\n}\n#[tauri::command]\npub async fn test_mailbox(ws: Ws<'_>) -> Reply<ConnectionTestDto> {}\n#[tauri::command]\npub fn trace(event: String, ms: f64) {}";
        let ts = super::generate(src);
        assert!(ts.contains("  queue: { args: { channel: string | null; limit: number | null }; reply: QueueDto };"), "{ts}");
        assert!(ts.contains("  test_mailbox: { args: {}; reply: ConnectionTestDto };"), "{ts}");
        assert!(ts.contains("  trace: { args: { event: string; ms: number }; reply: null };"), "{ts}");
    }
}
