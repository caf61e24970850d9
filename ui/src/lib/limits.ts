// The input limits the core enforces (generated from `cuspid::Limits`), and the one
// way the UI counts characters against them: as the core does, in Unicode scalar
// values, so "ă" or an emoji counts once, never as its UTF-16 units.

export { LIMITS } from "./bindings/constants";

/** Characters as the core counts them (Unicode scalar values, not UTF-16 units). */
export function charCount(s: string): number {
  return [...s].length;
}
