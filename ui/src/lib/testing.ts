// What the unit tests share: the day they take as today, records made from defaults with
// only the fields a test is about changed, fake timers and what they make happen when.
import { afterEach, beforeEach, expect, vi, type Mock } from "vitest";

/** The day the tests take as today. */
export const TODAY = "2026-11-25";

/** A maker of `T`s: fresh defaults each time, with the fields given changed. */
export function maker<T>(defaults: () => T): (over?: Partial<T>) => T {
  return (over = {}) => ({ ...defaults(), ...over });
}

/** Fake timers for each test of the `describe` this is called in, real ones again after. */
export function fakeTimers(): void {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** With fake timers: `fn` is not called before `ms` more have passed, and is called once then. */
export function expectCalledOnceAfter(fn: Mock, ms: number): void {
  vi.advanceTimersByTime(ms - 1);
  expect(fn).not.toHaveBeenCalled();
  vi.advanceTimersByTime(1);
  expect(fn).toHaveBeenCalledTimes(1);
}
