import { describe, expect, it } from "vitest";

import { defaultRecoveryPdfPath, groupRecoveryKey } from "./recovery";

describe("recovery key", () => {
  it("shows the key in its groups", () => {
    expect(groupRecoveryKey("ABCD-EFGH-IJKL")).toEqual(["ABCD", "EFGH", "IJKL"]);
    expect(groupRecoveryKey("ABCDEFGHIJ")).toEqual(["ABCD", "EFGH", "IJ"]);
  });

  it("offers a file name in the chosen language", () => {
    expect(defaultRecoveryPdfPath("ro")).toBe("~/cuspid-cheie-recuperare.pdf");
    expect(defaultRecoveryPdfPath("en")).toBe("~/cuspid-recovery-key.pdf");
  });
});
