// Only the commands listed here can be called from the window, and only
// those its capability (capabilities/default.json) allows.
const COMMANDS: &[&str] = &[
    "workspace",
    "queue",
    "touch",
    "complete",
    "snooze",
    "set_prospect_field",
    "prospects",
    "prospect",
    "preview_import",
    "import_csv",
    "enroll",
    "sequences",
    "sequence",
    "outbox",
    "settings",
    "set_setting",
    "load_sample",
    "mailbox_settings",
    "set_mailbox",
    "save_mailbox_password",
    "test_mailbox",
    "mailbox_status",
    "sends",
    "retry_send",
    "inbox",
    "correct_inbound",
    "results_overview",
    "results",
    "today_stats",
    "results_settings",
    "set_results_settings",
    "tag_reply",
    "meeting_from_reply",
    "export_csv",
    "trace",
];

fn main() {
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)))
        .expect("the Tauri build step failed");
}
