import { EntitySchema, OptionalProps } from '@mikro-orm/core';
import { references } from '../persistence/references';

/**
 * A signing certificate: a person's (issued on first use) or an enterprise seal's (issued by the CA
 * through a certificate order, M14). Private key encrypted with the master key. A revoked
 * certificate keeps its row (status 'revoked', revokedAt, revocationReason).
 */
export interface SigningCertificate {
  [OptionalProps]?: 'enterpriseId' | 'orderId' | 'revokedAt' | 'revocationReason' | 'caRevokedAt';
  id: string;
  ownerType: 'user' | 'seal';
  /** The user id, or the seal id. */
  ownerId: string;
  /** The enterprise of a seal certificate; null for a person's. */
  enterpriseId: string | null;
  /** The certificate order it was issued through (seal certificates). */
  orderId: string | null;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  certificatePem: string;
  privateKeyEncrypted: string;
  status: 'active' | 'revoked';
  revokedAt: Date | null;
  revocationReason: string | null;
  /** When the CA confirmed the revocation; NULL with status 'revoked' = still to push to the CA. */
  caRevokedAt: Date | null;
  createdAt: Date;
}

export const SigningCertificateSchema = new EntitySchema<SigningCertificate>({
  name: 'SigningCertificate',
  tableName: 'signing_certificates',
  indexes: [{ properties: ['ownerType', 'ownerId'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    ownerType: { type: 'string', length: 20 },
    ownerId: { type: 'string', length: 36 },
    enterpriseId: references('Enterprise', 'enterprise_id', { nullable: true, index: true }),
    orderId: { type: 'string', length: 36, nullable: true },
    subject: { type: 'string', length: 500 },
    issuer: { type: 'string', length: 500 },
    serialNumber: { type: 'string', length: 64, unique: true },
    notBefore: { type: 'datetime' },
    notAfter: { type: 'datetime' },
    certificatePem: { type: 'text' },
    privateKeyEncrypted: { type: 'text' },
    status: { type: 'string', length: 20 },
    revokedAt: { type: 'datetime', nullable: true },
    revocationReason: { type: 'string', length: 500, nullable: true },
    caRevokedAt: { type: 'datetime', nullable: true },
    createdAt: { type: 'datetime' },
  },
});

/** The platform CA's own keys and certificates (one row, id 'platform'). */
export interface CaMaterialRow {
  id: string;
  rootCertificatePem: string;
  rootKeyEncrypted: string;
  issuingCertificatePem: string;
  issuingKeyEncrypted: string;
  createdAt: Date;
}

export const CaMaterialSchema = new EntitySchema<CaMaterialRow>({
  name: 'CaMaterial',
  tableName: 'ca_material',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    rootCertificatePem: { type: 'text' },
    rootKeyEncrypted: { type: 'text' },
    issuingCertificatePem: { type: 'text' },
    issuingKeyEncrypted: { type: 'text' },
    createdAt: { type: 'datetime' },
  },
});
