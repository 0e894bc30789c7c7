import { describe, expect, it } from 'vitest';
import { Lexer, Unsupported } from '../incremental/pdf-syntax';
import { rawPdf } from '../hostile-pdfs';
import { DEFAULT_MAX_VALUES } from '../safe-load';
import { verifyPdf } from '../verify-pdf';
import { LeanLexer } from './lean-lexer';
import { readLeanFile } from './lean-file';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const leanValues = (text: string) => {
  const lx = new LeanLexer(bytes(text), 0);
  const out = [];
  for (lx.skipWs(); lx.pos < text.length; lx.skipWs()) out.push(lx.value());
  return out;
};
const generalValues = (text: string) => {
  const lx = new Lexer(bytes(text), 0);
  const out = [];
  for (let v = lx.value(); ; v = lx.value()) {
    out.push(v);
    if (lx.pos >= text.length || /^\s*$/.test(text.slice(lx.pos))) break;
  }
  return out;
};

/** The slot index the lexer's token tables use (same hash as lean-lexer.ts). */
const slotOf = (s: string) => {
  let h = s.length;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h & 4095;
};

describe('lean lexer: interned names, integers and references', () => {
  it('reads the same values as pdf-syntax’s Lexer', () => {
    const text = '<< /Type /Page /Kids [1 0 R 2 0 R 65536 0 R] /Count 10 /Length 007 /N -3 /F 1.5 /Big 123456789012345 /Name /A#20B >> [/Type /Page 10 1 0 R] (a) <41> true null';
    const general = generalValues(text.replace('/A#20B', '/AB'));
    expect(leanValues(text.replace('/A#20B', '/AB'))).toEqual(general);
    expect(() => leanValues(text)).toThrow(/# escapes/);
  });

  it('the same token is one object; tokens sharing a table slot each read right', () => {
    const [a, b] = leanValues('/Type /Type');
    expect(a).toBe(b);
    const [r1, r2] = leanValues('12 0 R 12 0 R');
    expect(r1).toBe(r2);
    expect(r1).toEqual({ t: 'ref', num: 12, gen: 0 });
    // Integers and names that hash to one slot, read alternately.
    const collision = (token: (i: number) => string): [string, string] => {
      const bySlot = new Map<number, string>();
      for (let i = 0; ; i++) {
        const s = token(i);
        const other = bySlot.get(slotOf(s));
        if (other !== undefined) return [other, s];
        bySlot.set(slotOf(s), s);
      }
    };
    const [x, y] = collision(String);
    const ints = leanValues(`${x} ${y} ${x} ${y}`);
    expect(ints.map((v) => (v.t === 'num' ? [v.raw, v.v] : null))).toEqual([[x, Number(x)], [y, Number(y)], [x, Number(x)], [y, Number(y)]]);
    const [m, n] = collision((i) => `/N${i}`);
    const names = leanValues(`${m} ${n} ${m}`).map((v) => (v.t === 'name' ? v.raw : null));
    expect(names).toEqual([m, n, m]);
  });
});

describe('lean lexer: the values budget of the general path', () => {
  // Unbounded, 8 MB of `()` were 4 million values: 2.4 s and 225 MB, then answered as readable.
  const strings = (count: number) => `[${'()'.repeat(count)}]`;

  it(`stops at value ${DEFAULT_MAX_VALUES + 1} (Unsupported), not at the end of the file`, () => {
    const lx = new LeanLexer(bytes(strings(2 * DEFAULT_MAX_VALUES)), 0);
    expect(() => lx.value()).toThrow(new Unsupported(`more than ${DEFAULT_MAX_VALUES} values`));
    expect(lx.values).toBe(DEFAULT_MAX_VALUES + 1);
  });

  it('a file past it is the general path’s: unreadable, PDF_TOO_COMPLEX (not read whole and answered as readable)', async () => {
    const pdf = rawPdf(['<< /Type /Catalog /Pages 2 0 R /Junk 4 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>', strings(DEFAULT_MAX_VALUES)]);
    expect(() => readLeanFile(pdf)).toThrow(Unsupported);
    expect(await verifyPdf(pdf, { trustedRootsPem: [] })).toMatchObject({ isPdf: true, readable: false, unreadableReason: 'PDF_TOO_COMPLEX' });
  });
});
