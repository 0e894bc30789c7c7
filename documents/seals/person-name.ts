import { findCjkFonts } from './fonts';
import { readFontCoverage, type CodePointCoverage } from './font-coverage';

/**
 * The one rule for person names (实名认证 and the name seal): what passes here renders on a seal.
 *
 * normalizePersonName: NFC, whitespace runs → one space, middle-dot look-alikes → "·" (U+00B7,
 * the dot of minority and foreign names such as 阿依古丽·买买提).
 * personNameProblem: 2–PERSON_NAME_MAX_LENGTH characters; letters (with their combining marks)
 * separated by single spaces, "·", "-", "'" or "."; no control, format, zero-width, bidi,
 * private-use, unassigned or lone-surrogate code points; every character must exist in the seal
 * font (checked against the font's cmap).
 */

export const PERSON_NAME_MAX_LENGTH = 30;
export const PERSON_NAME_MIN_LENGTH = 2;

export type TextProblemCode = 'EMPTY' | 'TOO_SHORT' | 'TOO_LONG' | 'INVISIBLE_CHARACTER' | 'INVALID_CHARACTER' | 'UNRENDERABLE_CHARACTER';

export interface TextProblem {
  code: TextProblemCode;
  message: string;
  messageEn: string;
}

const MIDDLE_DOTS = /[\u2022\u2027\u2219\u22c5\u30fb\uff65\u00b7\u16eb\u2e31\u0387]/g;

/**
 * Code points that are invisible or change the display order: controls, format characters
 * (zero-width, bidi, soft hyphen…), default-ignorables (variation selectors, Hangul fillers, tags),
 * private use, unassigned, lone surrogates, line and paragraph separators.
 */
export const INVISIBLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/u;

const SEPARATOR = /^[ ·\-'.]$/u;
const LETTER = /^\p{L}$/u;
const MARK = /^\p{M}$/u;

export function normalizePersonName(raw: string): string {
  return raw.normalize('NFC').replace(/\s+/gu, ' ').trim().replace(MIDDLE_DOTS, '·').replace(/ ?· ?/g, '·');
}

const describe = (ch: string) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

let coverage: CodePointCoverage | undefined;

/** Coverage of the face the seal renderer uses (serif first, as renderNameSeal does). */
export function sealFontCoverage(): CodePointCoverage {
  if (!coverage) {
    const fonts = findCjkFonts();
    coverage = readFontCoverage((fonts.serif.length > 0 ? fonts.serif : fonts.sans)[0]!);
  }
  return coverage;
}

/** Problems of a name that is already normalised (normalizePersonName); null if it is fine. */
export function personNameProblem(name: string, fontCoverage: CodePointCoverage = sealFontCoverage()): TextProblem | null {
  const chars = [...name];
  if (chars.length === 0) return { code: 'EMPTY', message: '请输入姓名', messageEn: 'Enter the name' };
  const invisible = chars.find((ch) => INVISIBLE.test(ch));
  if (invisible) {
    return { code: 'INVISIBLE_CHARACTER', message: `姓名含有不可见或控制字符（${describe(invisible)}）`, messageEn: `The name contains an invisible or control character (${describe(invisible)})` };
  }
  if (chars.length < PERSON_NAME_MIN_LENGTH) return { code: 'TOO_SHORT', message: `姓名至少 ${PERSON_NAME_MIN_LENGTH} 个字`, messageEn: `The name must have at least ${PERSON_NAME_MIN_LENGTH} characters` };
  if (chars.length > PERSON_NAME_MAX_LENGTH) return { code: 'TOO_LONG', message: `姓名不能超过 ${PERSON_NAME_MAX_LENGTH} 个字`, messageEn: `The name must not exceed ${PERSON_NAME_MAX_LENGTH} characters` };
  const invalid: TextProblem = {
    code: 'INVALID_CHARACTER',
    message: "姓名只能包含文字，以及用于分隔的空格、“·”、“-”、“'”、“.”",
    messageEn: `A name may contain only letters, separated by single spaces, "·", "-", "'" or "."`,
  };
  let marks = 0;
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const prev = chars[i - 1];
    if (LETTER.test(ch)) marks = 0;
    else if (MARK.test(ch)) {
      if (prev === undefined || (!LETTER.test(prev) && !MARK.test(prev)) || ++marks > 2) return invalid;
    } else if (SEPARATOR.test(ch)) {
      // A separator sits between letters; "." may also end an initial ("J. Smith", "Smith Jr.").
      const afterInitial = prev === '.' && ch === ' ';
      if (i === 0 || (SEPARATOR.test(prev!) && !afterInitial)) return invalid;
      if (i === chars.length - 1 && ch !== '.') return invalid;
    } else return invalid;
  }
  const missing = chars.find((ch) => ch !== ' ' && !fontCoverage.has(ch.codePointAt(0)!));
  if (missing) {
    return {
      code: 'UNRENDERABLE_CHARACTER',
      message: `姓名中的“${missing}”（${describe(missing)}）无法生成签章，请联系客服`,
      messageEn: `The character "${missing}" (${describe(missing)}) cannot be rendered on a seal; please contact support`,
    };
  }
  return null;
}
