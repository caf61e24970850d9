import { describe, expect, it, vi } from "vitest";

import { debounce, latestOnly } from "./debounce";
import { fakeTimers } from "./testing";

describe("debounce", () => {
  fakeTimers();

  it("calls once with the last arguments after a quiet spell", () => {
    const fn = vi.fn();
    const d = debounce(fn, 300);
    d("a");
    vi.advanceTimersByTime(200);
    d("ab");
    vi.advanceTimersByTime(299);
    expect(fn).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fn).toHaveBeenCalledExactlyOnceWith("ab");
  });

  it("drops a pending call on cancel", () => {
    const fn = vi.fn();
    const d = debounce(fn, 300);
    d("a");
    d.cancel();
    vi.advanceTimersByTime(1000);
    expect(fn).not.toHaveBeenCalled();
  });

  it("lets only the latest of overlapping requests through", () => {
    const latest = latestOnly();
    const first = latest.begin();
    const second = latest.begin();
    expect(latest.isLatest(first)).toBe(false);
    expect(latest.isLatest(second)).toBe(true);
    latest.invalidate();
    expect(latest.isLatest(second)).toBe(false);
  });
});
