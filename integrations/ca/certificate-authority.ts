/**
 * The contract every certificate authority used by SealFlow implements: the embedded local CA
 * today (local-ca.ts), a remote/commercial CA later.
 */

export interface SubjectInfo {
  /** Person or enterprise name; may be Chinese (encoded as UTF8String). */
  commonName: string;
  /** X.520 serialNumber attribute, e.g. the platform user id (printable characters). */
  serialNumberAttr?: string;
  organization?: string;
  /** ISO 3166 two-letter code, e.g. 'CN'. */
  country?: string;
}

export interface IssuedCertificate {
  certificatePem: string;
  /** PKCS#8 PEM, plaintext: callers encrypt it (encryptSecret) before storing. */
  privateKeyPem: string;
  /** Hex, lower case. */
  serialNumber: string;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
}

export interface CertificateAuthority {
  issueSigningCertificate(subject: SubjectInfo, validityDays?: number): Promise<IssuedCertificate>;
  /** Issuing CA first, then root. */
  chainPem(): string[];
  rootCertificatePem(): string;
}
