import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { signPdf } from '../../documents';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { ensureUserCertificate } from '../certificates/user-certificates';
import { AppError, rejected } from '../errors';
import { UserSchema } from '../identity/user.entity';
import { personalSignatureImage } from '../signatures/personal-signature-image';
import { loadContract } from './contract-access';
import { ContractSignerSchema } from './contract-signer.entity';
import { ContractSchema } from './contract.entity';
import { DocumentVersionSchema } from './document-version.entity';
import { PERSONAL_SEAL_SIZE_PT } from './seal-geometry';
import { refuseSign, signRefusal } from './signing-order';
import { recordContractEvent } from './trail/record-contract-event';
import { confirmationUsable, WillingnessConfirmationSchema } from './willingness-confirmation.entity';
import { applySignatureV2 } from './apply-signature-v2';
import type { PlacedMark } from './signing-marks';
import type { ContractNotice, NoticeRows } from './contract-notifications';

export interface ApplySignatureDeps {
  em: EntityManager;
  store: DocumentStore;
  ca: CertificateAuthority;
  masterKey: string;
  /** Aborted when the workflow gave up on this attempt (expiry, revocation): nothing is committed after that. */
  signal?: AbortSignal;
  /**
   * v2: sends the notice a committed signature leads to (next step started / completed), after the
   * commit, with the rows as the commit left them (the lifecycle activity passes notifyContractEvent).
   * Its failure never undoes the signature: the result then says `notified: false` and the workflow
   * sends the notice through its own activity.
   */
  notify?: (notice: ContractNotice, rows: NoticeRows) => Promise<unknown>;
  /**
   * v2, with `notify`: the notices may be written inside the signature's own transaction (the SMS
   * sender writes rows: the outbox). They then commit with the signature, once, and cost no
   * transaction of their own; `notify` is not called.
   */
  notifyInCommit?: (tx: EntityManager, notice: ContractNotice, rows: NoticeRows) => Promise<unknown>;
}

/** v1 (contractSigningWorkflow): the signer whose turn it is. */
export interface ApplySignatureV1Input {
  contractId: string;
  signerId: string;
  confirmationId: string;
}

/** v2 (contractLifecycleWorkflow): a participant, the user acting for it, and marks placed at signing time (free placement). */
export interface ApplySignatureV2Input {
  contractId: string;
  participantId: string;
  actorUserId: string;
  confirmationId: string;
  marks?: PlacedMark[];
  /** 结束签署 (default) or 继续签署 (false: free placement only; the participant stays pending). */
  finish?: boolean;
}

export type ApplySignatureInput = ApplySignatureV1Input | ApplySignatureV2Input;

export interface ApplySignatureResult {
  documentVersion: number;
  /** The step that started because of this signature (v2), or null. */
  stepAdvanced: number | null;
  /** Every participant has signed (the workflow then completes the contract). */
  completed: boolean;
  /** v2: the participant's signature round (signedRounds after it) and whether the participant finished. */
  round?: number;
  finished?: boolean;
  /**
   * v2, only when `notify` was given: true once the notices this signature leads to are sent (or
   * none were due); false when sending failed or the outcome was read back from an earlier attempt.
   */
  notified?: boolean;
  /**
   * v2: the contract is 已完成 — the last signature completed it in its own transaction (status,
   * `completed` event with the final document's hash), so the workflow adopts the end without a close.
   */
  closed?: boolean;
}

const refusalError = (code: Parameters<typeof signRefusal>[0]) => {
  const r = signRefusal(code);
  return new AppError('rejected', r.code, r.message, r.messageEn);
};

/** Applies one signature: v1 input → the signer's personal signature; v2 → the participant's marks. */
export function applySignature(deps: ApplySignatureDeps, input: ApplySignatureInput, now = new Date()): Promise<ApplySignatureResult> {
  return 'signerId' in input ? applyV1(deps, input, now) : applySignatureV2(deps, input, now);
}

/**
 * v1: stamps the signer's personal signature (default handwritten signature or 人名章) and applies their PAdES signature as an incremental update,
 * stores the new document version and marks the signer signed (and the next signer's turn).
 *
 * Safe under retries, duplicate attempts and a concurrent close: the PDF work happens first, then
 * ONE transaction commits only if the contract is still 签署中, not past its expiry, and at the
 * document version this attempt started from. A second attempt that lost finds the winner's
 * version and returns it; an attempt after the contract ended commits nothing. Each attempt writes
 * its own file name, so a losing attempt never overwrites the committed file (it is swept as an
 * orphan later).
 */
async function applyV1(deps: ApplySignatureDeps, input: ApplySignatureV1Input, now: Date): Promise<ApplySignatureResult> {
  const { em } = deps;
  const found = await loadContract(em, input.contractId);
  if (!found) throw new Error(`Contract ${input.contractId} not found`);
  const { contract, signers } = found;
  const signer = signers.find((s) => s.id === input.signerId);
  if (!signer) throw new Error(`Signer ${input.signerId} not found`);
  // v1 signers are registered people with their position on the signer row.
  if (signer.userId === null || signer.page === null || signer.x === null || signer.y === null) throw new Error(`Signer ${input.signerId} is not a v1 signer`);
  const next = signers.find((s) => s.order === signer.order + 1);
  const result = (documentVersion: number): ApplySignatureResult => ({ documentVersion, stepAdvanced: null, completed: !next });
  const done = await em.findOne(DocumentVersionSchema, { contractId: contract.id, signerId: signer.id });
  if (done) return result(done.version);

  const expired = contract.expiresAt.getTime() <= now.getTime() || contract.voidReason === 'expired';
  const refusal = refuseSign(
    { inProgress: contract.status === 'in_progress', expired, signers: signers.map((s) => ({ signerId: s.id, userId: s.userId, order: s.order, signed: s.status === 'signed' })) },
    signer.userId,
  );
  if (refusal) throw new AppError('rejected', refusal.code, refusal.message, refusal.messageEn);

  const confirmation = await em.findOne(WillingnessConfirmationSchema, { id: input.confirmationId });
  if (!confirmation || confirmation.contractId !== contract.id || confirmation.signerId !== signer.id || !confirmationUsable(confirmation, now)) {
    throw rejected('WILLINGNESS_NOT_CONFIRMED', '意愿认证无效，请重新获取验证码', 'Intent to sign was not confirmed; request a new code');
  }
  const user = await em.findOneOrFail(UserSchema, { id: signer.userId! });
  const current = await em.findOneOrFail(DocumentVersionSchema, { contractId: contract.id, version: contract.documentVersion });
  const pdf = await deps.store.get(current.storageKey);
  const credentials = await ensureUserCertificate(em, deps.ca, deps.masterKey, user, now);
  const seal = await personalSignatureImage(em, deps.store, user); // default handwritten signature, else the 人名章
  const signed = await signPdf({
    pdf,
    signer: credentials,
    signerName: user.name,
    fieldName: signer.fieldName,
    appearance: { page: signer.page!, x: signer.x!, y: signer.y!, width: PERSONAL_SEAL_SIZE_PT, height: PERSONAL_SEAL_SIZE_PT, png: seal },
    reason: `签署合同：${contract.title}`,
    location: 'SealFlow',
    signingTime: now,
  });

  const version = contract.documentVersion + 1;
  const storageKey = `contracts/${contract.id}/v${version}-${randomUUID().slice(0, 8)}.pdf`;
  await deps.store.create(storageKey, signed);
  deps.signal?.throwIfAborted();

  const sha256 = createHash('sha256').update(signed).digest('hex');
  const committed = await em.transactional(async (tx) => {
    // First statement: the conditional claim of the contract row (write lock; the close in finish-contract.ts uses the same condition).
    const claimed = await tx.nativeUpdate(ContractSchema, { id: contract.id, status: 'in_progress', documentVersion: contract.documentVersion, expiresAt: { $gt: new Date() } }, { documentVersion: version });
    if (claimed !== 1) return false;
    const confirmed = await tx.nativeUpdate(WillingnessConfirmationSchema, { id: confirmation.id, usedAt: null, supersededAt: null }, { usedAt: now });
    if (confirmed !== 1) throw rejected('WILLINGNESS_NOT_CONFIRMED', '意愿认证无效，请重新获取验证码', 'Intent to sign was not confirmed; request a new code');
    await tx.nativeUpdate(ContractSignerSchema, { id: signer.id }, { status: 'signed', signedAt: now, signedByUserId: user.id, signedByName: user.name });
    if (next) await tx.nativeUpdate(ContractSignerSchema, { id: next.id, status: 'waiting' }, { status: 'pending' });
    tx.create(DocumentVersionSchema, {
      id: randomUUID(),
      contractId: contract.id,
      version,
      storageKey,
      sha256,
      size: signed.byteLength,
      signerId: signer.id,
      createdAt: now,
    });
    await recordContractEvent(tx, { id: user.id, name: user.name, ip: confirmation.ip }, {
      contractId: contract.id,
      type: 'signed',
      payload: { participantId: signer.id, name: user.name, step: signer.step, signedByName: user.name, documentVersion: version, marks: ['personal'] },
      documentSha256: sha256,
      at: now,
    });
    return true;
  }).catch(async (err: unknown) => {
    await deps.store.delete(storageKey).catch(() => undefined);
    throw err;
  });
  if (committed) return result(version);

  // Not committed: find out why, from the database as it is now.
  await deps.store.delete(storageKey).catch(() => undefined);
  const fresh = em.fork();
  const winner = await fresh.findOne(DocumentVersionSchema, { contractId: contract.id, signerId: signer.id });
  if (winner) return result(winner.version); // a concurrent attempt of this same signature won
  const latest = await fresh.findOneOrFail(ContractSchema, { id: contract.id });
  if (latest.voidReason === 'expired' || latest.expiresAt.getTime() <= Date.now()) throw refusalError('CONTRACT_EXPIRED');
  if (latest.status !== 'in_progress') throw refusalError('CONTRACT_NOT_IN_PROGRESS');
  throw new Error(`Contract ${contract.id} changed while signing (version ${contract.documentVersion} → ${latest.documentVersion}); retrying`);
}
