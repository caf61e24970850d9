// The idle lock: after N minutes without keyboard or pointer input the app locks.
// Input only records a time stamp (no timer churn on every mouse move); the one
// timer re-arms itself for the remaining time until the full idle span has passed.
// The core keeps an idle limit of its own, so input is also reported to it, throttled.

export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

// Looked up at call time, so test fake timers apply.
const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (h) => globalThis.clearTimeout(h as ReturnType<typeof setTimeout>),
};

export class IdleLock {
  #onIdle: () => void;
  #clock: Clock;
  #timeoutMs = 0;
  #last = 0;
  #handle: unknown = null;

  constructor(onIdle: () => void, clock: Clock = systemClock) {
    this.#onIdle = onIdle;
    this.#clock = clock;
  }

  get running(): boolean {
    return this.#handle !== null;
  }

  /** Start (or restart) counting from now. */
  start(minutes: number): void {
    this.stop();
    this.#timeoutMs = Math.max(1, minutes) * 60_000;
    this.#last = this.#clock.now();
    this.#arm(this.#timeoutMs);
  }

  /** Input happened: the idle span starts again. */
  activity(): void {
    if (this.running) this.#last = this.#clock.now();
  }

  /** A new idle span from settings; the time already idle counts towards it. */
  setMinutes(minutes: number): void {
    if (!this.running) return;
    this.#timeoutMs = Math.max(1, minutes) * 60_000;
    this.#clock.clearTimeout(this.#handle);
    this.#handle = null;
    this.#check();
  }

  stop(): void {
    if (this.#handle !== null) this.#clock.clearTimeout(this.#handle);
    this.#handle = null;
  }

  #arm(ms: number): void {
    this.#handle = this.#clock.setTimeout(() => {
      this.#handle = null;
      this.#check();
    }, ms);
  }

  #check(): void {
    const idle = this.#clock.now() - this.#last;
    if (idle >= this.#timeoutMs) {
      this.#onIdle();
    } else {
      this.#arm(this.#timeoutMs - idle);
    }
  }
}

/** How often at most the core is told that someone is at the keyboard. */
export const ACTIVITY_PING_MS = 30_000;

/**
 * Tells the core someone is at the keyboard, at most once every `intervalMs`: the core
 * keeps its own idle limit and locks by itself when it passes. The first input after a
 * quiet spell is sent at once; input within the interval after a ping is sent when the
 * interval ends (once), so the core never lags the last input by more than the interval.
 */
export class ActivityPing {
  #send: () => void;
  #clock: Clock;
  #intervalMs: number;
  #lastSent = Number.NEGATIVE_INFINITY;
  #handle: unknown = null;
  #stopped = false;

  constructor(send: () => void, intervalMs: number = ACTIVITY_PING_MS, clock: Clock = systemClock) {
    this.#send = send;
    this.#intervalMs = intervalMs;
    this.#clock = clock;
  }

  /** Whether a ping waits for the end of the interval. */
  get pending(): boolean {
    return this.#handle !== null;
  }

  /** Input happened. */
  activity(): void {
    if (this.#stopped || this.#handle !== null) return;
    const wait = this.#lastSent + this.#intervalMs - this.#clock.now();
    if (wait <= 0) {
      this.#fire();
    } else {
      this.#handle = this.#clock.setTimeout(() => {
        this.#handle = null;
        if (!this.#stopped) this.#fire();
      }, wait);
    }
  }

  /** Signed out or locked: nothing more is sent, not even a ping already waiting. */
  stop(): void {
    this.#stopped = true;
    if (this.#handle !== null) this.#clock.clearTimeout(this.#handle);
    this.#handle = null;
  }

  #fire(): void {
    this.#lastSent = this.#clock.now();
    this.#send();
  }
}

/** The events that count as someone at the keyboard. */
export const ACTIVITY_EVENTS = ["keydown", "pointerdown", "pointermove", "wheel", "touchstart"] as const;

/** Call `onActivity` on any input on `target`; returns the function that stops listening. */
export function watchActivity(target: EventTarget, onActivity: () => void): () => void {
  const handler = () => onActivity();
  for (const e of ACTIVITY_EVENTS) target.addEventListener(e, handler, { passive: true, capture: true });
  return () => {
    for (const e of ACTIVITY_EVENTS) target.removeEventListener(e, handler, { capture: true });
  };
}

/** Ctrl+L (Cmd+L on a Mac keyboard) locks the app. */
export function isLockShortcut(e: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === "l";
}
