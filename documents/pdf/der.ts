/**
 * Minimal DER writer and reader (X.690) for the CMS the signer builds (cms-sign.ts) and for picking
 * fields out of certificates without a full ASN.1 library. Writer: definite lengths only, SET OF
 * sorted as DER requires. Reader: one TLV at a time, bounds-checked, never recursive.
 */

export type Der = Uint8Array;

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

/** One TLV: `tag` (a single identifier octet) around the concatenated `contents`. */
export function tlv(tag: number, ...contents: Der[]): Der {
  const length = contents.reduce((s, c) => s + c.length, 0);
  const head = [tag, ...lengthBytes(length)];
  const out = new Uint8Array(head.length + length);
  out.set(head, 0);
  let at = head.length;
  for (const c of contents) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export const sequence = (...items: Der[]): Der => tlv(0x30, ...items);
export const octetString = (bytes: Uint8Array): Der => tlv(0x04, bytes);
export const nullValue = (): Der => new Uint8Array([0x05, 0x00]);
/** [n] EXPLICIT / constructed context-specific tag. */
export const contextConstructed = (n: number, ...items: Der[]): Der => tlv(0xa0 | n, ...items);

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** SET OF: elements sorted by their encodings (DER). `tag` 0x31, or 0xa0 for an IMPLICIT [0] SET. */
export function setOf(items: Der[], tag = 0x31): Der {
  return tlv(tag, ...[...items].sort(compareBytes));
}

export function integer(value: number): Der {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) throw new RangeError('integer: small non-negative integers only');
  const bytes: number[] = [];
  let v = value;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, new Uint8Array(bytes));
}

const oidCache = new Map<string, Der>();

export function objectIdentifier(oid: string): Der {
  let der = oidCache.get(oid);
  if (der) return der;
  const arcs = oid.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new RangeError(`bad OID ${oid}`);
  const body: number[] = [];
  const base128 = (v: number) => {
    const chunk = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) chunk.unshift(0x80 | (x & 0x7f));
    body.push(...chunk);
  };
  base128(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) base128(a);
  der = tlv(0x06, new Uint8Array(body));
  oidCache.set(oid, der);
  return der;
}

const two = (n: number) => String(n).padStart(2, '0');

/** UTCTime (1950–2049) or GeneralizedTime otherwise, to the second, in UTC (RFC 5280 §4.1.2.5). */
export function time(date: Date): Der {
  const y = date.getUTCFullYear();
  const rest = `${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`;
  if (y >= 1950 && y < 2050) return tlv(0x17, Buffer.from(`${two(y % 100)}${rest}`, 'latin1'));
  return tlv(0x18, Buffer.from(`${String(y).padStart(4, '0')}${rest}`, 'latin1'));
}

/** A TLV found by the reader: `start` is the tag's offset, contents are bytes[contentStart, end). */
export interface Element {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/**
 * The tag and length of the TLV at `offset` within bytes[0, limit) — its header only, the contents
 * may lie beyond the limit; throws on anything malformed or indefinite.
 */
export function readHeader(bytes: Uint8Array, offset: number, limitAt = bytes.length): Element {
  const limit = Math.min(limitAt, bytes.length);
  if (offset + 2 > limit) throw new Error('DER: truncated element');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new Error('DER: multi-byte tags are not supported');
  let length = bytes[offset + 1]!;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0 || n > 4) throw new Error('DER: indefinite or oversized length');
    if (contentStart + n > limit) throw new Error('DER: truncated length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + bytes[contentStart + i]!;
    contentStart += n;
  }
  return { tag, start: offset, contentStart, end: contentStart + length };
}

/** Reads the TLV at `offset` within bytes[0, limit); throws on anything malformed or indefinite. */
export function readElement(bytes: Uint8Array, offset: number, limitAt = bytes.length): Element {
  const element = readHeader(bytes, offset, limitAt);
  if (element.end > Math.min(limitAt, bytes.length)) throw new Error('DER: element runs past its container');
  return element;
}

/**
 * The most elements read directly inside one element: far above what a CMS or a certificate holds there (a
 * certificate set holds a chain, a SignerInfo a few attributes). A signature's /Contents of `05 00` pairs
 * listed 4.75 million elements (2 s, 361 MB) before any shape was checked.
 */
export const MAX_DER_CHILDREN = 1024;

/** More than MAX_DER_CHILDREN elements inside one: a verdict on the bytes, not an encoding another reader should try. */
export class DerTooManyElements extends Error {}

/** The elements directly inside a constructed element (DerTooManyElements past MAX_DER_CHILDREN). */
export function children(bytes: Uint8Array, parent: Element): Element[] {
  const out: Element[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    if (out.length === MAX_DER_CHILDREN) throw new DerTooManyElements(`DER: more than ${MAX_DER_CHILDREN} elements in one`);
    const e = readElement(bytes, at, parent.end);
    out.push(e);
    at = e.end;
  }
  return out;
}

export const encoded = (bytes: Uint8Array, e: Element): Uint8Array => bytes.subarray(e.start, e.end);
export const contents = (bytes: Uint8Array, e: Element): Uint8Array => bytes.subarray(e.contentStart, e.end);

/** Issuer Name and serialNumber INTEGER of an X.509 certificate, as their DER encodings. */
export function certificateIssuerAndSerial(certDer: Uint8Array): { issuer: Uint8Array; serial: Uint8Array } {
  const cert = readElement(certDer, 0);
  if (cert.tag !== 0x30 || cert.end !== certDer.length) throw new Error('certificate is not one DER SEQUENCE');
  const tbs = children(certDer, cert)[0];
  if (!tbs || tbs.tag !== 0x30) throw new Error('certificate has no TBSCertificate');
  const fields = children(certDer, tbs);
  const i = fields[0]?.tag === 0xa0 ? 1 : 0; // [0] EXPLICIT version is optional
  const [serial, , issuer] = fields.slice(i);
  if (serial?.tag !== 0x02 || issuer?.tag !== 0x30) throw new Error('certificate has no serialNumber / issuer');
  return { issuer: encoded(certDer, issuer), serial: encoded(certDer, serial) };
}
