import { X509Certificate as NodeX509, createHash, createPrivateKey, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

/**
 * CAdES-detached CMS (the /Contents of an ETSI.CAdES.detached PDF signature), built with pkijs
 * structures and signed with Node's crypto (RSA PKCS#1 v1.5 or ECDSA, SHA-256).
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

export interface CmsSigner {
  certificatePem: string;
  privateKeyPem: string;
  chainPem: string[];
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Splits PEM text (possibly several certificates per string) into DER buffers. */
export function pemCertificatesToDer(pems: string[]): Buffer[] {
  return pems.flatMap((p) => p.match(PEM_CERT) ?? []).map((block) => Buffer.from(new NodeX509(block).raw));
}

function toArrayBuffer(buf: Uint8Array): ArrayBuffer {
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

function parseCertificate(der: Uint8Array): pkijs.Certificate {
  return pkijs.Certificate.fromBER(toArrayBuffer(der));
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/** ESS SigningCertificateV2 with one ESSCertIDv2 (hash algorithm SHA-256 = DEFAULT, so omitted). */
function signingCertificateV2(certDer: Buffer, cert: pkijs.Certificate): asn1js.Sequence {
  const essCertId = new asn1js.Sequence({
    value: [
      new asn1js.OctetString({ valueHex: toArrayBuffer(createHash('sha256').update(certDer).digest()) }),
      new asn1js.Sequence({
        value: [
          new asn1js.Sequence({
            value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })],
          }),
          cert.serialNumber,
        ],
      }),
    ],
  });
  return new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/** DER encoding of the signed attributes as signed: a SET OF (tag 0x31), elements in DER order. */
function encodeSignedAttrs(attrs: pkijs.SignedAndUnsignedAttributes): Uint8Array {
  const der = new Uint8Array(attrs.toSchema().toBER(false));
  der[0] = 0x31;
  return der;
}

/** Builds the detached CMS SignedData over the concatenated `content` chunks. */
export function buildCadesDetached(content: Uint8Array[], signer: CmsSigner, signingTime: Date): Buffer {
  const [signerDer] = pemCertificatesToDer([signer.certificatePem]);
  if (!signerDer) throw new Error('signer certificate PEM is missing or invalid');
  const chainDers = pemCertificatesToDer(signer.chainPem).filter((d) => !d.equals(signerDer));
  const signerCert = parseCertificate(signerDer);
  const key = createPrivateKey(signer.privateKeyPem);
  const keyType = key.asymmetricKeyType;
  if (keyType !== 'rsa' && keyType !== 'ec') throw new Error(`unsupported signer key type ${keyType}`);
  if (!new NodeX509(signerDer).checkPrivateKey(key)) throw new Error('signer private key does not match the certificate');

  const hash = createHash('sha256');
  for (const chunk of content) hash.update(chunk);
  const digest = hash.digest();

  const attrs = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: signingTime })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: toArrayBuffer(digest) })),
    attribute(OID.signingCertificateV2, signingCertificateV2(signerDer, signerCert)),
  ];
  // DER: SET OF elements sorted by their encodings.
  const encoded = attrs.map((a) => ({ a, der: new Uint8Array(a.toSchema().toBER(false)) }));
  encoded.sort((x, y) => compareBytes(x.der, y.der));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: encoded.map((e) => e.a) });

  const signature = nodeSign('sha256', encodeSignedAttrs(signedAttrs), key);
  const sha256Alg = new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 });
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: signerCert.issuer, serialNumber: signerCert.serialNumber }),
    digestAlgorithm: sha256Alg,
    signedAttrs,
    signatureAlgorithm:
      keyType === 'rsa'
        ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() })
        : new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 }),
    signature: new asn1js.OctetString({ valueHex: toArrayBuffer(signature) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256Alg],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: [signerCert, ...chainDers.map(parseCertificate)],
    signerInfos: [signerInfo],
  });
  const contentInfo = new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(false) });
  return Buffer.from(contentInfo.toSchema().toBER(false));
}

export interface CmsCheck {
  /** DER of the signer certificate, if found in the CMS. */
  signerCertificate: Buffer | null;
  /** All certificates carried in the CMS (DER). */
  certificates: Buffer[];
  signingTime: Date | null;
  digestMatches: boolean;
  signatureValid: boolean;
  error?: string;
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

/** Parses a detached CMS and checks it against the signed content (never throws). */
export function checkCadesDetached(cmsDer: Uint8Array, content: Uint8Array[]): CmsCheck {
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
