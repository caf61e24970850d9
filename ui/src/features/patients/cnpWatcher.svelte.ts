// Checks a CNP with the core as it is typed and fills birth date and sex from it.
// Values that came from the CNP are taken back when the CNP stops being valid.

import * as backend from "../../lib/backend";
import type { CnpCheck } from "../../lib/bindings/CnpCheck";
import { debounce, latestOnly } from "../../lib/debounce";
import type { PatientForm } from "./patientForm";

export class CnpWatcher {
  check = $state<CnpCheck | null>(null);
  /** Long enough, or left: now a problem may be shown. */
  touched = $state(false);
  fromCnp = $state({ birth: false, sex: false });

  #form: () => PatientForm;
  #latest = latestOnly();
  #run = debounce((text: string) => void this.#ask(text), 200);

  /** `form` returns the form's state object (a getter, so the component's state stays live). */
  constructor(form: () => PatientForm) {
    this.#form = form;
  }

  /** The CNP field changed. */
  input(value: string) {
    const compact = value.replace(/\s+/g, "");
    if (compact === "") {
      this.#run.cancel();
      this.#latest.invalidate();
      this.check = null;
      this.#apply({ valid: false, problem: null, birth_date: null, sex: null });
      return;
    }
    if (compact.length >= 13) this.touched = true;
    this.#run(compact);
  }

  blur() {
    this.touched = this.#form().cnp.trim() !== "";
  }

  /** Typed but known to be wrong: saving would be refused. */
  get invalid(): boolean {
    return this.#form().cnp.trim() !== "" && this.check !== null && !this.check.valid;
  }

  async #ask(text: string) {
    const token = this.#latest.begin();
    try {
      const check = await backend.checkCnp(text);
      if (!this.#latest.isLatest(token)) return;
      this.check = check;
      this.#apply(check);
    } catch {
      if (this.#latest.isLatest(token)) this.check = null;
    }
  }

  #apply(check: CnpCheck) {
    this.#take("birth_date", "birth", check.valid ? check.birth_date : null);
    this.#take("sex", "sex", check.valid ? check.sex : null);
  }

  /** Fill `field` with what the CNP says; with nothing said, empty it again if it was the CNP's. */
  #take(field: "birth_date" | "sex", mark: "birth" | "sex", value: string | null) {
    const form = this.#form();
    if (value) {
      form[field] = value;
      this.fromCnp[mark] = true;
    } else if (this.fromCnp[mark]) {
      form[field] = "";
      this.fromCnp[mark] = false;
    }
  }
}
