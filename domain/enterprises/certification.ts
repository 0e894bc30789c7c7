import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError, invalid, notFound } from '../errors';
import { changeAtomically, flushOrConflict } from '../persistence/concurrency';
import type { User } from '../identity/user.entity';
import { isValidUscc } from '../identity/validators';
import { assertSealTextDrawable } from '../../documents/seals/enterprise-seal';
import { assertEnterpriseNameFitsSeals } from '../seals/enterprise-name-fit';
import { certificationSealTypes } from '../seals/enabled-seal-types';
import { ensureSealImage, newSecurityCode } from '../seals/seal-image';
import { sealSizeMm, sealTypeOf } from '../seals/seal-types';
import { commitOrDropLetter, storeAuthorizationLetter } from './authorization-letter';
import { EnterpriseSchema, LIVE_ENTERPRISE_STATUSES, type Enterprise } from './enterprise.entity';
import { replaceAdministrator } from './administrator';
import { SealSchema, type Seal } from './seal.entities';
import { refuseOwnReview } from '../platform/own-review';

export const certifySchema = z.object({
  name: z.string({ required_error: '请输入企业名称' }).trim().min(2, '请输入企业名称').max(200, '企业名称过长'),
  uscc: z.string({ required_error: '请输入统一社会信用代码' }).trim().toUpperCase().refine(isValidUscc, '统一社会信用代码不正确（18 位，校验位有误）'),
  legalRepresentative: z.string({ required_error: '请输入法定代表人' }).trim().min(2, '请输入法定代表人姓名').max(50, '法定代表人姓名过长'),
  sealTypes: z.array(z.string().max(40, '印章类型不正确')).min(1, '请至少选择一种印章类型').max(20, '印章类型过多'),
});
export type CertifyInput = z.infer<typeof certifySchema>;

const usccTaken = () => new AppError('conflict', 'USCC_TAKEN', '该统一社会信用代码已被认证或正在认证中', 'This USCC is already certified or under review');
const notPending = () => new AppError('conflict', 'NOT_PENDING', '该企业不在认证中', 'This enterprise is not pending review');

/**
 * An enterprise's USCC may be held by one live (pending or certified) enterprise only. Checked
 * here for a clear early answer; enforced by the unique `live_key` (parallel submissions).
 */
async function assertUsccFree(em: EntityManager, uscc: string, except?: string) {
  const holder = await em.findOne(EnterpriseSchema, { uscc, status: { $in: LIVE_ENTERPRISE_STATUSES }, ...(except ? { id: { $ne: except } } : {}) });
  if (holder) throw usccTaken();
}

async function assertSealTypes(em: EntityManager, types: string[]) {
  // 部门章 is not applied for at certification: it is created per department in 印章管理.
  const allowed: string[] = (await certificationSealTypes(em)).map((t) => t.code);
  const unknown = types.filter((t) => !allowed.includes(t));
  if (unknown.length) throw invalid('UNKNOWN_SEAL_TYPE', `不支持的印章类型：${unknown.join('、')}`, `Unknown seal types: ${unknown.join(', ')}`);
}

/** M3 认证企业: a verified user submits; a platform operator reviews. */
export async function submitCertification(em: EntityManager, store: DocumentStore, user: User, input: CertifyInput, letter: Uint8Array | undefined, actor: AuditActor) {
  await assertSealTypes(em, input.sealTypes);
  // The seals drawn at approval carry the name and the legal representative: refuse text no font can draw.
  assertEnterpriseNameFitsSeals(input.name);
  assertSealTextDrawable(input.legalRepresentative);
  await assertUsccFree(em, input.uscc);
  const stored = await storeAuthorizationLetter(store, user.id, letter);
  const now = new Date();
  const enterprise = em.create(EnterpriseSchema, {
    id: randomUUID(),
    name: input.name,
    uscc: input.uscc,
    legalRepresentative: input.legalRepresentative,
    status: 'pending',
    rejectReason: null,
    certifierUserId: user.id,
    adminUserId: null,
    authorizationLetterKey: stored.key,
    authorizationLetterType: stored.type,
    appliedSealTypes: JSON.stringify([...new Set(input.sealTypes)]),
    createdAt: now,
    submittedAt: now,
    certifiedAt: null,
    reviewedBy: null,
  });
  recordAudit(em, actor, { action: 'enterprise.certification_submitted', targetType: 'enterprise', targetId: enterprise.id, enterpriseId: enterprise.id, detail: { name: input.name, uscc: input.uscc } });
  await commitOrDropLetter(store, stored.key, () => flushOrConflict(em, usccTaken));
  return enterprise;
}

async function loadOwn(em: EntityManager, id: string, user: User): Promise<Enterprise> {
  const e = await em.findOne(EnterpriseSchema, { id, certifierUserId: user.id });
  if (!e) throw notFound('ENTERPRISE_NOT_FOUND', '企业不存在', 'Enterprise not found');
  return e;
}

/** 撤销认证: withdraw a certification that is still under review. */
export async function cancelCertification(em: EntityManager, id: string, user: User, actor: AuditActor) {
  const e = await loadOwn(em, id, user);
  if (e.status !== 'pending') throw new AppError('conflict', 'NOT_PENDING', '只有认证中的企业可以撤销认证', 'Only a pending certification can be cancelled');
  e.status = 'cancelled';
  recordAudit(em, actor, { action: 'enterprise.certification_cancelled', targetType: 'enterprise', targetId: e.id, enterpriseId: e.id });
  await flushOrConflict(em);
  return e;
}

/** 继续认证: resubmit a cancelled or rejected certification, optionally with corrected details or a new letter. */
export async function resumeCertification(em: EntityManager, store: DocumentStore, id: string, user: User, changes: Partial<CertifyInput>, letter: Uint8Array | undefined, actor: AuditActor) {
  const e = await loadOwn(em, id, user);
  if (e.status !== 'cancelled' && e.status !== 'rejected') throw new AppError('conflict', 'NOT_RESUMABLE', '只有已撤销或已驳回的认证可以继续认证', 'Only a cancelled or rejected certification can be resumed');
  const uscc = changes.uscc ?? e.uscc;
  await assertUsccFree(em, uscc, e.id);
  if (changes.sealTypes) await assertSealTypes(em, changes.sealTypes);
  if (changes.name) assertEnterpriseNameFitsSeals(changes.name);
  if (changes.legalRepresentative) assertSealTextDrawable(changes.legalRepresentative);
  const replacedLetter = letter ? e.authorizationLetterKey : null;
  if (letter) {
    const stored = await storeAuthorizationLetter(store, user.id, letter);
    e.authorizationLetterKey = stored.key;
    e.authorizationLetterType = stored.type;
  }
  Object.assign(e, {
    name: changes.name ?? e.name,
    uscc,
    legalRepresentative: changes.legalRepresentative ?? e.legalRepresentative,
    appliedSealTypes: changes.sealTypes ? JSON.stringify([...new Set(changes.sealTypes)]) : e.appliedSealTypes,
    status: 'pending',
    rejectReason: null,
    submittedAt: new Date(),
  });
  recordAudit(em, actor, { action: 'enterprise.certification_resumed', targetType: 'enterprise', targetId: e.id, enterpriseId: e.id, ...(letter ? { detail: { letterReplaced: true } } : {}) });
  await commitOrDropLetter(store, letter ? e.authorizationLetterKey : null, () => flushOrConflict(em, usccTaken));
  // The letter it replaced is referenced by nothing else: without this, 撤销认证 / 继续认证 in a loop kept every letter.
  if (replacedLetter) await store.delete(replacedLetter).catch(() => undefined);
  return e;
}

/**
 * Platform review. Approval makes the certifier the single 管理员 and creates one seal per
 * applied seal type, then (with a `store`) draws the seals' images; rejection needs a reason.
 */
export async function reviewCertification(em: EntityManager, id: string, decision: { approve: boolean; reason?: string }, actor: AuditActor, store?: DocumentStore) {
  const created: Seal[] = [];
  const result = await changeAtomically(em, async () => {
    const e = await em.findOne(EnterpriseSchema, { id });
    if (!e) throw notFound('ENTERPRISE_NOT_FOUND', '企业不存在', 'Enterprise not found');
    if (e.status !== 'pending') throw notPending();
    await refuseOwnReview(em, actor.id, { applicantId: e.certifierUserId, enterpriseId: e.id });
    if (!decision.approve && !decision.reason?.trim()) throw invalid('REASON_REQUIRED', '请填写驳回原因', 'Give a reason for the rejection');
    const now = new Date();
    e.reviewedBy = actor.id;
    if (!decision.approve) {
      e.status = 'rejected';
      e.rejectReason = decision.reason!.trim();
      recordAudit(em, actor, { action: 'enterprise.certification_rejected', targetType: 'enterprise', targetId: e.id, enterpriseId: e.id, detail: { reason: e.rejectReason } });
      await flushOrConflict(em, notPending);
      return e;
    }
    e.status = 'certified';
    e.certifiedAt = now;
    await replaceAdministrator(em, e.id, e.certifierUserId, actor, now);
    const sealTypes = await certificationSealTypes(em);
    for (const code of JSON.parse(e.appliedSealTypes) as string[]) {
      const type = sealTypes.find((t) => t.code === code);
      const size = sealTypeOf(code) ? sealSizeMm(sealTypeOf(code)!) : null;
      const seal = em.create(SealSchema, {
        id: randomUUID(),
        enterpriseId: e.id,
        type: code,
        name: `${e.name}${type?.name ?? code}`,
        status: 'active',
        createdAt: now,
        updatedAt: now,
        securityCode: newSecurityCode(),
        widthMm: size?.widthMm ?? null,
        heightMm: size?.heightMm ?? null,
      });
      created.push(seal);
      recordAudit(em, actor, { action: 'seal.created', targetType: 'seal', targetId: seal.id, enterpriseId: e.id, detail: { type: code, name: seal.name } });
    }
    recordAudit(em, actor, { action: 'enterprise.certified', targetType: 'enterprise', targetId: e.id, enterpriseId: e.id, detail: { admin: e.certifierUserId } });
    // Two operators approving at once: the enterprise's version (and the seals' unique live keys) let one commit.
    await flushOrConflict(em, notPending);
    return e;
  }, notPending);
  // Drawing takes 0.2–0.5 s per seal: after the commit. A seal whose drawing fails here is drawn on first use.
  if (store) {
    for (const seal of created) {
      await ensureSealImage(em, store, seal).catch((err: unknown) => console.warn(`[seals] could not draw seal ${seal.id} at approval`, err));
    }
  }
  return result;
}
