// Something the user set going (a save, a sign-in, an export) with the state its button and
// error banner show: busy while it runs, the error it ended with.
import { latestOnly } from "./debounce";
import { Kind, toAppError, type AppError } from "./errors";

export class Task {
  busy = $state(false);
  error = $state<AppError | null>(null);
  readonly #latest = latestOnly();

  constructor(busy = false) {
    this.busy = busy;
  }

  /** Drop the runs under way: whatever they end with is no longer shown. */
  invalidate(): void {
    this.#latest.invalidate();
  }

  /** Back to idle with no error (a form opened afresh). */
  reset(): void {
    this.busy = false;
    this.error = null;
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

  /** As `run`, for reads that overlap (a filter changed while the last read is out): only
   *  the latest run's end clears `busy` or sets `error`, and `isLatest` tells the work
   *  whether its answer may still be shown. */
  runLatest = async (work: (isLatest: () => boolean) => Promise<void>): Promise<void> => {
    const token = this.#latest.begin();
    const isLatest = () => this.#latest.isLatest(token);
    this.busy = true;
    this.error = null;
    try {
      await work(isLatest);
    } catch (err) {
      if (isLatest()) this.error = toAppError(err);
    } finally {
      if (isLatest()) this.busy = false;
    }
  };
}

/** Work the user vouches for with their own password (changing a password, clearing
 *  someone's two-factor sign-in): a Task, but the core refusing that password (it counts
 *  towards the lockout) is kept apart, for the password field to say, not as the error. */
export class ConfirmedTask extends Task {
  wrongPassword = $state(false);

  /** As `run`; the password refused, `wrongPassword` is set and the focus goes back to
   *  the field with that id. */
  runConfirmed = async (passwordField: string, work: () => Promise<void>): Promise<void> => {
    this.wrongPassword = false;
    await this.run(async () => {
      try {
        await work();
      } catch (err) {
        const failure = toAppError(err);
        if (failure.kind !== Kind.invalidCredentials) throw failure;
        this.wrongPassword = true;
        document.getElementById(passwordField)?.focus();
      }
    });
  };
}
