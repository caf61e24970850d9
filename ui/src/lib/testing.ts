// What the unit tests share: the day they take as today, records made from defaults with
// only the fields a test is about changed, fake timers.
import { afterEach, beforeEach, vi } from "vitest";

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
