// The one declaration of the window's command set. `build.rs` includes this
// file for the app manifest; `main.rs` builds the invoke handler from it;
// tests in `main.rs` fail when `capabilities/default.json` or the typed
// client (`ui/src/lib/api/client.ts`) disagree with it. Each name is a
// function in `commands.rs` (a missing one does not compile).
macro_rules! command_set {
    ($then:ident) => {
        $then! {
            workspace,
            queue,
            touch,
            complete,
            snooze,
            set_prospect_field,
            prospects,
            prospect,
            preview_import,
            import_csv,
            enroll,
            sequences,
            sequence,
            outbox,
            settings,
            set_setting,
            load_sample,
            mailbox_settings,
            set_mailbox,
            save_mailbox_password,
            test_mailbox,
            mailbox_status,
            sends,
            retry_send,
            inbox,
            correct_inbound,
            results_overview,
            results,
            today_stats,
            results_settings,
            set_results_settings,
            tag_reply,
            meeting_from_reply,
            export_csv,
            trace,
        }
    };
}

/// The names, as strings (for the manifest in build.rs and the tests).
#[allow(unused_macros)]
macro_rules! command_names {
    ($($c:ident),* $(,)?) => {
        const COMMANDS: &[&str] = &[$(stringify!($c)),*];
    };
}
