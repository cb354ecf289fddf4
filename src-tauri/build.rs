// Only the commands declared in src/command_set.rs can be called from the
// window, and only those its capability (capabilities/default.json) allows.
include!("src/command_set.rs");
command_set!(command_names);

fn main() {
    println!("cargo:rerun-if-changed=src/command_set.rs");
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(tauri_build::AppManifest::new().commands(COMMANDS)))
        .expect("the Tauri build step failed");
}
