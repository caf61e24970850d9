// Where a document is to be saved: a path made from what it is (its language, its day)
// until the user types one, and from then on what they typed.

export class SavePath {
  #typed = $state("");
  #edited = $state(false);
  readonly #suggested: () => string;

  /** `suggested` is read again whenever what it depends on changes (the language chosen). */
  constructor(suggested: () => string) {
    this.#suggested = suggested;
  }

  /** The path the field shows and the save uses. */
  get shown(): string {
    return this.#edited ? this.#typed : this.#suggested();
  }

  /** What the user typed (or what the app settled on) replaces the suggestion. An arrow,
   *  so it can be a field's `oninput` as it is. */
  set = (path: string): void => {
    this.#typed = path;
    this.#edited = true;
  };

  /** Back to the suggestion. */
  reset(): void {
    this.#typed = "";
    this.#edited = false;
  }
}
