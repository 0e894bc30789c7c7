import type * as base from 'pdf-lib';
import { DocumentError, type DocumentErrorCode } from '../errors';
import { chainsToTrustedRoot } from './chain';
import { certificateFromDer, describeCertificate, trustedRoots, type ParsedCertificate } from './certificate-cache';
import { checkCadesDetached, type CmsCheck } from './cms';
import { objectRoles } from './object-roles';
import { hasPdfMagic } from './pdf-magic';
import { DEFAULT_STRUCTURE_LIMITS, checkPageTree, libOf, listFields, signedFields } from './pdf-structure';
import { changesAfter, type RevisionChange } from './revision-diff';
import { loadPdf } from './safe-load';
import { leanAnalyse } from './verify/lean-analysis';
import { cmsFromGap, gapOf, type Gap } from './verify/signature-contents';
import { sortByRangeEnd, type ByteRange, type DictInfo } from './verify/signature-info';

export type { ChangeKind, RevisionChange } from './revision-diff';

/** At most this many signatures are checked per file (each costs a hash of the file and a revision analysis). */
export const MAX_SIGNATURES_CHECKED = 20;

export interface SignatureReport {
  fieldName: string | null;
  /** Certificate common name. */
  signerName: string | null;
  /** ISO 8601, from the signed signingTime attribute (else the dictionary's /M). */
  signingTime: string | null;
  /** Digest of the byte ranges matches and the CMS signature verifies. */
  intact: boolean;
  coversWholeDocument: boolean;
  /** Chains to one of trustedRootsPem, every certificate valid at signing time. */
  chainedToPlatform: boolean;
  certificate: { subject: string; issuer: string; serialNumber: string; notBefore: string; notAfter: string } | null;
  /** Something other than later signatures and validation data changed after this signature. */
  modifiedAfterSigning: boolean;
  /** What changed after this signature (empty when nothing did). */
  changes: RevisionChange[];
  error?: string;
}

export interface VerificationReport {
  isPdf: boolean;
  /** False when the PDF cannot be read (corrupt, encrypted, over a budget): nothing could be checked. */
  readable: boolean;
  /** DocumentError code when not readable. */
  unreadableReason?: string;
  /** Signatures found in the form (may exceed the signatures checked). */
  signatureCount: number;
  /** More than MAX_SIGNATURES_CHECKED signatures: only the first ones were checked. */
  signaturesTruncated: boolean;
  signatures: SignatureReport[];
  /** At least one signature and all of them chained to the platform. */
  signedByPlatform: boolean;
  /** All signatures intact. */
  intact: boolean;
  /** Any signature not intact or modified after signing. */
  modifiedAfterSigning: boolean;
}

/** Signature dictionaries of the form, with their byte ranges (in file order of the ranges' ends). */
function signatureDictionaries(doc: { context: unknown; catalog: unknown }): DictInfo[] {
  const lib = libOf(doc.context);
  const fields = signedFields(listFields(doc, DEFAULT_STRUCTURE_LIMITS));
  const infos = fields.map((f): DictInfo => {
    const br = f.signature.lookup(lib.PDFName.of('ByteRange'));
    const numbers = br instanceof lib.PDFArray ? br.asArray().map((n) => (n instanceof lib.PDFNumber ? n.asNumber() : NaN)) : [];
    const range = numbers.length === 4 && numbers.every((n) => Number.isSafeInteger(n) && n >= 0) ? (numbers as ByteRange) : null;
    const m = f.signature.get(lib.PDFName.of('M'));
    let time: Date | null = null;
    try {
      time = m instanceof lib.PDFString ? m.decodeDate() : null;
    } catch {
      /* unparsable /M */
    }
    const contents = f.signature.lookup(lib.PDFName.of('Contents'));
    return { fieldName: f.name || null, time: time && !Number.isNaN(time.getTime()) ? time : null, range, contents: contents instanceof lib.PDFHexString ? contents.asString() : null };
  });
  return sortByRangeEnd(infos);
}

function isTrailingWhitespace(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (![0x0a, 0x0d, 0x20, 0x09, 0x00].includes(bytes[i]!)) return false;
  return true;
}

/** What a signature's report says before anything is checked. */
function uncheckedReport(info: DictInfo): SignatureReport {
  return {
    fieldName: info.fieldName,
    signerName: null,
    signingTime: info.time?.toISOString() ?? null,
    intact: false,
    coversWholeDocument: false,
    chainedToPlatform: false,
    certificate: null,
    modifiedAfterSigning: false,
    changes: [],
  };
}

/**
 * The CMS's certificates that node's X.509 reader takes. pkijs, which reads a CMS the DER reader does not,
 * takes some that node refuses (a name attribute encoded as an OCTET STRING): such a certificate cannot be
 * a link of a chain that is verified, so it is left out of the chain's candidates.
 */
function readableCertificates(ders: Buffer[]): ParsedCertificate[] {
  const out: ParsedCertificate[] = [];
  for (const der of ders) {
    try {
      out.push(certificateFromDer(der));
    } catch {
      // Not a certificate node can verify anything with.
    }
  }
  return out;
}

/** CMS checks this thread has run (one per distinct byte range of a verification): for tests of that bound. */
let cmsChecksRun = 0;
export const cmsChecksStarted = (): number => cmsChecksRun;

/**
 * What one verification works out once per distinct byte range, however many signature dictionaries name
 * it: the CMS decoded and checked (a hash of the file, a signature verified) and what changed after the
 * range's end. Dictionaries naming one range name one gap, whose bytes their own /Contents all are.
 */
class PerRange {
  private readonly checks = new Map<string, CmsCheck | string>();
  private readonly changes = new Map<number, RevisionChange[]>();

  constructor(
    private readonly bytes: Uint8Array,
    private readonly analysed: Analysis,
  ) {}

  /** The CMS of `gap` checked against `range`'s bytes, or why it cannot be read. */
  cmsCheck(range: ByteRange, gap: Gap): CmsCheck | string {
    const key = range.join(' ');
    let check = this.checks.get(key);
    if (check === undefined) {
      cmsChecksRun++;
      const der = cmsFromGap(this.bytes, gap);
      const [, l1, s2, l2] = range;
      check = typeof der === 'string' ? der : checkCadesDetached(der, [this.bytes.subarray(0, l1), this.bytes.subarray(s2, s2 + l2)]);
      this.checks.set(key, check);
    }
    return check;
  }

  changesAfter(end: number): RevisionChange[] {
    let changes = this.changes.get(end);
    if (!changes) this.changes.set(end, (changes = this.analysed.changes(end)));
    return changes;
  }
}

function checkSignature(bytes: Uint8Array, info: DictInfo, roots: ParsedCertificate[], perRange: PerRange): SignatureReport {
  const report = uncheckedReport(info);
  const range = info.range;
  if (!range) return { ...report, error: 'malformed ByteRange' };
  report.coversWholeDocument = range[2] + range[3] === bytes.length || isTrailingWhitespace(bytes, range[2] + range[3]);
  const gap = gapOf(bytes, range, info.contents);
  if (typeof gap === 'string') return { ...report, error: gap };
  const cms = perRange.cmsCheck(range, gap);
  if (typeof cms === 'string') return { ...report, error: cms };
  report.intact = cms.digestMatches && cms.signatureValid;
  if (cms.signingTime) report.signingTime = cms.signingTime.toISOString(); // the signed time over /M
  if (cms.signerCertificate) {
    const signer = cms.parsed?.signer ?? certificateFromDer(cms.signerCertificate);
    const d = describeCertificate(signer);
    report.signerName = d.cn;
    report.certificate = { subject: d.subject, issuer: d.issuer, serialNumber: d.serialNumber, notBefore: d.notBefore, notAfter: d.notAfter };
    const at = cms.signingTime ?? info.time ?? new Date();
    const chain = chainsToTrustedRoot(signer, cms.parsed?.certificates ?? readableCertificates(cms.certificates), roots, at);
    report.chainedToPlatform = chain.ok;
    if (!chain.ok && !cms.error) report.error = chain.error;
  }
  if (cms.error) report.error = cms.error;
  return report;
}

interface Analysis {
  infos: DictInfo[];
  changes: (end: number) => RevisionChange[];
}

/** What the lean path reports after every signature it answers for (one function, not one per verification). */
function noChanges(): RevisionChange[] {
  return [];
}

/**
 * Verifies every PDF signature in `bytes` and what changed after each. Never throws for bad input; reports instead.
 * Files in the plain shape the platform writes, with nothing changed after any signature, are read by the lean path
 * (verify/lean-analysis.ts) without pdf-lib; every other file by the general path, with the same report.
 */
export function verifyPdf(bytes: Uint8Array, options: { trustedRootsPem: string[] }): Promise<VerificationReport> {
  return verifyWith(bytes, options, async (pdf) => {
    const lean = leanAnalyse(pdf, MAX_SIGNATURES_CHECKED);
    return lean ? { infos: lean.infos, changes: noChanges } : analyse(pdf);
  });
}

/** The general path alone (pdf-lib): what verifyPdf answers for files outside the lean path; tests compare the two. */
export function verifyPdfGeneral(bytes: Uint8Array, options: { trustedRootsPem: string[] }): Promise<VerificationReport> {
  return verifyWith(bytes, options, analyse);
}

async function verifyWith(bytes: Uint8Array, options: { trustedRootsPem: string[] }, analysis: (bytes: Uint8Array) => Promise<Analysis>): Promise<VerificationReport> {
  const report: VerificationReport = { isPdf: false, readable: false, signatureCount: 0, signaturesTruncated: false, signatures: [], signedByPlatform: false, intact: true, modifiedAfterSigning: false };
  if (!hasPdfMagic(bytes)) return report;
  report.isPdf = true;
  const roots = trustedRoots(options.trustedRootsPem);
  let analysed: Analysis;
  try {
    analysed = await analysis(bytes);
  } catch (err) {
    return { ...report, unreadableReason: unreadableReasonOf(err) };
  }
  report.readable = true;
  report.signatureCount = analysed.infos.length;
  report.signaturesTruncated = analysed.infos.length > MAX_SIGNATURES_CHECKED;
  const perRange = new PerRange(bytes, analysed);
  for (const info of analysed.infos.slice(0, MAX_SIGNATURES_CHECKED)) report.signatures.push(signatureReport(bytes, info, roots, perRange));
  report.intact = report.signatures.every((s) => s.intact);
  report.signedByPlatform = report.signatures.length > 0 && report.signatures.every((s) => s.chainedToPlatform);
  report.modifiedAfterSigning = report.signatures.some((s) => !s.intact || s.modifiedAfterSigning);
  return report;
}

/**
 * Why the analysis of a file failed, as the DocumentError code it is answered with: the error's own code; a
 * RangeError (a stack or an allocation that a hostile structure overran) is over a budget; anything else is a
 * malformed file. The analysis reads nothing but the file's bytes: none of its failures is infrastructure.
 */
function unreadableReasonOf(err: unknown): DocumentErrorCode {
  if (err instanceof DocumentError) return err.code;
  return err instanceof RangeError ? 'PDF_TOO_COMPLEX' : 'PDF_CORRUPT';
}

/**
 * One signature's report and what changed after it. A failure while checking it (a CMS or certificate that a
 * reader takes and the next one refuses) is that signature's error, reported not intact: the other
 * signatures are still checked and the verification still answers.
 */
function signatureReport(bytes: Uint8Array, info: DictInfo, roots: ParsedCertificate[], perRange: PerRange): SignatureReport {
  try {
    const signature = checkSignature(bytes, info, roots, perRange);
    if (info.range && info.range[2] + info.range[3] <= bytes.length) {
      signature.changes = perRange.changesAfter(info.range[2] + info.range[3]);
      signature.modifiedAfterSigning = signature.changes.length > 0;
    }
    return signature;
  } catch (err) {
    return { ...uncheckedReport(info), error: `the signature cannot be checked: ${err instanceof Error ? err.message : String(err)}` };
  }
}

/** Loads within budgets and prepares the per-revision comparison (throws when unreadable: see unreadableReasonOf). */
async function analyse(bytes: Uint8Array): Promise<Analysis> {
  const { doc, record } = await loadPdf(bytes);
  checkPageTree(doc, DEFAULT_STRUCTURE_LIMITS);
  const infos = signatureDictionaries(doc);
  const roles = infos.length > 0 ? objectRoles(doc) : null;
  return {
    infos,
    changes: (end) => (roles ? changesAfter(doc as unknown as { context: base.PDFContext; catalog: base.PDFDict }, record, roles, end, bytes) : []),
  };
}
