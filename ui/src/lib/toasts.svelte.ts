// Short notices in the corner: what just happened, gone after a few seconds.

export type ToastTone = "info" | "success" | "error";

export interface Toast {
  id: number;
  tone: ToastTone;
  text: string;
  detail: string | null;
}

let next = 1;
export const toasts = $state<Toast[]>([]);

export function dismissToast(id: number) {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}

/** Drop every notice: they can name a patient, and must not outlive a lock or a logout. */
export function clearToasts() {
  toasts.splice(0, toasts.length);
}

export function showToast(tone: ToastTone, text: string, detail: string | null = null, ms = 5000) {
  const id = next++;
  toasts.push({ id, tone, text, detail });
  if (toasts.length > 4) toasts.shift();
  setTimeout(() => dismissToast(id), tone === "error" ? ms * 2 : ms);
}
