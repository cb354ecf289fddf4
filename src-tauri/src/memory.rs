//! Memory. WebKitGTK's accelerated compositing keeps layer backing stores
//! that, for this window on a 100k-prospect workspace, held about 90 MiB
//! more than the page itself needs (measured by `scripts/bench-desktop`,
//! BENCHMARKS.md); Cadence's screens are plain documents with no 3D or video,
//! so the web view draws without it unless the user's environment already
//! says otherwise.
//!
//! The shell's own memory after bursts: reading the first queue of a large
//! workspace allocates tens of MiB that glibc keeps for reuse once freed.
//! A thread hands freed heap back to the system a few seconds after start
//! and then once a minute (`malloc_trim`, a few milliseconds each).

pub fn trim_in_background() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        use std::time::Duration;
        let spawned = std::thread::Builder::new().name("cadence-trim".into()).spawn(|| {
            for secs in [2, 5].into_iter().chain(std::iter::repeat(60)) {
                std::thread::sleep(Duration::from_secs(secs));
                // SAFETY: malloc_trim only returns free pages of glibc's heap to the system.
                unsafe {
                    libc::malloc_trim(0);
                }
            }
        });
        if let Err(e) = spawned {
            eprintln!("cadence: no memory trimming ({e})");
        }
    }
}

/// Turns WebKitGTK's compositing mode off, unless the environment already
/// sets it. Called first thing in `main`, before any thread or GTK starts.
pub fn software_compositing() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
}
