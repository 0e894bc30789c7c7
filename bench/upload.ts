/**
 * Upload bench section (npm run bench): refusing a 1,500-page PDF over the 500-page upload limit.
 *
 * today: inspectPdf (the upload check, in process) refusing the file — it reads the root /Count
 * through the cross-reference data before any full parse (documents/pdf/declared-page-count.ts).
 * anchor: the least any refusal by /Count must do — parse the root /Pages object itself (its bytes
 * in hand, as written in the file) and read /Count — measured interleaved in the same run.
 * The note gives the refusal as it was before (full parse with pdf-lib, then /Count), same run.
 * Two layouts: a classic cross-reference table (LibreOffice's output) and object + cross-reference
 * streams (pdf-lib's default save).
 */
import * as lib from 'pdf-lib';
import { DocumentError } from '../documents/errors';
import { inspectPdf } from '../documents/pdf/inspect-pdf';
import { checkPageTree } from '../documents/pdf/pdf-structure';
import { loadPdf } from '../documents/pdf/safe-load';
import { makePdf } from '../documents/pdf/test-helpers';
import { medianMs, pairedMedianMs } from './measure';
import { benchRow, type BenchRow } from './table';

const PAGES = 1500;
const LIMITS = { maxBytes: 20_000_000, maxPages: 500 };
const GOAL = 2;

async function refusal(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (err) {
    if (err instanceof DocumentError && err.code === 'PDF_TOO_MANY_PAGES') return;
    throw err;
  }
  throw new Error('upload bench: the 1,500-page file was accepted');
}

/** The root /Pages object as bytes, exactly as pdf-lib writes it into the file. */
async function pagesObjectBytes(pdf: Uint8Array): Promise<Uint8Array> {
  const doc = await lib.PDFDocument.load(pdf, { updateMetadata: false });
  return new TextEncoder().encode(doc.catalog.lookup(lib.PDFName.of('Pages'), lib.PDFDict).toString());
}

function readCount(pagesBytes: Uint8Array): number {
  const dict = lib.PDFObjectParser.forBytes(pagesBytes, lib.PDFContext.create()).parseObject();
  const count = dict instanceof lib.PDFDict ? dict.get(lib.PDFName.of('Count')) : undefined;
  if (!(count instanceof lib.PDFNumber)) throw new Error('upload bench: no /Count');
  return count.asNumber();
}

/** What inspectPdf did before: the full budgeted parse, then the page tree's /Count. */
const fullParseRefusal = async (pdf: Uint8Array) => checkPageTree((await loadPdf(pdf)).doc, { maxPages: LIMITS.maxPages, maxDepth: 32 });

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const [layout, useObjectStreams] of [
    ['classic xref', false],
    ['object streams', true],
  ] as const) {
    const pdf = await makePdf({ pages: PAGES, useObjectStreams });
    const pagesBytes = await pagesObjectBytes(pdf);
    if (readCount(pagesBytes) !== PAGES) throw new Error('upload bench: unexpected /Count');
    const [today, anchor] = await pairedMedianMs(
      () => refusal(inspectPdf(pdf, LIMITS)),
      () => readCount(pagesBytes),
      200,
      20,
    );
    const before = await medianMs(() => refusal(fullParseRefusal(pdf)), 5, 1);
    rows.push(
      benchRow({
        section: 'upload',
        what: `refuse a ${PAGES.toLocaleString('en')}-page upload over the ${LIMITS.maxPages}-page limit (inspectPdf, ${layout}, median)`,
        today,
        unit: 'ms',
        anchor: { what: 'parse the root /Pages object alone and read /Count', value: anchor },
        goal: { max: GOAL },
        note: `${(pdf.length / 1024).toFixed(0)} KB file; before (full parse, then /Count): ${before.toFixed(1)} ms`,
      }),
    );
  }
  return rows;
}
