import { PDFHexString, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { dateOf, textOf } from './lean-structure';

/** The remembered string decodings answer what pdf-lib answers, every time, past the memo's bound. */
describe('lean structure: decoded field names and dates', () => {
  it('dates: pdf-lib’s decodeDate, a fresh Date per call, null for an unparsable one (also when remembered)', () => {
    const raw = '(D:20261202133559Z)';
    const first = dateOf(raw)!;
    expect(first.getTime()).toBe(PDFString.of(raw.slice(1, -1)).decodeDate().getTime());
    first.setTime(0); // a caller changing its Date does not change the next answer
    expect(dateOf(raw)!.getTime()).toBe(PDFString.of(raw.slice(1, -1)).decodeDate().getTime());
    expect(dateOf('(D:xxxxxxxxxxxxxxZ)')).toBeNull();
    expect(dateOf('(D:xxxxxxxxxxxxxxZ)')).toBeNull();
  });

  it('texts: pdf-lib’s decodeText for hex and literal strings, the same past the bound', () => {
    const name = PDFHexString.fromText('签署方1').toString();
    for (let round = 0; round < 2; round++) {
      expect(textOf({ t: 'str', raw: name, hex: true })).toBe('签署方1');
      expect(textOf({ t: 'str', raw: '(甲方)', hex: false })).toBe(PDFString.of('甲方').decodeText());
    }
    for (let i = 0; i < 2500; i++) {
      const raw = `(D:2026120213${String(i % 60).padStart(2, '0')}${String(i % 59).padStart(2, '0')}Z)`;
      const hex = PDFHexString.fromText(`字段${i}`).toString();
      expect(textOf({ t: 'str', raw: hex, hex: true })).toBe(`字段${i}`);
      expect(dateOf(raw)?.getTime()).toBe(PDFString.of(raw.slice(1, -1)).decodeDate().getTime());
    }
    expect(textOf({ t: 'num', raw: '1', v: 1 })).toBeNull();
  });
});
