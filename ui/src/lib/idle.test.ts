import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { IdleLock, isLockShortcut, watchActivity } from "./idle";

const MINUTE = 60_000;

describe("IdleLock", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("locks once the idle span has passed without input", () => {
    const onIdle = vi.fn();
    const idle = new IdleLock(onIdle);
    idle.start(5);
    vi.advanceTimersByTime(5 * MINUTE - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    expect(idle.running).toBe(false);
    vi.advanceTimersByTime(60 * MINUTE);
    expect(onIdle, "fires once, not every span").toHaveBeenCalledTimes(1);
  });

  it("starts the span again on every input", () => {
    const onIdle = vi.fn();
    const idle = new IdleLock(onIdle);
    idle.start(5);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(4 * MINUTE);
      idle.activity();
    }
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5 * MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it("counts from the last input, not from the timer", () => {
    const onIdle = vi.fn();
    const idle = new IdleLock(onIdle);
    idle.start(5);
    vi.advanceTimersByTime(3 * MINUTE);
    idle.activity();
    vi.advanceTimersByTime(2 * MINUTE); // the first timer fires here and re-arms for 3 more minutes
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(3 * MINUTE - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it("never fires after stop, and input while stopped does nothing", () => {
    const onIdle = vi.fn();
    const idle = new IdleLock(onIdle);
    idle.start(1);
    idle.stop();
    idle.activity();
    vi.advanceTimersByTime(10 * MINUTE);
    expect(onIdle).not.toHaveBeenCalled();
    expect(idle.running).toBe(false);
  });

  it("applies a new idle span to the time already idle", () => {
    const onIdle = vi.fn();
    const idle = new IdleLock(onIdle);
    idle.start(10);
    vi.advanceTimersByTime(3 * MINUTE);
    idle.setMinutes(2);
    expect(onIdle, "already idle longer than the new span").toHaveBeenCalledTimes(1);

    const later = vi.fn();
    const other = new IdleLock(later);
    other.start(10);
    vi.advanceTimersByTime(1 * MINUTE);
    other.setMinutes(3);
    vi.advanceTimersByTime(2 * MINUTE - 1);
    expect(later).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(later).toHaveBeenCalledTimes(1);
  });

  it("restarts cleanly", () => {
    const onIdle = vi.fn();
    const idle = new IdleLock(onIdle);
    idle.start(5);
    vi.advanceTimersByTime(4 * MINUTE);
    idle.start(5);
    vi.advanceTimersByTime(4 * MINUTE);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });
});

describe("watchActivity", () => {
  it("reports input events until told to stop", () => {
    const target = new EventTarget();
    const seen = vi.fn();
    const stop = watchActivity(target, seen);
    target.dispatchEvent(new Event("keydown"));
    target.dispatchEvent(new Event("pointermove"));
    target.dispatchEvent(new Event("focus"));
    expect(seen).toHaveBeenCalledTimes(2);
    stop();
    target.dispatchEvent(new Event("keydown"));
    expect(seen).toHaveBeenCalledTimes(2);
  });
});

describe("isLockShortcut", () => {
  const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; shiftKey: boolean }>) => ({
    key: k,
    ctrlKey: false,
    metaKey: false,
    altKey: false,
    shiftKey: false,
    ...mods,
  });

  it("is Ctrl+L (or Cmd+L), either case", () => {
    expect(isLockShortcut(key("l", { ctrlKey: true }))).toBe(true);
    expect(isLockShortcut(key("L", { ctrlKey: true }))).toBe(true);
    expect(isLockShortcut(key("l", { metaKey: true }))).toBe(true);
  });

  it("is not plain L, nor with Alt or Shift", () => {
    expect(isLockShortcut(key("l", {}))).toBe(false);
    expect(isLockShortcut(key("l", { ctrlKey: true, altKey: true }))).toBe(false);
    expect(isLockShortcut(key("l", { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isLockShortcut(key("k", { ctrlKey: true }))).toBe(false);
  });
});
