//! The command set is declared once (the `#[tauri::command]` functions in
//! `commands.rs`; build.rs makes the handler, manifest and capability from
//! them); these fail when the capability or the typed client disagree.

use std::collections::BTreeSet;

use super::command_names::COMMANDS;

fn declared() -> BTreeSet<String> {
    COMMANDS.iter().map(|c| c.to_string()).collect()
}

fn read(path: &str) -> String {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    std::fs::read_to_string(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

/// Sorted names that are in one set and not the other, for the message.
fn diff(a: &BTreeSet<String>, b: &BTreeSet<String>) -> (Vec<String>, Vec<String>) {
    (a.difference(b).cloned().collect(), b.difference(a).cloned().collect())
}

fn allowed(file: &str) -> BTreeSet<String> {
    let cap: serde_json::Value = serde_json::from_str(&read(file)).unwrap();
    cap["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect()
}

#[test]
fn the_capability_allows_exactly_the_declared_commands() {
    let (missing, extra) = diff(&declared(), &allowed("capabilities/commands.json"));
    assert!(
        missing.is_empty() && extra.is_empty(),
        "capabilities/commands.json: not allowed {missing:?}; allowed but not declared {extra:?}"
    );
    let by_hand = allowed("capabilities/default.json");
    assert!(by_hand.is_empty(), "capabilities/default.json allows commands by hand: {by_hand:?}; they come from commands.rs");
}

/// Every `call<…>('name'` in the typed client.
fn client_calls(ts: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for line in ts.lines() {
        let Some(at) = line.find("call<").or_else(|| line.find("call(")) else { continue };
        let rest = &line[at..];
        if let Some(open) = rest.find("('") {
            let name = &rest[open + 2..];
            if let Some(end) = name.find('\'') {
                out.insert(name[..end].to_string());
            }
        }
    }
    out
}

#[test]
fn the_typed_client_calls_exactly_the_declared_commands() {
    let calls = client_calls(&read("../ui/src/lib/api/client.ts"));
    let (missing, extra) = diff(&declared(), &calls);
    assert!(missing.is_empty() && extra.is_empty(), "ui/src/lib/api/client.ts: no call for {missing:?}; calls undeclared {extra:?}");
}

#[test]
fn the_client_parser_finds_calls() {
    let ts = "  queue: (c: Channel | null) => call<QueueDto>('queue', { c }),\n  x: () => call<A | null>('retry_send'),\n  async function call<T>(command: string) {";
    assert_eq!(client_calls(ts).into_iter().collect::<Vec<_>>(), ["queue", "retry_send"]);
}

#[test]
fn every_command_is_declared_once() {
    assert_eq!(declared().len(), COMMANDS.len(), "a command is declared twice in commands.rs");
}
