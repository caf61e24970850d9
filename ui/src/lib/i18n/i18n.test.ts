import { describe, expect, it } from "vitest";

import { WORDINGS } from "../bindings/wordings";

import { en } from "./en";
import { dictionaries, errorKindText, hasKey, interpolate, pluralForm, translate, translateCount } from "./index";
import { ro } from "./ro";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("dictionaries", () => {
  it("have exactly the same keys in Romanian and English", () => {
    const roKeys = Object.keys(ro).sort();
    const enKeys = Object.keys(en).sort();
    expect(roKeys.filter((k) => !enKeys.includes(k)), "only in ro.ts").toEqual([]);
    expect(enKeys.filter((k) => !roKeys.includes(k)), "only in en.ts").toEqual([]);
  });

  it("have no empty strings", () => {
    for (const [lang, dict] of Object.entries(dictionaries)) {
      for (const [key, value] of Object.entries(dict)) {
        expect(value.trim(), `${lang}: ${key}`).not.toBe("");
      }
    }
  });

  it("use the same placeholders in both languages", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(ro[key]), key).toEqual(placeholders(en[key]));
    }
  });

  it("write Romanian with comma-below ș and ț, not the cedilla forms", () => {
    for (const [key, value] of Object.entries(ro)) {
      expect(/[şţŞŢ]/.test(value), key).toBe(false);
    }
  });
});

describe("the core's error details in Romanian", () => {
  it("are written with comma-below ș and ț and differ from the English", () => {
    const entries = Object.values(WORDINGS);
    expect(entries.length).toBeGreaterThan(50);
    for (const { en, ro } of entries) {
      expect(ro, en).not.toMatch(/[şţŞŢ]/);
      expect(ro, en).not.toBe(en);
    }
    expect(WORDINGS["cnp.length"].ro).toBe("trebuie să aibă exact 13 cifre");
  });
});

describe("translate", () => {
  it("fills placeholders and leaves unknown ones as written", () => {
    expect(translate("en", "setup.step", { n: 1, total: 2 })).toBe("Step 1 of 2");
    expect(translate("ro", "setup.step", { n: 1, total: 2 })).toBe("Pasul 1 din 2");
    expect(interpolate("{a} and {b}", { a: "x" })).toBe("x and {b}");
  });

  it("picks the plural forms Intl knows for Romanian", () => {
    expect([1, 2, 19, 20, 101, 120].map((n) => pluralForm(n, "ro"))).toEqual(["one", "few", "few", "other", "few", "other"]);
    expect([1, 2, 20].map((n) => pluralForm(n, "en"))).toEqual(["one", "other", "other"]);
  });

  it("words a count in its plural form, the count as {n}", () => {
    expect([1, 3, 20].map((n) => translateCount("ro", "requests.state.dueIn", n))).toEqual([
      "Termen peste 1 zi",
      "Termen peste 3 zile",
      "Termen peste 20 de zile",
    ]);
    expect(translateCount("en", "requests.state.late", 1)).toBe("1 day late");
  });

  it("knows which keys exist", () => {
    expect(hasKey("login.title")).toBe(true);
    expect(hasKey("login.nothing")).toBe(false);
    expect(hasKey("toString")).toBe(false);
  });

  it("has a localized text for the error kinds the UI reacts to", () => {
    for (const kind of [
      "auth.invalid_credentials",
      "auth.locked",
      "auth.permission_denied",
      "auth.no_session",
      "auth.app_locked",
      "auth.disabled",
      "auth.session_expired",
      "auth.session_timed_out",
      "auth.keyring_unavailable",
      "auth.totp_required",
      "auth.invalid_code",
      "auth.mfa_enrolment_required",
      "input.invalid_cnp",
      "input.invalid_date",
      "input.guardian_required",
      "conflict.duplicate_cnp",
      "conflict.stale",
      "conflict.restricted",
      "storage.insecure_connection",
      "storage.tls",
    ]) {
      expect(errorKindText("ro", kind), kind).not.toBeNull();
      expect(errorKindText("en", kind), kind).not.toBeNull();
    }
    expect(errorKindText("en", "made.up")).toBeNull();
  });
});
