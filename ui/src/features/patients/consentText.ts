// The exact sentences shown next to each consent checkbox (and recorded as shown).

import type { ConsentKind } from "../../lib/bindings/ConsentKind";
import type { Language } from "../../lib/bindings/Language";
import type { NoticeDto } from "../../lib/bindings/NoticeDto";
import { t } from "../../lib/i18n/locale.svelte";

/** The sentence for a kind; a minor's version speaks of "the minor" and is given by the guardian. */
export function consentText(kind: ConsentKind, notice: NoticeDto | null, minor: boolean): string {
  if (kind === "privacy_notice" && !notice) return t("consent.noNoticeYet");
  const version = notice?.version ?? "";
  return minor ? t(`consent.textMinor.${kind}`, { version }) : t(`consent.text.${kind}`, { version });
}

/** The line above a minor's consents naming who gives them. */
export function guardianPrefix(name: string, relationship: string): string {
  return t("consent.guardianPrefix", { name, relationship: relationship || t("relationship.unspecified") });
}

export function noticeText(notice: NoticeDto, lang: Language): string {
  return lang === "ro" ? notice.text_ro : notice.text_en;
}

/** What is recorded as shown when a consent is withdrawn at the desk. */
export function withdrawalText(kind: ConsentKind): string {
  return t("consent.withdrawText", { kind: t(`consent.kind.${kind}`) });
}
