// Every call into the Tauri shell. The commands, their arguments and results are
// generated from the Rust side (`./bindings/commands.ts`, see src-tauri/src/boundary.rs);
// this module adds only what a command's raw answer needs on top: the X-ray viewer's
// binary answer read into pixels, the export's form as one argument, and the shell's
// "app-locked" event.

import { listen } from "@tauri-apps/api/event";

import * as commands from "./bindings/commands";
import type { ExportReport } from "./bindings/ExportReport";
import { reportError } from "./call";
import type { ExportArgs } from "../features/gdpr/gdpr";
import { parseXrayView, type OpenedXray } from "../features/imaging/xray";

export * from "./bindings/commands";
export { call, onBackendError } from "./call";

/** Run `handler` whenever the shell locked the app by itself (its own idle limit); resolves
 *  with the function that stops listening. Outside the app window there is nothing to hear. */
export async function onAppLocked(handler: () => void): Promise<() => void> {
  try {
    return await listen<null>("app-locked", () => handler());
  } catch {
    return () => {};
  }
}

/** One frame's pixels (the first unless said) and how to show them first, read from the shell's binary answer. */
export async function openXray(patientId: string, xrayId: string, frame = 0): Promise<OpenedXray> {
  const raw: ArrayBuffer | Uint8Array | number[] = await commands.openXray(patientId, xrayId, frame);
  try {
    return parseXrayView(asArrayBuffer(raw));
  } catch (err) {
    throw reportError(err);
  }
}

/** A binary answer as one `ArrayBuffer` (IPC layers hand it over as a buffer, a byte view or numbers). */
function asArrayBuffer(raw: ArrayBuffer | Uint8Array | number[]): ArrayBuffer {
  if (raw instanceof ArrayBuffer) return raw;
  const bytes = raw instanceof Uint8Array ? raw : Uint8Array.from(raw);
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

/** `commands.exportPatient` with the export form's choices as one argument. */
export const exportPatient = (id: string, args: ExportArgs, requestId: string | null): Promise<ExportReport> =>
  commands.exportPatient(
    id,
    args.dir,
    args.passphrase,
    args.generatePassphrase,
    args.keepImageMetadata,
    args.lang,
    requestId,
  );

/** `commands.exportXray`, the original file unless `stripIdentifiers` is asked for. */
export const exportXray = (patientId: string, xrayId: string, path: string, stripIdentifiers = false) =>
  commands.exportXray(patientId, xrayId, path, stripIdentifiers);
