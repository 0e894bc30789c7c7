/**
 * The one "no hidden characters" rule of free text users type (names, labels, reasons, messages,
 * addresses, field values…): characters that make text read other than it is stored, or that the
 * database cannot store at all, are refused (400), never stored mangled.
 *
 * Hidden: control characters (C0/C1), format characters (bidi overrides and isolates such as U+202E,
 * zero-width characters such as U+200B, U+FEFF), lone surrogates (a UTF-16 half: utf8mb4 columns store it
 * as "\uFFFD", MariaDB's JSON columns refuse it), private-use characters and the Unicode line / paragraph
 * separators (U+2028, U+2029). Multi-line text (备注, 原因, 申请说明) also takes tab, CR and LF.
 *
 * Pure: no imports (the portal reuses it through field-values.ts). The zod helpers are in ./safe-text.ts.
 */

const HIDDEN_IN_LINE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/u;
const HIDDEN_IN_TEXT = /(?![\t\n\r])\p{Cc}|[\p{Cf}\p{Cs}\p{Co}\p{Zl}\p{Zp}]/u;

export interface HiddenCharacterOptions {
  /** true: tab, CR and LF are allowed (text typed in a multi-line box); otherwise one line. */
  multiline?: boolean;
}

/** The first hidden character of `text` (a lone surrogate is one character), or null when there is none. */
export function firstHiddenCharacter(text: string, options: HiddenCharacterOptions = {}): string | null {
  const m = (options.multiline ? HIDDEN_IN_TEXT : HIDDEN_IN_LINE).exec(text);
  return m ? m[0] : null;
}

/** true when `text` has a hidden character (see the module's comment). */
export const hasHiddenCharacter = (text: string, options: HiddenCharacterOptions = {}): boolean => firstHiddenCharacter(text, options) !== null;

/** "U+202E": how a message names a character that cannot be shown. */
export const codePointLabel = (ch: string): string => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** The problem of `text` under the rule, named for `label` ("联系人姓名"), or null. */
export function hiddenCharacterProblem(text: string, label: string, labelEn: string, options: HiddenCharacterOptions = {}): { zh: string; en: string } | null {
  const ch = firstHiddenCharacter(text, options);
  if (ch === null) return null;
  const code = codePointLabel(ch);
  return { zh: `${label}含有不可见或控制字符（${code}）`, en: `${labelEn} contains an invisible or control character (${code})` };
}
