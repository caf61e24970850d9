// The clinic's particulars as the wizard and the settings screen hold them (plain
// strings), and their conversion to the core's `ClinicProfile`. Which values are
// valid (fiscal-code control digit, phone and e-mail forms) is the core's to say:
// the screens ask `validate_clinic_profile` or get the error back on save.

import type { ClinicProfile } from "./bindings/ClinicProfile";

export interface ClinicProfileForm {
  name: string;
  address: string;
  fiscal_code: string;
  registry_number: string;
  operating_permit: string;
  phone: string;
  email: string;
  dpo_name: string;
  dpo_email: string;
  dpo_phone: string;
}

/** The fields a clinic must fill in; the DPO needs an e-mail or a phone on top. */
export type RequiredProfileField = "name" | "address" | "fiscal_code" | "dpo_name" | "dpo_reach";

export function emptyProfileForm(): ClinicProfileForm {
  return {
    name: "",
    address: "",
    fiscal_code: "",
    registry_number: "",
    operating_permit: "",
    phone: "",
    email: "",
    dpo_name: "",
    dpo_email: "",
    dpo_phone: "",
  };
}

export function profileFormFrom(p: ClinicProfile): ClinicProfileForm {
  return {
    name: p.name,
    address: p.address,
    fiscal_code: p.fiscal_code,
    registry_number: p.registry_number ?? "",
    operating_permit: p.operating_permit ?? "",
    phone: p.phone ?? "",
    email: p.email ?? "",
    dpo_name: p.dpo.name,
    dpo_email: p.dpo.email ?? "",
    dpo_phone: p.dpo.phone ?? "",
  };
}

const orNull = (v: string): string | null => {
  const t = v.trim();
  return t === "" ? null : t;
};

export function toClinicProfile(f: ClinicProfileForm): ClinicProfile {
  return {
    name: f.name.trim(),
    address: f.address.trim(),
    fiscal_code: f.fiscal_code.trim(),
    registry_number: orNull(f.registry_number),
    operating_permit: orNull(f.operating_permit),
    phone: orNull(f.phone),
    email: orNull(f.email),
    dpo: { name: f.dpo_name.trim(), email: orNull(f.dpo_email), phone: orNull(f.dpo_phone) },
  };
}

/** Required fields left blank, in the order of the form. */
export function missingProfileFields(f: ClinicProfileForm): RequiredProfileField[] {
  const missing: RequiredProfileField[] = [];
  if (f.name.trim() === "") missing.push("name");
  if (f.address.trim() === "") missing.push("address");
  if (f.fiscal_code.trim() === "") missing.push("fiscal_code");
  if (f.dpo_name.trim() === "") missing.push("dpo_name");
  if (f.dpo_email.trim() === "" && f.dpo_phone.trim() === "") missing.push("dpo_reach");
  return missing;
}
