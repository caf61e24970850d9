import { describe, expect, it, vi } from "vitest";

import { expectCalledOnceAfter, fakeTimers } from "../../lib/testing";
import { ActivityPing, IdleLock, isLockShortcut, watchActivity } from "./idle";

const MINUTE = 60_000;

describe("IdleLock", () => {
  fakeTimers();

  /** A lock started on an idle span of `minutes`, with what it calls when the span ends. */
  function started(minutes: number) {
    const onIdle = vi.fn();
    const idle = new IdleLock(onIdle);
    idle.start(minutes);
    return { onIdle, idle };
  }

  it("locks once the idle span has passed without input", () => {
    const { onIdle, idle } = started(5);
    expectCalledOnceAfter(onIdle, 5 * MINUTE);
    expect(idle.running).toBe(false);
    vi.advanceTimersByTime(60 * MINUTE);
    expect(onIdle, "fires once, not every span").toHaveBeenCalledTimes(1);
  });

  it("starts the span again on every input", () => {
    const { onIdle, idle } = started(5);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(4 * MINUTE);
      idle.activity();
    }
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(5 * MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it("counts from the last input, not from the timer", () => {
    const { onIdle, idle } = started(5);
    vi.advanceTimersByTime(3 * MINUTE);
    idle.activity();
    vi.advanceTimersByTime(2 * MINUTE); // the first timer fires here and re-arms for 3 more minutes
    expect(onIdle).not.toHaveBeenCalled();
    expectCalledOnceAfter(onIdle, 3 * MINUTE);
  });

  it("never fires after stop, and input while stopped does nothing", () => {
    const { onIdle, idle } = started(1);
    idle.stop();
    idle.activity();
    vi.advanceTimersByTime(10 * MINUTE);
    expect(onIdle).not.toHaveBeenCalled();
    expect(idle.running).toBe(false);
  });

  it("applies a new idle span to the time already idle", () => {
    const { onIdle, idle } = started(10);
    vi.advanceTimersByTime(3 * MINUTE);
    idle.setMinutes(2);
    expect(onIdle, "already idle longer than the new span").toHaveBeenCalledTimes(1);

    const { onIdle: later, idle: other } = started(10);
    vi.advanceTimersByTime(1 * MINUTE);
    other.setMinutes(3);
    expectCalledOnceAfter(later, 2 * MINUTE);
  });

  it("restarts cleanly", () => {
    const { onIdle, idle } = started(5);
    vi.advanceTimersByTime(4 * MINUTE);
    idle.start(5);
    vi.advanceTimersByTime(4 * MINUTE);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MINUTE);
    expect(onIdle).toHaveBeenCalledTimes(1);
  });
});

describe("ActivityPing", () => {
  const SECOND = 1000;

  fakeTimers();

  /** A ping sending every `intervalMs` (the app's interval unless given), with what it calls. */
  function pinging(intervalMs?: number) {
    const send = vi.fn();
    return { send, ping: new ActivityPing(send, intervalMs) };
  }

  it("tells the core at once after a quiet spell, then at most once every 30 seconds", () => {
    const { send, ping } = pinging();
    ping.activity();
    expect(send, "the first input goes at once").toHaveBeenCalledTimes(1);
    for (let i = 0; i < 29; i++) {
      vi.advanceTimersByTime(SECOND);
      ping.activity();
    }
    expect(send, "typing for 29 seconds: no second ping yet").toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(SECOND - 1);
    expect(send).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(1);
    expect(send, "the input since is sent when the 30 seconds end").toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(10 * 60 * SECOND);
    expect(send, "no input, nothing sent").toHaveBeenCalledTimes(2);
  });

  it("never sends twice within 30 seconds however much input there is", () => {
    const { send, ping } = pinging();
    const sentAt: number[] = [];
    send.mockImplementation(() => sentAt.push(Date.now()));
    for (let ms = 0; ms < 5 * 60 * SECOND; ms += 250) {
      ping.activity();
      vi.advanceTimersByTime(250);
    }
    expect(sentAt.length, "at 0, 30, …, 300 seconds").toBe(11);
    for (let i = 1; i < sentAt.length; i++) expect(sentAt[i]! - sentAt[i - 1]!).toBeGreaterThanOrEqual(30 * SECOND);
  });

  it("sends a later input at once when 30 seconds have already passed", () => {
    const { send, ping } = pinging();
    ping.activity();
    vi.advanceTimersByTime(45 * SECOND);
    ping.activity();
    expect(send).toHaveBeenCalledTimes(2);
    expect(ping.pending).toBe(false);
  });

  it("sends nothing after stop, not even the ping that was waiting", () => {
    const { send, ping } = pinging();
    ping.activity();
    vi.advanceTimersByTime(5 * SECOND);
    ping.activity();
    expect(ping.pending).toBe(true);
    ping.stop();
    expect(ping.pending).toBe(false);
    vi.advanceTimersByTime(60 * SECOND);
    ping.activity();
    expect(send).toHaveBeenCalledTimes(1);
  });

  it("takes another interval", () => {
    const { send, ping } = pinging(5 * SECOND);
    ping.activity();
    vi.advanceTimersByTime(SECOND);
    ping.activity();
    vi.advanceTimersByTime(4 * SECOND);
    expect(send).toHaveBeenCalledTimes(2);
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
