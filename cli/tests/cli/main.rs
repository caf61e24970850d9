//! The `cuspid` binary driven from outside, as scripts and a crash would drive it:
//! its commands, output and exit codes, and its durability under SIGKILL. They live
//! here because only the package that builds the binary gets its path
//! (`CARGO_BIN_EXE_cuspid`). The helpers are the core's own (`tests/it/support.rs`).

// The core's helpers, shared rather than copied; these tests use only some of them.
#[path = "../../../tests/it/support.rs"]
#[allow(dead_code, unused_macros, unused_imports)]
mod support;

// Letters read back through poppler, as the core's tests read them.
#[path = "../../../tests/it/pdf.rs"]
#[allow(dead_code)]
mod pdf;

mod commands;
mod durability;
