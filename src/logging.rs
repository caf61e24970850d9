//! Tracing set-up shared by the CLI and the app. Log lines carry ids, kinds and
//! counts only: never a name, CNP, phone, e-mail or free text of a patient.

use tracing_subscriber::EnvFilter;

/// Log to stderr, filtered by `CUSPID_LOG` (default `warn`), and report panics
/// without their message.
pub fn init_stderr() {
    let filter = EnvFilter::try_from_env("CUSPID_LOG").unwrap_or_else(|_| EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
    install_panic_hook();
}

/// A panic's message can carry whatever value it was about (an `expect` on a
/// patient's field): the hook logs where it happened, never what it said. The
/// database stays consistent by construction: every change is one transaction,
/// rolled back when the panicking task drops it.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let at = info.location().map(|l| format!("{}:{}", l.file(), l.line())).unwrap_or_default();
        tracing::error!(at = %at, "internal error (a panic); its message is not logged");
        let mut err = std::io::stderr().lock();
        let _ = std::io::Write::write_fmt(
            &mut err,
            format_args!("cuspid: internal error at {at}; nothing half-written was kept\n"),
        );
    }));
}
