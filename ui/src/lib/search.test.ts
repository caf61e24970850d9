import { describe, expect, it } from "vitest";

import { detectQueryKind, moveHighlight, planSearch } from "./search";

describe("detectQueryKind", () => {
  it("reads 13 digits as a CNP, spaces allowed", () => {
    expect(detectQueryKind("1800101221144")).toBe("cnp");
    expect(detectQueryKind(" 180 0101 221144 ")).toBe("cnp");
  });

  it("reads digits still being typed (not from 0) as a CNP", () => {
    expect(detectQueryKind("18001")).toBe("cnp");
  });

  it("reads anything with an @ as an e-mail", () => {
    expect(detectQueryKind("ana.pop@example.ro")).toBe("email");
    expect(detectQueryKind("ana@")).toBe("email");
  });

  it("reads + or 0 followed by mostly digits as a phone", () => {
    for (const phone of ["0721234567", "0721 234 567", "+40 721-234-567", "0040721234567", "(0721) 234.567", "07"]) {
      expect(detectQueryKind(phone), phone).toBe("phone");
    }
  });

  it("reads everything else as a name", () => {
    for (const name of ["Popescu", "ștefan ion", "Ana-Maria", "0ana", "+ana", "Ion 2"]) {
      expect(detectQueryKind(name), name).toBe("name");
    }
  });
});

describe("planSearch", () => {
  it("does nothing for an empty box", () => {
    expect(planSearch("   ")).toEqual({ kind: "empty" });
  });

  it("sends a whole CNP without spaces", () => {
    expect(planSearch("1800101 221144")).toEqual({ kind: "query", query: { by: "cnp", value: "1800101221144" } });
  });

  it("waits for the rest of a CNP", () => {
    expect(planSearch("180010122")).toEqual({ kind: "wait", by: "cnp", hint: "cnp_length" });
  });

  it("sends a phone once it has all its digits", () => {
    expect(planSearch("0721 234 56")).toEqual({ kind: "wait", by: "phone", hint: "phone_length" });
    expect(planSearch("0721 234 567")).toEqual({ kind: "query", query: { by: "phone", value: "0721 234 567" } });
    expect(planSearch("+33 6 12 34 56 78")).toEqual({
      kind: "query",
      query: { by: "phone", value: "+33 6 12 34 56 78" },
    });
  });

  it("sends an e-mail once it looks whole", () => {
    expect(planSearch("ana@exam")).toMatchObject({ kind: "wait", hint: "email_incomplete" });
    expect(planSearch("ana@example.ro")).toEqual({ kind: "query", query: { by: "email", value: "ana@example.ro" } });
  });

  it("sends a name from two letters, diacritics kept for the core to fold", () => {
    expect(planSearch("Ș")).toEqual({ kind: "wait", by: "name", hint: "name_short" });
    expect(planSearch("Ște")).toEqual({ kind: "query", query: { by: "name", value: "Ște" } });
  });
});

describe("moveHighlight", () => {
  it("moves and wraps with the arrow keys", () => {
    expect(moveHighlight(-1, 3, "ArrowDown")).toBe(0);
    expect(moveHighlight(2, 3, "ArrowDown")).toBe(0);
    expect(moveHighlight(0, 3, "ArrowUp")).toBe(2);
    expect(moveHighlight(1, 3, "ArrowUp")).toBe(0);
    expect(moveHighlight(1, 3, "End")).toBe(2);
    expect(moveHighlight(1, 3, "x")).toBe(1);
  });

  it("highlights nothing in an empty list", () => {
    expect(moveHighlight(0, 0, "ArrowDown")).toBe(-1);
  });
});
