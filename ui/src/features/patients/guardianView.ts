import type { GuardianDto } from "../../lib/bindings/GuardianDto";

/** A guardian link with the guardian's name and contact, read from their own record. */
export type GuardianView = GuardianDto & {
  name: string | null;
  birth_date: string | null;
  phone: string | null;
};
