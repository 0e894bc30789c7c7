import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as lib from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { renderNameSeal } from '../seals/name-seal';
import { DEFAULT_DECLARED_COUNT_BUDGET, declaredPageCount } from './declared-page-count';
import { manyPages, manyPagesObjectStreams } from './hostile-page-count';
import { appendUpdate, deepNesting, fieldTreeBomb, flateBomb, pageTreeBomb, rawPdf, xrefStreamSizeBomb } from './hostile-pdfs';
import { prepareForSigning } from './normalize-pdf';
import { loadPdf } from './safe-load';
import { signPdf } from './sign-pdf';
import { makeCa, makePdf, makeSigner } from './test-helpers';

/** The root /Count as the full parse (pdf-lib, every object) sees it. */
async function fullParseCount(bytes: Uint8Array): Promise<number | undefined> {
  const { doc } = await loadPdf(bytes);
  const count = doc.catalog.lookup(lib.PDFName.of('Pages'), lib.PDFDict).lookup(lib.PDFName.of('Count'));
  return count instanceof lib.PDFNumber ? count.asNumber() : undefined;
}

function qpdf(pdf: Uint8Array, ...args: string[]): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'declared-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    const r = spawnSync('qpdf', [...args, join(dir, 'in.pdf'), join(dir, 'out.pdf')]);
    if (r.status !== 0 && r.status !== 3) throw new Error(String(r.stderr));
    return readFileSync(join(dir, 'out.pdf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Redefines the page tree root in an incremental update with another /Count (kids unchanged). */
function recount(pdf: Uint8Array, count: number): Uint8Array {
  const text = Buffer.from(pdf).toString('latin1');
  const m = /(\d+) 0 obj\s*<<\s*\/Type \/Pages([\s\S]*?)\/Count \d+([\s\S]*?)>>\s*endobj/.exec(text);
  if (!m) throw new Error('no page tree root in plain text');
  return appendUpdate(pdf, [{ num: Number(m[1]), body: `<< /Type /Pages${m[2]}/Count ${count}${m[3]}>>` }]);
}

const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';

/** A one-page PDF (classic cross-reference table) whose catalog or trailer holds `/Junk [0 0 …]`. */
function junkArray(count: number, where: 'catalog' | 'trailer'): Uint8Array {
  const junk = `/Junk [${'0 '.repeat(count)}]`;
  const pdf = Buffer.from(rawPdf([`<< /Type /Catalog /Pages 2 0 R${where === 'catalog' ? ` ${junk}` : ''} >>`, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE]));
  return where === 'catalog' ? pdf : Buffer.from(pdf.toString('latin1').replace('/Root 1 0 R', `/Root 1 0 R ${junk}`), 'latin1');
}

/**
 * A one-page PDF whose catalog is the last of `pairs` objects of an (uncompressed) object stream,
 * found through a cross-reference stream: a header of `pairs` number pairs to read before it.
 */
function catalogAfterLongHeader(pairs: number): Uint8Array {
  const chunks: Buffer[] = [Buffer.from('%PDF-1.7\n', 'latin1')];
  let offset = chunks[0]!.length;
  const offsets = new Map<number, number>();
  const put = (num: number, body: string | Buffer) => {
    offsets.set(num, offset);
    const chunk = Buffer.concat([Buffer.from(`${num} 0 obj\n`, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1'), Buffer.from('\nendobj\n', 'latin1')]);
    chunks.push(chunk);
    offset += chunk.length;
  };
  const stream = (dict: string, data: Buffer) => Buffer.concat([Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'), data, Buffer.from('\nendstream', 'latin1')]);
  put(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  put(3, PAGE);
  const header = `${'0 0 '.repeat(pairs - 1)}1 0 `;
  put(4, stream(`/Type /ObjStm /N ${pairs} /First ${header.length}`, Buffer.from(`${header}<< /Type /Catalog /Pages 2 0 R >>`, 'latin1')));
  const rows = Buffer.alloc(6 * 9);
  rows.writeUInt8(2, 9); // object 1: object stream 4, last index
  rows.writeUInt32BE(4, 10);
  rows.writeUInt32BE(pairs - 1, 14);
  for (const num of [2, 3, 4, 5]) {
    rows.writeUInt8(1, num * 9);
    rows.writeUInt32BE(num === 5 ? offset : offsets.get(num)!, num * 9 + 1);
  }
  const xrefAt = offset;
  put(5, stream('/Type /XRef /Size 6 /W [1 4 4] /Root 1 0 R', rows));
  chunks.push(Buffer.from(`startxref\n${xrefAt}\n%%EOF\n`, 'latin1'));
  return new Uint8Array(Buffer.concat(chunks));
}

/** Runs `f`, answering its result and how long it took. */
function timed<T>(f: () => T): { result: T; ms: number } {
  const started = performance.now();
  const result = f();
  return { result, ms: performance.now() - started };
}

describe('declaredPageCount: the root /Count read through the cross-reference data only', () => {
  it('agrees with the full parse on classic tables, object + cross-reference streams, qpdf rewrites, linearized files and incremental updates', async () => {
    const ca = await makeCa('Declared');
    const signed = await signPdf({
      pdf: await prepareForSigning(await makePdf({ pages: 3 })),
      signer: await makeSigner(ca, '张三'),
      signerName: '张三',
      fieldName: '签署方1',
      appearance: { page: 1, x: 10, y: 10, width: 50, height: 50, png: await renderNameSeal('张三') },
    });
    const five = await makePdf({ pages: 5 });
    // startxref pointing at the line break before `xref` (seen in the wild; readers accept it)
    const early = Buffer.from(Buffer.from(five).toString('latin1').replace(/startxref\s+(\d+)/, (_m, n: string) => `startxref\n${Number(n) - 1}`), 'latin1');
    const corpus: [string, Uint8Array, number][] = [
      ['pdf-lib 1 page', await makePdf({ pages: 1 }), 1],
      ['pdf-lib 7 pages', await makePdf({ pages: 7 }), 7],
      ['pdf-lib 7 pages, object streams', await makePdf({ pages: 7, useObjectStreams: true }), 7],
      ['qpdf object streams', qpdf(five, '--object-streams=generate'), 5],
      ['qpdf linearized', qpdf(five, '--linearize'), 5],
      ['qpdf linearized + object streams', qpdf(five, '--linearize', '--object-streams=generate'), 5],
      ['qpdf QDF', qpdf(five, '--qdf'), 5],
      ['startxref at the line break before xref', early, 5],
      ['signed (incremental update)', signed, 3],
      ['update that changes /Count', recount(five, 77), 77],
      ['update of a signed file that changes /Count', recount(signed, 1500), 1500],
      ['1,500 pages, classic', manyPages(1500), 1500],
      ['1,500 pages, object streams', manyPagesObjectStreams(1500), 1500],
    ];
    for (const [name, bytes, pages] of corpus) {
      expect({ name, declared: declaredPageCount(bytes) }).toEqual({ name, declared: pages });
      expect({ name, full: await fullParseCount(bytes) }).toEqual({ name, full: pages });
    }
  });

  it('gives null (the full parse decides) for what it cannot read plainly, and never throws', async () => {
    const good = await makePdf({ pages: 2 });
    expect(declaredPageCount(Buffer.from('hello world'))).toBeNull();
    expect(declaredPageCount(new Uint8Array(0))).toBeNull();
    expect(declaredPageCount(good.slice(0, Math.floor(good.length / 2)))).toBeNull();
    // startxref pointing into the middle of an object
    expect(declaredPageCount(Buffer.from(Buffer.from(good).toString('latin1').replace(/startxref\s+\d+/, 'startxref\n20'), 'latin1'))).toBeNull();
    // a /Prev chain that loops
    const looped = Buffer.from(appendUpdate(good, [{ num: 1, body: '<< /Type /Catalog /Pages 9999 0 R >>' }])).toString('latin1');
    const last = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(looped)![1]);
    expect(declaredPageCount(Buffer.from(looped.replace(/\/Prev \d+/g, `/Prev ${last}`), 'latin1'))).toBeNull();
    // an object stream over the decoded-bytes budget
    expect(declaredPageCount(manyPagesObjectStreams(1500), { maxDecodedBytes: 100, maxSections: 64 })).toBeNull();
    // hostile files whose catalog and page tree root are plain: their (small) declared count
    expect(declaredPageCount(pageTreeBomb(24))).toBe(1);
    expect(declaredPageCount(fieldTreeBomb(30))).toBe(1);
    expect(declaredPageCount(flateBomb(16 * 1024 * 1024))).toBe(1);
    expect(declaredPageCount(deepNesting())).toBe(1);
    expect(declaredPageCount(xrefStreamSizeBomb())).toBe(1); // its classic table is the newest section
  });

  it('parses a bounded number of values: a catalog or trailer holding millions of them gives null at once', () => {
    for (const where of ['catalog', 'trailer'] as const) {
      const pdf = junkArray(2_000_000, where);
      // Unbounded, each took ~0.9 s and ~110 MB of heap (a 20 MB file: 4 s and 585 MB).
      const { result, ms } = timed(() => declaredPageCount(pdf));
      expect({ where, result }).toEqual({ where, result: null });
      expect(ms).toBeLessThan(1500);
    }
    // Within the bound the same junk is read through.
    expect(declaredPageCount(junkArray(1000, 'catalog'))).toBe(1);
    expect(declaredPageCount(junkArray(1000, 'trailer'))).toBe(1);
  });

  it('bounds a single token too: an 8 MB name or number in the catalog gives null at once (one value, but built whole before)', () => {
    for (const token of [`/${'A'.repeat(8 << 20)}`, '1'.repeat(8 << 20)]) {
      const pdf = Buffer.from(rawPdf([`<< /Type /Catalog /Pages 2 0 R /Junk ${token} >>`, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', PAGE]));
      const { result, ms } = timed(() => declaredPageCount(pdf));
      expect(result).toBeNull();
      expect(ms).toBeLessThan(1500);
    }
  });

  it("reads an object stream's header only up to the object's pair, within the same bound", () => {
    const { result, ms } = timed(() => declaredPageCount(catalogAfterLongHeader(1_000_000)));
    expect(result).toBeNull();
    expect(ms).toBeLessThan(1500);
    expect(declaredPageCount(catalogAfterLongHeader(100))).toBe(1);
  });

  it('reads ordinary files well within the bound, classic and with object streams (the bound is what gives null)', async () => {
    const budget = (maxValues: number) => ({ ...DEFAULT_DECLARED_COUNT_BUDGET, maxValues });
    for (const pdf of [await makePdf({ pages: 3 }), await makePdf({ pages: 3, useObjectStreams: true })]) {
      expect(declaredPageCount(pdf)).toBe(3);
      expect(declaredPageCount(pdf, budget(100))).toBe(3);
      expect(declaredPageCount(pdf, budget(5))).toBeNull();
    }
    // A flat page tree's root holds one reference per page.
    for (const pdf of [manyPages(1500), manyPagesObjectStreams(1500)]) {
      expect(declaredPageCount(pdf)).toBe(1500);
      expect(declaredPageCount(pdf, budget(1000))).toBeNull();
    }
  });
});
