// What a panel reads from the backend when it opens, with the state its load/error/retry
// panel (components/AsyncPanel.svelte) shows.
import { toAppError, type AppError } from "./errors";

export class Resource<T> {
  /** What was read; null until the first read succeeds. A failed reread keeps it. */
  value = $state<T | null>(null);
  loading = $state(true);
  error = $state<AppError | null>(null);
  readonly #fetch: () => Promise<T>;

  constructor(fetch: () => Promise<T>) {
    this.#fetch = fetch;
  }

  /** Read (again). An arrow, so it can be handed to onMount or a button as it is. */
  load = async (): Promise<void> => {
    this.loading = true;
    this.error = null;
    try {
      this.value = await this.#fetch();
    } catch (err) {
      this.error = toAppError(err);
    } finally {
      this.loading = false;
    }
  };
}
