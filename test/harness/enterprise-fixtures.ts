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
let usccCounter = 0;

/** A fresh, valid 统一社会信用代码 (GB 32100 check character computed). */
export function uniqueUscc(): string {
  const body = `91310000${String(Date.now() % 1e8).padStart(8, '0')}${USCC_CHARSET[usccCounter++ % 31]}`.slice(0, 17);
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
