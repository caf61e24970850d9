// Small DOM helpers: Svelte actions, and moving the focus once the page has updated.
import { tick } from "svelte";

/** Focus an element once it is in the page (instead of the `autofocus` attribute). */
export function focusOnMount(node: HTMLElement, enabled: boolean = true) {
  if (enabled) queueMicrotask(() => node.focus());
}

const FIELDS = "input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])";

/** Enter moves to the next field of the enclosing form as Tab does (Shift+Enter back), for
 *  grids typed into cell after cell; it never submits the form from inside `node`. */
export function enterMovesOn(node: HTMLElement) {
  function onkeydown(e: KeyboardEvent) {
    const el = e.target;
    if (e.key !== "Enter" || !(el instanceof HTMLInputElement || el instanceof HTMLSelectElement)) return;
    e.preventDefault();
    const scope = el.form ?? node;
    const fields = [...scope.querySelectorAll<HTMLElement>(FIELDS)].filter((f) => f.tabIndex >= 0);
    const next = fields[fields.indexOf(el) + (e.shiftKey ? -1 : 1)];
    next?.focus();
  }
  node.addEventListener("keydown", onkeydown);
  return { destroy: () => node.removeEventListener("keydown", onkeydown) };
}

/** Select a field's text when it takes the focus, so what is typed replaces it. */
export function selectOnFocus(node: HTMLInputElement) {
  const onfocus = () => node.select();
  node.addEventListener("focus", onfocus);
  return { destroy: () => node.removeEventListener("focus", onfocus) };
}

/** Once the page has updated, focus the element with this id (a heading, the button that
 *  opened a closed dialog)… */
export function focusLater(id: string): void {
  void tick().then(() => document.getElementById(id)?.focus());
}

/** …or the first element the selector finds. */
export function focusMatchLater(selector: string): void {
  void tick().then(() => document.querySelector<HTMLElement>(selector)?.focus());
}
