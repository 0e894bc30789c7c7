import { X509Certificate as NodeX509, createHash, verify as nodeVerify } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { sameBytes, slotOf } from './byte-slots';
import { certificatesOfSet, publicKeyOf, type ParsedCertificate } from './certificate-cache';
import { children, contents, DerTooManyElements, encoded, readElement, type Element } from './der';

/**
 * Checking a CAdES-detached CMS (the /Contents of an ETSI.CAdES.detached PDF signature): read with
 * the small DER reader (der.ts), verified with node crypto; pkijs reads what the DER reader does
 * not take. Building the CMS is cms-sign.ts.
 */

const OID = {
  signedData: '1.2.840.113549.1.7.2',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
} as const;

const HASH_BY_OID: Record<string, string> = {
  '1.3.14.3.2.26': 'sha1',
  '2.16.840.1.101.3.4.2.1': 'sha256',
  '2.16.840.1.101.3.4.2.2': 'sha384',
  '2.16.840.1.101.3.4.2.3': 'sha512',
};
/** Signature algorithms that fix their own hash; rsaEncryption / ecPublicKey use the digest algorithm. */
const SIG_HASH_BY_OID: Record<string, string> = {
  '1.2.840.113549.1.1.5': 'sha1',
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.1': 'sha1',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};
const PLAIN_SIG_OIDS = new Set(['1.2.840.113549.1.1.1', '1.2.840.10045.2.1']);

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Splits PEM text (possibly several certificates per string) into DER buffers. */
export function pemCertificatesToDer(pems: string[]): Buffer[] {
  return pems.flatMap((p) => p.match(PEM_CERT) ?? []).map((block) => Buffer.from(new NodeX509(block).raw));
}

function toArrayBuffer(buf: Uint8Array): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

export interface CmsCheck {
  /** DER of the signer certificate, if found in the CMS. */
  signerCertificate: Buffer | null;
  /** The same certificates parsed (the DER reader's path; the pkijs reader leaves them out). */
  parsed?: { signer: ParsedCertificate | null; certificates: ParsedCertificate[] };
  /** All certificates carried in the CMS (DER). */
  certificates: Buffer[];
  signingTime: Date | null;
  digestMatches: boolean;
  signatureValid: boolean;
  error?: string;
}

/** The CMS is not in the DER shape the fast reader takes (BER, unusual choices): the pkijs reader decides. */
class UnusualEncoding extends Error {}

/**
 * OIDs read before, by their content bytes: a fixed table of slots (a slot holds the last OID hashed
 * to it, checked byte for byte), so the OIDs every CMS carries are not decoded to text each time.
 */
const OID_SLOTS = 256;
const knownOids: ({ der: Uint8Array; text: string } | undefined)[] = new Array<{ der: Uint8Array; text: string } | undefined>(OID_SLOTS).fill(undefined);

function oidOf(bytes: Uint8Array, e: Element): string {
  if (e.tag !== 0x06 || e.end <= e.contentStart) throw new UnusualEncoding('expected an OBJECT IDENTIFIER');
  const slot = slotOf(bytes, e.contentStart, e.end, OID_SLOTS);
  const known = knownOids[slot];
  if (known !== undefined && sameBytes(known.der, bytes, e.contentStart, e.end)) return known.text;
  const text = decodeOid(bytes, e);
  knownOids[slot] = { der: Uint8Array.from(bytes.subarray(e.contentStart, e.end)), text }; // a copy: `bytes` may be a pooled Buffer
  return text;
}

function decodeOid(bytes: Uint8Array, e: Element): string {
  const arcs: number[] = [];
  let v = 0;
  for (let i = e.contentStart; i < e.end; i++) {
    v = v * 128 + (bytes[i]! & 0x7f);
    if (!(bytes[i]! & 0x80)) {
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
  }
  return arcs.join('.');
}

/** UTCTime / GeneralizedTime as DER and RFC 5280 write them (Z, seconds; GeneralizedTime fractions allowed). */
function timeOf(bytes: Uint8Array, e: Element): Date | null {
  const text = Buffer.from(contents(bytes, e)).toString('latin1');
  const m = e.tag === 0x17 ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text) : e.tag === 0x18 ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d+)?Z$/.exec(text) : null;
  if (!m) return null;
  const year = e.tag === 0x17 ? (Number(m[1]) < 50 ? 2000 : 1900) + Number(m[1]) : Number(m[1]);
  const ms = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const d = new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
  return Number.isNaN(d.getTime()) ? null : d;
}

const STRING_TAGS = new Set([0x0c, 0x12, 0x13, 0x14, 0x15, 0x16, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e]);

function decodeString(bytes: Uint8Array, e: Element): string {
  const raw = Buffer.from(contents(bytes, e));
  if (e.tag === 0x0c) return raw.toString('utf8');
  if (e.tag === 0x1e) return Buffer.from(raw).swap16().toString('utf16le'); // BMPString: UTF-16BE
  if (e.tag === 0x1c) {
    let s = '';
    for (let i = 0; i + 3 < raw.length; i += 4) s += String.fromCodePoint(raw.readUInt32BE(i));
    return s;
  }
  return raw.toString('latin1');
}

/** Trim, collapse spaces, lower case (what pkijs compares names with). */
const stringPrep = (s: string) => s.trim().replace(/ +/g, ' ').toLowerCase();

/** Issuer Names equal: the same DER, or the same attributes with string values equal after stringPrep. */
function namesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b)) return true;
  const atvs = (der: Uint8Array) => children(der, readElement(der, 0)).flatMap((rdn) => children(der, rdn).map((atv) => ({ der, parts: children(der, atv) })));
  try {
    const [x, y] = [atvs(a), atvs(b)];
    if (x.length !== y.length) return false;
    return x.every((p, i) => {
      const q = y[i]!;
      const [pt, pv] = p.parts;
      const [qt, qv] = q.parts;
      if (!pt || !pv || !qt || !qv || !Buffer.from(encoded(p.der, pt)).equals(encoded(q.der, qt))) return false;
      const [ps, qs] = [STRING_TAGS.has(pv.tag), STRING_TAGS.has(qv.tag)];
      if (ps !== qs) return false;
      if (ps) return stringPrep(decodeString(p.der, pv)).localeCompare(stringPrep(decodeString(q.der, qv))) === 0;
      return Buffer.from(encoded(p.der, pv)).equals(encoded(q.der, qv));
    });
  } catch {
    return false;
  }
}

/** Integer DER encodings equal (the same value). */
const integersEqual = (a: Uint8Array, b: Uint8Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(b);

interface SignerInfoParts {
  sid: { issuer: Uint8Array; serial: Uint8Array } | { keyId: Buffer };
  digestOid: string;
  /** The signed attributes as signed: the [0] IMPLICIT element re-tagged as SET (0x31). */
  signedAttrs: Buffer | null;
  attributes: Map<string, Element>;
  signatureOid: string;
  signature: Buffer;
}

function readSignerInfo(der: Uint8Array, info: Element): SignerInfoParts {
  if (info.tag !== 0x30) throw new UnusualEncoding('SignerInfo is not a SEQUENCE');
  const parts = children(der, info);
  let i = 1; // after version
  const sidEl = parts[i++];
  let sid: SignerInfoParts['sid'];
  if (sidEl?.tag === 0x30) {
    const [issuer, serial] = children(der, sidEl);
    if (issuer?.tag !== 0x30 || serial?.tag !== 0x02) throw new UnusualEncoding('malformed IssuerAndSerialNumber');
    sid = { issuer: encoded(der, issuer), serial: encoded(der, serial) };
  } else if (sidEl?.tag === 0x80) sid = { keyId: Buffer.from(contents(der, sidEl)) };
  else throw new UnusualEncoding('unknown SignerIdentifier');
  const digestAlg = parts[i++];
  if (digestAlg?.tag !== 0x30) throw new UnusualEncoding('malformed digestAlgorithm');
  const digestOid = oidOf(der, children(der, digestAlg)[0]!);
  let signedAttrs: Buffer | null = null;
  const attributes = new Map<string, Element>();
  if (parts[i]?.tag === 0xa0) {
    const attrs = parts[i++]!;
    signedAttrs = Buffer.from(encoded(der, attrs));
    signedAttrs[0] = 0x31;
    for (const attr of children(der, attrs)) {
      const [type, values] = children(der, attr);
      if (type?.tag !== 0x06 || values?.tag !== 0x31) throw new UnusualEncoding('malformed attribute');
      const oid = oidOf(der, type);
      const first = children(der, values)[0];
      if (first && !attributes.has(oid)) attributes.set(oid, first);
    }
  }
  const sigAlg = parts[i++];
  if (sigAlg?.tag !== 0x30) throw new UnusualEncoding('malformed signatureAlgorithm');
  const signatureOid = oidOf(der, children(der, sigAlg)[0]!);
  const sig = parts[i++];
  if (sig?.tag !== 0x04) throw new UnusualEncoding('malformed signature value');
  return { sid, digestOid, signedAttrs, attributes, signatureOid, signature: Buffer.from(contents(der, sig)) };
}

/**
 * Parses a detached CMS with the small DER reader and checks it against the signed content with
 * node crypto (never throws). A CMS in another encoding (BER) goes to the pkijs reader below.
 */
export function checkCadesDetached(cmsDer: Uint8Array, content: Uint8Array[]): CmsCheck {
  const result: CmsCheck = { signerCertificate: null, certificates: [], signingTime: null, digestMatches: false, signatureValid: false };
  let step = 'parse';
  try {
    const der = cmsDer;
    let contentInfo: Element;
    try {
      contentInfo = readElement(der, 0);
    } catch (err) {
      throw new UnusualEncoding((err as Error).message);
    }
    try {
      if (contentInfo.tag !== 0x30) throw new UnusualEncoding('ContentInfo is not a SEQUENCE');
      const [type, explicit] = children(der, contentInfo);
      if (!type || oidOf(der, type) !== OID.signedData) {
        result.error = 'signature contents are not CMS SignedData';
        return result;
      }
      if (explicit?.tag !== 0xa0) throw new UnusualEncoding('SignedData is not [0] EXPLICIT');
      const signedData = children(der, explicit)[0];
      if (signedData?.tag !== 0x30) throw new UnusualEncoding('SignedData is not a SEQUENCE');
      const fields = children(der, signedData);
      const certsEl = fields.find((f) => f.tag === 0xa0);
      const signerInfos = fields.at(-1);
      if (signerInfos?.tag !== 0x31) throw new UnusualEncoding('SignerInfos is not the last SET');
      // Only X.509 certificates (SEQUENCE) count; other CertificateChoices are skipped (as before).
      const certs = certsEl ? certificatesOfSet(encoded(der, certsEl)) : [];
      const infoEl = children(der, signerInfos)[0];
      const info = infoEl ? readSignerInfo(der, infoEl) : null;
      step = 'check';
      result.certificates = certs.map((c) => c.der);
      result.parsed = { signer: null, certificates: certs };
      if (!info) throw new Error('CMS has no SignerInfo');
      const sid = info.sid;
      const cert =
        'keyId' in sid
          ? certs.find((c) => c.subjectKeyId !== null && c.subjectKeyId.equals(sid.keyId))
          : certs.find((c) => integersEqual(c.serial, sid.serial) && namesEqual(c.issuerName, sid.issuer));
      if (!cert) throw new Error('signer certificate not found in the CMS');
      result.signerCertificate = cert.der;
      result.parsed.signer = cert;

      const time = info.attributes.get(OID.signingTime);
      if (time && (time.tag === 0x17 || time.tag === 0x18)) result.signingTime = timeOf(der, time);

      const hashName = HASH_BY_OID[info.digestOid];
      if (!hashName) throw new Error(`unsupported digest algorithm ${info.digestOid}`);
      const hash = createHash(hashName);
      for (const chunk of content) hash.update(chunk);
      const digest = hash.digest();

      const sigHash = SIG_HASH_BY_OID[info.signatureOid] ?? (PLAIN_SIG_OIDS.has(info.signatureOid) ? hashName : undefined);
      if (!sigHash) throw new Error(`unsupported signature algorithm ${info.signatureOid}`);
      const publicKey = publicKeyOf(cert);
      if (info.signedAttrs) {
        const md = info.attributes.get(OID.messageDigest);
        result.digestMatches = md?.tag === 0x04 && Buffer.from(contents(der, md)).equals(digest);
        result.signatureValid = nodeVerify(sigHash, info.signedAttrs, publicKey, info.signature);
      } else {
        // No signed attributes: the signature is directly over the content.
        result.signatureValid = nodeVerify(sigHash, Buffer.concat(content), publicKey, info.signature);
        result.digestMatches = result.signatureValid;
      }
      if (!result.digestMatches) result.error = 'document digest does not match the signed digest';
      else if (!result.signatureValid) result.error = 'CMS signature value does not verify';
    } catch (err) {
      // Shape surprises while reading (not verdicts) go to the general reader. Too many elements is a verdict:
      // the general reader would read them all.
      if (step === 'parse' && !(err instanceof UnusualEncoding) && !(err instanceof DerTooManyElements)) throw new UnusualEncoding((err as Error).message);
      throw err;
    }
  } catch (err) {
    if (err instanceof UnusualEncoding) return checkCadesDetachedWithPkijs(cmsDer, content);
    result.error = (err as Error).message;
  }
  return result;
}

function findSignerCertificate(signedData: pkijs.SignedData, sid: pkijs.SignerInfo['sid']): pkijs.Certificate | null {
  const certs = (signedData.certificates ?? []).filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate);
  if (sid instanceof pkijs.IssuerAndSerialNumber) {
    return certs.find((c) => c.issuer.isEqual(sid.issuer) && c.serialNumber.isEqual(sid.serialNumber)) ?? null;
  }
  // SubjectKeyIdentifier form: [0] OCTET STRING.
  const keyId = Buffer.from((sid as asn1js.OctetString).valueBlock.valueHexView);
  return (
    certs.find((c) => {
      const ski = c.extensions?.find((e) => e.extnID === '2.5.29.14');
      return ski !== undefined && Buffer.from((ski.parsedValue as asn1js.OctetString).valueBlock.valueHexView).equals(keyId);
    }) ?? null
  );
}

function attributeValue(signerInfo: pkijs.SignerInfo, type: string): asn1js.AsnType | undefined {
  return signerInfo.signedAttrs?.attributes.find((a) => a.type === type)?.values[0];
}

/**
 * The general reader (asn1js / pkijs: BER, every CertificateChoice) for a CMS the DER reader does not
 * take; also the reference the fast path is tested against. Never throws.
 */
export function checkCadesDetachedWithPkijs(cmsDer: Uint8Array, content: Uint8Array[]): CmsCheck {
  const result: CmsCheck = { signerCertificate: null, certificates: [], signingTime: null, digestMatches: false, signatureValid: false };
  try {
    const parsed = asn1js.fromBER(toArrayBuffer(cmsDer));
    if (parsed.offset === -1) throw new Error('signature contents are not valid DER');
    const contentInfo = new pkijs.ContentInfo({ schema: parsed.result });
    if (contentInfo.contentType !== OID.signedData) throw new Error('signature contents are not CMS SignedData');
    const signedData = new pkijs.SignedData({ schema: contentInfo.content });
    result.certificates = (signedData.certificates ?? [])
      .filter((c): c is pkijs.Certificate => c instanceof pkijs.Certificate)
      .map((c) => Buffer.from(c.toSchema().toBER(false)));
    const signerInfo = signedData.signerInfos[0];
    if (!signerInfo) throw new Error('CMS has no SignerInfo');
    const cert = findSignerCertificate(signedData, signerInfo.sid);
    if (!cert) throw new Error('signer certificate not found in the CMS');
    const certDer = Buffer.from(cert.toSchema().toBER(false));
    result.signerCertificate = certDer;

    const time = attributeValue(signerInfo, OID.signingTime);
    if (time instanceof asn1js.UTCTime || time instanceof asn1js.GeneralizedTime) result.signingTime = time.toDate();

    const hashName = HASH_BY_OID[signerInfo.digestAlgorithm.algorithmId];
    if (!hashName) throw new Error(`unsupported digest algorithm ${signerInfo.digestAlgorithm.algorithmId}`);
    const hash = createHash(hashName);
    for (const chunk of content) hash.update(chunk);
    const digest = hash.digest();

    const sigAlg = signerInfo.signatureAlgorithm.algorithmId;
    const sigHash = SIG_HASH_BY_OID[sigAlg] ?? (PLAIN_SIG_OIDS.has(sigAlg) ? hashName : undefined);
    if (!sigHash) throw new Error(`unsupported signature algorithm ${sigAlg}`);
    const signature = Buffer.from(signerInfo.signature.valueBlock.valueHexView);
    const publicKey = new NodeX509(certDer).publicKey;

    if (signerInfo.signedAttrs) {
      const md = attributeValue(signerInfo, OID.messageDigest);
      result.digestMatches = md instanceof asn1js.OctetString && Buffer.from(md.valueBlock.valueHexView).equals(digest);
      const signedBytes = new Uint8Array(signerInfo.signedAttrs.encodedValue); // re-tagged as SET by pkijs
      result.signatureValid = nodeVerify(sigHash, signedBytes, publicKey, signature);
    } else {
      // No signed attributes: the signature is directly over the content.
      result.signatureValid = nodeVerify(sigHash, Buffer.concat(content), publicKey, signature);
      result.digestMatches = result.signatureValid;
    }
    if (!result.digestMatches) result.error = 'document digest does not match the signed digest';
    else if (!result.signatureValid) result.error = 'CMS signature value does not verify';
  } catch (err) {
    result.error = (err as Error).message;
  }
  return result;
}
