import { createHash } from 'node:crypto';
import {
  PDFArray,
  PDFContext,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFInvalidObject,
  PDFName,
  PDFNumber,
  PDFRef,
  PDFString,
} from 'pdf-lib-incremental-save';
import { DocumentError } from '../errors';
import type { RidingRule } from '../seals/riding-seal';
import { cadesLengthBound, signCadesDetached } from './cms-sign';
import { leanIncrementalUpdate, type IncrementalUpdate } from './incremental/lean-sign';
import { prepareForSigning } from './normalize-pdf';
import { pageGeometry } from './page-geometry';
import { hasPdfMagic } from './pdf-magic';
import { DEFAULT_STRUCTURE_LIMITS, checkPageTree, listFields, readingStructure, readingStructureAsync, signedFields } from './pdf-structure';
import { preparedImage, type ImageStream } from './prepared-image';
import { loadPdfForUpdate } from './safe-load';
import { BYTE_RANGE_PLACEHOLDER, TIMESTAMP_TOKEN_ROOM, marksOf, pdfText, planWidgets, widgetAppearance } from './sign-plan';

/** One visible mark of a signature: an image in a box on one page. */
export interface SignAppearance {
  /** 1-based page number. */
  page: number;
  /** PDF points from the TOP-LEFT corner of the displayed page to the image's top-left corner. */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Seal image; fitted (aspect ratio kept) and centred in the box, multiply-blended. */
  png: Uint8Array;
}

/**
 * 骑缝章: one seal of `width`×`height` cut into equal vertical strips, one per page of
 * pageFrom..pageTo that `rule` selects (骑缝规则, default every page: documents/seals/riding-seal.ts);
 * strip i sits at the right edge of the i-th selected page, `y` points from the top.
 */
export interface RidingAppearance {
  pageFrom: number;
  pageTo: number;
  rule?: RidingRule | undefined;
  y: number;
  width: number;
  height: number;
  png: Uint8Array;
}

export interface SignPdfInput {
  pdf: Uint8Array;
  signer: { certificatePem: string; privateKeyPem: string; chainPem: string[] };
  /** Unique signature field name; may be Chinese (e.g. 签署方1). Must not contain '.'. */
  fieldName: string;
  /** A single mark (the v1 shape). Combined with `appearances` and `riding` when several are given. */
  appearance?: SignAppearance;
  /** Further marks of the same signature (enterprise seal, date seal, …). */
  appearances?: SignAppearance[];
  /** 骑缝章 strips of the same signature. */
  riding?: RidingAppearance[];
  reason?: string;
  location?: string;
  signerName: string;
  signingTime?: Date;
}

export { MAX_WIDGETS_PER_SIGNATURE } from './sign-plan';

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** /Contents size: the CMS at its longest for this signer and time, plus the room of an RFC 3161 timestamp token. */
function reservedSignatureBytes(signer: SignPdfInput['signer'], signingTime: Date): number {
  try {
    return cadesLengthBound(signer, signingTime) + TIMESTAMP_TOKEN_ROOM;
  } catch (err) {
    throw new DocumentError('INVALID_SIGNER', `cannot create the signature: ${(err as Error).message}`, { cause: err });
  }
}

function validateInput(input: SignPdfInput): void {
  const { fieldName } = input;
  if (!hasPdfMagic(input.pdf)) throw new DocumentError('NOT_A_PDF', 'the file is not a PDF (missing %PDF- header)');
  if (!fieldName || fieldName.includes('.') || [...fieldName].length > 100) {
    throw new DocumentError('INVALID_FIELD_NAME', 'fieldName must be 1–100 characters without "."');
  }
  const images = [...marksOf(input).map((m) => m.png), ...(input.riding ?? []).map((r) => r.png)];
  if (images.length === 0) throw new DocumentError('INVALID_IMAGE', 'a signature needs at least one appearance');
  for (const png of images) if (!PNG_MAGIC.every((b, i) => png[i] === b)) throw new DocumentError('INVALID_IMAGE', 'appearance.png is not a PNG image');
  if (!input.signer.certificatePem || !input.signer.privateKeyPem) throw new DocumentError('INVALID_SIGNER', 'signer certificate and key are required');
}

/** Loads within budgets, checks the page and field trees, returns the names of existing fields. */
async function loadChecked(pdf: Uint8Array) {
  const { doc } = await loadPdfForUpdate(pdf);
  checkPageTree(doc, DEFAULT_STRUCTURE_LIMITS);
  const fields = listFields(doc, DEFAULT_STRUCTURE_LIMITS);
  return { doc, fields };
}

async function loadForIncrementalUpdate(pdf: Uint8Array): Promise<{ bytes: Uint8Array; doc: PDFDocument; fieldNames: Set<string> }> {
  const loaded = await loadChecked(pdf);
  if (loaded.doc.context.pdfFileDetails.useObjectStreams) {
    // Cross-reference streams: the appender cannot extend them. Normalize once if still unsigned.
    if (signedFields(loaded.fields).length > 0) {
      throw new DocumentError('PDF_UNSUPPORTED_STRUCTURE', 'signed PDFs with cross-reference streams cannot receive further signatures');
    }
    const bytes = await prepareForSigning(pdf);
    const again = await loadChecked(bytes);
    return { bytes, doc: again.doc, fieldNames: new Set(again.fields.map((f) => f.name)) };
  }
  return { bytes: pdf, doc: loaded.doc, fieldNames: new Set(loaded.fields.map((f) => f.name)) };
}

/**
 * Appends one incremental update holding a signature field whose widgets show the marks (seal
 * images, date seal, 骑缝章 strips), and a PAdES (ETSI.CAdES.detached) signature over the whole
 * file. One mark: a merged field/widget (as before); several: one field whose /Kids are the
 * widgets. The kids carry no /Parent: poppler (pdfsig, Okular, Evince) turns every kid that has
 * a /Parent into a separate, unsigned signature field (and repeating /V on each kid makes it
 * validate the same signature once per widget, failing the certificate check after the first);
 * without it they are the widgets of one terminal field and the signature is listed once.
 * documents/pdf/object-roles.ts knows such kids. Earlier revisions are never rewritten, so
 * earlier signatures stay valid.
 */
export async function signPdf(input: SignPdfInput): Promise<Uint8Array> {
  validateInput(input);
  const signingTime = input.signingTime ?? new Date();
  const reserve = () => reservedSignatureBytes(input.signer, signingTime);
  const update = leanIncrementalUpdate(input, signingTime, reserve) ?? (await pdfLibIncrementalUpdate(input, signingTime, reserve));
  return fillSignature(update.bytes, update.updateStart, input, signingTime);
}

/**
 * signPdf on the general (pdf-lib) path only, never the lean writer: for differential tests and the
 * bench. Same checks, same output semantics.
 */
export async function signPdfWithPdfLib(input: SignPdfInput): Promise<Uint8Array> {
  validateInput(input);
  const signingTime = input.signingTime ?? new Date();
  const update = await pdfLibIncrementalUpdate(input, signingTime, () => reservedSignatureBytes(input.signer, signingTime));
  return fillSignature(update.bytes, update.updateStart, input, signingTime);
}

function imageXObject(context: PDFContext, s: ImageStream, smask: PDFRef | undefined): PDFRef {
  const cs = s.colorSpace;
  const colorSpace =
    cs.kind === 'Indexed' ? context.obj([PDFName.of('Indexed'), PDFName.of('DeviceRGB'), cs.hival, PDFHexString.of(Buffer.from(cs.palette).toString('hex'))]) : PDFName.of(cs.kind);
  const stream = context.stream(s.data, { Type: 'XObject', Subtype: 'Image', Width: s.width, Height: s.height, BitsPerComponent: s.bitsPerComponent, Filter: 'FlateDecode' });
  stream.dict.set(PDFName.of('ColorSpace'), colorSpace);
  if (smask) stream.dict.set(PDFName.of('SMask'), smask);
  return context.register(stream);
}

/**
 * The general path: any PDF pdf-lib loads within budgets (object streams normalized once while unsigned).
 * The steps that read the document's own objects (pages, AcroForm, /Fields, /Annots, the save) run
 * in readingStructure: an object of the wrong kind (an upload accepted before inspectPdf checked
 * these shapes) fails as PDF_CORRUPT, permanent, never as a plain Error retried as infrastructure.
 */
async function pdfLibIncrementalUpdate(input: SignPdfInput, signingTime: Date, reserve: () => number): Promise<IncrementalUpdate> {
  const { bytes: base, doc, fieldNames } = await loadForIncrementalUpdate(input.pdf);
  const { context, catalog } = doc;

  const { pages, geometries } = readingStructure('reading the pages', () => {
    const pages = doc.getPages();
    return { pages, geometries: pages.map((p) => pageGeometry(p)) };
  });
  const planned = planWidgets(input, geometries);

  const snapshot = doc.takeSnapshot();
  const catalogRef = context.trailerInfo.Root as PDFRef;

  const { acroForm, fields } = readingStructure('reading the AcroForm', () => {
    // AcroForm (indirect, direct in the catalog, or missing).
    const acroFormRaw = catalog.get(PDFName.of('AcroForm'));
    let acroForm: PDFDict;
    if (acroFormRaw instanceof PDFRef) {
      acroForm = context.lookup(acroFormRaw, PDFDict);
      snapshot.markRefForSave(acroFormRaw);
    } else if (acroFormRaw instanceof PDFDict) {
      acroForm = acroFormRaw;
      snapshot.markRefForSave(catalogRef);
    } else {
      acroForm = context.obj({});
      catalog.set(PDFName.of('AcroForm'), context.register(acroForm));
      snapshot.markRefForSave(catalogRef);
    }
    const fieldsRaw = acroForm.get(PDFName.of('Fields'));
    let fields: PDFArray;
    if (fieldsRaw instanceof PDFRef) {
      fields = context.lookup(fieldsRaw, PDFArray);
      snapshot.markRefForSave(fieldsRaw);
    } else if (fieldsRaw instanceof PDFArray) {
      fields = fieldsRaw;
    } else {
      fields = context.obj([]);
      acroForm.set(PDFName.of('Fields'), fields);
    }
    return { acroForm, fields };
  });
  if (fieldNames.has(input.fieldName)) {
    throw new DocumentError('FIELD_NAME_TAKEN', `a form field named "${input.fieldName}" already exists`);
  }
  const sigFlags = context.lookup(acroForm.get(PDFName.of('SigFlags')));
  const oldFlags = sigFlags instanceof PDFNumber ? sigFlags.asNumber() : 0;
  acroForm.set(PDFName.of('SigFlags'), context.obj(oldFlags | 3)); // SignaturesExist | AppendOnly

  // Signature dictionary with placeholders.
  const reserved = reserve();
  const sigDict = context.obj({
    Type: 'Sig',
    Filter: 'Adobe.PPKLite',
    SubFilter: 'ETSI.CAdES.detached',
  });
  sigDict.set(PDFName.of('ByteRange'), PDFInvalidObject.of(Buffer.from(BYTE_RANGE_PLACEHOLDER, 'latin1')));
  sigDict.set(PDFName.of('Contents'), PDFHexString.of('0'.repeat(reserved * 2)));
  sigDict.set(PDFName.of('M'), PDFString.fromDate(signingTime));
  sigDict.set(PDFName.of('Name'), pdfText(input.signerName));
  if (input.reason) sigDict.set(PDFName.of('Reason'), pdfText(input.reason));
  if (input.location) sigDict.set(PDFName.of('Location'), pdfText(input.location));
  const sigRef = context.register(sigDict);

  // Each distinct image once, however many marks and strips show it (prepared once per PNG: prepared-image.ts).
  const images = new Map<string, { ref: PDFRef; width: number; height: number }>();
  const embed = (png: Uint8Array) => {
    const key = createHash('sha256').update(png).digest('hex');
    let image = images.get(key);
    if (!image) {
      const prepared = preparedImage(png);
      const smask = prepared.smask ? imageXObject(context, prepared.smask, undefined) : undefined;
      image = { ref: imageXObject(context, prepared.image, smask), width: prepared.width, height: prepared.height };
      images.set(key, image);
    }
    return image;
  };

  // Field: merged with its widget for one mark, else a parent whose kids are the widgets.
  const merged = planned.length === 1;
  const fieldDict = merged ? null : context.obj({ FT: 'Sig', V: sigRef, Kids: [] as PDFRef[] });
  fieldDict?.set(PDFName.of('T'), pdfText(input.fieldName));
  const fieldRef = fieldDict ? context.register(fieldDict) : null;
  const kids = fieldDict ? context.lookup(fieldDict.get(PDFName.of('Kids')), PDFArray) : null;

  const widgetsByPage = new Map<number, PDFRef[]>();
  for (const w of planned) {
    const page = pages[w.page - 1]!;
    const image = embed(w.png);
    const a = widgetAppearance(w, geometries[w.page - 1]!, image);
    const apStream = context.stream(a.ops, {
      Type: 'XObject',
      Subtype: 'Form',
      FormType: 1,
      BBox: a.bbox,
      Matrix: a.matrix,
      Resources: {
        XObject: { Seal: image.ref },
        ExtGState: { GS0: { Type: 'ExtGState', BM: 'Multiply' } },
      },
    });
    const apRef = context.register(apStream);
    const widget = context.obj({
      Type: 'Annot',
      Subtype: 'Widget',
      Rect: a.rect,
      F: 4, // Print
      P: page.ref,
      AP: { N: apRef },
    });
    if (merged) {
      widget.set(PDFName.of('FT'), PDFName.of('Sig'));
      widget.set(PDFName.of('V'), sigRef);
      widget.set(PDFName.of('T'), pdfText(input.fieldName));
    }
    const widgetRef = context.register(widget);
    kids?.push(widgetRef);
    widgetsByPage.set(w.page, [...(widgetsByPage.get(w.page) ?? []), widgetRef]);
  }
  fields.push(fieldRef ?? widgetsByPage.values().next().value![0]!);

  readingStructure('adding the widgets to the pages', () => {
    for (const [pageNumber, refs] of widgetsByPage) {
      const page = pages[pageNumber - 1]!;
      const annotsRaw = page.node.get(PDFName.of('Annots'));
      if (annotsRaw instanceof PDFRef) {
        const annots = context.lookup(annotsRaw, PDFArray);
        for (const ref of refs) annots.push(ref);
        snapshot.markRefForSave(annotsRaw);
      } else if (annotsRaw instanceof PDFArray) {
        for (const ref of refs) annotsRaw.push(ref);
        snapshot.markRefForSave(page.ref);
      } else {
        page.node.set(PDFName.of('Annots'), context.obj(refs));
        snapshot.markRefForSave(page.ref);
      }
    }
  });

  const update = await readingStructureAsync('writing the update', () => doc.saveIncremental(snapshot));
  const out = new Uint8Array(base.length + update.length);
  out.set(base, 0);
  out.set(update, base.length);
  return { bytes: out, updateStart: base.length };
}

/** Writes the ByteRange and the CMS into the placeholders of the appended update (in place). */
function fillSignature(out: Uint8Array, updateStart: number, input: SignPdfInput, signingTime: Date): Uint8Array {
  const buf = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  const brAt = buf.indexOf(BYTE_RANGE_PLACEHOLDER, updateStart, 'latin1');
  const contentsAt = buf.indexOf('/Contents <', brAt, 'latin1') + '/Contents '.length;
  const contentsEnd = buf.indexOf('>', contentsAt, 'latin1') + 1;
  if (brAt < 0 || contentsAt < brAt || contentsEnd <= contentsAt) throw new Error('signPdf: signature placeholders not found in the update');
  const reserved = (contentsEnd - contentsAt - 2) / 2;
  const range = [0, contentsAt, contentsEnd, out.length - contentsEnd];
  const rangeText = `[${range.join(' ')}`;
  buf.write(rangeText.padEnd(BYTE_RANGE_PLACEHOLDER.length - 1, ' ') + ']', brAt, 'latin1');

  let cms: Buffer;
  try {
    cms = signCadesDetached([out.subarray(0, contentsAt), out.subarray(contentsEnd)], input.signer, signingTime);
  } catch (err) {
    throw new DocumentError('INVALID_SIGNER', `cannot create the signature: ${(err as Error).message}`, { cause: err });
  }
  if (cms.length > reserved) throw new DocumentError('SIGNATURE_TOO_LARGE', `signature is ${cms.length} bytes; ${reserved} reserved`);
  buf.write(cms.toString('hex'), contentsAt + 1, 'latin1');
  return out;
}
