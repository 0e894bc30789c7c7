import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { renderNameSeal, signPdf } from '../../documents';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { recordAudit } from '../audit/record-audit';
import { ensureUserCertificate } from '../certificates/user-certificates';
import { rejected } from '../errors';
import { UserSchema } from '../identity/user.entity';
import { ContractSignerSchema } from './contract-signer.entity';
import { ContractSchema } from './contract.entity';
import { DocumentVersionSchema } from './document-version.entity';
import { PERSONAL_SEAL_SIZE_PT } from './seal-geometry';
import { WillingnessConfirmationSchema } from './willingness-confirmation.entity';

export interface ApplySignatureDeps {
  em: EntityManager;
  store: DocumentStore;
  ca: CertificateAuthority;
  masterKey: string;
}

export interface ApplySignatureInput {
  contractId: string;
  signerId: string;
  confirmationId: string;
}

/**
 * Stamps the signer's name seal and applies their PAdES signature as an incremental update,
 * stores the new document version and marks the signer signed. Idempotent: a retry after
 * success returns the stored result.
 */
export async function applySignature(deps: ApplySignatureDeps, input: ApplySignatureInput, now = new Date()): Promise<{ documentVersion: number }> {
  const { em } = deps;
  const contract = await em.findOneOrFail(ContractSchema, { id: input.contractId });
  const signer = await em.findOneOrFail(ContractSignerSchema, { id: input.signerId, contractId: contract.id });
  const done = await em.findOne(DocumentVersionSchema, { contractId: contract.id, signerId: signer.id });
  if (signer.status === 'signed' && done) return { documentVersion: done.version };

  const confirmation = await em.findOne(WillingnessConfirmationSchema, { id: input.confirmationId });
  if (!confirmation || confirmation.contractId !== contract.id || confirmation.signerId !== signer.id || confirmation.usedAt) {
    throw rejected('WILLINGNESS_NOT_CONFIRMED', '意愿认证无效，请重新获取验证码', 'Intent to sign was not confirmed; request a new code');
  }
  const user = await em.findOneOrFail(UserSchema, { id: signer.userId });
  const current = await em.findOneOrFail(DocumentVersionSchema, { contractId: contract.id, version: contract.documentVersion });
  const pdf = await deps.store.get(current.storageKey);
  const credentials = await ensureUserCertificate(em, deps.ca, deps.masterKey, user, now);
  const seal = await renderNameSeal(user.name);
  const signed = await signPdf({
    pdf,
    signer: credentials,
    signerName: user.name,
    fieldName: signer.fieldName,
    appearance: { page: signer.page, x: signer.x, y: signer.y, width: PERSONAL_SEAL_SIZE_PT, height: PERSONAL_SEAL_SIZE_PT, png: seal },
    reason: `签署合同：${contract.title}`,
    location: 'SealFlow',
    signingTime: now,
  });

  const version = contract.documentVersion + 1;
  const storageKey = `contracts/${contract.id}/v${version}.pdf`;
  await deps.store.put(storageKey, signed);

  // One flush is one transaction: version, signer, confirmation and audit row land together.
  em.create(DocumentVersionSchema, {
    id: randomUUID(),
    contractId: contract.id,
    version,
    storageKey,
    sha256: createHash('sha256').update(signed).digest('hex'),
    size: signed.byteLength,
    signerId: signer.id,
    createdAt: now,
  });
  contract.documentVersion = version;
  signer.status = 'signed';
  signer.signedAt = now;
  confirmation.usedAt = now;
  const next = await em.findOne(ContractSignerSchema, { contractId: contract.id, order: signer.order + 1 });
  if (next) next.status = 'pending';
  recordAudit(em, { id: user.id, name: user.name, ip: confirmation.ip }, {
    action: 'contract.signed',
    targetType: 'contract',
    targetId: contract.id,
    detail: { signer: user.name, order: signer.order, field: signer.fieldName, page: signer.page, version },
    at: now,
  });
  await em.flush();
  return { documentVersion: version };
}
