// Something the user set going (a save, a sign-in, an export) with the state its button and
// error banner show: busy while it runs, the error it ended with.
import { toAppError, type AppError } from "./errors";

export class Task {
  busy = $state(false);
  error = $state<AppError | null>(null);

  constructor(busy = false) {
    this.busy = busy;
  }

  /** Run `work` with `busy` set; a failure is kept in `error`, so callers only say what
   *  success does. An arrow, so it can be handed on as it is. */
  run = async (work: () => Promise<void>): Promise<void> => {
    this.busy = true;
    this.error = null;
    try {
      await work();
    } catch (err) {
      this.error = toAppError(err);
    } finally {
      this.busy = false;
    }
  };
}
