import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { SmsSender } from '../../integrations/sms';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { invalid } from '../errors';
import type { User } from '../identity/user.entity';
import { consumeVerificationCode, sendVerificationCode } from '../sms/verification-codes';
import { SealAuthorizationSchema, SealSchema } from './seal.entities';

const grantTarget = (granter: User, enterpriseId: string) => ({ mobile: granter.mobile, purpose: 'seal_grant', subject: `seal-grant:${enterpriseId}:${granter.id}` });

/** Granting a seal authorisation is confirmed with an SMS code to the granting administrator. */
export async function requestSealGrantCode(em: EntityManager, sms: SmsSender, granter: User, enterpriseId: string, ip: string | null) {
  const sent = await sendVerificationCode(em, sms, grantTarget(granter, enterpriseId), (code) => `【SealFlow】您正在进行印章授权，验证码 ${code}，5 分钟内有效。`, ip);
  return { expiresAt: sent.expiresAt.toISOString(), resendAfterSeconds: sent.resendAfterSeconds };
}

/**
 * Makes a member's seal authorisations exactly `sealIds`. Adding any new one needs the granter's
 * SMS code; removing needs none. Seals must belong to the enterprise and be active.
 */
export async function setSealAuthorizations(em: EntityManager, args: { enterpriseId: string; userId: string; sealIds: string[]; granter: User; code?: string; actor: AuditActor }) {
  const wanted = [...new Set(args.sealIds)];
  const seals = wanted.length ? await em.find(SealSchema, { id: { $in: wanted }, enterpriseId: args.enterpriseId, status: 'active' }) : [];
  if (seals.length !== wanted.length) throw invalid('UNKNOWN_SEAL', '所选印章不存在或不可用', 'A selected seal does not exist or is not usable');
  const current = await em.find(SealAuthorizationSchema, { enterpriseId: args.enterpriseId, userId: args.userId });
  const toAdd = wanted.filter((id) => !current.some((a) => a.sealId === id));
  const toRemove = current.filter((a) => !wanted.includes(a.sealId));
  if (toAdd.length) {
    if (!args.code) throw invalid('SEAL_GRANT_CODE_REQUIRED', '授予印章权限需要短信验证码', 'Granting seal authorisation needs an SMS code');
    await consumeVerificationCode(em, grantTarget(args.granter, args.enterpriseId), args.code);
  }
  const now = new Date();
  for (const sealId of toAdd) {
    em.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: args.enterpriseId, sealId, userId: args.userId, grantedBy: args.granter.id, grantedAt: now });
    recordAudit(em, args.actor, { action: 'seal.authorization_granted', targetType: 'seal', targetId: sealId, enterpriseId: args.enterpriseId, detail: { member: args.userId } });
  }
  for (const a of toRemove) {
    em.remove(a);
    recordAudit(em, args.actor, { action: 'seal.authorization_revoked', targetType: 'seal', targetId: a.sealId, enterpriseId: args.enterpriseId, detail: { member: args.userId } });
  }
}

/** Every seal authorisation of a member goes when they leave the enterprise. */
export async function revokeAllSealAuthorizations(em: EntityManager, enterpriseId: string, userId: string, actor: AuditActor) {
  const current = await em.find(SealAuthorizationSchema, { enterpriseId, userId });
  for (const a of current) {
    em.remove(a);
    recordAudit(em, actor, { action: 'seal.authorization_revoked', targetType: 'seal', targetId: a.sealId, enterpriseId, detail: { member: userId, reason: 'left' } });
  }
}
