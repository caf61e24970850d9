// What a panel reads from the backend when it opens, with the state its load/error/retry
// panel (components/AsyncPanel.svelte) shows.
import type { AppError } from "./errors";
import { Task } from "./task.svelte";

export class Resource<T> {
  /** What was read; null until the first read succeeds. A failed reread keeps it. */
  value = $state<T | null>(null);
  readonly #reading = new Task(true);
  readonly #fetch: () => Promise<T>;

  constructor(fetch: () => Promise<T>) {
    this.#fetch = fetch;
  }

  get loading(): boolean {
    return this.#reading.busy;
  }

  get error(): AppError | null {
    return this.#reading.error;
  }

  /** Read (again). An arrow, so it can be handed to onMount or a button as it is. */
  load = (): Promise<void> =>
    this.#reading.run(async () => {
      this.value = await this.#fetch();
    });
}
