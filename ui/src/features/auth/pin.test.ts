import { describe, expect, it } from "vitest";

import { isPinShaped, newPinProblems } from "./pin";

describe("isPinShaped", () => {
  it("takes 6 to 12 digits", () => {
    expect(isPinShaped("482916")).toBe(true);
    expect(isPinShaped("482916482916")).toBe(true);
  });

  it("refuses fewer than 6 or more than 12 digits, and anything but digits", () => {
    for (const pin of ["", "48291", "4829164829160", "48291a", "482 916", " 482916", "٤٨٢٩١٦", "48.2916"]) {
      expect(isPinShaped(pin), JSON.stringify(pin)).toBe(false);
    }
  });

  it("leaves repeated digits and runs to the core", () => {
    expect(isPinShaped("111111")).toBe(true);
    expect(isPinShaped("123456")).toBe(true);
  });
});

describe("newPinProblems", () => {
  it("needs the shape and the same PIN twice", () => {
    expect(newPinProblems("482916", "482916")).toEqual({ pin: null, again: null });
    expect(newPinProblems("4829", "4829")).toEqual({ pin: "shape", again: null });
    expect(newPinProblems("482916", "482961")).toEqual({ pin: null, again: "mismatch" });
    expect(newPinProblems("482916", "")).toEqual({ pin: null, again: "mismatch" });
  });
});
