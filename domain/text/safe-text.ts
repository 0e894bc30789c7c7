/**
 * zod helpers for free text under the one "no hidden characters" rule (./hidden-characters.ts): the
 * domain's schemas and the API's request bodies use these, never a copy of the rule.
 */
import { z } from 'zod';
import { hiddenCharacterProblem, type HiddenCharacterOptions } from './hidden-characters';

export interface TextRuleOptions extends HiddenCharacterOptions {
  /** The English name of the text in messageEn ("Reason"); default "The text". */
  labelEn?: string;
}

/**
 * A refinement for `.superRefine(…)` on a string schema: an issue (message `${label}含有不可见或控制字符（U+…）`,
 * params.messageEn in English) when the string has a hidden character.
 */
export const noHiddenCharacters =
  (label: string, options: TextRuleOptions = {}) =>
  (value: string, ctx: z.RefinementCtx): void => {
    const p = hiddenCharacterProblem(value, label, options.labelEn ?? 'The text', options);
    if (p) ctx.addIssue({ code: z.ZodIssueCode.custom, message: p.zh, params: { code: 'INVISIBLE_CHARACTER', messageEn: p.en } });
  };

/**
 * Free text as typed: NFC, trimmed, at most `max` characters (code points, as the database counts them) and no
 * hidden character. The parsed value is the normalised text (possibly empty: pipe into `.min(1)` to require it).
 */
export const safeText = (max: number, label: string, options: TextRuleOptions = {}) =>
  z
    .string({ invalid_type_error: `${label}须为文本` })
    .transform((v) => v.normalize('NFC').trim())
    .refine((v) => [...v].length <= max, `${label}不能超过 ${max} 个字`)
    .superRefine(noHiddenCharacters(label, options));

/** safeText on one line (no tab or line break). */
export const singleLineText = (max: number, label: string, labelEn?: string) => safeText(max, label, { labelEn });

/** safeText that may span lines (tab, CR and LF allowed): 备注, 原因, 申请说明. */
export const multiLineText = (max: number, label: string, labelEn?: string) => safeText(max, label, { labelEn, multiline: true });
