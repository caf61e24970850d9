//! Tracing set-up shared by the CLI and the app. Log lines carry ids, kinds and
//! counts only: never a name, CNP, phone, e-mail or free text of a patient.

use tracing_subscriber::EnvFilter;

/// Log to stderr, filtered by `CUSPID_LOG` (default `warn`).
pub fn init_stderr() {
    let filter = EnvFilter::try_from_env("CUSPID_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
