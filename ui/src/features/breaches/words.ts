// A breach's codes in the reader's words: the categories of data (the register's
// free text, whose known codes print as words, as in the letters) and how the people
// affected were found (the search itself, worded in the screen's language).
import type { AffectedScope } from "../../lib/bindings/AffectedScope";
import { DATA_CATEGORIES } from "../../lib/bindings/constants";
import type { Language } from "../../lib/bindings/Language";
import { formatDateTime } from "../../lib/format";
import { translate } from "../../lib/i18n";

/** The categories as words: each known code in `lang`, any other text as written (as `category_words` in the core). */
export function categoryWords(text: string, lang: Language): string {
  const parts = text
    .split(",")
    .map((p) => p.trim())
    .filter((p) => p !== "");
  const known = (p: string) => DATA_CATEGORIES.find((c) => c.code === p);
  if (!parts.some((p) => known(p))) return text.trim();
  return parts.map((p) => known(p)?.[lang] ?? p).join("; ");
}

/** How the people were found, in `lang`, times in the screen's format. */
export function scopeWords(scope: AffectedScope, lang: Language): string {
  const when = (at: string) => formatDateTime(at, lang);
  switch (scope.by) {
    case "staff":
      return translate(lang, "breaches.scope.staff", { username: scope.username, from: when(scope.from), to: when(scope.to) });
    case "workstation":
      return translate(lang, "breaches.scope.workstation", { name: scope.name, from: when(scope.from), to: when(scope.to) });
    case "all_patients":
      return translate(lang, "breaches.scope.all", {});
  }
}
