import { Buffer } from 'node:buffer';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderNameSeal } from '../../seals/name-seal';
import { checkCadesDetached } from '../cms';
import { prepareForSigning } from '../normalize-pdf';
import { signPdf } from '../sign-pdf';
import { makeCa, makePdf, makeSigner } from '../test-helpers';
import { cmsFromGap, contentsFromGap, gapOf, MAX_CONTENTS_HEX, type Gap } from './signature-contents';
import type { ByteRange } from './signature-info';

/** The padded-DER shortcut (cmsFromGap) against decoding the whole gap (contentsFromGap): the same verdict for every gap. */
describe('signature /Contents: only the DER part decoded', () => {
  let signed: Buffer;
  let range: ByteRange;
  /** The gap's hex text as [from, to) in the file. */
  let from: number;
  let to: number;

  beforeAll(async () => {
    const ca = await makeCa('SealFlow');
    const pdf = await prepareForSigning(await makePdf({ pages: 1 }));
    const png = await renderNameSeal('张三');
    signed = Buffer.from(await signPdf({ pdf, signer: await makeSigner(ca, '张三'), signerName: '张三', fieldName: '签署方1', appearance: { page: 1, x: 60, y: 60, width: 57, height: 57, png } }));
    const m = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(signed.toString('latin1'))!;
    range = m.slice(1, 5).map(Number) as ByteRange;
    [from, to] = [range[1] + 1, range[2] - 1];
  });

  /** The gap of `range` in `bytes`, whose text is the signature dictionary's /Contents (as in every file these tests rewrite). */
  const gapIn = (bytes: Buffer) => gapOf(bytes, range, bytes.toString('latin1', from, to)) as Gap;
  const verdict = (bytes: Uint8Array, decoded: Buffer | string) => {
    if (typeof decoded === 'string') return decoded;
    const { parsed: _parsed, ...check } = checkCadesDetached(decoded, [bytes.subarray(0, range[1]), bytes.subarray(range[2], range[2] + range[3])]);
    return check;
  };
  /** The file with the gap's hex text rewritten (same length). */
  const withGap = (edit: (hex: string) => string) => {
    const hex = signed.toString('latin1', from, to);
    const next = edit(hex);
    expect(next.length).toBe(hex.length);
    const out = Buffer.from(signed);
    out.write(next, from, 'latin1');
    return out;
  };

  it('a zero-padded DER: only the DER is decoded, with the verdict of the whole gap', () => {
    const der = cmsFromGap(signed, gapIn(signed)) as Buffer;
    const whole = contentsFromGap(signed, gapIn(signed)) as Buffer;
    expect(der.length).toBeLessThan(whole.length); // the padding was not decoded
    expect(whole.subarray(0, der.length).equals(der)).toBe(true);
    expect(whole.subarray(der.length).every((b) => b === 0)).toBe(true);
    const check = verdict(signed, der);
    expect(check).toMatchObject({ digestMatches: true, signatureValid: true });
    expect(check).toEqual(verdict(signed, whole));
  });

  it('every other gap is decoded whole: the same verdict or error as before', () => {
    const derHex = 2 * (cmsFromGap(signed, gapIn(signed)) as Buffer).length;
    const variants: [string, Buffer][] = [
      ['a non-zero digit in the padding', withGap((h) => `${h.slice(0, -1)}1`)],
      ['whitespace in the padding', withGap((h) => `${h.slice(0, derHex)}  ${h.slice(derHex + 2)}`)],
      ['a non-hex byte in the padding', withGap((h) => `${h.slice(0, -2)}zz`)],
      ['an odd digit count (one space)', withGap((h) => `${h.slice(0, -1)} `)],
      ['upper-case DER digits', withGap((h) => h.toUpperCase())],
      ['a changed DER digit', withGap((h) => `${h.slice(0, 600)}${h[600] === 'a' ? 'b' : 'a'}${h.slice(601)}`)],
      ['a non-hex byte inside the DER', withGap((h) => `${h.slice(0, 600)}g${h.slice(601)}`)],
      ['indefinite length (BER header)', withGap((h) => `${h.slice(0, 2)}80${h.slice(4)}`)],
      ['a length past the gap', withGap((h) => `${h.slice(0, 2)}84ffffffff${h.slice(12)}`)],
      ['a short element then zeros', withGap((h) => `0500${'0'.repeat(h.length - 4)}`)],
      ['all zeros', withGap((h) => '0'.repeat(h.length))],
    ];
    for (const [name, bytes] of variants) {
      expect({ name, verdict: verdict(bytes, cmsFromGap(bytes, gapIn(bytes))) }).toEqual({ name, verdict: verdict(bytes, contentsFromGap(bytes, gapIn(bytes))) });
    }
    // The shortcut is not taken where the padding is not all zeros.
    expect((cmsFromGap(variants[0]![1], gapIn(variants[0]![1])) as Buffer).length).toBe((to - from) / 2);
  });

  it('a gap that is not the /Contents string, or a malformed range: an error', () => {
    const own = signed.toString('latin1', from, to);
    for (const r of [[0, range[1] + 1, range[2], range[3]], [1, range[1], range[2], range[3]], [0, range[1], range[2], range[3] + 10]] as ByteRange[]) {
      expect(typeof gapOf(signed, r, own)).toBe('string');
    }
  });

  it('the gap must be the signature dictionary’s own /Contents: another `<…>` span of the same length is refused unread', () => {
    const own = signed.toString('latin1', from, to);
    expect(gapOf(signed, range, own)).toEqual({ from, to });
    expect(gapOf(signed, range, `${own.slice(0, -1)}1`)).toBe('ByteRange gap is not the /Contents string');
    expect(gapOf(signed, range, own.slice(2))).toBe('ByteRange gap is not the /Contents string');
    expect(gapOf(signed, range, null)).toBe('ByteRange gap is not the /Contents string');
  });

  it(`a /Contents longer than ${MAX_CONTENTS_HEX} hex digits (2 MiB of CMS) is refused before it is decoded`, () => {
    const file = (digits: number) => Buffer.from(`%<${'0'.repeat(digits)}>%`, 'latin1');
    const at = (digits: number): ByteRange => [0, 1, digits + 3, 1];
    expect(gapOf(file(MAX_CONTENTS_HEX), at(MAX_CONTENTS_HEX), '0'.repeat(MAX_CONTENTS_HEX))).toEqual({ from: 2, to: MAX_CONTENTS_HEX + 2 });
    expect(gapOf(file(MAX_CONTENTS_HEX + 2), at(MAX_CONTENTS_HEX + 2), '0'.repeat(MAX_CONTENTS_HEX + 2))).toBe(`the signature's /Contents is longer than ${MAX_CONTENTS_HEX} hex digits`);
  });
});
