import { describe, expect, it } from "vitest";

import { codeKind, groupSecret, mfaRequired, normaliseCode } from "./mfa";

describe("groupSecret", () => {
  it("cuts a base32 secret in fours for typing by hand", () => {
    const half = ["JBSW", "Y3DP", "EHPK", "3PXP"];
    expect(groupSecret("JBSWY3DPEHPK3PXP".repeat(2))).toEqual([...half, ...half]);
  });

  it("leaves a shorter last group, and drops padding and spaces", () => {
    expect(groupSecret("jbswy3dpeh==")).toEqual(["JBSW", "Y3DP", "EH"]);
    expect(groupSecret(" JBSW Y3DP ")).toEqual(["JBSW", "Y3DP"]);
    expect(groupSecret("")).toEqual([]);
  });
});

describe("codeKind", () => {
  it("takes the six digits of the app, a space in between allowed", () => {
    expect(codeKind("482916")).toBe("totp");
    expect(codeKind(" 482916 ")).toBe("totp");
    expect(codeKind("482 916")).toBe("totp");
  });

  it("takes a recovery code however its two halves are written", () => {
    expect(codeKind("abcde-fgh23")).toBe("recovery");
    expect(codeKind("ABCDE-FGH23")).toBe("recovery");
    expect(codeKind("abcde fgh23")).toBe("recovery");
    expect(codeKind("abcdefgh23")).toBe("recovery");
  });

  it("refuses the rest before it costs a try", () => {
    for (const typed of ["", "48291", "4829160", "48291a", "٤٨٢٩١٦", "abcde-fgh1", "abcd-efgh2", "abcde-fghij-k"]) {
      expect(codeKind(typed), JSON.stringify(typed)).toBeNull();
    }
  });
});

describe("normaliseCode", () => {
  it("sends six digits without spaces, which the core would read as a recovery code", () => {
    expect(normaliseCode("482 916")).toBe("482916");
    expect(normaliseCode(" 482916\n")).toBe("482916");
  });

  it("sends a recovery code as abcde-fghij", () => {
    expect(normaliseCode(" ABCDE FGH23 ")).toBe("abcde-fgh23");
    expect(normaliseCode("abcdefgh23")).toBe("abcde-fgh23");
  });

  it("leaves anything else to the core, trimmed", () => {
    expect(normaliseCode(" 1234 ")).toBe("1234");
  });
});

describe("mfaRequired", () => {
  it("holds for administrators and the DPO, as the core rules", () => {
    expect(mfaRequired("admin")).toBe(true);
    expect(mfaRequired("dpo")).toBe(true);
    for (const role of ["receptionist", "assistant", "dentist", "owner"] as const) expect(mfaRequired(role)).toBe(false);
  });
});
