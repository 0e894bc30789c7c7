import { EntitySchema } from '@mikro-orm/core';

/** A signing certificate issued to a person (later also enterprises and seals). Private key encrypted with the master key. */
export interface SigningCertificate {
  id: string;
  ownerType: 'user';
  ownerId: string;
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  certificatePem: string;
  privateKeyEncrypted: string;
  status: 'active' | 'revoked';
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
    subject: { type: 'string', length: 500 },
    issuer: { type: 'string', length: 500 },
    serialNumber: { type: 'string', length: 64, unique: true },
    notBefore: { type: 'datetime' },
    notAfter: { type: 'datetime' },
    certificatePem: { type: 'text' },
    privateKeyEncrypted: { type: 'text' },
    status: { type: 'string', length: 20 },
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
