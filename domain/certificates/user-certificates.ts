import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { decryptSecret, encryptSecret, needsReencryption } from '../../integrations/ca/key-encryption';
import { recordAudit, SYSTEM_ACTOR } from '../audit/record-audit';
import type { User } from '../identity/user.entity';
import { findRow } from '../persistence/plain-rows';
import { retryOnDeadlock } from '../persistence/concurrency';
import { lockRows, runSql } from '../persistence/plain-sql';
import { SigningCertificateSchema, type SigningCertificate } from './certificate.entities';
import { forgetSignerKeys, signerCredentialsForCertificate, type SignerCredentials } from './signer-keys';

export type { SignerCredentials } from './signer-keys';

const RENEW_BEFORE_MS = 24 * 3600_000;

/** The person's usable certificate: the active one that lasts longest, unless it ends within a day (then a new one is issued). */
async function usableCertificate(em: EntityManager, userId: string, now: Date): Promise<SigningCertificate | null> {
  const cert = await findRow(em, SigningCertificateSchema, { ownerType: 'user', ownerId: userId, status: 'active' }, { orderBy: [['notAfter', 'desc']] });
  return cert && cert.notAfter.getTime() > now.getTime() + RENEW_BEFORE_MS ? cert : null;
}

/** Issuances under way in this process, by person: parallel first signatures of one person wait for one certificate. */
const issuing = new Map<string, Promise<boolean>>();

/**
 * Issues the person's certificate unless another attempt stored one meanwhile (answers whether this one was stored). The CA is asked outside
 * any transaction (it may be remote and slow); the certificate is stored in a transaction that first
 * locks the person's row and reads again, so parallel attempts (other processes, or this one's after a
 * crash) store one: a loser's certificate is dropped unused, its private key never stored.
 */
export async function issueUserCertificate(em: EntityManager, ca: CertificateAuthority, masterKey: string, user: User, now = new Date()): Promise<boolean> {
  const issued = await ca.issueSigningCertificate({ commonName: user.name, serialNumberAttr: user.id });
  // Retried when SQLite's other process committed in between (busy) or MariaDB chose this one as a deadlock victim.
  const stored = await retryOnDeadlock(() => em.fork().transactional(async (tx) => {
    await lockRows(tx, 'users', [user.id]);
    if (await usableCertificate(tx, user.id, now)) return false;
    const cert = tx.create(SigningCertificateSchema, {
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
    recordAudit(tx, SYSTEM_ACTOR, { action: 'certificate.issued', targetType: 'certificate', targetId: cert.id, detail: { owner: user.id, serialNumber: issued.serialNumber, subject: issued.subject } });
    return true;
  }));
  if (stored) forgetSignerKeys({ ownerIds: [user.id] }); // the certificate it replaces no longer signs from this process's cache
  return stored;
}

/**
 * The person's own signing certificate from the platform CA, issued on first use (and again within a
 * day of its end). One person signing many contracts at once (批量签署, parallel steps) gets ONE
 * certificate: one issuance per person at a time in this process, and a locked re-read before storing.
 */
export async function ensureUserCertificate(em: EntityManager, ca: CertificateAuthority, masterKey: string, user: User, now = new Date()): Promise<SignerCredentials> {
  // Read on every signature: a plain row.
  let cert = await usableCertificate(em, user.id, now);
  if (!cert) {
    let issuance = issuing.get(user.id);
    if (!issuance) {
      issuance = issueUserCertificate(em.fork(), ca, masterKey, user, now).finally(() => issuing.delete(user.id));
      issuing.set(user.id, issuance);
    }
    await issuance;
    cert = await usableCertificate(em, user.id, now);
    if (!cert) throw new Error(`no usable certificate for user ${user.id} after issuing one`);
  }
  if (needsReencryption(cert.privateKeyEncrypted)) {
    // Legacy v1 (scrypt on every decryption): store it again in the current format, once.
    cert.privateKeyEncrypted = encryptSecret(decryptSecret(cert.privateKeyEncrypted, masterKey), masterKey);
    await runSql(em, 'update signing_certificates set private_key_encrypted = ? where id = ?', [cert.privateKeyEncrypted, cert.id]);
  }
  return signerCredentialsForCertificate(cert, masterKey, ca);
}
