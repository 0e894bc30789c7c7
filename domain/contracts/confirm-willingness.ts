import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError } from '../errors';
import { consumeVerificationCode, sendVerificationCode, type CodeTarget } from '../sms/verification-codes';
import type { ContractWithSigners } from './contract-access';
import { refuseSign, type SignerTurnView } from './signing-order';
import { maskMobile } from '../identity/masking';
import { WillingnessConfirmationSchema } from './willingness-confirmation.entity';

const SIGN_PURPOSE = 'contract_sign';

function turnView(c: ContractWithSigners): SignerTurnView[] {
  return c.signers.map((s) => ({ signerId: s.id, userId: s.userId, order: s.order, signed: s.status === 'signed' }));
}

/** Throws the same refusal the workflow's Update validator would, before any code is sent or checked. */
export function assertMaySign(c: ContractWithSigners, userId: string, now = new Date()) {
  const refusal = refuseSign(c.contract.status === 'in_progress' && c.contract.expiresAt > now, turnView(c), userId);
  if (refusal) throw new AppError(refusal.code === 'NOT_A_SIGNER' ? 'forbidden' : 'rejected', refusal.code, refusal.message, refusal.messageEn);
  return c.signers.find((s) => s.userId === userId && s.status === 'pending')!;
}

const target = (c: ContractWithSigners, mobile: string): CodeTarget => ({ mobile, purpose: SIGN_PURPOSE, subject: `contract:${c.contract.id}` });

/** 意愿认证, step 1: send a code to the signer's own mobile. */
export async function requestSigningCode(em: EntityManager, sms: SmsSender, c: ContractWithSigners, actor: AuditActor & { id: string }) {
  const signer = assertMaySign(c, actor.id);
  const sent = await sendVerificationCode(em, sms, target(c, signer.mobile), (code) => `【SealFlow】您正在签署《${c.contract.title}》，验证码 ${code}，5 分钟内有效。如非本人操作请忽略。`, actor.ip);
  recordAudit(em, actor, { action: 'contract.sms_code_sent', targetType: 'contract', targetId: c.contract.id, detail: { order: signer.order } });
  await em.flush();
  return { sentTo: maskMobile(signer.mobile), expiresAt: sent.expiresAt.toISOString(), resendAfterSeconds: sent.resendAfterSeconds };
}

/** 意愿认证, step 2: check the code; on success a single-use confirmation the signing activity consumes. */
export async function confirmSigningCode(em: EntityManager, c: ContractWithSigners, actor: AuditActor & { id: string }, code: string): Promise<string> {
  const signer = assertMaySign(c, actor.id);
  try {
    await consumeVerificationCode(em, target(c, signer.mobile), code);
  } catch (err) {
    recordAudit(em, actor, { action: 'contract.sms_code_failed', targetType: 'contract', targetId: c.contract.id, detail: { reason: err instanceof AppError ? err.code : 'error' } });
    await em.flush();
    throw err;
  }
  const confirmation = em.create(WillingnessConfirmationSchema, { id: randomUUID(), contractId: c.contract.id, signerId: signer.id, userId: actor.id, method: 'sms', confirmedAt: new Date(), usedAt: null, ip: actor.ip });
  recordAudit(em, actor, { action: 'contract.willingness_confirmed', targetType: 'contract', targetId: c.contract.id, detail: { method: 'sms', order: signer.order } });
  await em.flush();
  return confirmation.id;
}
