// Short notices in the corner: what just happened, gone after a few seconds (an error a
// little later). At most three are shown, the oldest goes first; the time stops while the
// pointer or the keyboard is on them, so the close button can be reached.

export type ToastTone = "info" | "success" | "error";

export interface Toast {
  id: number;
  tone: ToastTone;
  text: string;
  detail: string | null;
}

/** How many notices are shown at once. */
export const MAX_TOASTS = 3;

let next = 1;
export const toasts = $state<Toast[]>([]);

/** Each notice's time left, and its timer while it runs. */
const clocks = new Map<number, { left: number; since: number; timer: ReturnType<typeof setTimeout> | null }>();
let held = false;

function run(id: number) {
  const clock = clocks.get(id);
  if (!clock || clock.timer !== null) return;
  clock.since = Date.now();
  clock.timer = setTimeout(() => dismissToast(id), clock.left);
}

export function dismissToast(id: number) {
  const clock = clocks.get(id);
  if (clock?.timer) clearTimeout(clock.timer);
  clocks.delete(id);
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
  // Nothing left to point at: the next notice's time runs (no leave event may come).
  if (toasts.length === 0) held = false;
}

/** Drop every notice: they can name a patient, and must not outlive a lock or a logout. */
export function clearToasts() {
  for (const t of [...toasts]) dismissToast(t.id);
}

/** Stop the notices' time while they are pointed at or focused (true), and let it run again (false). */
export function holdToasts(hold: boolean) {
  if (hold === held) return;
  held = hold;
  for (const [id, clock] of clocks) {
    if (hold && clock.timer !== null) {
      clearTimeout(clock.timer);
      clock.timer = null;
      clock.left = Math.max(1000, clock.left - (Date.now() - clock.since));
    } else if (!hold) {
      run(id);
    }
  }
}

/** A notice for `ms` milliseconds, twice as long for an error; every one goes in the end. */
export function showToast(tone: ToastTone, text: string, detail: string | null = null, ms = 5000) {
  const id = next++;
  toasts.push({ id, tone, text, detail });
  while (toasts.length > MAX_TOASTS) dismissToast(toasts[0]!.id);
  clocks.set(id, { left: tone === "error" ? ms * 2 : ms, since: Date.now(), timer: null });
  if (!held) run(id);
}
