import { describe, expect, it } from "vitest";

import {
  emptyProfileForm,
  missingProfileFields,
  profileFormFrom,
  toClinicProfile,
  type ClinicProfileForm,
} from "./clinicProfileForm";

const filled = (): ClinicProfileForm => ({
  ...emptyProfileForm(),
  name: " Clinica Zâmbet ",
  address: "Str. Republicii 12, Cluj-Napoca",
  fiscal_code: "RO14399840",
  dpo_name: "Irina Matei",
  dpo_email: "dpo@zambet.example",
});

describe("clinic particulars form", () => {
  it("asks for every required field of an empty form, the DPO's reach included", () => {
    expect(missingProfileFields(emptyProfileForm())).toEqual([
      "name",
      "address",
      "fiscal_code",
      "dpo_name",
      "dpo_reach",
    ]);
  });

  it("is satisfied by a phone instead of an e-mail for the DPO", () => {
    const f = { ...filled(), dpo_email: " ", dpo_phone: "0740 000 111" };
    expect(missingProfileFields(f)).toEqual([]);
  });

  it("sends blanks as null and trims the rest", () => {
    const p = toClinicProfile({ ...filled(), registry_number: "  ", phone: " 0264 555 010 " });
    expect(p.name).toBe("Clinica Zâmbet");
    expect(p.registry_number).toBeNull();
    expect(p.phone).toBe("0264 555 010");
    expect(p.dpo).toEqual({ name: "Irina Matei", email: "dpo@zambet.example", phone: null });
  });

  it("round-trips a stored profile through the form unchanged", () => {
    const stored = toClinicProfile({ ...filled(), name: "Clinica Zâmbet", operating_permit: "AS 12/2015" });
    expect(toClinicProfile(profileFormFrom(stored))).toEqual(stored);
  });
});
