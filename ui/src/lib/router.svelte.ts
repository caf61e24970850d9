// Which screen the shell shows. No URLs: a desktop app moves between a few views.

export type View =
  | { name: "patients" }
  | { name: "newPatient" }
  | { name: "patient"; id: string }
  | { name: "requests" }
  /** The breach register (GDPR Art. 33, 34), the DPO's. */
  | { name: "breaches" }
  /** The record of processing activities (GDPR Art. 30), the DPO's. */
  | { name: "register" }
  /** The audit log (DPO, admin), optionally filtered on one patient from the card. */
  | { name: "audit"; patient?: string }
  | { name: "staff" }
  | { name: "settings" };

let view = $state<View>({ name: "patients" });

export const router = {
  get view(): View {
    return view;
  },
  go(v: View) {
    view = v;
  },
  reset() {
    view = { name: "patients" };
  },
};
