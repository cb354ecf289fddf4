//! The memory baseline for BENCHMARKS.md: a bare Tauri window showing an
//! empty page (`ui/public/blank.html`), served the way Cadence's UI is, with
//! none of Cadence in it. `cargo build --release -p cadence-desktop --example bare`.

fn main() {
    let mut context = tauri::generate_context!();
    context.config_mut().app.windows.clear();
    tauri::Builder::default()
        .setup(|app| {
            tauri::WebviewWindowBuilder::new(app, "main", tauri::WebviewUrl::App("blank.html".into()))
                .title("bare")
                .inner_size(1280.0, 800.0)
                .build()?;
            eprintln!("bare-ready");
            Ok(())
        })
        .run(context)
        .expect("the bare window could not start");
}
