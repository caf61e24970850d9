// Small DOM helpers used as Svelte actions.

/** Focus an element once it is in the page (instead of the `autofocus` attribute). */
export function focusOnMount(node: HTMLElement, enabled: boolean = true) {
  if (enabled) queueMicrotask(() => node.focus());
}
