import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, degrees } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { DocumentError, type DocumentErrorCode } from '../errors';
import { inspectPdf } from './inspect-pdf';
import { A4, makePdf } from './test-helpers';

const limits = { maxBytes: 5_000_000, maxPages: 50 };

async function codeOf(p: Promise<unknown>): Promise<DocumentErrorCode | 'resolved' | string> {
  try {
    await p;
    return 'resolved';
  } catch (e) {
    return e instanceof DocumentError ? e.code : String(e);
  }
}

function encrypt(pdf: Uint8Array): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'inspect-'));
  try {
    writeFileSync(join(dir, 'in.pdf'), pdf);
    const r = spawnSync('qpdf', ['--encrypt', '', 'owner', '256', '--', join(dir, 'in.pdf'), join(dir, 'out.pdf')]);
    if (r.status !== 0) throw new Error(String(r.stderr));
    return readFileSync(join(dir, 'out.pdf'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('inspectPdf', () => {
  it('reports page count and displayed sizes of a valid multi-page A4 PDF', async () => {
    for (const useObjectStreams of [false, true]) {
      const info = await inspectPdf(await makePdf({ pages: 4, useObjectStreams }), limits);
      expect(info.pageCount).toBe(4);
      expect(info.pages).toEqual(Array(4).fill({ width: A4[0], height: A4[1] }));
    }
  });

  it('reports rotated and mixed page sizes as displayed', async () => {
    const doc = await PDFDocument.create();
    doc.addPage(A4);
    doc.addPage(A4).setRotation(degrees(90));
    doc.addPage([300, 200]);
    const info = await inspectPdf(await doc.save(), limits);
    expect(info.pages).toEqual([
      { width: A4[0], height: A4[1] },
      { width: A4[1], height: A4[0] },
      { width: 300, height: 200 },
    ]);
  });

  it('rejects non-PDF bytes', async () => {
    expect(await codeOf(inspectPdf(Buffer.from('hello world'), limits))).toBe('NOT_A_PDF');
    expect(await codeOf(inspectPdf(new Uint8Array(0), limits))).toBe('NOT_A_PDF');
    expect(await codeOf(inspectPdf(Buffer.from('PK\x03\x04 this is a docx'), limits))).toBe('NOT_A_PDF');
  });

  it('rejects corrupt PDFs', async () => {
    const good = await makePdf({ pages: 2 });
    expect(await codeOf(inspectPdf(Buffer.from('%PDF-1.7\n'), limits))).toBe('PDF_CORRUPT');
    expect(await codeOf(inspectPdf(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(2000, 0x78)]), limits))).toBe('PDF_CORRUPT');
    expect(await codeOf(inspectPdf(good.slice(0, Math.floor(good.length / 2)), limits))).toBe('PDF_CORRUPT');
    expect(await codeOf(inspectPdf(good.slice(0, 100), limits))).toBe('PDF_CORRUPT');
  });

  it('rejects oversize files and too many pages', async () => {
    const pdf = await makePdf({ pages: 5 });
    expect(await codeOf(inspectPdf(pdf, { maxBytes: pdf.length - 1, maxPages: 50 }))).toBe('PDF_TOO_LARGE');
    expect(await codeOf(inspectPdf(pdf, { maxBytes: pdf.length, maxPages: 5 }))).toBe('resolved');
    expect(await codeOf(inspectPdf(pdf, { maxBytes: 1e9, maxPages: 4 }))).toBe('PDF_TOO_MANY_PAGES');
  });

  it('rejects PDFs without pages', async () => {
    const doc = await PDFDocument.create();
    const empty = await doc.save({ addDefaultPage: false });
    expect(await codeOf(inspectPdf(empty, limits))).toBe('PDF_NO_PAGES');
  });

  it('rejects encrypted PDFs', async () => {
    const encrypted = encrypt(await makePdf({ pages: 1 }));
    const err = await inspectPdf(encrypted, limits).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DocumentError);
    expect((err as DocumentError).code).toBe('PDF_ENCRYPTED');
    expect((err as DocumentError).message).toMatch(/encrypted/);
  });
});
