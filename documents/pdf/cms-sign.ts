import { X509Certificate, createHash, createPrivateKey, sign as nodeSign, type KeyObject } from 'node:crypto';
import { pemCertificatesToDer } from './cms';
import { certificateIssuerAndSerial, contextConstructed, integer, nullValue, objectIdentifier, octetString, sequence, setOf, time, tlv, type Der } from './der';

/**
 * CAdES-detached CMS SignedData (the /Contents of an ETSI.CAdES.detached PDF signature), written
 * with the small DER writer (der.ts) and signed with Node's crypto (RSA PKCS#1 v1.5 or ECDSA,
 * SHA-256). Everything that depends only on the signer — parsed certificates, the private key as a
 * KeyObject (checked against the certificate), the ESS signing-certificate-v2 attribute, the
 * certificate set — is prepared once per signer and kept in a bounded cache; a signature then costs
 * one hash, one private-key operation and a few hundred bytes of DER.
 *
 * Layout (RFC 5652 / ETSI EN 319 122-1): ContentInfo { signedData, [0] SignedData { 1,
 * {sha256}, {data}, [0] certificates, { SignerInfo { 1, IssuerAndSerialNumber, sha256,
 * [0] { contentType, signingTime, messageDigest, signingCertificateV2 }, sha256WithRSA | ecdsaWithSHA256,
 * signature } } } }.
 */

const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  signingCertificateV2: '1.2.840.113549.1.9.16.2.47',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
} as const;

export interface CmsSigner {
  certificatePem: string;
  privateKeyPem: string;
  chainPem: string[];
}

/** What a signature needs of its signer, prepared once. */
export interface PreparedSigner {
  key: KeyObject;
  /** Upper bound of the signature value's length (RSA: the modulus size; ECDSA: the longest DER). */
  maxSignatureBytes: number;
  signatureAlgorithm: Der;
  /** IssuerAndSerialNumber of the signer certificate. */
  sid: Der;
  /** The signing-certificate-v2 attribute (ESS, hash SHA-256 = DEFAULT so omitted). */
  signingCertificateAttribute: Der;
  /** [0] IMPLICIT SET OF Certificate: the signer certificate, then the chain. */
  certificates: Der;
  /** cadesLengthBound by the length of the encoded signing time (the only other part whose length varies). */
  lengthBounds: Map<number, number>;
}

const CACHE_LIMIT = 64;
const cache = new Map<string, PreparedSigner>();

const sha256 = (data: Uint8Array | string) => createHash('sha256').update(data).digest();
const attribute = (oid: string, value: Der): Der => sequence(objectIdentifier(oid), setOf([value]));

/** ECDSA-Sig-Value { r, s } at most: each INTEGER up to field size + 1 (sign byte), plus headers. */
function ecdsaMaxBytes(key: KeyObject): number {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  const fieldBytes = curve === 'prime256v1' ? 32 : curve === 'secp384r1' ? 48 : curve === 'secp521r1' ? 66 : 66;
  const integerBytes = fieldBytes + 1 + 2;
  const body = 2 * integerBytes;
  return body + (body < 128 ? 2 : 3);
}

function prepare(signer: CmsSigner): PreparedSigner {
  const [signerDer] = pemCertificatesToDer([signer.certificatePem]);
  if (!signerDer) throw new Error('signer certificate PEM is missing or invalid');
  const chainDers = pemCertificatesToDer(signer.chainPem).filter((d) => !d.equals(signerDer));
  const key = createPrivateKey(signer.privateKeyPem);
  const keyType = key.asymmetricKeyType;
  if (keyType !== 'rsa' && keyType !== 'ec') throw new Error(`unsupported signer key type ${keyType}`);
  if (!new X509Certificate(signerDer).checkPrivateKey(key)) throw new Error('signer private key does not match the certificate');
  const { issuer, serial } = certificateIssuerAndSerial(signerDer);
  const essCertId = sequence(octetString(sha256(signerDer)), sequence(sequence(contextConstructed(4, issuer)), serial));
  return {
    key,
    maxSignatureBytes: keyType === 'rsa' ? Math.ceil((key.asymmetricKeyDetails?.modulusLength ?? 4096) / 8) : ecdsaMaxBytes(key),
    signatureAlgorithm: keyType === 'rsa' ? sequence(objectIdentifier(OID.sha256WithRsa), nullValue()) : sequence(objectIdentifier(OID.ecdsaWithSha256)),
    sid: sequence(issuer, serial),
    signingCertificateAttribute: attribute(OID.signingCertificateV2, sequence(sequence(essCertId))),
    certificates: tlv(0xa0, signerDer, ...chainDers),
    lengthBounds: new Map(),
  };
}

/** The signer's prepared material, from the cache when the same PEMs were seen before (bounded, least recently used out). */
export function preparedSigner(signer: CmsSigner): PreparedSigner {
  const id = sha256(`${signer.certificatePem}\0${signer.privateKeyPem}\0${signer.chainPem.join('\0')}`).toString('base64');
  let prepared = cache.get(id);
  if (prepared) {
    cache.delete(id);
  } else {
    prepared = prepare(signer);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  }
  cache.set(id, prepared);
  return prepared;
}

function signedAttributes(digest: Uint8Array, signingTime: Date, signer: PreparedSigner): Der[] {
  return [
    attribute(OID.contentType, objectIdentifier(OID.data)),
    attribute(OID.signingTime, time(signingTime)),
    attribute(OID.messageDigest, octetString(digest)),
    signer.signingCertificateAttribute,
  ];
}

function assemble(signer: PreparedSigner, attrs: Der[], signature: Uint8Array): Buffer {
  const sha256Alg = sequence(objectIdentifier(OID.sha256));
  const signerInfo = sequence(integer(1), signer.sid, sha256Alg, setOf(attrs, 0xa0), signer.signatureAlgorithm, octetString(signature));
  const signedData = sequence(integer(1), setOf([sha256Alg]), sequence(objectIdentifier(OID.data)), signer.certificates, setOf([signerInfo]));
  const der = sequence(objectIdentifier(OID.signedData), contextConstructed(0, signedData));
  return Buffer.from(der.buffer, der.byteOffset, der.byteLength);
}

/** Exact upper bound of the CMS length for this signer (the signature value at its longest). */
export function cadesLengthBound(signer: CmsSigner, signingTime: Date): number {
  const prepared = preparedSigner(signer);
  const timeLength = time(signingTime).length;
  let bound = prepared.lengthBounds.get(timeLength);
  if (bound === undefined) {
    const attrs = signedAttributes(new Uint8Array(32), signingTime, prepared);
    bound = assemble(prepared, attrs, new Uint8Array(prepared.maxSignatureBytes)).length;
    prepared.lengthBounds.set(timeLength, bound);
  }
  return bound;
}

/** Builds the detached CMS SignedData over the concatenated `content` chunks. */
export function signCadesDetached(content: Uint8Array[], signer: CmsSigner, signingTime: Date): Buffer {
  const prepared = preparedSigner(signer);
  const hash = createHash('sha256');
  for (const chunk of content) hash.update(chunk);
  const attrs = signedAttributes(hash.digest(), signingTime, prepared);
  const signature = nodeSign('sha256', setOf(attrs), prepared.key);
  return assemble(prepared, attrs, signature);
}
