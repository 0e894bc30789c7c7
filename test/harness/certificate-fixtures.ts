/** Seal certificates straight in the database: row-only ones (expiry reminders, operator lists) and real ones to sign with. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Services } from '../../bootstrap/services';
import { SigningCertificateSchema, type SigningCertificate } from '../../domain/certificates/certificate.entities';
import { SealSchema, type Seal } from '../../domain/enterprises/seal.entities';
import { encryptSecret } from '../../integrations/ca/key-encryption';

const DAY_MS = 24 * 3600_000;

/** The enterprise's seals (one per seal type applied for at certification). */
export async function sealsOf(services: Services, enterpriseId: string): Promise<Seal[]> {
  return services.orm.em.fork().find(SealSchema, { enterpriseId }, { orderBy: { type: 'asc' } });
}

/** An active certificate of `seal` that expires `days` days after `now` (no real key material: reminders and lists only read the row). */
export async function addSealCertificate(services: Services, seal: Seal, now: Date, days: number, over: Partial<SigningCertificate> = {}): Promise<SigningCertificate> {
  const em = services.orm.em.fork();
  const cert = em.create(SigningCertificateSchema, {
    id: randomUUID(),
    ownerType: 'seal',
    ownerId: seal.id,
    enterpriseId: seal.enterpriseId,
    orderId: null,
    subject: `CN=${seal.name}`,
    issuer: 'CN=SealFlow Test CA',
    serialNumber: randomBytes(16).toString('hex'),
    notBefore: new Date(now.getTime() - 365 * DAY_MS),
    notAfter: new Date(now.getTime() + days * DAY_MS),
    certificatePem: '-----BEGIN CERTIFICATE-----\ntest\n-----END CERTIFICATE-----\n',
    privateKeyEncrypted: 'test',
    status: 'active',
    revokedAt: null,
    revocationReason: null,
    createdAt: now,
    ...over,
  });
  await em.flush();
  return cert;
}

/**
 * A real certificate for `seal` from the platform CA, its key encrypted as the platform stores it,
 * so the enterprise can sign with the seal (what a completed certificate order leaves behind).
 */
export async function issueSealCertificate(services: Services, masterKey: string, seal: Seal, enterpriseName: string): Promise<SigningCertificate> {
  const issued = await services.ca.issueSigningCertificate({ commonName: seal.name, organization: enterpriseName, country: 'CN' });
  const em = services.orm.em.fork();
  const cert = em.create(SigningCertificateSchema, {
    id: randomUUID(),
    ownerType: 'seal',
    ownerId: seal.id,
    enterpriseId: seal.enterpriseId,
    orderId: null,
    subject: issued.subject,
    issuer: issued.issuer,
    serialNumber: issued.serialNumber,
    notBefore: issued.notBefore,
    notAfter: issued.notAfter,
    certificatePem: issued.certificatePem,
    privateKeyEncrypted: encryptSecret(issued.privateKeyPem, masterKey),
    status: 'active',
    revokedAt: null,
    revocationReason: null,
    createdAt: new Date(),
  });
  await em.flush();
  return cert;
}
