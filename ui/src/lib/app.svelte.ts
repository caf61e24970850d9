// The app's top-level state: set up or not, who is logged in, locked or not, and the
// clinic settings. Screens read it; only these methods change it.

import * as backend from "./backend";
import type { AppStatus } from "./bindings/AppStatus";
import type { SessionInfo } from "./bindings/SessionInfo";
import type { Settings } from "./bindings/Settings";
import { endsSession, meansLocked, toAppError, type AppError } from "./errors";
import { locale } from "./i18n/locale.svelte";
import { router } from "./router.svelte";
import { clearToasts } from "./toasts.svelte";

export type Phase = "loading" | "unavailable" | "setup" | "login" | "locked" | "app";

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

  get phase(): Phase {
    if (this.startError) return "unavailable";
    if (!this.status) return "loading";
    if (this.status.open_error && !this.settingUp) return "unavailable";
    if (!this.status.initialised || this.settingUp) return "setup";
    // The shell hides who is logged in while locked; the lock screen still applies.
    if (this.locked) return "locked";
    if (!this.session) return "login";
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
      if (this.session && !this.locked) await this.loadSettings();
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
    if (endsSession(e) && this.session) {
      clearToasts();
      this.session = null;
      this.locked = false;
    } else if (meansLocked(e)) {
      clearToasts();
      this.locked = true;
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
    if (this.session) await this.loadSettings();
  }

  async loggedIn(info: SessionInfo) {
    this.session = info;
    this.locked = false;
    this.lastUsername = info.username;
    router.reset();
    await this.loadSettings();
  }

  /** Lock now: the shell is unmounted, so no patient data stays on screen. */
  async lock() {
    if (!this.session) return;
    clearToasts();
    this.locked = true;
    try {
      await backend.lock();
    } catch {
      // locked on screen regardless; the core refuses calls until unlock anyway
    }
  }

  async unlocked(info: SessionInfo) {
    this.session = info;
    this.locked = false;
    await this.loadSettings();
  }

  async logout() {
    try {
      await backend.logout();
    } catch {
      // the session is dropped on screen either way; the next call would need a login
    }
    clearToasts();
    this.session = null;
    this.locked = false;
    router.reset();
  }
}

export const app = new AppState();
