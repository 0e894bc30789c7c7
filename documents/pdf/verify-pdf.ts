import { X509Certificate as NodeX509 } from 'node:crypto';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFString, type PDFContext } from 'pdf-lib';
import { chainsToTrustedRoot } from './chain';
import { checkCadesDetached, pemCertificatesToDer } from './cms';
import { hasPdfMagic } from './inspect-pdf';
import { findByteRanges, type ByteRange } from './signature-scan';
import * as x509 from './x509';

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
  error?: string;
}

export interface VerificationReport {
  isPdf: boolean;
  signatureCount: number;
  signatures: SignatureReport[];
  /** At least one signature and all of them chained to the platform. */
  signedByPlatform: boolean;
  /** All signatures intact. */
  intact: boolean;
  /** Any signature not intact, or bytes (other than whitespace) after the last signed range. */
  modifiedAfterSigning: boolean;
}

interface DictInfo {
  fieldName: string | null;
  time: Date | null;
}

const textOf = (o: unknown) => (o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : null);

/** Maps ByteRange → field name and /M using pdf-lib; best effort (tampered files may not parse). */
async function signatureFields(bytes: Uint8Array): Promise<Map<string, DictInfo>> {
  const result = new Map<string, DictInfo>();
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
  } catch {
    return result;
  }
  const ctx: PDFContext = doc.context;
  const walk = (arr: unknown, prefix: string, depth: number) => {
    if (!(arr instanceof PDFArray) || depth > 32) return;
    for (let i = 0; i < arr.size(); i++) {
      const field = ctx.lookup(arr.get(i));
      if (!(field instanceof PDFDict)) continue;
      const partial = textOf(field.get(PDFName.of('T')));
      const full = partial === null ? prefix : prefix ? `${prefix}.${partial}` : partial;
      const v = ctx.lookup(field.get(PDFName.of('V')));
      const br = v instanceof PDFDict ? ctx.lookup(v.get(PDFName.of('ByteRange'))) : undefined;
      if (v instanceof PDFDict && br instanceof PDFArray) {
        const key = br.asArray().map((n) => (n instanceof PDFNumber ? n.asNumber() : NaN)).join(',');
        const m = v.get(PDFName.of('M'));
        let time: Date | null = null;
        try {
          time = m instanceof PDFString ? m.decodeDate() : null;
        } catch {
          /* unparsable /M */
        }
        result.set(key, { fieldName: full || null, time: time && !Number.isNaN(time.getTime()) ? time : null });
      }
      walk(ctx.lookup(field.get(PDFName.of('Kids'))), full, depth + 1);
    }
  };
  try {
    const acroForm = ctx.lookup(doc.catalog.get(PDFName.of('AcroForm')));
    if (acroForm instanceof PDFDict) walk(ctx.lookup(acroForm.get(PDFName.of('Fields'))), '', 0);
  } catch {
    /* best effort */
  }
  return result;
}

function isTrailingWhitespace(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (![0x0a, 0x0d, 0x20, 0x09, 0x00].includes(bytes[i]!)) return false;
  return true;
}

/** The /Contents hex string must fill exactly the gap between the two ranges. */
function contentsFromGap(bytes: Uint8Array, [a, l1, s2, l2]: ByteRange): Buffer | string {
  if (a !== 0 || l1 <= 0 || s2 <= l1 + 1 || s2 + l2 > bytes.length) return 'malformed ByteRange';
  if (bytes[l1] !== 0x3c || bytes[s2 - 1] !== 0x3e) return 'ByteRange gap is not the /Contents string';
  const hex = Buffer.from(bytes.subarray(l1 + 1, s2 - 1)).toString('latin1').replace(/\s+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) return 'ByteRange gap is not the /Contents string';
  return Buffer.from(hex, 'hex');
}

function describeCertificate(der: Buffer): NonNullable<SignatureReport['certificate']> & { cn: string | null } {
  const cert = new x509.X509Certificate(new Uint8Array(der));
  return {
    cn: cert.subjectName.getField('CN')[0] ?? null,
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber.toLowerCase(),
    notBefore: cert.notBefore.toISOString(),
    notAfter: cert.notAfter.toISOString(),
  };
}

function checkSignature(bytes: Uint8Array, range: ByteRange, info: DictInfo | undefined, roots: NodeX509[]): SignatureReport {
  const report: SignatureReport = {
    fieldName: info?.fieldName ?? null,
    signerName: null,
    signingTime: info?.time?.toISOString() ?? null,
    intact: false,
    coversWholeDocument: range[2] + range[3] === bytes.length || isTrailingWhitespace(bytes, range[2] + range[3]),
    chainedToPlatform: false,
    certificate: null,
  };
  const contents = contentsFromGap(bytes, range);
  if (typeof contents === 'string') return { ...report, error: contents };
  const [, l1, s2, l2] = range;
  const cms = checkCadesDetached(contents, [bytes.subarray(0, l1), bytes.subarray(s2, s2 + l2)]);
  report.intact = cms.digestMatches && cms.signatureValid;
  if (cms.signingTime) report.signingTime = cms.signingTime.toISOString();
  if (cms.signerCertificate) {
    const { cn, ...certificate } = describeCertificate(cms.signerCertificate);
    report.signerName = cn;
    report.certificate = certificate;
    const at = cms.signingTime ?? info?.time ?? new Date();
    const chain = chainsToTrustedRoot(cms.signerCertificate, cms.certificates, roots, at);
    report.chainedToPlatform = chain.ok;
    if (!chain.ok && !cms.error) report.error = chain.error;
  }
  if (cms.error) report.error = cms.error;
  return report;
}

/** Verifies every PDF signature in `bytes`. Never throws for bad input; reports instead. */
export async function verifyPdf(bytes: Uint8Array, options: { trustedRootsPem: string[] }): Promise<VerificationReport> {
  const empty: VerificationReport = { isPdf: false, signatureCount: 0, signatures: [], signedByPlatform: false, intact: true, modifiedAfterSigning: false };
  if (!hasPdfMagic(bytes)) return empty;
  const roots = pemCertificatesToDer(options.trustedRootsPem).map((d) => new NodeX509(d));
  const ranges = findByteRanges(bytes);
  const fields = ranges.length ? await signatureFields(bytes) : new Map<string, DictInfo>();
  const signatures = ranges.map((r) => checkSignature(bytes, r, fields.get(r.join(',')), roots));
  const intact = signatures.every((s) => s.intact);
  const last = ranges.at(-1);
  const trailing = last ? !isTrailingWhitespace(bytes, last[2] + last[3]) : false;
  return {
    isPdf: true,
    signatureCount: signatures.length,
    signatures,
    signedByPlatform: signatures.length > 0 && signatures.every((s) => s.chainedToPlatform),
    intact,
    modifiedAfterSigning: signatures.length > 0 && (!intact || trailing),
  };
}
