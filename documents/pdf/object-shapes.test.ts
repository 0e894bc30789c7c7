import { PDFDocument, PDFName, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { DocumentError, type DocumentErrorCode } from '../errors';
import { renderNameSeal } from '../seals/name-seal';
import { drawTextFields, type TextFieldItem } from './draw-text-fields';
import { rawPdf } from './hostile-pdfs';
import { inspectPdf } from './inspect-pdf';
import { inspectAndPrepareForSigning } from './normalize-pdf';
import { signPdf, signPdfWithPdfLib, type SignPdfInput } from './sign-pdf';
import { A4, makeCa, makePdf, makeSigner } from './test-helpers';
import { verifyPdf } from './verify-pdf';

/**
 * Objects of a kind signing or text drawing cannot read (an /Annots that is a dictionary, …):
 * refused at upload as PDF_CORRUPT, and — for files stored before that check — failing signing and
 * text drawing as a DocumentError (permanent), never as a plain Error (retried as infrastructure
 * until the signer got 503 SIGNING_UNAVAILABLE, forever).
 */

const limits = { maxBytes: 5_000_000, maxPages: 50 };

const stream = (content: string) => `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;

/**
 * Catalog (1), page tree (2), one A4 page (3) with a content stream (4), then `objects` from 5 on.
 * `catalog`, `pages` and `page` are extra entries of those dictionaries.
 */
function shaped(opts: { catalog?: string; pages?: string; page?: string; contents?: string; objects?: string[] }): Uint8Array {
  return rawPdf([
    `<< /Type /Catalog /Pages 2 0 R ${opts.catalog ?? ''} >>`,
    `<< /Type /Pages /Kids [3 0 R] /Count 1 ${opts.pages ?? ''} >>`,
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] ${opts.contents ?? '/Contents 4 0 R'} ${opts.page ?? ''} >>`,
    stream('0 0 1 rg 50 700 100 50 re f'),
    ...(opts.objects ?? []),
  ]);
}

/** What signing reads: the AcroForm, its /Fields, the signed page's /Annots. */
const SIGNING_SHAPES: [string, () => Uint8Array][] = [
  ['a page /Annots pointing at a dictionary', () => shaped({ page: '/Annots 5 0 R', objects: ['<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] >>'] })],
  ['the catalog /AcroForm pointing at an array', () => shaped({ catalog: '/AcroForm 5 0 R', objects: ['[6 0 R]', '<< /T (a) /FT /Tx >>'] })],
  ['the /AcroForm /Fields pointing at a dictionary', () => shaped({ catalog: '/AcroForm << /Fields 5 0 R >>', objects: ['<< /T (a) /FT /Tx >>'] })],
  ['an indirect /AcroForm whose /Fields points at a dictionary', () => shaped({ catalog: '/AcroForm 5 0 R', objects: ['<< /Fields 6 0 R >>', '<< /T (a) /FT /Tx >>'] })],
  ['a page /Annots pointing at a missing object', () => shaped({ page: '/Annots 9 0 R' })],
];

/** What text drawing reads (pdf-lib's page normalization): /Resources with its /Font, /XObject, /ExtGState, and /Contents. */
const DRAWING_SHAPES: [string, () => Uint8Array][] = [
  ['/Resources 7 (a number)', () => shaped({ page: '/Resources 7' })],
  ['/Contents /X (a name)', () => shaped({ contents: '/Contents /X' })],
  ['/Resources << /Font [1] >>', () => shaped({ page: '/Resources << /Font [1] >>' })],
  ['/Resources << /XObject 5 0 R >> pointing at an array', () => shaped({ page: '/Resources << /XObject 5 0 R >>', objects: ['[1 2]'] })],
  ['/Resources << /ExtGState (x) >>', () => shaped({ page: '/Resources << /ExtGState (x) >>' })],
  ['an inherited /Resources (on the page tree node) pointing at an array', () => shaped({ pages: '/Resources 5 0 R', objects: ['[1]'] })],
];

/** Refused at upload though drawing and signing need not throw on them: a /Contents array must list streams; references must name objects of the file. */
const OTHER_SHAPES: [string, () => Uint8Array][] = [
  ['/Contents [4 0 R 5 0 R] whose second element is a dictionary', () => shaped({ contents: '/Contents [4 0 R 5 0 R]', objects: ['<< /A 1 >>'] })],
  // pdf-lib numbers the objects it adds after the largest: a dangling reference would come to point at one of them.
  ['/Resources pointing at a missing object', () => shaped({ page: '/Resources 9 0 R' })],
  ['/Resources << /Font 9 0 R >> pointing at a missing object', () => shaped({ page: '/Resources << /Font 9 0 R >>' })],
  ['/Contents pointing at a missing object', () => shaped({ contents: '/Contents 9 0 R' })],
];

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => 'resolved',
    (err: unknown) => err,
  );
}

async function codeOf(p: Promise<unknown>): Promise<DocumentErrorCode | string> {
  const e = await failure(p);
  return e instanceof DocumentError ? e.code : String(e);
}

const textItem: TextFieldItem = { page: 1, x: 60, y: 120, width: 240, height: 24, fontSize: 12, align: 'left', multiline: false, text: '甲方：北京示例科技有限公司' };

describe('inspectPdf: objects of a kind signing or text drawing cannot read are refused at upload (PDF_CORRUPT)', () => {
  for (const [name, build] of [...SIGNING_SHAPES, ...DRAWING_SHAPES, ...OTHER_SHAPES]) {
    it(`refuses ${name}`, async () => {
      const pdf = build();
      const err = await failure(inspectPdf(pdf, limits));
      expect(err).toBeInstanceOf(DocumentError);
      expect((err as DocumentError).code).toBe('PDF_CORRUPT');
      expect((err as DocumentError).message).toMatch(/structure is broken/);
      expect(await codeOf(inspectAndPrepareForSigning(pdf, limits))).toBe('PDF_CORRUPT');
    });
  }

  it('accepts the well-formed forms: indirect /Annots, /AcroForm and /Fields, inherited and null /Resources, /Contents arrays, null /Resources and /Contents', async () => {
    const ok = [
      shaped({ catalog: '/AcroForm 5 0 R', page: '/Annots 7 0 R', objects: ['<< /Fields 6 0 R >>', '[8 0 R]', '[8 0 R]', '<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /Rect [50 50 200 70] /P 3 0 R >>'] }),
      shaped({ catalog: '/AcroForm << /Fields [] >>', page: '/Annots []' }),
      shaped({ catalog: '/AcroForm null', page: '/Annots null' }),
      shaped({ pages: '/Resources 5 0 R', objects: ['<< /Font 6 0 R /XObject << >> /ExtGState null >>', '<< >>'] }),
      shaped({ page: '/Resources null' }),
      shaped({ contents: '/Contents [4 0 R 5 0 R]', objects: [stream('1 0 0 rg 60 600 10 10 re f')] }),
      shaped({ contents: '' }),
      shaped({ contents: '/Contents 5 0 R', objects: ['null'] }),
      shaped({ page: '/Resources 6 0 R', contents: '/Contents 5 0 R', objects: ['null', 'null'] }),
    ];
    for (const pdf of ok) expect(await inspectPdf(pdf, limits)).toEqual({ pageCount: 1, pages: [{ width: 595, height: 842 }] });
  });

  it('checks a /Contents array and a resource dictionary shared by many pages once (within the page budget)', async () => {
    const pages = 200;
    const kids = Array.from({ length: pages }, (_, i) => `${i + 7} 0 R`).join(' ');
    const bodies = [
      '<< /Type /Catalog /Pages 2 0 R >>',
      `<< /Type /Pages /Kids [${kids}] /Count ${pages} /Resources 5 0 R >>`,
      stream('0 0 1 rg 50 700 100 50 re f'),
      `[${Array(50_000).fill('3 0 R').join(' ')}]`,
      '<< /Font << >> >>',
      'null',
      ...Array.from({ length: pages }, () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>'),
    ];
    const t = performance.now();
    expect((await inspectPdf(rawPdf(bodies), { ...limits, maxPages: pages })).pageCount).toBe(pages);
    expect(performance.now() - t).toBeLessThan(5_000);
  });
});

describe('signing a stored document with such objects fails as a DocumentError, not a plain Error', () => {
  let ca: CertificateAuthority;
  let signer: SignPdfInput['signer'];
  let png: Uint8Array;

  beforeAll(async () => {
    ca = await makeCa('Shapes');
    signer = await makeSigner(ca, '张三');
    png = await renderNameSeal('张三');
  });

  const input = (pdf: Uint8Array): SignPdfInput => ({ pdf, signer, signerName: '张三', fieldName: '签署方1', appearance: { page: 1, x: 60, y: 100, width: 80, height: 80, png } });

  for (const [name, build] of SIGNING_SHAPES) {
    it(`signPdf and signPdfWithPdfLib: ${name} → PDF_CORRUPT`, async () => {
      for (const sign of [signPdf, signPdfWithPdfLib]) {
        const err = await failure(sign(input(build())));
        expect(err).toBeInstanceOf(DocumentError);
        expect((err as DocumentError).code).toBe('PDF_CORRUPT');
        expect((err as DocumentError).cause).toBeInstanceOf(Error);
      }
    });
  }

  it('a PDF with annotations and a form (indirect /Annots, /AcroForm, /Fields) passes the upload check and still signs, on both paths', async () => {
    // pdf-lib's own form: a text field and a checkbox, their widgets in the page's /Annots.
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    const page = doc.addPage(A4);
    page.drawText('Contract with a form', { x: 50, y: 760, size: 14, font });
    const form = doc.getForm();
    form.createTextField('name').addToPage(page, { x: 50, y: 600, width: 200, height: 20 });
    form.createCheckBox('agree').addToPage(page, { x: 50, y: 560, width: 15, height: 15 });
    expect(page.node.lookup(PDFName.of('Annots'))).toBeDefined();
    const withForm = await doc.save({ useObjectStreams: true });
    const indirect = shaped({
      catalog: '/AcroForm 5 0 R',
      page: '/Annots 7 0 R',
      objects: ['<< /Fields 6 0 R >>', '[8 0 R]', '[8 0 R 9 0 R]', '<< /Type /Annot /Subtype /Widget /FT /Tx /T (name) /Rect [50 50 200 70] /P 3 0 R >>', '<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] >>'],
    });

    for (const upload of [withForm, indirect]) {
      const { prepared } = await inspectAndPrepareForSigning(upload, limits);
      for (const sign of [signPdf, signPdfWithPdfLib]) {
        const signed = await sign(input(prepared));
        const report = await verifyPdf(signed, { trustedRootsPem: [ca.rootCertificatePem()] });
        expect(report).toMatchObject({ readable: true, signatureCount: 1, intact: true, signedByPlatform: true });
        const out = await PDFDocument.load(signed);
        expect(out.getForm().getFields().map((f) => f.getName())).toEqual(expect.arrayContaining(['name', '签署方1']));
      }
    }
  });
});

describe('drawing text into a stored template with such objects fails as a DocumentError, not a plain Error', () => {
  for (const [name, build] of DRAWING_SHAPES) {
    it(`drawTextFields: ${name} → PDF_CORRUPT`, async () => {
      const err = await failure(drawTextFields(build(), [textItem]));
      expect(err).toBeInstanceOf(DocumentError);
      expect((err as DocumentError).code).toBe('PDF_CORRUPT');
    });
  }

  it('still draws into well-formed pages: inherited indirect /Resources, a /Contents array, null /Resources and /Contents, annotations', async () => {
    const sources = [
      shaped({ pages: '/Resources 5 0 R', objects: ['<< /Font 6 0 R >>', '<< >>'] }),
      shaped({ contents: '/Contents [4 0 R 5 0 R]', page: '/Resources null /Annots [6 0 R]', objects: [stream('1 0 0 rg 60 600 10 10 re f'), '<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] >>'] }),
      shaped({ contents: '/Contents 5 0 R', page: '/Resources 6 0 R', objects: ['null', 'null'] }),
      await makePdf({ pages: 1 }),
    ];
    for (const source of sources) {
      const out = await drawTextFields(source, [textItem]);
      expect((await inspectPdf(out, limits)).pageCount).toBe(1);
    }
  });
});
