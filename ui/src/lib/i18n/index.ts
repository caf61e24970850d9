// Translation: one flat dictionary per language with the same keys (`en.ts` defines
// them, `ro.ts` must match), `{name}` placeholders filled from params.

import type { Language } from "../bindings/Language";
import { LOCALES } from "../format";
import { en } from "./en";
import { ro } from "./ro";

export type MessageKey = keyof typeof en;
export type Params = Record<string, string | number>;

export const LANGUAGES: readonly Language[] = ["ro", "en"];

export const dictionaries: Record<Language, Record<MessageKey, string>> = { ro, en };

export function hasKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

export function translate(lang: Language, key: MessageKey, params?: Params): string {
  return interpolate(dictionaries[lang][key] ?? en[key] ?? key, params);
}

/** The stem `P` of a set of values' labels, when `{P}.{value}` is a key for every value `V`. */
export type LabelStem<P extends string, V extends string | number> = `${P}.${V}` extends MessageKey ? P : never;

export type PluralForm = "one" | "few" | "other";

/** The plural form of a count as the language has them (Romanian: 1 zi, 3 zile, 20 de zile). */
export function pluralForm(n: number, lang: Language): PluralForm {
  const form = new Intl.PluralRules(LOCALES[lang]).select(n);
  return form === "one" || form === "few" ? form : "other";
}

/** Key stems `x` for which the dictionaries have `x.one`, `x.few` and `x.other`. */
export type PluralKey = {
  [K in MessageKey]: K extends `${infer Stem}.other`
    ? `${Stem}.one` extends MessageKey
      ? `${Stem}.few` extends MessageKey
        ? Stem
        : never
      : never
    : never;
}[MessageKey];

/** A counted text in the right plural form, with the count as `{n}`. */
export function translateCount(lang: Language, stem: PluralKey, n: number, params?: Params): string {
  return translate(lang, `${stem}.${pluralForm(n, lang)}`, { n, ...params });
}

/** The localized text for an error kind (`error.<kind>`), or null when there is none. */
export function errorKindText(lang: Language, kind: string): string | null {
  const key = `error.${kind}`;
  return hasKey(key) ? translate(lang, key) : null;
}

export function isLanguage(value: unknown): value is Language {
  return value === "ro" || value === "en";
}
