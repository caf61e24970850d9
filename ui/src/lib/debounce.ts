/** Call `fn` once `ms` have passed without another call; `cancel` drops a pending call. */
export function debounce<A extends unknown[]>(
  fn: (...args: A) => void,
  ms: number,
): ((...args: A) => void) & { cancel(): void } {
  let handle: ReturnType<typeof setTimeout> | undefined;
  const debounced = (...args: A) => {
    if (handle !== undefined) clearTimeout(handle);
    handle = setTimeout(() => {
      handle = undefined;
      fn(...args);
    }, ms);
  };
  debounced.cancel = () => {
    if (handle !== undefined) clearTimeout(handle);
    handle = undefined;
  };
  return debounced;
}

/**
 * Keeps only the latest of overlapping requests: `begin()` returns a token, and
 * `isLatest(token)` says whether its answer may still be shown.
 */
export function latestOnly() {
  let counter = 0;
  return {
    begin: () => ++counter,
    isLatest: (token: number) => token === counter,
    invalidate: () => {
      counter++;
    },
  };
}
