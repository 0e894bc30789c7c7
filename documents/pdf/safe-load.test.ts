import { readFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';
import * as base from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../errors';
import { rawPdf } from './hostile-pdfs';
import { DEFAULT_MAX_XREF_ENTRIES, DEFAULT_PARSE_BUDGET, DEFAULT_TOKEN_LIMITS, limitTokenBytes, loadPdf, loadPdfForUpdate, type TokenLimits } from './safe-load';
import { makePdf } from './test-helpers';

/** Runs `load` (a thunk: the parse runs synchronously inside loadPdf's call, so timing must include the call). */
async function outcome(load: () => Promise<unknown>): Promise<{ code: string; message: string; ms: number }> {
  const t = performance.now();
  try {
    await load();
    return { code: 'loaded', message: '', ms: performance.now() - t };
  } catch (e) {
    return { code: e instanceof DocumentError ? e.code : String(e), message: (e as Error).message, ms: performance.now() - t };
  }
}

const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';

/** A one-page PDF whose catalog holds `/X <token>`. */
const withToken = (token: Buffer | string, tail = '') =>
  rawPdf([Buffer.concat([Buffer.from('<< /Type /Catalog /Pages 2 0 R /X ', 'latin1'), Buffer.from(token as string, 'latin1'), Buffer.from(' >>', 'latin1')]), PAGES, PAGE], tail);

/** A one-page PDF whose object 4 is `object`, stored in a compressed object stream (object 5). */
function inObjectStream(object: Buffer): Uint8Array {
  const head = Buffer.from('4 0 ', 'latin1');
  const data = deflateSync(Buffer.concat([head, object]));
  const dict = `<< /Type /ObjStm /N 1 /First ${head.length} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`;
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R /X 4 0 R >>', PAGES, PAGE, 'null', Buffer.concat([Buffer.from(dict, 'latin1'), data, Buffer.from('\nendstream', 'latin1')])]);
}

const MB = 1024 * 1024;
const run = (n: number, byte: string) => Buffer.alloc(n, byte);
const wrap = (open: string, body: Buffer, close: string) => Buffer.concat([Buffer.from(open, 'latin1'), body, Buffer.from(close, 'latin1')]);

describe('loadPdf: per-token byte budget', () => {
  // Unbounded, pdf-lib builds these one character at a time (~36 bytes of heap per byte): a 19 MB
  // name or literal string ran a 512 MB worker out of memory; an 8 MB one took seconds and ~300 MB.
  it.each([
    ['an 8 MB name in the catalog', 'name', () => withToken(wrap('/', run(8 * MB, 'A'), ''))],
    ['an 8 MB literal string in the catalog', 'string', () => withToken(wrap('(', run(8 * MB, 'A'), ')'))],
    ['an 8 MB hex string in the catalog', 'hex string', () => withToken(wrap('<', run(8 * MB, '0'), '>'))],
    ['an 8 MB unterminated literal string', 'string', () => withToken(wrap('(', run(8 * MB, 'A'), ''))],
    ['a 1 MB number in the catalog', 'number', () => withToken(wrap('1', run(MB, '0'), ''))],
    ['a 1 MB object number', 'number', () => Buffer.from(`%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1${'0'.repeat(MB)} 0 obj\nnull\nendobj\n`, 'latin1')],
    ['an 8 MB name in a compressed object stream', 'name', () => inObjectStream(wrap('/', run(8 * MB, 'A'), ''))],
    ['an 8 MB literal string in a compressed object stream', 'string', () => inObjectStream(wrap('(', run(8 * MB, 'A'), ')'))],
    ['an 8 MB hex string in a compressed object stream', 'hex string', () => inObjectStream(wrap('<', run(8 * MB, '0'), '>'))],
  ])('%s → PDF_TOO_COMPLEX before the token is read', async (name, word, build) => {
    const bytes = build();
    const { code, message, ms } = await outcome(() => loadPdf(bytes));
    console.log(`${name}: ${bytes.length} bytes → ${code} in ${ms.toFixed(0)} ms`);
    expect(code).toBe('PDF_TOO_COMPLEX');
    expect(message).toMatch(new RegExp(`has an? ${word} longer than \\d+ bytes`));
    expect(ms).toBeLessThan(500);
  });

  it('the incremental-save fork (loadPdfForUpdate) is bounded the same way', async () => {
    expect((await outcome(() => loadPdfForUpdate(withToken(wrap('/', run(8 * MB, 'A'), ''))))).code).toBe('PDF_TOO_COMPLEX');
  });

  it('refuses one byte past each limit and loads at it (pdf-lib token rules: nesting, escapes, signs)', async () => {
    const limits: TokenLimits = { name: 16, number: 12, literalString: 16, hexString: 16 };
    const budget = { ...DEFAULT_PARSE_BUDGET, maxTokenBytes: limits };
    const cases: [string, string][] = [
      [`/${'N'.repeat(16)}`, `/${'N'.repeat(17)}`],
      [`/AB#20${'C'.repeat(11)}`, `/AB#20${'C'.repeat(12)}`],
      ['-1234567.901', '-12345678.901'],
      ['123456789012', '1234567890123'],
      ['(a\\)(b)c\\\\defghij)', '(a\\)(b)c\\\\defghijk)'],
      [`(${'x'.repeat(16)})`, `(${'x'.repeat(17)})`],
      [`<${'0'.repeat(16)}>`, `<${'0'.repeat(17)}>`],
      [`<${'0a '.repeat(5)}0>`, `<${'0a '.repeat(5)}0a>`],
    ];
    for (const [fits, over] of cases) {
      expect((await outcome(() => loadPdf(withToken(fits), budget))).code, fits).toBe('loaded');
      expect((await outcome(() => loadPdf(withToken(over), budget))).code, over).toBe('PDF_TOO_COMPLEX');
    }
    // `1.2.3` is two numbers to pdf-lib (`1.2`, `.3`): measured per number, like its reader.
    expect((await outcome(() => loadPdf(withToken(`[${'1.2'.repeat(5)}]`), budget))).code).toBe('loaded');
  });

  it('an over-long digit run in garbage after %%EOF is not an object header and does not refuse the file (nor take quadratic time)', async () => {
    const bytes = withToken('1', `junk ${'7'.repeat(20_000)}\n`);
    const { code, ms } = await outcome(() => loadPdf(bytes));
    expect(code).toBe('loaded');
    expect(ms).toBeLessThan(1000);
  });
});

/** One page, then `streams` cross-reference streams (objects 4, 5…) of `entries` entries: rows of `width` zero bytes, deflated (width 0: `/W [0 0 0]`, no data). */
function xrefStreams(streams: number, entries: number, width: number): Uint8Array {
  const data = deflateSync(Buffer.alloc(entries * width));
  const stream = () =>
    width === 0
      ? `<< /Type /XRef /W [0 0 0] /Size ${entries} /Length 0 >>\nstream\n\nendstream`
      : Buffer.concat([Buffer.from(`<< /Type /XRef /W [${width} 0 0] /Size ${entries} /Filter /FlateDecode /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
  return rawPdf(['<< /Type /Catalog /Pages 2 0 R >>', PAGES, PAGE, ...Array.from({ length: streams }, stream)]);
}

describe('loadPdf: cross-reference entries are budgeted together', () => {
  // Unbounded, 20 streams of 200,000 entries each in 2 KB (/W [0 0 0]) or 7 KB (zeros deflated) took 1.5 s and 230 MB.
  it('a cross-reference stream with rows of no bytes (/W [0 0 0]) → PDF_CORRUPT at the first one', async () => {
    const { code, message } = await outcome(() => loadPdf(xrefStreams(20, 200_000, 0)));
    expect({ code, message }).toEqual({ code: 'PDF_CORRUPT', message: 'cross-reference stream 4 has /W [0 0 0]' });
  });

  it(`the entries of every stream count together: refused at the stream that crosses ${DEFAULT_MAX_XREF_ENTRIES}, before its data is decoded`, async () => {
    const { code, message } = await outcome(() => loadPdf(xrefStreams(20, 100_000, 1)));
    expect(code).toBe('PDF_TOO_COMPLEX');
    // Objects 4–7 bring 400,000 entries: object 8, the fifth stream, is refused.
    expect(message).toBe(`cross-reference stream 8 brings the PDF's cross-reference entries past ${DEFAULT_MAX_XREF_ENTRIES}`);
  });

  it('classic tables and streams share the budget (each at its limit loads, one entry more does not)', async () => {
    // A stream of 6 entries, then the classic table of rawPdf (objects 0–4: 5 entries).
    const bytes = xrefStreams(1, 6, 1);
    expect((await outcome(() => loadPdf(bytes, { ...DEFAULT_PARSE_BUDGET, maxXrefEntries: 11 }))).code).toBe('loaded');
    const over = await outcome(() => loadPdf(bytes, { ...DEFAULT_PARSE_BUDGET, maxXrefEntries: 10 }));
    expect(over.code).toBe('PDF_TOO_COMPLEX');
    expect(over.message).toMatch(/^the cross-reference table at \d+ brings the PDF's cross-reference entries past 10$/);
  });
});

describe('loadPdf: ordinary files within the token budget', () => {
  const dump = (ctx: base.PDFContext) => ctx.enumerateIndirectObjects().map(([ref, obj]) => `${ref.toString()} ${obj.toString()}`);

  it('loads pdf-lib output (classic and object streams) and the demo contract: the same objects as pdf-lib itself', async () => {
    for (const bytes of [await makePdf({ pages: 3 }), await makePdf({ pages: 3, useObjectStreams: true }), new Uint8Array(readFileSync(new URL('../../templates/demo/demo-contract.pdf', import.meta.url)))]) {
      const { doc } = await loadPdf(bytes);
      expect(doc.getPageCount()).toBeGreaterThan(0);
      expect(dump(doc.context)).toEqual(dump((await base.PDFDocument.load(bytes, { updateMetadata: false })).context));
    }
  });

  it('loads a signature dictionary with a 40 KB /Contents (and a 1.5 MB one, as with embedded revocation data)', async () => {
    for (const der of [40 * 1024, 1536 * 1024]) {
      const contents = `3082${'ab'.repeat(der / 2)}${'00'.repeat(der / 2 - 2)}`;
      const sig = `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached /ByteRange [0 100 200 300] /Contents <${contents}> /M (D:20240101000000+08'00') >>`;
      const bytes = rawPdf(['<< /Type /Catalog /Pages 2 0 R /X 4 0 R >>', PAGES, PAGE, sig]);
      const { doc } = await loadPdf(bytes);
      const value = doc.context.lookup(base.PDFRef.of(4), base.PDFDict).get(base.PDFName.of('Contents'));
      expect(value).toBeInstanceOf(base.PDFHexString);
      expect((value as base.PDFHexString).asString().length).toBe(contents.length);
    }
  });

  it('parses the same objects as pdf-lib itself (names, numbers, nested and escaped strings)', async () => {
    const catalog = `/N /A#20b /Long /${'x'.repeat(200)} /Num [0 -1 +2 .5 -.25 3.14159 1234567890 0.000001] /S (a (nested) \\) \\\\ \\( string\nwith a newline) /H <48656C6C6F> /E () /Z <>`;
    const bytes = withToken(`<< ${catalog} >>`);
    const ours = await loadPdf(bytes);
    const theirs = await base.PDFDocument.load(bytes, { updateMetadata: false });
    expect(dump(ours.doc.context)).toEqual(dump(theirs.context));
  });
});

describe('limitTokenBytes on a plain pdf-lib object parser', () => {
  type Readers = { bytes: { idx: number; line: number; column: number }; parseName(): base.PDFName; parseRawNumber(): number; parseRawInt(): number };
  const read = (p: Readers, how: 'parseName' | 'parseRawNumber' | 'parseRawInt') => {
    let value: string | null = null;
    let error: string | null = null;
    try {
      const v = p[how]();
      value = typeof v === 'number' ? (Object.is(v, -0) ? '-0' : String(v)) : v.toString();
    } catch (err) {
      error = (err as Error).constructor.name;
    }
    return { value, error, idx: p.bytes.idx, line: p.bytes.line, column: p.bytes.column };
  };

  it('reads names and numbers within the limits as pdf-lib does: value, error, offset, line and column', () => {
    const cases: [string, 'parseName' | 'parseRawNumber' | 'parseRawInt'][] = [
      ...['/Name', '/A#20B', '/', '/ x', '/x\ny', '/x%c', '/a/b', '/a(b', '/\xe9\x80', 'x', '/Type>>', `/${'n'.repeat(300)}`].map((t) => [t, 'parseName'] as [string, 'parseName']),
      ...['0', '-1', '+2', '.5', '-.25', '1.', '1.2.3', '--1', '-', '.', '+.', '', '123abc', '00012', '-0', '1e5', '9007199254740993', `1${'0'.repeat(200)}`, '3.14159 0 R', 'x'].map((t) => [t, 'parseRawNumber'] as [string, 'parseRawNumber']),
      ...['0', '42 0 obj', '-1', '', 'x', '00012', '9007199254740993'].map((t) => [t, 'parseRawInt'] as [string, 'parseRawInt']),
    ];
    const warn = console.warn;
    console.warn = () => {};
    try {
      for (const [text, how] of cases) {
        const make = () => base.PDFObjectParser.forBytes(Buffer.from(text, 'latin1'), base.PDFContext.create()) as unknown as Readers;
        const theirs = make();
        const ours = make();
        limitTokenBytes(ours, DEFAULT_TOKEN_LIMITS, () => {
          throw new Error('over the limit');
        });
        expect(read(ours, how), `${how} ${JSON.stringify(text.slice(0, 20))}`).toEqual(read(theirs, how));
      }
    } finally {
      console.warn = warn;
    }
  });

  it('reads ordinary values unchanged, and throws what tooLong throws past a limit', () => {
    const kinds: string[] = [];
    const small = base.PDFObjectParser.forBytes(Buffer.from('<< /A (b) /C <0d> /D 1.5 /E [1 0 R] >>', 'latin1'), base.PDFContext.create());
    limitTokenBytes(small, DEFAULT_TOKEN_LIMITS, () => {
      throw new Error('unexpected');
    });
    expect(small.parseObject().toString()).toBe('<<\n/A (b)\n/C <0d>\n/D 1.5\n/E [ 1 0 R ]\n>>');
    const catalog = base.PDFObjectParser.forBytes(Buffer.from(`<< /X /${'A'.repeat(5000)} >>`, 'latin1'), base.PDFContext.create());
    limitTokenBytes(catalog, DEFAULT_TOKEN_LIMITS, (kind) => {
      kinds.push(kind);
      throw new Error('too long');
    });
    expect(() => catalog.parseObject()).toThrow('too long');
    expect(kinds).toEqual(['name']);
  });
});
