import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { containsText } from '../persistence/sql-dialect';
import { z } from 'zod';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError, notFound } from '../errors';
import { flushOrConflict } from '../persistence/concurrency';
import { noHiddenCharacters } from '../text/safe-text';
import type { User } from '../identity/user.entity';
import { EnterpriseSchema } from './enterprise.entity';
import { MembershipSchema } from './membership.entity';

/** 申请说明: optional free text that may span lines, under the shared no-hidden-characters rule. */
export const joinSchema = z.object({ message: z.string().trim().max(500, '申请说明不能超过 500 字').superRefine(noHiddenCharacters('申请说明', { labelEn: 'The message', multiline: true })).optional() });

/** M4: certified enterprises whose name or USCC matches. */
export async function searchCertifiedEnterprises(em: EntityManager, q: string, limit = 20) {
  const term = q.trim();
  if (term.length < 2) return [];
  const rows = await em.find(EnterpriseSchema, { status: 'certified', $or: [containsText(em, 'name', term), { uscc: term.toUpperCase() }] }, { limit, orderBy: { name: 'asc' } });
  return rows.map((e) => ({ id: e.id, name: e.name, uscc: e.uscc }));
}
/** GET /enterprises/search (加入企业): a certified enterprise found by name or USCC. */
export type EnterpriseSearchResultView = Awaited<ReturnType<typeof searchCertifiedEnterprises>>[number];

/** M4 加入企业: a verified user applies; the enterprise console reviews (M10). */
export async function applyToJoin(em: EntityManager, enterpriseId: string, user: User, message: string | undefined, actor: AuditActor) {
  const enterprise = await em.findOne(EnterpriseSchema, { id: enterpriseId, status: 'certified' });
  if (!enterprise) throw notFound('ENTERPRISE_NOT_FOUND', '企业不存在或尚未认证', 'Enterprise not found or not certified');
  const existing = await em.findOne(MembershipSchema, { enterpriseId, userId: user.id, status: { $in: ['pending', 'active'] } });
  if (existing?.status === 'active') throw new AppError('conflict', 'ALREADY_MEMBER', '您已是该企业成员', 'You are already a member');
  if (existing) throw new AppError('conflict', 'APPLICATION_PENDING', '您已提交加入申请，请等待审核', 'Your application is waiting for review');
  const m = em.create(MembershipSchema, { id: randomUUID(), enterpriseId, userId: user.id, role: 'member', businessTypes: '[]', status: 'pending', message: message ?? null, rejectReason: null, appliedAt: new Date(), decidedAt: null, decidedBy: null });
  recordAudit(em, actor, { action: 'membership.applied', targetType: 'membership', targetId: m.id, enterpriseId, detail: { user: user.id } });
  // Parallel applications: the unique live key (enterprise, user) lets one through.
  await flushOrConflict(em, () => new AppError('conflict', 'APPLICATION_PENDING', '您已提交加入申请，请等待审核', 'Your application is waiting for review'));
  return m;
}

/** 撤回申请 while pending. */
export async function withdrawApplication(em: EntityManager, membershipId: string, user: User, actor: AuditActor) {
  const m = await em.findOne(MembershipSchema, { id: membershipId, userId: user.id });
  if (!m) throw notFound('APPLICATION_NOT_FOUND', '申请不存在', 'Application not found');
  if (m.status !== 'pending') throw new AppError('conflict', 'NOT_PENDING', '只有待审核的申请可以撤回', 'Only a pending application can be withdrawn');
  m.status = 'withdrawn';
  m.decidedAt = new Date();
  recordAudit(em, actor, { action: 'membership.withdrawn', targetType: 'membership', targetId: m.id, enterpriseId: m.enterpriseId });
  await flushOrConflict(em);
  return m;
}
