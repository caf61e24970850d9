//! Where secrets come from: an environment variable or a prompt without echo on a
//! terminal, never an argument. Without a terminal a missing secret is
//! `auth.password_required`.

use std::io::IsTerminal;

use cuspid::{Error, Result};
use zeroize::Zeroizing;

/// A password being chosen: `CUSPID_NEW_PASSWORD` (for init and recover also
/// `CUSPID_PASSWORD`, since nobody is logged in yet), else typed twice.
pub(crate) fn new_password(what: &str, login_var_too: bool) -> Result<Zeroizing<String>> {
    let from_env = std::env::var("CUSPID_NEW_PASSWORD")
        .or_else(|e| if login_var_too { std::env::var("CUSPID_PASSWORD") } else { Err(e) });
    if let Ok(p) = from_env {
        return Ok(Zeroizing::new(p));
    }
    let first = prompt_secret(&format!("Choose the {what}: "))?;
    let again = prompt_secret("Type it again: ")?;
    if *first != *again {
        return Err(Error::Usage("the two passwords differ".into()));
    }
    Ok(first)
}

/// The secret in `var`, else typed at a prompt.
pub(crate) fn secret_from_env_or_prompt(var: &str, prompt: &str) -> Result<Zeroizing<String>> {
    match std::env::var(var) {
        Ok(v) => Ok(Zeroizing::new(v)),
        Err(_) => prompt_secret(prompt),
    }
}

/// A secret typed without echo; without a terminal, `auth.password_required`.
pub(crate) fn prompt_secret(prompt: &str) -> Result<Zeroizing<String>> {
    if !std::io::stdin().is_terminal() {
        return Err(Error::PasswordRequired);
    }
    rpassword::prompt_password(prompt).map(Zeroizing::new).map_err(|_| Error::PasswordRequired)
}
