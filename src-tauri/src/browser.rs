//! The rep's own browser, opened by the shell (never by the web view, and
//! never a web view of ours): the provider's sign-in page. In tests,
//! `CADENCE_SIGNIN_URL_FILE` names a file the address is written to
//! instead, for the test to drive the provider's page itself.

use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

pub fn open(app: &AppHandle, url: &str) -> Result<(), String> {
    if let Some(file) = std::env::var_os("CADENCE_SIGNIN_URL_FILE") {
        return std::fs::write(&file, url).map_err(|e| format!("cannot write the sign-in address: {e}"));
    }
    app.opener().open_url(url, None::<&str>).map_err(|e| format!("no browser could be opened ({e}); sign in with `cadence mailbox signin`"))
}
