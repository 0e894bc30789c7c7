import {
  PDFArray,
  PDFDict,
  PDFDocument,
  PDFHexString,
  PDFInvalidObject,
  PDFName,
  PDFNumber,
  PDFRef,
  PDFString,
  type PDFObject,
} from 'pdf-lib-incremental-save';
import { DocumentError } from '../errors';
import { buildCadesDetached, pemCertificatesToDer } from './cms';
import { prepareForSigning } from './normalize-pdf';
import { fitsOnPage, pageGeometry, placeRect } from './page-geometry';
import { hasPdfMagic } from './pdf-magic';
import { DEFAULT_STRUCTURE_LIMITS, checkPageTree, listFields, signedFields } from './pdf-structure';
import { loadPdfForUpdate } from './safe-load';

export interface SignPdfInput {
  pdf: Uint8Array;
  signer: { certificatePem: string; privateKeyPem: string; chainPem: string[] };
  /** Unique signature field name; may be Chinese (e.g. 签署方1). Must not contain '.'. */
  fieldName: string;
  appearance: {
    /** 1-based page number. */
    page: number;
    /** PDF points from the TOP-LEFT corner of the displayed page to the image's top-left corner. */
    x: number;
    y: number;
    width: number;
    height: number;
    /** Seal image; fitted (aspect ratio kept) and centred in the box, multiply-blended. */
    png: Uint8Array;
  };
  reason?: string;
  location?: string;
  signerName: string;
  signingTime?: Date;
}

const BYTE_RANGE_PLACEHOLDER = '[0 9999999999 9999999999 9999999999]';
const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const n2 = (v: number) => String(Math.round(v * 100) / 100);

function pdfText(text: string): PDFObject {
  // PDF text strings: plain ASCII as literal, anything else as UTF-16BE with BOM.
  return /^[\x20-\x7e]*$/.test(text) ? PDFString.of(text.replace(/([\\()])/g, '\\$1')) : PDFHexString.fromText(text);
}

function reservedSignatureBytes(signer: SignPdfInput['signer']): number {
  const certBytes = pemCertificatesToDer([signer.certificatePem, ...signer.chainPem]).reduce((s, d) => s + d.length, 0);
  const estimate = 3072 + certBytes; // attributes, SignerInfo, signature value, ASN.1 overhead
  return Math.max(16384, Math.ceil((estimate * 2) / 1024) * 1024);
}

function validateInput(input: SignPdfInput): void {
  const { fieldName, appearance } = input;
  if (!hasPdfMagic(input.pdf)) throw new DocumentError('NOT_A_PDF', 'the file is not a PDF (missing %PDF- header)');
  if (!fieldName || fieldName.includes('.') || [...fieldName].length > 100) {
    throw new DocumentError('INVALID_FIELD_NAME', 'fieldName must be 1–100 characters without "."');
  }
  if (!PNG_MAGIC.every((b, i) => appearance.png[i] === b)) throw new DocumentError('INVALID_IMAGE', 'appearance.png is not a PNG image');
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
 * Appends one incremental update holding a signature field whose widget shows the seal image,
 * and a PAdES (ETSI.CAdES.detached) signature over the whole file. Earlier revisions are never
 * rewritten, so earlier signatures stay valid.
 */
export async function signPdf(input: SignPdfInput): Promise<Uint8Array> {
  validateInput(input);
  const { bytes: base, doc, fieldNames } = await loadForIncrementalUpdate(input.pdf);
  const { context, catalog } = doc;
  const { appearance } = input;

  const pages = doc.getPages();
  const page = pages[appearance.page - 1];
  if (!Number.isInteger(appearance.page) || !page) {
    throw new DocumentError('PAGE_NOT_FOUND', `page ${appearance.page} does not exist (the PDF has ${pages.length} pages)`);
  }
  const geometry = pageGeometry(page);
  if (!fitsOnPage(geometry, appearance)) {
    throw new DocumentError(
      'POSITION_OUT_OF_PAGE',
      `the signature box (${appearance.x}, ${appearance.y}, ${appearance.width}×${appearance.height}) is outside page ${appearance.page} (${geometry.width}×${geometry.height})`,
    );
  }
  const placed = placeRect(geometry, appearance);

  const snapshot = doc.takeSnapshot();
  const catalogRef = context.trailerInfo.Root as PDFRef;

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
  if (fieldNames.has(input.fieldName)) {
    throw new DocumentError('FIELD_NAME_TAKEN', `a form field named "${input.fieldName}" already exists`);
  }
  const sigFlags = context.lookup(acroForm.get(PDFName.of('SigFlags')));
  const oldFlags = sigFlags instanceof PDFNumber ? sigFlags.asNumber() : 0;
  acroForm.set(PDFName.of('SigFlags'), context.obj(oldFlags | 3)); // SignaturesExist | AppendOnly

  // Signature dictionary with placeholders.
  const signingTime = input.signingTime ?? new Date();
  const reserved = reservedSignatureBytes(input.signer);
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

  // Appearance: the seal image, aspect ratio kept, centred, multiply blend.
  let image;
  try {
    image = await doc.embedPng(appearance.png);
  } catch (err) {
    throw new DocumentError('INVALID_IMAGE', `appearance.png cannot be decoded: ${(err as Error).message}`, { cause: err });
  }
  const { width: w, height: h } = appearance;
  const scale = Math.min(w / image.width, h / image.height);
  const [iw, ih] = [image.width * scale, image.height * scale];
  const ops = `q /GS0 gs ${n2(iw)} 0 0 ${n2(ih)} ${n2((w - iw) / 2)} ${n2((h - ih) / 2)} cm /Seal Do Q`;
  const apStream = context.stream(ops, {
    Type: 'XObject',
    Subtype: 'Form',
    FormType: 1,
    BBox: [0, 0, Number(n2(w)), Number(n2(h))],
    Matrix: placed.matrix,
    Resources: {
      XObject: { Seal: image.ref },
      ExtGState: { GS0: { Type: 'ExtGState', BM: 'Multiply' } },
    },
  });
  const apRef = context.register(apStream);

  // Merged signature field + widget annotation.
  const widget = context.obj({
    Type: 'Annot',
    Subtype: 'Widget',
    FT: 'Sig',
    Rect: placed.rect,
    F: 4, // Print
    P: page.ref,
    V: sigRef,
    AP: { N: apRef },
  });
  widget.set(PDFName.of('T'), pdfText(input.fieldName));
  const widgetRef = context.register(widget);
  fields.push(widgetRef);

  const annotsRaw = page.node.get(PDFName.of('Annots'));
  if (annotsRaw instanceof PDFRef) {
    context.lookup(annotsRaw, PDFArray).push(widgetRef);
    snapshot.markRefForSave(annotsRaw);
  } else if (annotsRaw instanceof PDFArray) {
    annotsRaw.push(widgetRef);
    snapshot.markRefForSave(page.ref);
  } else {
    page.node.set(PDFName.of('Annots'), context.obj([widgetRef]));
    snapshot.markRefForSave(page.ref);
  }

  const update = await doc.saveIncremental(snapshot);
  const out = new Uint8Array(base.length + update.length);
  out.set(base, 0);
  out.set(update, base.length);
  return fillSignature(out, base.length, reserved, input, signingTime);
}

/** Writes the ByteRange and the CMS into the placeholders of the appended update (in place). */
function fillSignature(out: Uint8Array, updateStart: number, reserved: number, input: SignPdfInput, signingTime: Date): Uint8Array {
  const buf = Buffer.from(out.buffer, out.byteOffset, out.byteLength);
  const brAt = buf.indexOf(BYTE_RANGE_PLACEHOLDER, updateStart, 'latin1');
  const contentsAt = buf.indexOf(`<${'0'.repeat(reserved * 2)}>`, updateStart, 'latin1');
  if (brAt < 0 || contentsAt < 0) throw new Error('signPdf: signature placeholders not found in the update');
  const contentsEnd = contentsAt + reserved * 2 + 2;
  const range = [0, contentsAt, contentsEnd, out.length - contentsEnd];
  const rangeText = `[${range.join(' ')}`;
  buf.write(rangeText.padEnd(BYTE_RANGE_PLACEHOLDER.length - 1, ' ') + ']', brAt, 'latin1');

  let cms: Buffer;
  try {
    cms = buildCadesDetached([out.subarray(0, contentsAt), out.subarray(contentsEnd)], input.signer, signingTime);
  } catch (err) {
    throw new DocumentError('INVALID_SIGNER', `cannot create the signature: ${(err as Error).message}`, { cause: err });
  }
  if (cms.length > reserved) throw new DocumentError('SIGNATURE_TOO_LARGE', `signature is ${cms.length} bytes; ${reserved} reserved`);
  buf.write(cms.toString('hex'), contentsAt + 1, 'latin1');
  return out;
}
