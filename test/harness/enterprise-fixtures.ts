/** Builds certified enterprises with members straight through the domain (fast test set-up). */
import type { EntityManager } from '@mikro-orm/core';
import type { Services } from '../../bootstrap/services';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { reviewCertification, submitCertification } from '../../domain/enterprises/certification';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { applyToJoin } from '../../domain/enterprises/join-enterprise';
import { approveJoin } from '../../domain/enterprises/members';
import { MembershipSchema, type MemberRole } from '../../domain/enterprises/membership.entity';
import { UserSchema, type User } from '../../domain/identity/user.entity';
import { makePdf } from './fixtures';

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** This process's slot among the test processes running at the same time (vitest's pool id; 0 outside vitest). */
const poolSlot = Number(process.env.VITEST_POOL_ID ?? 0) % 100;
let lastStamp = 0;

/**
 * A fresh, valid 统一社会信用代码 (GB 32100 check character computed): the process's pool slot and a per-process stamp
 * that follows the clock and never repeats (as `uniqueMobile`: a clock-and-counter code could repeat across processes).
 */
export function uniqueUscc(): string {
  lastStamp = Math.max(lastStamp + 1, Date.now() % 1e9);
  const body = `913100${String(poolSlot).padStart(2, '0')}${String(lastStamp % 1e9).padStart(9, '0')}`;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_CHARSET.indexOf(body[i]!) * (3 ** i % 31);
  return body + USCC_CHARSET[(31 - (sum % 31)) % 31];
}

export async function createCertifiedEnterprise(services: Services, admin: User, name: string, sealTypes = ['official', 'contract']) {
  const em = services.orm.em.fork();
  const certifier = await em.findOneOrFail(UserSchema, { id: admin.id });
  const actor = { id: admin.id, name: admin.name, ip: null };
  const e = await submitCertification(em, services.store, certifier, { name, uscc: uniqueUscc(), legalRepresentative: '法人代表', sealTypes }, await makePdf(1), actor);
  await reviewCertification(em, e.id, { approve: true }, SYSTEM_ACTOR);
  return e;
}

/** Adds an active member (applied and approved, no seal authorisations). */
/** `user`'s active membership of the enterprise (what a request's access check reads). */
export const activeMembership = (em: EntityManager, enterpriseId: string, user: Pick<User, 'id'>) => em.findOneOrFail(MembershipSchema, { enterpriseId, userId: user.id, status: 'active' });

export async function addMember(services: Services, enterpriseId: string, admin: User, member: User, role: Exclude<MemberRole, 'admin'> = 'member') {
  const em = services.orm.em.fork();
  const enterprise = await em.findOneOrFail(EnterpriseSchema, { id: enterpriseId });
  const m = await applyToJoin(em, enterpriseId, await em.findOneOrFail(UserSchema, { id: member.id }), undefined, { id: member.id, name: member.name, ip: null });
  const adminMembership = await activeMembership(em, enterpriseId, admin);
  await approveJoin(em, enterprise, m.id, { role, businessTypes: [], sealIds: [] }, await em.findOneOrFail(UserSchema, { id: admin.id }), { id: admin.id, name: admin.name, ip: null }, adminMembership);
  return m;
}
