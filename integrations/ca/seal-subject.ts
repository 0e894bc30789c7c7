import * as x509 from './x509';

/**
 * The subject of a seal certificate (企业印章证书), decided by the CA, never taken from the CSR:
 *
 * | attribute (OID)                | value                                   |
 * | ------------------------------ | --------------------------------------- |
 * | C  countryName (2.5.4.6)       | CN                                      |
 * | O  organizationName (2.5.4.10) | enterprise name                         |
 * | OU organizationalUnit (2.5.4.11) | seal name, e.g. 合同专用章             |
 * | CN commonName (2.5.4.3)        | enterprise name                         |
 * | serialNumber (2.5.4.5)         | 统一社会信用代码 (USCC, 18 characters)   |
 * | pseudonym (2.5.4.65)           | `seal:<sealId>` — the platform's seal id |
 *
 * `readSealBinding` recovers the binding from a certificate (verification, tests).
 */
export interface SealCertificateSubject {
  enterpriseName: string;
  uscc: string;
  sealName: string;
  sealId: string;
}

/** X.509's upper bound for O, OU and CN (RFC 5280 ub-organization-name, ub-organizational-unit-name, ub-common-name). */
export const SUBJECT_NAME_MAX = 64;

/**
 * A name as a seal certificate's subject carries it: at most SUBJECT_NAME_MAX characters (an
 * enterprise may be certified with a longer name; the certificate is bound by USCC and seal id, not
 * by the name's text).
 */
export const fitSubjectName = (name: string) => [...name.trim()].slice(0, SUBJECT_NAME_MAX).join('');

export const SEAL_SUBJECT_OID = { C: '2.5.4.6', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3', SERIAL: '2.5.4.5', PSEUDONYM: '2.5.4.65' } as const;
export const SEAL_ID_PREFIX = 'seal:';

/** GB 32100-2015: 18 characters from 0-9 and A-Z without I, O, S, V, Z. */
const USCC = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const SEAL_ID = /^[A-Za-z0-9-]{1,64}$/;

function required(value: string | undefined, what: string, max: number): string {
  const v = value?.trim();
  if (!v) throw new Error(`seal certificate subject: ${what} is required`);
  if ([...v].length > max) throw new Error(`seal certificate subject: ${what} must be at most ${max} characters`);
  return v;
}

/** Validates the subject and builds the Name (UTF8String for names, PrintableString for codes). */
export function sealSubjectName(s: SealCertificateSubject): x509.JsonNameParams {
  const enterprise = required(s.enterpriseName, 'enterpriseName', SUBJECT_NAME_MAX);
  const sealName = required(s.sealName, 'sealName', SUBJECT_NAME_MAX);
  const uscc = required(s.uscc, 'uscc', 18);
  if (!USCC.test(uscc)) throw new Error('seal certificate subject: uscc is not a 统一社会信用代码');
  const sealId = required(s.sealId, 'sealId', 64);
  if (!SEAL_ID.test(sealId)) throw new Error('seal certificate subject: sealId must be letters, digits and dashes');
  const O = SEAL_SUBJECT_OID;
  return [
    { [O.C]: [{ printableString: 'CN' }] },
    { [O.O]: [{ utf8String: enterprise }] },
    { [O.OU]: [{ utf8String: sealName }] },
    { [O.CN]: [{ utf8String: enterprise }] },
    { [O.SERIAL]: [{ printableString: uscc }] },
    { [O.PSEUDONYM]: [{ printableString: `${SEAL_ID_PREFIX}${sealId}` }] },
  ];
}

/** The enterprise / USCC / seal a certificate is bound to, or null if it is not a seal certificate. */
export function readSealBinding(certificatePem: string): SealCertificateSubject | null {
  const name = new x509.X509Certificate(certificatePem).subjectName;
  const one = (oid: string) => name.getField(oid)[0] ?? null;
  const pseudonym = one(SEAL_SUBJECT_OID.PSEUDONYM);
  const enterpriseName = one(SEAL_SUBJECT_OID.O);
  const uscc = one(SEAL_SUBJECT_OID.SERIAL);
  const sealName = one(SEAL_SUBJECT_OID.OU);
  if (!pseudonym?.startsWith(SEAL_ID_PREFIX) || !enterpriseName || !uscc || !sealName) return null;
  return { enterpriseName, uscc, sealName, sealId: pseudonym.slice(SEAL_ID_PREFIX.length) };
}
