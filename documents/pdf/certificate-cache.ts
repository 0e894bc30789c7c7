import { X509Certificate as NodeX509, createHash, type KeyObject } from 'node:crypto';
import { children, contents, encoded, readElement, type Element } from './der';
import * as x509 from './x509';

/**
 * Certificates as the verifier needs them, parsed once per DER (keyed by its SHA-256) and kept in
 * a bounded cache: the fields picked out of the TBSCertificate with the small DER reader, node's
 * X509Certificate (signature checks, validity), its public key, and the report's description.
 * Also remembers, per (certificate, issuer) pair, whether the issuer signed it: the answer only
 * depends on the two DER encodings.
 */

export interface ParsedCertificate {
  der: Buffer;
  /** SHA-256 of the DER, hex. */
  fingerprint: string;
  node: NodeX509;
  /** DER of the issuer and subject Names. */
  issuerName: Uint8Array;
  subjectName: Uint8Array;
  /** DER of the serialNumber INTEGER. */
  serial: Uint8Array;
  /** Contents of the subjectKeyIdentifier extension's OCTET STRING, if any. */
  subjectKeyId: Buffer | null;
  /** keyUsage allows digitalSignature or nonRepudiation; null when the certificate has no keyUsage. */
  maySign: boolean | null;
  validFrom: number;
  validTo: number;
}

export interface CertificateDescription {
  cn: string | null;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
}

/** Bounds of the caches (entries); the oldest entry goes first. */
export const CERTIFICATE_CACHE_SIZE = 512;

const OID_SUBJECT_KEY_ID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0e]);
const OID_KEY_USAGE = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x0f]);

/** A Map kept to `max` entries, least recently used out first. */
export class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly max: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, value: V): V {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.max) this.map.delete(this.map.keys().next().value!);
    return value;
  }
  get size(): number {
    return this.map.size;
  }
}

const certificates = new Lru<ParsedCertificate>(CERTIFICATE_CACHE_SIZE);
const descriptions = new Lru<CertificateDescription>(CERTIFICATE_CACHE_SIZE);
const publicKeys = new Lru<KeyObject>(CERTIFICATE_CACHE_SIZE);
const issuedBy = new Lru<boolean>(4 * CERTIFICATE_CACHE_SIZE);
const rootSets = new Lru<ParsedCertificate[]>(16);
/** Certificate sets by length and last bytes; a bucket holds the sets that share both (see certificatesOfSet). */
const certificateSets = new Lru<{ der: Buffer; certs: ParsedCertificate[] }[]>(CERTIFICATE_CACHE_SIZE);
/** Sets kept per bucket (the oldest goes first). */
const SETS_PER_BUCKET = 8;

/** Entries held (for tests of the bound). */
export const certificateCacheSize = (): number => certificates.size;

function extensionsOf(der: Uint8Array, tbsFields: Element[]): { subjectKeyId: Buffer | null; maySign: boolean | null } {
  const out = { subjectKeyId: null as Buffer | null, maySign: null as boolean | null };
  const wrapper = tbsFields.find((f) => f.tag === 0xa3);
  if (!wrapper) return out;
  const [list] = children(der, wrapper);
  if (list?.tag !== 0x30) throw new Error('certificate extensions are not a SEQUENCE');
  for (const ext of children(der, list)) {
    const parts = children(der, ext);
    const id = parts[0];
    const value = parts.at(-1);
    if (id?.tag !== 0x06 || value?.tag !== 0x04) throw new Error('malformed certificate extension');
    const idDer = encoded(der, id);
    if (OID_SUBJECT_KEY_ID.equals(idDer)) {
      const inner = readElement(der, value.contentStart, value.end);
      if (inner.tag === 0x04) out.subjectKeyId = Buffer.from(contents(der, inner));
    } else if (OID_KEY_USAGE.equals(idDer)) {
      const bits = readElement(der, value.contentStart, value.end);
      if (bits.tag !== 0x03) throw new Error('keyUsage is not a BIT STRING');
      const first = bits.end - bits.contentStart > 1 ? der[bits.contentStart + 1]! : 0;
      out.maySign = (first & 0xc0) !== 0; // bit 0 digitalSignature, bit 1 nonRepudiation
    }
  }
  return out;
}

function parse(der: Buffer, fingerprint: string): ParsedCertificate {
  const cert = readElement(der, 0);
  if (cert.tag !== 0x30 || cert.end !== der.length) throw new Error('certificate is not one DER SEQUENCE');
  const tbs = children(der, cert)[0];
  if (tbs?.tag !== 0x30) throw new Error('certificate has no TBSCertificate');
  const fields = children(der, tbs);
  const i = fields[0]?.tag === 0xa0 ? 1 : 0;
  const [serial, , issuer, , subject] = fields.slice(i);
  if (serial?.tag !== 0x02 || issuer?.tag !== 0x30 || subject?.tag !== 0x30) throw new Error('certificate has no serialNumber / issuer / subject');
  const node = new NodeX509(der);
  return {
    der,
    fingerprint,
    node,
    issuerName: encoded(der, issuer),
    subjectName: encoded(der, subject),
    serial: encoded(der, serial),
    ...extensionsOf(der, fields),
    validFrom: new Date(node.validFrom).getTime(),
    validTo: new Date(node.validTo).getTime(),
  };
}

/** The parsed certificate for a DER encoding (cached). Throws when it is not a certificate. */
export function certificateFromDer(bytes: Uint8Array): ParsedCertificate {
  const fingerprint = createHash('sha256').update(bytes).digest('hex');
  return certificates.get(fingerprint) ?? certificates.set(fingerprint, parse(Buffer.from(bytes), fingerprint));
}

/**
 * The X.509 certificates (SEQUENCE elements; other CertificateChoices skipped) of a CMS
 * `certificates` [0] SET, given as its whole DER encoding: one lookup finds them all (cached),
 * each parsed through certificateFromDer. The same set gives the same array object.
 */
export function certificatesOfSet(setDer: Uint8Array): ParsedCertificate[] {
  // Looked up by the set's length and last bytes (the last certificate's signature), then compared in full.
  // Sets of signers under one CA share both (same-length signer certificate, then the same CA
  // certificate last): they share a bucket instead of evicting each other.
  const der = Buffer.from(setDer.buffer, setDer.byteOffset, setDer.byteLength);
  const key = `${der.length}:${der.toString('hex', Math.max(0, der.length - 32))}`;
  const bucket = certificateSets.get(key) ?? certificateSets.set(key, []);
  for (const known of bucket) if (known.der.equals(der)) return known.certs;
  const set = readElement(der, 0);
  const certs = children(der, set)
    .filter((c) => c.tag === 0x30)
    .map((c) => certificateFromDer(encoded(der, c)));
  bucket.push({ der: Buffer.from(der), certs });
  if (bucket.length > SETS_PER_BUCKET) bucket.shift();
  return certs;
}

/** Per parsed certificate (held only as long as the certificate is): its key and description once made. */
const memo = new WeakMap<ParsedCertificate, { publicKey?: KeyObject; description?: CertificateDescription }>();

function memoOf(cert: ParsedCertificate): { publicKey?: KeyObject; description?: CertificateDescription } {
  let m = memo.get(cert);
  if (!m) memo.set(cert, (m = {}));
  return m;
}

export function publicKeyOf(cert: ParsedCertificate): KeyObject {
  const m = memoOf(cert);
  return (m.publicKey ??= publicKeys.get(cert.fingerprint) ?? publicKeys.set(cert.fingerprint, cert.node.publicKey));
}

/** Subject, issuer (RFC 4514-style, as @peculiar/x509 writes them), serial, validity and common name (cached). */
export function describeCertificate(cert: ParsedCertificate): CertificateDescription {
  const m = memoOf(cert);
  if (m.description) return m.description;
  const known = descriptions.get(cert.fingerprint);
  if (known) return (m.description = known);
  const c = new x509.X509Certificate(new Uint8Array(cert.der));
  return (m.description = descriptions.set(cert.fingerprint, {
    cn: c.subjectName.getField('CN')[0] ?? null,
    subject: c.subject,
    issuer: c.issuer,
    serialNumber: c.serialNumber.toLowerCase(),
    notBefore: c.notBefore.toISOString(),
    notAfter: c.notAfter.toISOString(),
  }));
}

/** `issuer` is named as `child`'s issuer and its key verifies `child`'s signature (cached per pair). */
export function isIssuedBy(child: ParsedCertificate, issuer: ParsedCertificate): boolean {
  const key = `${child.fingerprint}>${issuer.fingerprint}`;
  const known = issuedBy.get(key);
  if (known !== undefined) return known;
  return issuedBy.set(key, child.node.checkIssued(issuer.node) && child.node.verify(publicKeyOf(issuer)));
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Trusted roots from PEM text (several certificates per string allowed), parsed once per distinct list. */
let lastRoots: { pems: string[]; roots: ParsedCertificate[] } | null = null;

export function trustedRoots(pems: readonly string[]): ParsedCertificate[] {
  // The same list as last time (a process usually has one): no lookup.
  if (lastRoots && lastRoots.pems.length === pems.length && lastRoots.pems.every((p, i) => p === pems[i])) return lastRoots.roots;
  const key = pems.length === 1 ? pems[0]! : pems.join('\u0000');
  let roots = rootSets.get(key);
  if (!roots) roots = rootSets.set(key, pems.flatMap((p) => p.match(PEM_CERT) ?? []).map((block) => certificateFromDer(new NodeX509(block).raw)));
  lastRoots = { pems: [...pems], roots };
  return roots;
}
