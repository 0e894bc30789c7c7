/** Seal certificates straight in the database (expiry reminders, operator lists). */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Services } from '../../bootstrap/services';
import { SigningCertificateSchema, type SigningCertificate } from '../../domain/certificates/certificate.entities';
import { SealSchema, type Seal } from '../../domain/enterprises/seal.entities';

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
