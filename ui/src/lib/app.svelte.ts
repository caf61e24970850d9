// The app's top-level state: set up or not, who is logged in, locked or not, and the
// clinic settings. Screens read it; only these methods change it.

import * as backend from "./backend";
import type { AppStatus } from "./bindings/AppStatus";
import type { RotationReport } from "./bindings/RotationReport";
import type { SessionInfo } from "./bindings/SessionInfo";
import type { Settings } from "./bindings/Settings";
import { endsSession, meansEnrolmentRequired, meansLocked, toAppError, type AppError } from "./errors";
import { locale } from "./i18n/locale.svelte";
import { router } from "./router.svelte";
import { clearToasts } from "./toasts.svelte";

/** `mfa`: signed in as an administrator or DPO who must set up two-factor sign-in before
 *  anything else (the session may do nothing but enrol, or sign out). */
export type Phase = "loading" | "unavailable" | "setup" | "login" | "locked" | "mfa" | "app";

/** Why the login screen is up when nobody chose to sign out: what the core refused (timed
 *  out, the account disabled, the clinic key replaced elsewhere or the role changed), or
 *  this administrator's own key rotation. */
export type SessionEnd = { why: "error"; error: AppError } | { why: "rotated"; report: RotationReport };

const DEFAULT_SETTINGS: Settings = { idle_lock_minutes: 5, language: "ro" };

class AppState {
  status = $state<AppStatus | null>(null);
  session = $state<SessionInfo | null>(null);
  locked = $state(false);
  settings = $state<Settings>(DEFAULT_SETTINGS);
  startError = $state<AppError | null>(null);
  /** The wizard stays up after `setup` succeeded, until the recovery key was stored. */
  settingUp = $state(false);
  /** The user name just created in the wizard, offered on the login screen. */
  lastUsername = $state("");
  /** Why the session ended, said on the login screen until the next sign-in. */
  ended = $state<SessionEnd | null>(null);

  get phase(): Phase {
    if (this.startError) return "unavailable";
    if (!this.status) return "loading";
    if (this.status.open_error && !this.settingUp) return "unavailable";
    if (!this.status.initialised || this.settingUp) return "setup";
    // The shell hides who is logged in while locked; the lock screen still applies.
    if (this.locked) return "locked";
    if (!this.session) return "login";
    if (this.session.mfa_pending) return "mfa";
    return "app";
  }

  /** Why the app cannot go on: the core did not answer, or the database did not open. */
  get blocker(): AppError | null {
    return this.startError ?? this.status?.open_error ?? null;
  }

  async start() {
    this.startError = null;
    try {
      this.adopt(await backend.appStatus());
      if (this.session && !this.locked && !this.session.mfa_pending) await this.loadSettings();
    } catch (e) {
      this.startError = toAppError(e);
    }
  }

  /** Take over what the shell reports (after start, or after choosing a data location). */
  adopt(status: AppStatus) {
    this.status = status;
    this.session = status.session;
    this.locked = status.locked;
  }

  /** Called by the backend module on every failed call. */
  onBackendError(e: AppError) {
    if (endsSession(e) && (this.session || this.locked)) {
      this.endSession({ why: "error", error: e });
    } else if (meansLocked(e) && !this.locked) {
      this.showLocked();
    } else if (meansEnrolmentRequired(e) && this.session && !this.session.mfa_pending) {
      // The core holds this session to enrolment: nothing else on screen either.
      clearToasts();
      this.session = { ...this.session, mfa_pending: true };
      router.reset();
    }
  }

  /** The shell locked by itself (its own idle limit): hide everything, ask who locked. */
  lockedByShell() {
    if (this.session && !this.locked) this.showLocked();
    else if (this.locked) void this.refreshStatus();
  }

  /** The core is locked already: the lock screen, and who may unlock it. */
  showLocked() {
    clearToasts();
    this.locked = true;
    if (this.status && this.session) this.status = { ...this.status, locked: true, locked_user: this.session.username };
    void this.refreshStatus();
  }

  /** The session is over (see `SessionEnd`): to the login screen, saying why. The core is
   *  told to sign out too, so a session it still holds (timed out, or of an account
   *  disabled meanwhile) drops its keys now and is not locked later by the shell. */
  endSession(reason: SessionEnd) {
    this.#signedOut(reason);
    void backend.logout().catch(() => {
      // signed out on screen either way; the core refuses everything but a sign-in
    });
  }

  /** This administrator replaced the clinic key: every session, theirs too, signs in again. */
  keysRotated(report: RotationReport) {
    this.endSession({ why: "rotated", report });
  }

  /** Read the shell's status again (who locked, who is remembered) without touching the
   *  session shown: while locked the shell reports none. */
  async refreshStatus() {
    try {
      this.status = await backend.appStatus();
    } catch {
      // the status on screen stays; the next call will say what is wrong
    }
  }

  /** Someone is at the keyboard (throttled by the caller): tell the core, whose idle limit
   *  would otherwise lock the app. A refusal moves to the lock or login screen. */
  async activity() {
    if (!this.session || this.locked) return;
    try {
      await backend.activity();
    } catch {
      // handled by onBackendError: timed out -> login, locked -> lock screen
    }
  }

  async loadSettings() {
    try {
      this.settings = await backend.getSettings();
      locale.applyDefault(this.settings.language);
    } catch {
      // settings.read is allowed to every role; a failure leaves the defaults in force
    }
  }

  setSettings(s: Settings) {
    this.settings = s;
  }

  beginSetup() {
    this.settingUp = true;
  }

  /** The recovery key is stored: the shell forgets it, and the new administrator (logged
   *  in by `setup`) goes on into the app; without that session, to the login screen. */
  async finishSetup(username: string) {
    await backend.finishSetup();
    this.lastUsername = username;
    if (this.status) this.status = { ...this.status, initialised: true };
    try {
      this.adopt(await backend.appStatus());
    } catch {
      // the local flag above is enough to move on to the login screen
    }
    this.settingUp = false;
    router.reset();
    if (this.session && !this.session.mfa_pending) await this.loadSettings();
  }

  async loggedIn(info: SessionInfo) {
    this.session = info;
    this.locked = false;
    this.ended = null;
    this.lastUsername = info.username;
    router.reset();
    // A session held to enrolment may not read the settings yet (see `mfaEnrolled`).
    if (!info.mfa_pending) await this.loadSettings();
  }

  /** Two-factor sign-in is set up (the recovery codes were shown): the core no longer
   *  holds the session to enrolment, so the app opens. */
  async mfaEnrolled() {
    if (!this.session) return;
    this.session = { ...this.session, mfa_pending: false };
    if (this.status?.session) this.status = { ...this.status, session: this.session };
    router.reset();
    await this.loadSettings();
  }

  /** Lock now (`reason` "idle" when the idle timer fired, null for the button or Ctrl+L):
   *  the shell is unmounted, so no patient data stays on screen, and the core drops the
   *  session's keys; only the same user can unlock. */
  async lock(reason: "idle" | null = null) {
    if (!this.session || this.locked) return;
    clearToasts();
    this.locked = true;
    if (this.status) this.status = { ...this.status, locked: true, locked_user: this.session.username };
    try {
      await backend.lock(reason);
    } catch {
      // locked on screen regardless; the core refuses calls until unlock anyway
    }
    await this.refreshStatus();
  }

  async unlocked(info: SessionInfo) {
    this.session = info;
    this.locked = false;
    if (this.status) this.status = { ...this.status, locked: false, locked_user: null };
    if (!info.mfa_pending) await this.loadSettings();
  }

  async logout() {
    try {
      await backend.logout();
    } catch {
      // the session is dropped on screen either way; the next call would need a login
    }
    this.#signedOut(null);
  }

  /** No session on screen any more: the login screen, saying why the last one ended. */
  #signedOut(reason: SessionEnd | null) {
    clearToasts();
    this.session = null;
    this.locked = false;
    this.ended = reason;
    if (this.status) this.status = { ...this.status, session: null, locked: false, locked_user: null };
    router.reset();
  }
}

export const app = new AppState();
