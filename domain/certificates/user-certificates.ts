import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { decryptSecret, encryptSecret, needsReencryption } from '../../integrations/ca/key-encryption';
import { recordAudit, SYSTEM_ACTOR } from '../audit/record-audit';
import type { User } from '../identity/user.entity';
import { findRow } from '../persistence/plain-rows';
import { runSql } from '../persistence/plain-sql';
import { SigningCertificateSchema } from './certificate.entities';
import { forgetSignerKeys, signerCredentialsForCertificate, type SignerCredentials } from './signer-keys';

export type { SignerCredentials } from './signer-keys';

const RENEW_BEFORE_MS = 24 * 3600_000;

/** The person's own signing certificate from the platform CA, issued on first use. */
export async function ensureUserCertificate(em: EntityManager, ca: CertificateAuthority, masterKey: string, user: User, now = new Date()): Promise<SignerCredentials> {
  // The active certificate that lasts longest (read on every signature: a plain row), unless it ends within a day.
  let cert = await findRow(em, SigningCertificateSchema, { ownerType: 'user', ownerId: user.id, status: 'active' }, { orderBy: [['notAfter', 'desc']] });
  if (cert && cert.notAfter.getTime() <= now.getTime() + RENEW_BEFORE_MS) cert = null;
  if (!cert) {
    const issued = await ca.issueSigningCertificate({ commonName: user.name, serialNumberAttr: user.id });
    cert = em.create(SigningCertificateSchema, {
      id: randomUUID(),
      ownerType: 'user',
      ownerId: user.id,
      subject: issued.subject,
      issuer: issued.issuer,
      serialNumber: issued.serialNumber,
      notBefore: issued.notBefore,
      notAfter: issued.notAfter,
      certificatePem: issued.certificatePem,
      privateKeyEncrypted: encryptSecret(issued.privateKeyPem, masterKey),
      status: 'active',
      createdAt: now,
    });
    recordAudit(em, SYSTEM_ACTOR, { action: 'certificate.issued', targetType: 'certificate', targetId: cert.id, detail: { owner: user.id, serialNumber: issued.serialNumber, subject: issued.subject } });
    await em.flush();
    forgetSignerKeys({ ownerIds: [user.id] }); // the certificate it replaces no longer signs from this process's cache
  }
  if (needsReencryption(cert.privateKeyEncrypted)) {
    // Legacy v1 (scrypt on every decryption): store it again in the current format, once.
    cert.privateKeyEncrypted = encryptSecret(decryptSecret(cert.privateKeyEncrypted, masterKey), masterKey);
    await runSql(em, 'update signing_certificates set private_key_encrypted = ? where id = ?', [cert.privateKeyEncrypted, cert.id]);
  }
  return signerCredentialsForCertificate(cert, masterKey, ca);
}
