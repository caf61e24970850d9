// A dialog whose form starts afresh each time it opens on something (an activity, a rule,
// a procedure), but not when what it shows is merely updated while it stays open.
import { untrack } from "svelte";

/** Call `fresh` each time `shown()` turns to something other than null whose `key` differs
 *  from the last one's, and `closed` (if given) whenever it is null. Call it while the
 *  component is set up (it makes an effect). */
export function onOpened<T, K>(
  shown: () => T | null,
  key: (item: T) => K,
  fresh: (item: T) => void,
  closed?: () => void,
): void {
  let last: K | null = null;
  $effect(() => {
    const current = shown();
    const k = current === null ? null : key(current);
    if (current === null) {
      if (closed) untrack(closed);
    } else if (k !== last) untrack(() => fresh(current));
    last = k;
  });
}

/** Call `fresh` each time `isOpen()` turns true: a dialog whose form starts afresh
 *  whenever it opens. */
export function onOpen(isOpen: () => boolean, fresh: () => void): void {
  onOpened(() => (isOpen() ? true : null), (open) => open, fresh);
}
