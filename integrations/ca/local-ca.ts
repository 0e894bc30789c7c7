import { createPrivateKey, createPublicKey, randomBytes, webcrypto } from 'node:crypto';
import * as x509 from './x509';
import type { CertificateAuthority, IssuedCertificate, SubjectInfo } from './certificate-authority';
import { decryptSecret, encryptSecret } from './key-encryption';
import { sealSubjectName, type SealCertificateSubject } from './seal-subject';

/**
 * What the running services (API, worker) need: both certificates and the issuing key only.
 * The root key is not among them: it signs nothing after set-up.
 */
export interface OnlineCaMaterial {
  rootCertificatePem: string;
  issuingCertificatePem: string;
  issuingKeyEncrypted: string;
}

/** Everything the set-up path creates; the root key is encrypted under its own key (purpose 'ca-root'). */
export interface StoredCaMaterial extends OnlineCaMaterial {
  rootKeyEncrypted: string;
}

/**
 * Persistence for the CA material. `save` is called once, at set-up; if several processes
 * race, the store should keep the first write — the CA reloads after saving and uses whatever
 * `load` then returns. `load` returns the online part only (a store may omit the root key).
 */
export interface CaMaterialStore {
  load(): Promise<OnlineCaMaterial | null>;
  save(m: StoredCaMaterial): Promise<void>;
}

export interface LocalCaOptions {
  /** Brand used in the CA names, e.g. 'SealFlow' → "SealFlow Root CA". */
  name: string;
  masterKey: string;
  store: CaMaterialStore;
  /** RSA modulus sizes. Defaults: root 4096, issuing 3072, end entity 2048. */
  keyBits?: { root?: number; issuing?: number; endEntity?: number };
}

const crypto = webcrypto as unknown as Crypto;
const RSA_ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]) };
const SIGNING_ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const DAY_MS = 86_400_000;
const CLOCK_SKEW_MS = 5 * 60_000;
const OID = { CN: '2.5.4.3', O: '2.5.4.10', C: '2.5.4.6', SERIAL: '2.5.4.5' } as const;
const EKU_EMAIL_PROTECTION = '1.3.6.1.5.5.7.3.4';
const EKU_DOCUMENT_SIGNING_MS = '1.3.6.1.4.1.311.10.3.12';

/** A certificate issued for a request: the requester holds the private key, so there is none here. */
export type IssuedFromCsr = Omit<IssuedCertificate, 'privateKeyPem'>;

/** The embedded CA: the platform's own signing certificates and seal certificates from CSRs (the CA order service). */
export interface LocalCertificateAuthority extends CertificateAuthority {
  /**
   * Issues a seal certificate for a PKCS#10 request. The request's self-signature must verify
   * (proof of possession) and its key must be RSA ≥ 2048 bits or EC P-256/P-384; its subject is
   * ignored: the subject is built from `subject` (see seal-subject.ts). Throws `CsrRejected`.
   */
  issueFromCsr(csrPem: string, subject: SealCertificateSubject, validityDays: number): Promise<IssuedFromCsr>;
}

/** A certificate request the CA refuses (malformed, bad self-signature, weak key). */
export class CsrRejected extends Error {
  constructor(
    readonly code: 'CSR_MALFORMED' | 'CSR_SIGNATURE_INVALID' | 'CSR_KEY_UNSUPPORTED',
    message: string,
  ) {
    super(message);
    this.name = 'CsrRejected';
  }
}

const MAX_CSR_PEM_CHARS = 16_384;

/** Parses a PEM request and checks its self-signature (proof of possession) and key strength; throws `CsrRejected`. */
export async function verifyCertificateRequest(csrPem: string): Promise<x509.Pkcs10CertificateRequest> {
  if (typeof csrPem !== 'string' || csrPem.length > MAX_CSR_PEM_CHARS || !csrPem.includes('-----BEGIN CERTIFICATE REQUEST-----')) {
    throw new CsrRejected('CSR_MALFORMED', 'not a PEM certificate request');
  }
  let csr: x509.Pkcs10CertificateRequest;
  try {
    csr = new x509.Pkcs10CertificateRequest(csrPem);
  } catch {
    throw new CsrRejected('CSR_MALFORMED', 'the certificate request cannot be parsed');
  }
  let key;
  try {
    key = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' });
  } catch {
    throw new CsrRejected('CSR_KEY_UNSUPPORTED', 'the certificate request carries no usable public key');
  }
  const details = key.asymmetricKeyDetails ?? {};
  const strong =
    (key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048 && (details.modulusLength ?? 0) <= 8192) ||
    (key.asymmetricKeyType === 'ec' && (details.namedCurve === 'prime256v1' || details.namedCurve === 'secp384r1'));
  if (!strong) throw new CsrRejected('CSR_KEY_UNSUPPORTED', 'the key must be RSA (2048–8192 bits) or EC P-256/P-384');
  let valid = false;
  try {
    valid = await csr.verify(crypto);
  } catch {
    valid = false;
  }
  if (!valid) throw new CsrRejected('CSR_SIGNATURE_INVALID', 'the certificate request is not signed by its own key');
  return csr;
}

interface LoadedCa {
  cert: x509.X509Certificate;
  key: CryptoKey;
  pem: string;
}

async function generateRsa(bits: number): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey({ ...RSA_ALG, modulusLength: bits }, true, ['sign', 'verify']);
}

async function exportPkcs8Pem(key: CryptoKey): Promise<string> {
  const der = await crypto.subtle.exportKey('pkcs8', key);
  return x509.PemConverter.encode(der, 'PRIVATE KEY');
}

async function importSigningKey(pem: string): Promise<CryptoKey> {
  const keyObject = createPrivateKey(pem);
  const der = keyObject.export({ format: 'der', type: 'pkcs8' });
  if (keyObject.asymmetricKeyType === 'rsa') {
    return crypto.subtle.importKey('pkcs8', der, SIGNING_ALG, false, ['sign']);
  }
  if (keyObject.asymmetricKeyType === 'ec') {
    const curve = keyObject.asymmetricKeyDetails?.namedCurve;
    const namedCurve = curve === 'prime256v1' ? 'P-256' : curve === 'secp384r1' ? 'P-384' : curve === 'secp521r1' ? 'P-521' : undefined;
    if (!namedCurve) throw new Error(`local CA: unsupported EC curve ${curve}`);
    return crypto.subtle.importKey('pkcs8', der, { name: 'ECDSA', namedCurve }, false, ['sign']);
  }
  throw new Error(`local CA: unsupported key type ${keyObject.asymmetricKeyType}`);
}

function randomSerialHex(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40; // positive, no leading zero byte, always 16 bytes
  return bytes.toString('hex');
}

function isPrintable(text: string): boolean {
  return /^[A-Za-z0-9 '()+,\-./:=?]*$/.test(text);
}

function str(value: string): x509.JsonAttributeObject {
  return isPrintable(value) ? { printableString: value } : { utf8String: value };
}

/** Builds a Name with explicit string types: CN and O always UTF8String (RFC 5280 §4.1.2.6). */
function buildName(s: SubjectInfo): x509.JsonNameParams {
  const cn = s.commonName?.trim();
  if (!cn) throw new Error('subject commonName is required');
  if ([...cn].length > 64) throw new Error('subject commonName must be at most 64 characters');
  const name: x509.JsonNameParams = [];
  if (s.country) {
    if (!/^[A-Z]{2}$/.test(s.country)) throw new Error('subject country must be a two-letter upper-case code');
    name.push({ [OID.C]: [{ printableString: s.country }] });
  }
  if (s.organization?.trim()) name.push({ [OID.O]: [{ utf8String: s.organization.trim() }] });
  name.push({ [OID.CN]: [{ utf8String: cn }] });
  if (s.serialNumberAttr) {
    if (s.serialNumberAttr.length > 64) throw new Error('subject serialNumberAttr must be at most 64 characters');
    name.push({ [OID.SERIAL]: [str(s.serialNumberAttr)] });
  }
  return name;
}

/** Fails if the private key does not belong to the certificate (e.g. mixed-up stored material). */
function assertKeyMatches(cert: x509.X509Certificate, keyPem: string, label: string): void {
  const fromKey = createPublicKey(createPrivateKey(keyPem)).export({ format: 'der', type: 'spki' });
  if (!Buffer.from(cert.publicKey.rawData).equals(fromKey)) {
    throw new Error(`local CA: stored ${label} private key does not match its certificate`);
  }
}

async function createCaMaterial(opts: LocalCaOptions): Promise<StoredCaMaterial> {
  const now = Date.now();
  const rootKeys = await generateRsa(opts.keyBits?.root ?? 4096);
  const rootName: x509.JsonNameParams = [
    { [OID.O]: [{ utf8String: opts.name }] },
    { [OID.CN]: [{ utf8String: `${opts.name} Root CA` }] },
  ];
  const rootSki = await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey, false, crypto);
  const root = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialHex(),
      subject: new x509.Name(rootName),
      issuer: new x509.Name(rootName),
      notBefore: new Date(now - CLOCK_SKEW_MS),
      notAfter: new Date(now + 20 * 365 * DAY_MS),
      publicKey: rootKeys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: SIGNING_ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, 1, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        rootSki,
        new x509.AuthorityKeyIdentifierExtension(rootSki.keyId, false),
      ],
    },
    crypto,
  );

  const issuingKeys = await generateRsa(opts.keyBits?.issuing ?? 3072);
  const issuing = await x509.X509CertificateGenerator.create(
    {
      serialNumber: randomSerialHex(),
      subject: new x509.Name([
        { [OID.O]: [{ utf8String: opts.name }] },
        { [OID.CN]: [{ utf8String: `${opts.name} Issuing CA` }] },
      ]),
      issuer: root.subjectName,
      notBefore: new Date(now - CLOCK_SKEW_MS),
      notAfter: new Date(now + 10 * 365 * DAY_MS),
      publicKey: issuingKeys.publicKey,
      signingKey: rootKeys.privateKey,
      signingAlgorithm: SIGNING_ALG,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(issuingKeys.publicKey, false, crypto),
        new x509.AuthorityKeyIdentifierExtension(rootSki.keyId, false),
      ],
    },
    crypto,
  );

  return {
    rootCertificatePem: root.toString('pem'),
    rootKeyEncrypted: encryptSecret(await exportPkcs8Pem(rootKeys.privateKey), opts.masterKey, 'ca-root'),
    issuingCertificatePem: issuing.toString('pem'),
    issuingKeyEncrypted: encryptSecret(await exportPkcs8Pem(issuingKeys.privateKey), opts.masterKey),
  };
}

/** Loads what signing needs: the root certificate and the issuing certificate and key. Never decrypts the root key. */
async function loadOnlineCa(m: OnlineCaMaterial, masterKey: string): Promise<{ root: { cert: x509.X509Certificate; pem: string }; issuing: LoadedCa }> {
  const issuingKeyPem = decryptSecret(m.issuingKeyEncrypted, masterKey).toString('utf8');
  const rootCert = new x509.X509Certificate(m.rootCertificatePem);
  const issuingCert = new x509.X509Certificate(m.issuingCertificatePem);
  assertKeyMatches(issuingCert, issuingKeyPem, 'issuing');
  if (!(await issuingCert.verify({ publicKey: rootCert.publicKey, signatureOnly: true }, crypto))) {
    throw new Error('local CA: stored issuing certificate is not signed by the stored root');
  }
  return {
    root: { cert: rootCert, pem: rootCert.toString('pem') },
    issuing: { cert: issuingCert, key: await importSigningKey(issuingKeyPem), pem: issuingCert.toString('pem') },
  };
}

/**
 * Set-up only: decrypts the root key and checks it belongs to the root certificate (for
 * re-encrypting legacy material or issuing a new issuing CA). The running services never call it.
 */
export function openRootKey(m: StoredCaMaterial, masterKey: string): string {
  const pem = decryptSecret(m.rootKeyEncrypted, masterKey, 'ca-root').toString('utf8');
  assertKeyMatches(new x509.X509Certificate(m.rootCertificatePem), pem, 'root');
  return pem;
}

export async function createLocalCertificateAuthority(opts: LocalCaOptions): Promise<LocalCertificateAuthority> {
  if (!opts.name?.trim()) throw new Error('local CA: name is required');
  if (!opts.masterKey) throw new Error('local CA: masterKey is required');
  let material = await opts.store.load();
  if (!material) {
    // First start: this is the set-up; the root key exists in memory only while it is created.
    await opts.store.save(await createCaMaterial(opts));
    material = await opts.store.load();
    if (!material) throw new Error('local CA: store did not return the material it just saved');
  }
  const { root, issuing } = await loadOnlineCa(material, opts.masterKey);
  const endEntityBits = opts.keyBits?.endEntity ?? 2048;

  /** The end-entity certificate both issuing paths produce: signing key usages, chained to the issuing CA. */
  async function issueEndEntity(name: x509.Name, publicKey: x509.PublicKeyType, validityDays: number): Promise<x509.X509Certificate> {
    if (!Number.isFinite(validityDays) || validityDays <= 0) throw new Error('validityDays must be positive');
    const now = Date.now();
    return x509.X509CertificateGenerator.create(
      {
        serialNumber: randomSerialHex(),
        subject: name,
        issuer: issuing.cert.subjectName,
        notBefore: new Date(now - CLOCK_SKEW_MS),
        // Never outlive the issuing CA: the chain would be invalid after its expiry.
        notAfter: new Date(Math.min(now + validityDays * DAY_MS, issuing.cert.notAfter.getTime())),
        publicKey,
        signingKey: issuing.key,
        signingAlgorithm: SIGNING_ALG,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation, true),
          new x509.ExtendedKeyUsageExtension([EKU_EMAIL_PROTECTION, EKU_DOCUMENT_SIGNING_MS], false),
          await x509.SubjectKeyIdentifierExtension.create(publicKey, false, crypto),
          await x509.AuthorityKeyIdentifierExtension.create(issuing.cert.publicKey, false, crypto),
        ],
      },
      crypto,
    );
  }

  const issuedInfo = (cert: x509.X509Certificate): IssuedFromCsr => ({
    certificatePem: cert.toString('pem'),
    serialNumber: cert.serialNumber.toLowerCase(),
    subject: cert.subject,
    issuer: cert.issuer,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
  });

  return {
    chainPem: () => [issuing.pem, root.pem],
    rootCertificatePem: () => root.pem,

    async issueSigningCertificate(subject: SubjectInfo, validityDays = 365): Promise<IssuedCertificate> {
      const name = new x509.Name(buildName(subject));
      const keys = await generateRsa(endEntityBits);
      const cert = await issueEndEntity(name, keys.publicKey, validityDays);
      return { ...issuedInfo(cert), privateKeyPem: await exportPkcs8Pem(keys.privateKey) };
    },

    async issueFromCsr(csrPem: string, subject: SealCertificateSubject, validityDays: number): Promise<IssuedFromCsr> {
      const name = new x509.Name(sealSubjectName(subject));
      const csr = await verifyCertificateRequest(csrPem);
      return issuedInfo(await issueEndEntity(name, csr.publicKey, validityDays));
    },
  };
}
