// The core's rules and subjects in words. An error that says which rule a value broke
// carries the rule's code and parameters (\`ErrorDto.rule\`); the wording of every code
// in both languages is generated from the core's table (src/rules.rs).

import type { Language } from "./bindings/Language";
import type { Rule } from "./bindings/Rule";
import type { Subject } from "./bindings/Subject";
import { WORDINGS } from "./bindings/wordings";

/** A rule or subject in \`lang\`, each \`{name}\` filled with its parameter. */
export function wordCode(coded: Rule | Subject, lang: Language): string {
  const { code, ...params } = coded as { code: Rule["code"] | Subject["code"] } & Record<string, unknown>;
  const wording = WORDINGS[code];
  if (!wording) return code;
  return wording[lang].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
