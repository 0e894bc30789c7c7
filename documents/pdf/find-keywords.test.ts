import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { closeDocumentWorkers } from '../pool/pdf-tasks';
import { findKeywords as findKeywordsInPool } from '../pool/word-tasks';
import { findKeywords } from './find-keywords';

afterAll(() => closeDocumentWorkers(0));

/** A 2-page A4 PDF; "Party A (Seal):" is drawn in two pieces (two text items) at known places. */
async function samplePdf(): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const p1 = doc.addPage([595.28, 841.89]);
  p1.drawText('Contract text. Party B (Sign):', { x: 72, y: 700, size: 12, font });
  const p2 = doc.addPage([595.28, 841.89]);
  p2.drawText('Party A ', { x: 100, y: 300, size: 12, font });
  p2.drawText('(Seal):', { x: 100 + font.widthOfTextAtSize('Party A ', 12), y: 300, size: 12, font });
  p2.drawText('Party A (Seal):', { x: 300, y: 150, size: 12, font });
  // A page whose crop box does not start at the origin: positions are from the visible top-left corner.
  const p3 = doc.addPage([595.28, 841.89]);
  p3.setCropBox(50, 50, 400, 600);
  p3.drawText('Party B (Sign):', { x: 80, y: 500, size: 10, font });
  return doc.save();
}

describe('findKeywords (关键字定位)', () => {
  it('finds a keyword split across text items, every occurrence in reading order, in top-left points', async () => {
    const pdf = await samplePdf();
    const hits = await findKeywords(pdf, ['Party A (Seal):', 'Party B（Sign）：', 'missing']);
    const partyA = hits['Party A (Seal):']!;
    expect(partyA).toHaveLength(2);
    expect(partyA[0]!.page).toBe(2);
    expect(partyA[0]!.x).toBeCloseTo(100, 0);
    // baseline at 300 from the bottom → top of the glyph box ≈ 841.89 − 300 − ascent
    expect(partyA[0]!.y).toBeGreaterThan(841.89 - 300 - 13);
    expect(partyA[0]!.y).toBeLessThan(841.89 - 300 - 6);
    expect(partyA[0]!.height).toBeGreaterThan(8);
    expect(partyA[0]!.width).toBeGreaterThan(60);
    expect(partyA[0]!.width).toBeLessThan(100);
    expect(partyA[1]).toMatchObject({ page: 2 });
    expect(partyA[1]!.x).toBeCloseTo(300, 0);
    expect(partyA[1]!.y).toBeGreaterThan(partyA[0]!.y); // lower on the page, later in reading order
    // full-width punctuation in the keyword matches half-width text
    const partyB = hits['Party B（Sign）：']!;
    expect(partyB.map((h) => h.page)).toEqual([1, 3]);
    expect(partyB[0]!.x).toBeGreaterThan(72);
    expect(partyB[1]!.x).toBeCloseTo(30, 0); // 80 − crop box x 50
    expect(partyB[1]!.y).toBeGreaterThan(650 - 500 - 11);
    expect(partyB[1]!.y).toBeLessThan(650 - 500 - 5);
    expect(hits.missing).toEqual([]);
  });

  it('refuses empty or over-long keywords and unreadable files', async () => {
    const pdf = await samplePdf();
    await expect(findKeywords(pdf, ['  '])).rejects.toMatchObject({ code: 'INVALID_KEYWORD' });
    await expect(findKeywords(pdf, ['x'.repeat(101)])).rejects.toMatchObject({ code: 'INVALID_KEYWORD' });
    await expect(findKeywords(new TextEncoder().encode('not a pdf'), ['x'])).rejects.toMatchObject({ code: 'NOT_A_PDF' });
  });

  it('runs in the document worker threads with the same answer', async () => {
    const pdf = await samplePdf();
    expect(await findKeywordsInPool(pdf, ['Party A (Seal):'])).toEqual(await findKeywords(pdf, ['Party A (Seal):']));
  });
});
