/**
 * On 已签发: fetches the certificate from the CA, checks it, and stores it as the seal's signing
 * certificate (ownerType 'seal') together with the order's move to 已签发, in one flush. From then
 * on the seal is usable for enterprise signing (seal-certificates.ts).
 *
 * Checks: the certificate's public key is the order's key pair (the platform kept the private key),
 * it chains to the platform CA (issuing CA signed by the platform root), its validity is sane and it
 * is bound to this seal and the enterprise's USCC. A certificate that fails a check is not stored:
 * the order ends as 已驳回 with the reason (audited), so it never stays open forever.
 *
 * A seal voided while its order was open (issue 9: rename, 变更法人): the certificate is stored
 * already revoked (never usable for signing) and its revocation pushed to the CA right after the
 * commit; if the CA cannot be reached then, the periodic sweep pushes it.
 */
import { randomUUID, X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { decryptSecret } from '../../integrations/ca/key-encryption';
import { readSealBinding } from '../../integrations/ca/seal-subject';
import type { CaOrderGateway } from '../../integrations/ca-orders/ca-order-gateway';
import { recordAudit, SYSTEM_ACTOR } from '../audit/record-audit';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { SealSchema } from '../enterprises/seal.entities';
import { flushHoldingVersions, flushOrConflict, hold } from '../persistence/concurrency';
import { SigningCertificateSchema } from './certificate.entities';
import { forgetSignerKeys } from './signer-keys';
import { CertificateOrderSchema } from './certificate-order.entity';
import type { OrderProgress } from './certificate-order-progress';
import { markRevoked, pushRevocationsToCa } from './revoke-certificates';

export type CertificateProblem = 'UNREADABLE' | 'KEY_MISMATCH' | 'NOT_PLATFORM_CA' | 'NOT_VALID' | 'WRONG_SUBJECT';

export const CERTIFICATE_PROBLEMS: Record<CertificateProblem, { zh: string; en: string }> = {
  UNREADABLE: { zh: 'CA 签发的证书无法解析', en: 'The issued certificate cannot be parsed' },
  KEY_MISMATCH: { zh: 'CA 签发的证书与订单密钥不匹配', en: 'The issued certificate does not match the order key pair' },
  NOT_PLATFORM_CA: { zh: 'CA 签发的证书不是由平台根证书签发', en: 'The issued certificate does not chain to the platform root' },
  NOT_VALID: { zh: 'CA 签发的证书有效期不正确', en: 'The issued certificate has an invalid validity period' },
  WRONG_SUBJECT: { zh: 'CA 签发的证书与企业或印章不符', en: 'The issued certificate is not bound to this enterprise and seal' },
};

const spki = (key: ReturnType<typeof createPublicKey>) => key.export({ type: 'spki', format: 'der' });

/**
 * Why `certificatePem` cannot be the certificate of this order, or null if it can. A certificate the
 * CA calls issued but that cannot be parsed is a fault of that answer (UNREADABLE: the order ends as
 * 已驳回), not an outage to retry for ever with the seal's order slot taken.
 */
export function certificateProblem(certificatePem: string, privateKeyPem: string, chainPem: string[], binding: { sealId: string; uscc: string }, now: Date): CertificateProblem | null {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(certificatePem);
  } catch {
    return 'UNREADABLE';
  }
  if (!spki(cert.publicKey).equals(spki(createPublicKey(createPrivateKey(privateKeyPem))))) return 'KEY_MISMATCH';
  const [issuing, root] = chainPem.map((p) => new X509Certificate(p));
  if (!issuing || !root || !cert.checkIssued(issuing) || !cert.verify(issuing.publicKey) || !issuing.checkIssued(root) || !issuing.verify(root.publicKey)) return 'NOT_PLATFORM_CA';
  const from = new Date(cert.validFrom);
  const to = new Date(cert.validTo);
  if (!(to > from) || to <= now) return 'NOT_VALID';
  let bound: ReturnType<typeof readSealBinding>;
  try {
    bound = readSealBinding(certificatePem);
  } catch {
    return 'WRONG_SUBJECT';
  }
  if (!bound || bound.sealId !== binding.sealId || bound.uscc !== binding.uscc) return 'WRONG_SUBJECT';
  return null;
}

export async function storeIssuedCertificate(em: EntityManager, gateway: CaOrderGateway, ca: Pick<CertificateAuthority, 'chainPem'>, masterKey: string, orderId: string, now = new Date()): Promise<OrderProgress> {
  const order = await em.findOneOrFail(CertificateOrderSchema, { id: orderId }, { refresh: true, populate: ['privateKeyEncrypted'] });
  const done = (): OrderProgress => ({ status: order.status, caIssued: false, nextPollSeconds: 0 });
  if (order.status === 'issued' || order.status === 'rejected' || order.status === 'cancelled') return done(); // a repeated store
  if (!order.caOrderId || !order.privateKeyEncrypted) throw new Error(`certificate order ${orderId} has no CA order or key`);
  const snap = await gateway.get(order.caOrderId);
  if (snap.status !== 'issued' || !snap.certificatePem) throw new Error(`CA order ${order.caOrderId} is not issued yet (${snap.status})`);
  const enterprise = await em.findOneOrFail(EnterpriseSchema, { id: order.enterpriseId });
  const privateKeyPem = decryptSecret(order.privateKeyEncrypted, masterKey).toString('utf8');
  const problem = certificateProblem(snap.certificatePem, privateKeyPem, ca.chainPem(), { sealId: order.sealId, uscc: enterprise.uscc }, now);
  const from = order.status;
  order.lastPolledAt = now;
  order.paidAt ??= snap.paidAt ? new Date(snap.paidAt) : now;
  order.auditedAt ??= snap.auditedAt ? new Date(snap.auditedAt) : now;
  order.endedAt = now;
  if (problem) {
    order.status = 'rejected';
    order.rejectReason = CERTIFICATE_PROBLEMS[problem].zh;
    order.privateKeyEncrypted = null; // no certificate will ever use it
    recordAudit(em, SYSTEM_ACTOR, { action: 'certificate_order.rejected', targetType: 'certificate_order', targetId: order.id, enterpriseId: order.enterpriseId, detail: { from, to: 'rejected', problem }, at: now });
    await flushOrConflict(em);
    return done();
  }
  const x = new X509Certificate(snap.certificatePem);
  const cert = em.create(SigningCertificateSchema, {
    id: randomUUID(),
    ownerType: 'seal',
    ownerId: order.sealId,
    enterpriseId: order.enterpriseId,
    orderId: order.id,
    subject: x.subject.replace(/\n/g, ', '),
    issuer: x.issuer.replace(/\n/g, ', '),
    serialNumber: x.serialNumber.toLowerCase(),
    notBefore: new Date(x.validFrom),
    notAfter: new Date(x.validTo),
    certificatePem: snap.certificatePem,
    privateKeyEncrypted: order.privateKeyEncrypted,
    status: 'active',
    revokedAt: null,
    revocationReason: null,
    createdAt: now,
  });
  order.status = 'issued';
  order.issuedAt = snap.issuedAt ? new Date(snap.issuedAt) : now;
  order.certificateId = cert.id;
  order.privateKeyEncrypted = null; // moved to the certificate row: one encrypted copy of a seal's key, not two
  recordAudit(em, SYSTEM_ACTOR, { action: 'certificate_order.issued', targetType: 'certificate_order', targetId: order.id, enterpriseId: order.enterpriseId, detail: { from, to: 'issued', certificateId: cert.id, serialNumber: cert.serialNumber }, at: now });
  recordAudit(em, SYSTEM_ACTOR, { action: 'certificate.issued', targetType: 'certificate', targetId: cert.id, enterpriseId: order.enterpriseId, detail: { owner: `seal:${order.sealId}`, serialNumber: cert.serialNumber, subject: cert.subject, orderId: order.id, notAfter: cert.notAfter.toISOString() }, at: now });
  const seal = await em.findOne(SealSchema, { id: order.sealId }, { fields: ['status', 'voidReason', 'version'] });
  const voided = !seal || seal.status === 'voided';
  if (voided) markRevoked(em, cert, seal?.voidReason ?? 'seal_voided', SYSTEM_ACTOR, now);
  // The seal as read: a voiding committed meanwhile (it revokes the certificates it finds, not this one yet) makes this
  // store lose (CONCURRENT_CHANGE, which the activity retries: activity-errors.ts), and its retry stores the certificate
  // revoked — never an active certificate on a voided seal. A repeated store finds the order decided.
  await flushHoldingVersions(em, seal ? [hold(SealSchema, seal, { status: seal.status })] : []);
  forgetSignerKeys({ ownerIds: [order.sealId] }); // the seal's earlier certificate is replaced: its cached key goes
  if (voided) await pushRevocationsToCa(em, gateway, { certificateIds: [cert.id] }).catch(() => undefined); // left pending: the sweep pushes it
  return done();
}
