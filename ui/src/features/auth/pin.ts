// A workstation PIN as the UI checks it before sending: 6 to 12 digits, typed twice
// when chosen. The core refuses the rest (one digit repeated, a run like 123456).

import { LIMITS } from "../../lib/limits";

export const PIN_MIN = LIMITS.min_pin_digits;
export const PIN_MAX = LIMITS.max_pin_digits;

/** Whether `pin` has the shape of a PIN: 6 to 12 digits 0-9, nothing else. */
export function isPinShaped(pin: string): boolean {
  return new RegExp(`^[0-9]{${PIN_MIN},${PIN_MAX}}$`).test(pin);
}

export type PinProblem = "shape" | "mismatch";

/** What is wrong with a new PIN typed twice, field by field (null: nothing). */
export function newPinProblems(pin: string, again: string): { pin: PinProblem | null; again: PinProblem | null } {
  return {
    pin: isPinShaped(pin) ? null : "shape",
    again: again !== pin ? "mismatch" : null,
  };
}
