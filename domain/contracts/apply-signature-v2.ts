import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { signPdf } from '../../documents';
import { SYSTEM_ACTOR } from '../audit/record-audit';
import { AppError, rejected } from '../errors';
import type { ApplySignatureDeps, ApplySignatureResult, ApplySignatureV2Input } from './apply-signature';
import { loadContract, type ContractWithSigners } from './contract-access';
import { ContractMarkSchema } from './contract-mark.entity';
import { ContractSignerSchema, type ContractSigner } from './contract-signer.entity';
import { ContractSchema } from './contract.entity';
import { DocumentVersionSchema } from './document-version.entity';
import { assertMayActFor } from './participant-actor';
import { actionRefusal, afterSigned, currentStep, refuseAction, type RoutingParticipant } from './routing';
import { marksToApply, planStamps } from './signing-marks';
import { recordContractEvent } from './trail/record-contract-event';
import { WillingnessConfirmationSchema } from './willingness-confirmation.entity';

const routingOf = (signers: readonly ContractSigner[]): RoutingParticipant[] =>
  signers.map((s) => ({ participantId: s.id, step: s.step, status: s.status, canRefuse: s.canRefuse }));

const refusalError = (code: Parameters<typeof actionRefusal>[0]) => {
  const r = actionRefusal(code);
  return new AppError(code === 'NOT_A_PARTICIPANT' ? 'forbidden' : 'rejected', r.code, r.message, r.messageEn);
};

const notConfirmed = () => rejected('WILLINGNESS_NOT_CONFIRMED', '意愿认证无效，请重新获取验证码', 'Intent to sign was not confirmed; request a new code');

/**
 * What an already committed signature of `participantId` changed, read back from the database (a
 * retried attempt answers like the first): whether it finished its step (its version is the last
 * of the step and the step is all signed) and which step that started, and whether all have signed.
 */
async function outcomeOf(em: EntityManager, c: ContractWithSigners, participant: ContractSigner, version: number): Promise<ApplySignatureResult> {
  const completed = c.signers.every((s) => s.status === 'signed');
  const sameStep = c.signers.filter((s) => s.step === participant.step);
  let stepAdvanced: number | null = null;
  if (!completed && sameStep.every((s) => s.status === 'signed')) {
    const versions = await em.find(DocumentVersionSchema, { contractId: c.contract.id, signerId: { $in: sameStep.map((s) => s.id) } });
    if (Math.max(...versions.map((v) => v.version)) === version) stepAdvanced = currentStep(routingOf(c.signers));
  }
  return { documentVersion: version, stepAdvanced, completed };
}

/**
 * v2: stamps the participant's marks (preset, or placed now for free placement) and applies ONE
 * PAdES signature carrying them all: a person signs with their own certificate, an enterprise or
 * department with the certificate of its seal (the operator is recorded as who signed).
 *
 * Safe under retries, duplicate attempts and a concurrent close, like v1: the PDF work first, then
 * ONE transaction that commits only if the contract is still 签署中, not expired, and at the
 * document version this attempt started from (a parallel participant of the same step who
 * committed first moves the version: this attempt then fails retryably and runs again on the
 * new version). The transaction marks the participant signed, stores the marks with the version
 * that stamped them, starts the next step (its participants pending, `contracts.current_step`)
 * and records the `signed` (and `step_started`) events of the 签署轨迹.
 */
export async function applySignatureV2(deps: ApplySignatureDeps, input: ApplySignatureV2Input, now: Date): Promise<ApplySignatureResult> {
  const { em } = deps;
  const found = await loadContract(em, input.contractId);
  if (!found) throw new Error(`Contract ${input.contractId} not found`);
  const { contract, signers } = found;
  const participant = signers.find((s) => s.id === input.participantId);
  if (!participant) throw refusalError('NOT_A_PARTICIPANT');
  const done = await em.findOne(DocumentVersionSchema, { contractId: contract.id, signerId: participant.id });
  if (done) return outcomeOf(em, found, participant, done.version);

  const expired = contract.expiresAt.getTime() <= now.getTime() || contract.voidReason === 'expired';
  const refusal = refuseAction({ inProgress: contract.status === 'in_progress', expired, participants: routingOf(signers) }, participant.id, 'sign');
  if (refusal) throw refusalError(refusal.code);

  const confirmation = await em.findOne(WillingnessConfirmationSchema, { id: input.confirmationId });
  if (!confirmation || confirmation.contractId !== contract.id || confirmation.signerId !== participant.id || confirmation.userId !== input.actorUserId || confirmation.usedAt) {
    throw notConfirmed();
  }
  const authority = await assertMayActFor(em, found, participant, input.actorUserId, now, input.marks ?? []);
  const marks = await marksToApply(em, deps.store, contract, participant, input.marks);
  const plan = await planStamps(em, deps, { participant, authority, marks, now });
  const { user } = authority;

  const current = await em.findOneOrFail(DocumentVersionSchema, { contractId: contract.id, version: contract.documentVersion });
  const pdf = await deps.store.get(current.storageKey);
  const signed = await signPdf({
    pdf,
    signer: plan.credentials,
    signerName: plan.signerName,
    fieldName: participant.fieldName,
    appearances: plan.appearances,
    riding: plan.riding,
    reason: `签署合同：${contract.title}`,
    location: 'SealFlow',
    signingTime: now,
  });

  const version = contract.documentVersion + 1;
  const storageKey = `contracts/${contract.id}/v${version}-${randomUUID().slice(0, 8)}.pdf`;
  await deps.store.put(storageKey, signed);
  deps.signal?.throwIfAborted();

  const sha256 = createHash('sha256').update(signed).digest('hex');
  const routing = afterSigned(routingOf(signers), participant.id);
  const committed = await em
    .transactional(async (tx) => {
      // First statement: the conditional claim of the contract row (write lock; the close in finish-contract.ts uses the same condition).
      const claimed = await tx.nativeUpdate(
        ContractSchema,
        { id: contract.id, status: 'in_progress', documentVersion: contract.documentVersion, expiresAt: { $gt: new Date() } },
        { documentVersion: version, ...(routing.nextStep !== null ? { currentStep: routing.nextStep } : {}) },
      );
      if (claimed !== 1) return false;
      const confirmed = await tx.nativeUpdate(WillingnessConfirmationSchema, { id: confirmation.id, usedAt: null }, { usedAt: now });
      if (confirmed !== 1) throw notConfirmed();
      const marked = await tx.nativeUpdate(ContractSignerSchema, { id: participant.id, status: 'pending' }, { status: 'signed', signedAt: now, signedByUserId: user.id, signedByName: user.name });
      if (marked !== 1) throw new Error(`participant ${participant.id} is no longer pending`);
      if (routing.newlyPending.length) await tx.nativeUpdate(ContractSignerSchema, { id: { $in: routing.newlyPending }, status: 'waiting' }, { status: 'pending' });
      for (const m of plan.marks) {
        if (m.id) {
          await tx.nativeUpdate(ContractMarkSchema, { id: m.id }, { appliedVersion: version, sealId: m.sealId });
        } else {
          tx.create(ContractMarkSchema, {
            id: randomUUID(),
            contractId: contract.id,
            participantId: participant.id,
            kind: m.kind,
            sealType: m.sealType,
            page: m.page,
            x: m.x,
            y: m.y,
            width: m.width,
            height: m.height,
            pageFrom: m.pageFrom,
            pageTo: m.pageTo,
            preset: false,
            appliedVersion: version,
            sealId: m.sealId,
          });
        }
      }
      tx.create(DocumentVersionSchema, { id: randomUUID(), contractId: contract.id, version, storageKey, sha256, size: signed.byteLength, signerId: participant.id, createdAt: now });
      await recordContractEvent(tx, { id: user.id, name: user.name, ip: confirmation.ip }, {
        contractId: contract.id,
        type: 'signed',
        payload: { participantId: participant.id, name: participant.name, step: participant.step, signedByName: user.name, documentVersion: version, marks: plan.marks.map((m) => m.kind) },
        documentSha256: sha256,
        at: now,
      });
      if (routing.nextStep !== null) {
        const names = routing.newlyPending.map((id) => signers.find((s) => s.id === id)!.name);
        await recordContractEvent(tx, SYSTEM_ACTOR, { contractId: contract.id, type: 'step_started', payload: { step: routing.nextStep, participantIds: routing.newlyPending, names }, at: now });
      }
      return true;
    })
    .catch(async (err: unknown) => {
      await deps.store.delete(storageKey).catch(() => undefined);
      throw err;
    });
  if (committed) return { documentVersion: version, stepAdvanced: routing.nextStep, completed: routing.completed };

  // Not committed: find out why, from the database as it is now.
  await deps.store.delete(storageKey).catch(() => undefined);
  const fresh = em.fork();
  const winner = await fresh.findOne(DocumentVersionSchema, { contractId: contract.id, signerId: participant.id });
  if (winner) return outcomeOf(fresh, (await loadContract(fresh, contract.id))!, participant, winner.version); // a concurrent attempt of this same signature won
  const latest = await fresh.findOneOrFail(ContractSchema, { id: contract.id });
  if (latest.voidReason === 'expired' || latest.expiresAt.getTime() <= Date.now()) throw refusalError('CONTRACT_EXPIRED');
  if (latest.status !== 'in_progress') throw refusalError('CONTRACT_NOT_IN_PROGRESS');
  throw new Error(`Contract ${contract.id} changed while signing (version ${contract.documentVersion} → ${latest.documentVersion}); retrying`);
}
