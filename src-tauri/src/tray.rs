//! The tray icon: today's due count, a way back to the window, and quit.

use dto::DueDto;
use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Wry};

const TRAY: &str = "cadence";
const DUE: &str = "due";

pub fn install(app: &AppHandle) -> tauri::Result<()> {
    let due = MenuItem::with_id(app, DUE, "Today: counting…", false, None::<&str>)?;
    let show = MenuItem::with_id(app, "show", "Show Cadence", true, None::<&str>)?;
    let quit = PredefinedMenuItem::quit(app, Some("Quit Cadence"))?;
    let sep = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&due, &sep, &show, &quit])?;
    let mut tray = TrayIconBuilder::with_id(TRAY).menu(&menu).tooltip("Cadence").on_menu_event(|app, e| {
        if e.id() == "show" {
            crate::focus_main(app);
        }
    });
    if let Some(icon) = app.default_window_icon() {
        tray = tray.icon(icon.clone());
    }
    tray.build(app)?;
    app.manage(TrayMenu { _menu: menu, due });
    Ok(())
}

/// The menu is kept alive for as long as the app runs; `due` is its first line.
struct TrayMenu {
    _menu: Menu<Wry>,
    due: MenuItem<Wry>,
}

/// "Today: 42 due (3 overdue)" in the tray's menu and title.
pub fn show_due(app: &AppHandle, q: DueDto) {
    let text = match (q.total, q.overdue) {
        (0, _) => "Today: nothing due".to_string(),
        (n, 0) => format!("Today: {n} due"),
        (n, o) => format!("Today: {n} due ({o} overdue)"),
    };
    if let Some(m) = app.try_state::<TrayMenu>() {
        let _ = m.due.set_text(&text);
    }
    if let Some(t) = app.tray_by_id(TRAY) {
        let _ = t.set_title(Some(q.total.to_string()));
        let _ = t.set_tooltip(Some(format!("Cadence · {text}")));
    }
}
