// Which screen the shell shows. No URLs: a desktop app moves between a few views.

export type View =
  | { name: "patients" }
  | { name: "register" }
  | { name: "patient"; id: string }
  | { name: "requests" }
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
