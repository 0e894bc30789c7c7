import { webcrypto } from 'node:crypto';
import * as x509 from './x509';

/**
 * PKCS#10 certificate requests. The platform generates a seal's key pair, keeps the private key
 * (encrypted) and sends only the request to the CA; the CA decides the certificate's subject
 * (`local-ca.ts` → `issueFromCsr`), so the subject in the request is informative only.
 */
export interface CsrSubject {
  commonName: string;
  organization?: string;
  organizationalUnit?: string;
}

export interface KeyAndCsr {
  /** PKCS#10 request, PEM ("CERTIFICATE REQUEST"). */
  csrPem: string;
  /** PKCS#8 PEM, plaintext: callers encrypt it (encryptSecret) before storing. */
  privateKeyPem: string;
}

const crypto = webcrypto as unknown as Crypto;
const RSA_ALG = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const OID = { CN: '2.5.4.3', O: '2.5.4.10', OU: '2.5.4.11' } as const;

function csrName(s: CsrSubject): x509.JsonNameParams {
  const cn = s.commonName?.trim();
  if (!cn) throw new Error('CSR subject commonName is required');
  const name: x509.JsonNameParams = [];
  if (s.organization?.trim()) name.push({ [OID.O]: [{ utf8String: s.organization.trim() }] });
  if (s.organizationalUnit?.trim()) name.push({ [OID.OU]: [{ utf8String: s.organizationalUnit.trim() }] });
  name.push({ [OID.CN]: [{ utf8String: cn }] });
  return name;
}

/** A new RSA-2048 key pair and a CSR signed with it (SHA-256). */
export async function createKeyAndCsr(subject: CsrSubject): Promise<KeyAndCsr> {
  const keys = await crypto.subtle.generateKey(RSA_ALG, true, ['sign', 'verify']);
  const csr = await x509.Pkcs10CertificateRequestGenerator.create(
    { name: new x509.Name(csrName(subject)), keys, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } } as x509.Pkcs10CertificateRequestCreateParams,
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  return { csrPem: csr.toString('pem'), privateKeyPem: x509.PemConverter.encode(pkcs8, 'PRIVATE KEY') };
}
