//! The IPC boundary, declared once. `commands!` turns each declaration into a Tauri
//! command, puts it in the invoke handler and describes it for TypeScript; the
//! TypeScript the UI calls (`ui/src/lib/bindings/`) is generated from these
//! descriptions and the core's types (ts-rs), never written by hand.
//!
//! `cargo test -p cuspid-app` fails when a generated file differs from what the Rust
//! side generates; `CUSPID_WRITE_BINDINGS=1 cargo test -p cuspid-app bindings` writes
//! them (`scripts/bindings.sh`).

use std::any::TypeId;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;

use tauri::ipc::{InvokeResponseBody, IpcResponse};
use ts_rs::{Config, TS, TypeVisitor};

/// Declare the commands: doc comments, then `fn name(state, arg: Type, ...) -> Result`
/// and a body evaluating to `Cmd<Result>`. `state` is the app's `State<AppState>`
/// (`_state` where the command does not use it).
macro_rules! commands {
    ($(
        $(#[doc = $doc:expr])*
        fn $name:ident($state:ident $(, $arg:ident: $ty:ty)* $(,)?) -> $ret:ty $body:block
    )*) => {
        $(
            $(#[doc = $doc])*
            #[tauri::command]
            #[allow(clippy::too_many_arguments, reason = "one named IPC argument each, as the UI sends them")]
            pub async fn $name(
                $state: tauri::State<'_, $crate::state::AppState>
                $(, $arg: $ty)*
            ) -> $crate::boundary::Cmd<$ret> $body
        )*

        /// Every command, for `Builder::invoke_handler`.
        pub fn handler<R: tauri::Runtime>() -> impl Fn(tauri::ipc::Invoke<R>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$($name),*]
        }

        /// Every command as TypeScript sees it, in declaration order.
        pub fn describe(g: &mut $crate::boundary::Generator) {
            $(
                let args = vec![$(g.arg::<$ty>(stringify!($arg))),*];
                let result = g.ty::<$ret>();
                g.command(stringify!($name), &[$($doc),*], args, result);
            )*
        }
    };
}
pub(crate) use commands;

/// What every command answers: its result, or the core's error as `ErrorDto`
/// (`{kind, message, detail, rule, subject, event}`).
pub type Cmd<T> = Result<T, cuspid::ErrorDto>;

/// A binary answer (no JSON): the UI receives an `ArrayBuffer`.
#[derive(Debug, TS)]
pub struct Binary(#[ts(type = "ArrayBuffer")] pub Vec<u8>);

impl IpcResponse for Binary {
    fn body(self) -> tauri::Result<InvokeResponseBody> {
        Ok(InvokeResponseBody::Raw(self.0))
    }
}

/// A TypeScript type as a command uses it: its text and the declarations it names.
#[derive(Debug, Clone)]
pub struct TsType {
    text: String,
    names: BTreeSet<String>,
}

#[derive(Debug)]
struct Command {
    name: &'static str,
    docs: Vec<String>,
    args: Vec<(&'static str, TsType)>,
    result: TsType,
}

/// Collects the commands and every type they reach, then writes the TypeScript.
pub struct Generator {
    cfg: Config,
    commands: Vec<Command>,
    /// Each exported declaration's file (relative to the bindings folder) and text.
    files: BTreeMap<PathBuf, String>,
    seen: HashSet<TypeId>,
    constants: String,
    constant_imports: BTreeSet<String>,
}

impl std::fmt::Debug for Generator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Generator")
            .field("commands", &self.commands.len())
            .field("files", &self.files.len())
            .finish()
    }
}

impl Default for Generator {
    fn default() -> Self {
        Generator {
            cfg: Config::new(),
            commands: Vec::new(),
            files: BTreeMap::new(),
            seen: HashSet::new(),
            constants: String::new(),
            constant_imports: BTreeSet::new(),
        }
    }
}

/// Walks a type's declarations: each exportable one reached is written once.
struct Exports<'a>(&'a mut Generator);

impl TypeVisitor for Exports<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if !self.0.seen.insert(TypeId::of::<T>()) {
            return;
        }
        if let Some(path) = T::output_path() {
            let text = T::export_to_string(&self.0.cfg).unwrap_or_else(|e| panic!("{path:?}: {e}"));
            self.0.files.insert(path, text);
        }
        T::visit_dependencies(self);
        T::visit_generics(self);
    }
}

/// The declarations a type names at its top level (`Array<PatientDto>`: `PatientDto`).
struct Names<'a>(&'a Config, &'a mut BTreeSet<String>);

impl TypeVisitor for Names<'_> {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if T::output_path().is_some() {
            self.1.insert(T::ident(self.0));
        } else {
            T::visit_generics(self);
        }
    }
}

impl Generator {
    /// `T` as TypeScript names it; its declarations join the export.
    pub fn ty<T: TS + 'static>(&mut self) -> TsType {
        Exports(self).visit::<T>();
        let mut names = BTreeSet::new();
        Names(&self.cfg, &mut names).visit::<T>();
        let text =
            if TypeId::of::<T>() == TypeId::of::<()>() { "void".to_owned() } else { T::name(&self.cfg) };
        TsType { text, names }
    }

    pub fn arg<T: TS + 'static>(&mut self, name: &'static str) -> (&'static str, TsType) {
        (name, self.ty::<T>())
    }

    pub fn command(
        &mut self,
        name: &'static str,
        docs: &[&str],
        args: Vec<(&'static str, TsType)>,
        result: TsType,
    ) {
        let docs = docs.iter().map(|d| d.trim().to_owned()).collect();
        self.commands.push(Command { name, docs, args, result });
    }

    /// Declare a value the UI must agree on with the core (a limit, a list) as
    /// `export const NAME: Type = <JSON>;` in `constants.ts`.
    pub fn constant<T: TS + serde::Serialize + 'static>(&mut self, name: &str, doc: &str, value: &T) {
        let ty = self.ty::<T>();
        let json = serde_json::to_string_pretty(value).unwrap_or_else(|e| panic!("{name}: {e}"));
        self.constant_imports.extend(ty.names.iter().cloned());
        let _ = write!(self.constants, "\n/** {doc} */\nexport const {name}: {} = {json};\n", ty.text);
    }

    /// A generated file written whole by the caller.
    pub fn file(&mut self, name: &str, text: String) {
        self.files.insert(PathBuf::from(name), text);
    }

    /// Every generated file (relative to the bindings folder) and its text.
    pub fn files(mut self) -> BTreeMap<PathBuf, String> {
        let commands = self.commands_ts();
        self.files.insert(PathBuf::from("commands.ts"), commands);
        if !self.constants.is_empty() {
            let mut text = String::from(NOTE);
            for n in &self.constant_imports {
                let _ = writeln!(text, "import type {{ {n} }} from \"./{n}\";");
            }
            text.push_str(&self.constants);
            self.files.insert(PathBuf::from("constants.ts"), text);
        }
        self.files
    }

    fn commands_ts(&self) -> String {
        let mut imports = BTreeSet::new();
        for c in &self.commands {
            imports.extend(c.args.iter().flat_map(|(_, t)| t.names.iter().cloned()));
            imports.extend(c.result.names.iter().cloned());
        }
        let mut out = String::from(NOTE);
        out.push_str("import { call } from \"../call\";\n");
        for n in &imports {
            let _ = writeln!(out, "import type {{ {n} }} from \"./{n}\";");
        }
        for c in &self.commands {
            out.push('\n');
            if !c.docs.is_empty() {
                out.push_str("/**\n");
                for d in &c.docs {
                    let _ = writeln!(out, " * {d}");
                }
                out.push_str(" */\n");
            }
            // Trailing optional arguments may be left out (the shell reads them as none).
            let optional_from =
                c.args.iter().rposition(|(_, t)| !t.text.ends_with("| null")).map_or(0, |i| i + 1);
            let params: Vec<String> = c
                .args
                .iter()
                .enumerate()
                .map(|(i, (n, t))| {
                    let default = if i >= optional_from { " = null" } else { "" };
                    format!("{}: {}{default}", camel(n), t.text)
                })
                .collect();
            let payload = if c.args.is_empty() {
                String::new()
            } else {
                let keys: Vec<String> = c.args.iter().map(|(n, _)| camel(n)).collect();
                format!(", {{ {} }}", keys.join(", "))
            };
            let _ = writeln!(
                out,
                "export const {} = ({}) =>\n  call<{}>(\"{}\"{payload});",
                camel(c.name),
                params.join(", "),
                c.result.text,
                c.name
            );
        }
        out
    }
}

const NOTE: &str = "// Generated by src-tauri/src/boundary.rs from the Rust types and commands. Do not edit:\n// run scripts/bindings.sh.\n\n";

/// `save_plan_pdf` -> `savePlanPdf` (the names Tauri maps back to the Rust arguments).
fn camel(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for ch in snake.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_camel_case_as_tauri_expects() {
        assert_eq!(camel("save_plan_pdf"), "savePlanPdf");
        assert_eq!(camel("id"), "id");
        assert_eq!(camel("article30_register"), "article30Register");
    }
}
