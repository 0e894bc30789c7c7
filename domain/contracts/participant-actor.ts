import type { EntityManager } from '@mikro-orm/core';
import type { SigningCertificate } from '../certificates/certificate.entities';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { readActingRows } from '../enterprises/acting-rows';
import { assertEnterpriseMayTransact } from '../enterprises/enterprise-standing';
import { MembershipSchema } from '../enterprises/membership.entity';
import { SealSchema, type Seal } from '../enterprises/seal.entities';
import { AppError } from '../errors';
import { samePersonName } from '../identity/same-person-name';
import { UserSchema, type User } from '../identity/user.entity';
import { findRow } from '../persistence/plain-rows';
import { allSql } from '../persistence/plain-sql';
import { assertSealUsable } from '../seals/seal-usability';
import type { ContractWithSigners } from './contract-access';
import { ContractMarkSchema } from './contract-mark.entity';
import { fromDbDate, lockingRead } from '../persistence/sql-dialect';
import type { ContractSigner } from './contract-signer.entity';

/**
 * Who may act (sign, refuse) for a participant of a contract: the one place for it.
 * - 个人: the bound user (bound only when verified under the name the initiator gave: `bindsPerson`), and still so
 *   when acting (a name changed since binding is NAME_MISMATCH).
 * - 企业 / 部门: an active, verified member of the enterprise (the named operator if the initiator
 *   named one), acting for that enterprise, authorised for a usable seal (`assertSealUsable`) of
 *   every seal type the participant's marks need; a 部门 uses its 部门章 (type `department`,
 *   the participant's department name).
 * Whose turn it is and the contract's state are the routing rule's (routing.ts), not this file's.
 */

export interface UsableSeal {
  seal: Seal;
  certificate: SigningCertificate;
}

export interface ActorAuthority {
  /** The user who acts (the person, or the enterprise's operator). */
  user: User;
  /** Seal type → the seal the user may sign with and its certificate (enterprise / department; empty for a person). */
  seals: Map<string, UsableSeal>;
}

/** Seal type a 部门 participant signs with. */
export const DEPARTMENT_SEAL_TYPE = 'department';

/**
 * Whether a person participant the initiator named `givenName` is bound to `user` (the owner of its number): only once
 * the user passed 实名认证 under that name (samePersonName). The one rule for it, at the start and at the invitation's
 * claim: until then the participant stays unbound (user_id NULL, invited by SMS), so a number's owner who is not the
 * named person (a recycled or mistyped number) never sees the contract, and its trail never credits them.
 */
export function bindsPerson(user: Pick<User, 'realNameStatus' | 'name'>, givenName: string): boolean {
  return user.realNameStatus === 'verified' && samePersonName(givenName, user.name);
}

/** The number's owner is not the person the initiator named (a recycled or mistyped number): they neither sign nor refuse. */
const nameMismatch = (given: string) =>
  new AppError(
    'forbidden',
    'NAME_MISMATCH',
    `发起方填写的签署人姓名“${given}”与您的实名信息不一致，不能签署或拒签。请联系发起方核对`,
    `The initiator named the signer "${given}", which is not your verified name: you cannot sign or refuse. Ask the initiator to check`,
  );

const notParticipant = () => new AppError('forbidden', 'NOT_A_PARTICIPANT', '您不是该合同的签署方', 'You are not a participant of this contract');
const notMember = (participant: ContractSigner) =>
  new AppError('forbidden', 'NOT_ENTERPRISE_MEMBER', `您不是“${participant.name}”的成员，不能代其签署`, `You are not a member of "${participant.name}" and cannot sign for it`);
const notNamedOperator = () => new AppError('forbidden', 'NOT_THE_NAMED_OPERATOR', '发起方已指定其他经办人签署', 'The initiator named another operator to sign for this participant');

/**
 * The named operator (经办人) of a 企业 / 部门 participant while they are an active member of its
 * enterprise; null when none was named or they have left — then any member authorised for the
 * seals acts for it (the row keeps who was named). The one rule for acting, listing and notifying.
 */
export async function namedOperatorOf(em: EntityManager, participant: ContractSigner): Promise<string | null> {
  if (participant.kind === 'person' || participant.userId === null || participant.enterpriseId === null) return null;
  const active = await em.count(MembershipSchema, { enterpriseId: participant.enterpriseId, userId: participant.userId, status: 'active' });
  return active > 0 ? participant.userId : null;
}

/**
 * The participants this viewer may act for (any status): acting as themselves, the person
 * participants bound to them; acting for an enterprise, that enterprise's 企业 / 部门 participants
 * (only those naming this user, when a named operator is still a member), then their own person
 * participants. Seal authorisations are checked by `assertMayActFor` when they act.
 */
export async function participantsFor(em: EntityManager, c: ContractWithSigners, viewer: { userId: string; actingEnterpriseId: string | null }): Promise<ContractSigner[]> {
  const own = c.signers.filter((s) => s.kind === 'person' && s.userId !== null && s.userId === viewer.userId);
  if (!viewer.actingEnterpriseId) return own;
  const forEnterprise: ContractSigner[] = [];
  for (const s of c.signers) {
    if (s.kind === 'person' || s.enterpriseId !== viewer.actingEnterpriseId) continue;
    if (s.userId === null || s.userId === viewer.userId || (await namedOperatorOf(em, s)) === null) forEnterprise.push(s);
  }
  return [...forEnterprise, ...own];
}

/** Seal types a participant's marks need (preset marks, plus marks placed at signing time). */
export async function sealTypesNeeded(em: EntityManager, participant: ContractSigner, placed: readonly { kind: string; sealType?: string | null }[] = []): Promise<string[]> {
  if (participant.kind === 'person') return [];
  if (participant.kind === 'department') return [DEPARTMENT_SEAL_TYPE];
  const marks = await em.find(ContractMarkSchema, { participantId: participant.id });
  const types = [...marks, ...placed].filter((m) => m.kind === 'seal' || m.kind === 'riding').map((m) => m.sealType ?? '');
  return [...new Set(types)];
}

/** The enterprise's live seal of a type (部门章: of the participant's department), or null. */
async function sealOfType(em: EntityManager, participant: ContractSigner, sealType: string): Promise<Seal | null> {
  return em.findOne(SealSchema, {
    enterpriseId: participant.enterpriseId!,
    type: sealType,
    status: { $ne: 'voided' },
    ...(sealType === DEPARTMENT_SEAL_TYPE ? { departmentName: participant.departmentName ?? '' } : {}),
  });
}

/**
 * The membership part of acting for a 企业 / 部门 participant, given whether `userId` is an active member of its
 * enterprise (`member`, as the caller read it): a member, and the named operator while one is named and still a
 * member. `assertMayActFor` asks it, and a refusal's commit asks it again (`reassertMayRefuse`).
 */
async function assertMemberActs(em: EntityManager, participant: ContractSigner, userId: string, member: boolean): Promise<void> {
  if (!member) throw notMember(participant);
  if (participant.userId !== null && participant.userId !== userId && (await namedOperatorOf(em, participant)) !== null) throw notNamedOperator();
}

/**
 * Checks that `userId` may act for `participant` now and returns the seals they sign with.
 * `placed`: marks the signer places at signing time (free placement), whose seal types count too.
 * `action` 'sign' (default): an enterprise 待重新认证 cannot sign (409 ENTERPRISE_RECERTIFYING,
 * enterprise-standing.ts; the contract stays waiting); 'refuse' is still allowed.
 * An enterprise participant without any seal mark (free placement before marks are placed) needs
 * at least one seal of the enterprise the user may use; all such seals are returned.
 * Throws AppError: NOT_A_PARTICIPANT, REAL_NAME_REQUIRED, NAME_MISMATCH (a person whose verified name is not the
 * one the initiator gave), NOT_ENTERPRISE_MEMBER,
 * NOT_THE_NAMED_OPERATOR, ENTERPRISE_RECERTIFYING, SEAL_TYPE_MISSING, NO_USABLE_SEAL, or the seal rule's own codes.
 */
export async function assertMayActFor(
  em: EntityManager,
  c: ContractWithSigners,
  participant: ContractSigner,
  userId: string,
  now: Date,
  placed: readonly { kind: string; sealType?: string | null }[] = [],
  action: 'sign' | 'refuse' = 'sign',
): Promise<ActorAuthority> {
  if (participant.contractId !== c.contract.id || !c.signers.some((s) => s.id === participant.id)) throw notParticipant();
  const user = await findRow(em, UserSchema, { id: userId });
  if (!user) throw notParticipant();
  const seals = new Map<string, UsableSeal>();

  if (participant.kind === 'person') {
    if (participant.userId !== userId) throw notParticipant();
    if (user.realNameStatus !== 'verified') throw new AppError('forbidden', 'REAL_NAME_REQUIRED', '请先完成个人实名认证', 'Complete real-name verification first');
    if (!samePersonName(participant.name, user.name)) throw nameMismatch(participant.name);
    return { user, seals };
  }

  const enterpriseId = participant.enterpriseId;
  if (!enterpriseId) throw notParticipant();
  const member = await em.findOne(MembershipSchema, { enterpriseId, userId, status: 'active' });
  await assertMemberActs(em, participant, userId, member !== null);
  if (user.realNameStatus !== 'verified') throw new AppError('forbidden', 'REAL_NAME_REQUIRED', '请先完成个人实名认证', 'Complete real-name verification first');
  if (action === 'sign') assertEnterpriseMayTransact(await em.findOneOrFail(EnterpriseSchema, { id: enterpriseId }));

  const types = await sealTypesNeeded(em, participant, placed);
  for (const type of types) {
    const seal = await sealOfType(em, participant, type);
    if (!seal) {
      const what = type === DEPARTMENT_SEAL_TYPE ? `部门章（${participant.departmentName ?? ''}）` : type;
      throw new AppError('rejected', 'SEAL_TYPE_MISSING', `“${participant.name}”没有可用的${what}印章`, `"${participant.name}" has no seal of type ${type}${type === DEPARTMENT_SEAL_TYPE ? ` for ${participant.departmentName ?? ''}` : ''}`);
    }
    seals.set(type, await assertSealUsable(em, { enterpriseId, sealId: seal.id, userId, now }));
  }
  if (types.length > 0) return { user, seals };

  // Free placement, nothing placed yet: any seal of the enterprise the user may use.
  const candidates = await em.find(SealSchema, { enterpriseId, status: 'active' }, { orderBy: { createdAt: 'asc' } });
  for (const seal of candidates) {
    const usable = await assertSealUsable(em, { enterpriseId, sealId: seal.id, userId, now }).catch((err: unknown) => {
      if (err instanceof AppError) return null;
      throw err;
    });
    if (usable && !seals.has(seal.type)) seals.set(seal.type, usable);
  }
  if (seals.size === 0) throw new AppError('forbidden', 'NO_USABLE_SEAL', `您没有“${participant.name}”可用于签署的印章授权`, `You have no usable seal of "${participant.name}" to sign with`);
  return { user, seals };
}

const authorityChanged = (action: 'sign' | 'refuse') =>
  action === 'sign'
    ? new AppError('forbidden', 'SIGNING_AUTHORITY_CHANGED', '签署过程中您的签署权限已变更（成员身份、印章授权、印章或证书），本次签署未生效', 'Your authority to sign changed while signing (membership, seal authorisation, seal or certificate); this signature was not applied')
    : new AppError('forbidden', 'REFUSAL_AUTHORITY_CHANGED', '拒签过程中您的权限已变更（印章授权、印章或证书），本次拒签未生效', 'Your authority changed while refusing (seal authorisation, seal or certificate); this refusal was not applied');

/**
 * Inside a signature's commit transaction: what `assertMayActFor` answered still holds — the member is
 * still active, the enterprise is not 待重新认证, and each seal they stamp is still active, authorised to them
 * (not lapsed) and its certificate still active. Otherwise SIGNING_AUTHORITY_CHANGED (the transaction rolls back). A removal,
 * revocation or voiding that commits while the PDF was being signed is thereby never outrun. On MariaDB
 * the reads are locking (one running at the same time waits for this commit); on SQLite the commit's
 * transaction already holds the database's write lock (its first statement is the contract's claim).
 */
export async function reassertAuthority(tx: EntityManager, participant: ContractSigner, authority: ActorAuthority, now: Date): Promise<void> {
  if (participant.kind === 'person') return;
  const acting = await readActingRows(tx, participant.enterpriseId!, authority.user.id);
  // 变更企业名称 that committed while the PDF was signed: 待重新认证 signs nothing (a rename waits for this commit).
  assertEnterpriseMayTransact(acting);
  if (!acting.member) throw authorityChanged('sign');
  await reassertSeals(tx, authority, now, 'sign');
}

/** Each seal `assertMayActFor` answered is still active, authorised to the user (not lapsed), and its certificate still active (locking reads on MariaDB). */
async function reassertSeals(tx: EntityManager, authority: ActorAuthority, now: Date, action: 'sign' | 'refuse'): Promise<void> {
  const lock = lockingRead(tx, 'share');
  for (const { seal, certificate } of authority.seals.values()) {
    const [row] = await allSql(
      tx,
      `select s.status as seal_status, a.expires_at as expires_at, c.status as certificate_status from seals s join seal_authorizations a on a.seal_id = s.id and a.user_id = ? join signing_certificates c on c.id = ? where s.id = ?${lock}`,
      [authority.user.id, certificate.id, seal.id],
    );
    const lapsed = row?.expires_at !== null && row?.expires_at !== undefined && fromDbDate(row.expires_at).getTime() <= now.getTime();
    if (!row || row.seal_status !== 'active' || row.certificate_status !== 'active' || lapsed) throw authorityChanged(action);
  }
}

/**
 * Inside a refusal's commit (void-by-request.ts), after its claim of the contract row: the user still acts for the
 * participant as `assertMayActFor` let them refuse before the transaction — an active member of its enterprise, and the
 * named operator while one is named (`assertMemberActs`, the same rule; 403 NOT_ENTERPRISE_MEMBER / NOT_THE_NAMED_OPERATOR),
 * and each seal the check answered is still active, authorised to them and its certificate active (a 印章授权 revoked,
 * a seal voided or a certificate revoked since: 403 REFUSAL_AUTHORITY_CHANGED). The transaction rolls back. On MariaDB
 * the reads are locking (`readActingRows`: a removal or an administrator's replacement running at the same time waits for
 * this commit); on SQLite the transaction already holds the write lock (its first statement is the contract's claim).
 * A person participant stays bound to its user: nothing to re-check.
 */
export async function reassertMayRefuse(tx: EntityManager, participant: ContractSigner, authority: ActorAuthority, now: Date): Promise<void> {
  if (participant.kind === 'person') return;
  const acting = await readActingRows(tx, participant.enterpriseId!, authority.user.id);
  await assertMemberActs(tx, participant, authority.user.id, acting.member);
  await reassertSeals(tx, authority, now, 'refuse');
}
