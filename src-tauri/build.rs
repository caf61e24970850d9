//! Builds the web UI (ui/, npm) before the shell embeds it, so a plain
//! `cargo build` gives a complete app; then runs Tauri's build step with the
//! config at the repository root.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    // Read at run time, not with env!(): a build script compiled for one clone is
    // reused by cargo for another clone sharing the same target folder.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let ui = PathBuf::from(manifest).join("../ui");
    for watched in ["src", "index.html", "package.json", "package-lock.json", "vite.config.ts"] {
        println!("cargo:rerun-if-changed={}", ui.join(watched).display());
    }
    if std::env::var_os("CUSPID_SKIP_UI_BUILD").is_none() {
        if !ui.join("node_modules").exists() {
            npm(&ui, &["ci", "--no-audit", "--no-fund"]);
        }
        npm(&ui, &["run", "build"]);
    }
    let attrs = tauri_build::Attributes::new();
    if let Err(e) = tauri_build::try_build(attrs.config_path("../tauri.conf.json")) {
        panic!("tauri build step failed: {e:#}");
    }
}

fn npm(dir: &Path, args: &[&str]) {
    let status = Command::new("npm").args(args).current_dir(dir).status();
    match status {
        Ok(s) if s.success() => {}
        Ok(s) => panic!("`npm {}` in ui/ failed ({s})", args.join(" ")),
        Err(e) => panic!(
            "could not run `npm {}` in {} (npm is needed to build the UI): {e}",
            args.join(" "),
            dir.display()
        ),
    }
}
