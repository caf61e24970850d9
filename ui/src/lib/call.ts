// The one way into the Tauri shell: every generated command (`./bindings/commands.ts`)
// calls `call`, which resolves with the typed result or rejects with an `AppError`.
// Screens import from `./backend`, never from @tauri-apps/api directly, so the UI's
// logic stays testable without a window.

import { invoke } from "@tauri-apps/api/core";

import { type AppError, toAppError } from "./errors";

type Listener = (e: AppError) => void;
const listeners = new Set<Listener>();

/**
 * Be told of every failed call (after normalisation). The app uses it to move to the
 * login or lock screen when the session ends or the app was locked elsewhere.
 */
export function onBackendError(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Tell every listener of a failure, and give it back to throw. */
export function reportError(raw: unknown): AppError {
  const error = toAppError(raw);
  for (const l of listeners) l(error);
  return error;
}

/** Call one command; resolve with its typed result or reject with an `AppError`. */
export async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw reportError(raw);
  }
}
