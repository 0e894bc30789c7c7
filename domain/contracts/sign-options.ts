/**
 * What the acting participant may stamp (GET /contracts/:id/sign-options): its placement and round
 * (继续签署), the preset marks, the kinds it may place, the enterprise's seals with whether this
 * actor may use each one (and why not), the person's handwritten signatures, the resize limits
 * (mark-geometry.ts) and the cap on marks per request. The server decides on signing
 * (signing-marks.ts `prepareSignature`); this only tells the browser what to offer.
 */
import type { EntityManager } from '@mikro-orm/core';
import { sealCertificateStates } from '../certificates/seal-certificates';
import { canUseConsole } from '../enterprises/enterprise-roles';
import { MembershipSchema } from '../enterprises/membership.entity';
import { SealAuthorizationSchema, SealSchema, type Seal } from '../enterprises/seal.entities';
import { AppError, notFound } from '../errors';
import { UserSchema } from '../identity/user.entity';
import { enabledSealTypes } from '../seals/enabled-seal-types';
import { assertSealUsable, authorizationLive } from '../seals/seal-usability';
import { listSignatures } from '../signatures/personal-signatures';
import { ALLOWED_MARKS } from './allowed-marks';
import type { ContractWithSigners } from './contract-access';
import { ContractMarkSchema, type MarkKind } from './contract-mark.entity';
import type { ContractSigner, ParticipantKind } from './contract-signer.entity';
import { DATE_MARK_SIZE, markSize, markSizeLimits, type MarkSizeLimits } from './mark-geometry';
import { DEPARTMENT_SEAL_TYPE } from './participant-actor';
import type { ContractMarkView } from './contract-view';
import { ridingRuleView } from './riding-rule';
import { MAX_PLACED_MARKS } from './sign-limits';

export interface SignOptionSeal {
  id: string;
  type: string;
  typeName: string;
  name: string;
  /** The seal's picture, for those who may see it (`sealImagesVisible`); null: shown by its name. */
  imageUrl: string | null;
  /** The seal's size on the page (its type's physical size), points: the base of its resize limits. */
  widthPt: number;
  heightPt: number;
  /** none | ordering | issued | expiring | expired | revoked (seal-certificates.ts). */
  certificateState: string;
  /** This actor may sign with it now (`assertSealUsable`). */
  usable: boolean;
  /** Why not (zh-CN, English), when not usable. */
  reason?: string;
  reasonEn?: string;
}

/** One of the person's handwritten signatures (个人签名). */
export interface SignOptionSignature {
  id: string;
  imageUrl: string;
  isDefault: boolean;
}

/** The answer of GET /contracts/:id/sign-options (JSON as is); the portal imports it as a type. */
export interface SignOptions {
  participantId: string;
  placement: 'preset' | 'free';
  kind: 'person' | 'enterprise' | 'department';
  /** 结束签署 without new marks is possible (free placement, ≥ 1 round signed). */
  finishAllowed: boolean;
  /** 继续签署 is possible (free placement only). */
  continueAllowed: boolean;
  /** Rounds this participant has signed so far. */
  round: number;
  /** The preset marks, as the contract view shows them (without `preset`: all are). */
  presetMarks: Omit<ContractMarkView, 'preset'>[];
  allowedKinds: MarkKind[];
  seals: SignOptionSeal[];
  signatures: SignOptionSignature[];
  /** Resize limits per kind for its base size (seal / riding: the default seal type; scale to a seal's own widthPt/heightPt). */
  limits: Partial<Record<MarkKind, MarkSizeLimits>>;
  maxMarks: number;
}

/** The seals a participant could stamp: its enterprise's live seals of enabled types (部门: its own 部门章 only). */
async function candidateSeals(em: EntityManager, participant: ContractSigner): Promise<Seal[]> {
  if (participant.kind === 'person' || !participant.enterpriseId) return [];
  const enabled = new Set((await enabledSealTypes(em)).map((t) => t.code as string));
  const all = await em.find(SealSchema, { enterpriseId: participant.enterpriseId, status: { $ne: 'voided' } }, { orderBy: { createdAt: 'asc' } });
  return all.filter((s) =>
    enabled.has(s.type) && (participant.kind === 'department' ? s.type === DEPARTMENT_SEAL_TYPE && s.departmentName === participant.departmentName : s.type !== DEPARTMENT_SEAL_TYPE),
  );
}

/**
 * The seals (of one enterprise) whose picture the user may see while signing for it: those they hold a live
 * authorisation for, or all of them for its 管理员 and 印章管理员 (the console shows them every seal). A seal
 * the user may not use is offered by its name only: its 600-dpi picture is forgery material.
 */
async function sealImagesVisible(em: EntityManager, enterpriseId: string, userId: string, seals: readonly Seal[], now: Date): Promise<Set<string>> {
  const member = await em.findOne(MembershipSchema, { enterpriseId, userId, status: 'active' });
  if (!member) return new Set();
  if (canUseConsole(member.role)) return new Set(seals.map((s) => s.id));
  const auths = await em.find(SealAuthorizationSchema, { userId, sealId: { $in: seals.map((s) => s.id) } });
  return new Set(auths.filter((a) => authorizationLive(a, now)).map((a) => a.sealId));
}

/** A seal of the participant's enterprise this participant may stamp and whose picture the user may see; otherwise 404. */
export async function participantSeal(em: EntityManager, participant: ContractSigner, sealId: string, userId: string, now = new Date()): Promise<Seal> {
  const seal = (await candidateSeals(em, participant)).find((s) => s.id === sealId);
  if (!seal || !(await sealImagesVisible(em, seal.enterpriseId, userId, [seal], now)).has(seal.id)) throw notFound('SEAL_NOT_FOUND', '印章不存在', 'Seal not found');
  return seal;
}

export async function signOptions(em: EntityManager, c: ContractWithSigners, participant: ContractSigner, actorUserId: string, now = new Date()): Promise<SignOptions> {
  const imageUrl = (sealId: string) => `/api/contracts/${encodeURIComponent(c.contract.id)}/seals/${encodeURIComponent(sealId)}/image?participantId=${encodeURIComponent(participant.id)}`;
  const seals = await candidateSeals(em, participant);
  const visible = participant.enterpriseId && seals.length ? await sealImagesVisible(em, participant.enterpriseId, actorUserId, seals, now) : new Set<string>();
  const certificates = await sealCertificateStates(em, seals.map((s) => s.id), now);
  const types = new Map((await enabledSealTypes(em)).map((t) => [t.code as string, t]));
  const sealOptions: SignOptionSeal[] = [];
  for (const seal of seals) {
    const size = markSize('seal', seal.type);
    const usable = await assertSealUsable(em, { enterpriseId: seal.enterpriseId, sealId: seal.id, userId: actorUserId, now }).then(
      () => null,
      (err: unknown) => {
        if (err instanceof AppError) return err;
        throw err;
      },
    );
    sealOptions.push({
      id: seal.id,
      type: seal.type,
      typeName: types.get(seal.type)?.name ?? seal.type,
      name: seal.name,
      imageUrl: visible.has(seal.id) ? imageUrl(seal.id) : null,
      widthPt: size.width,
      heightPt: size.height,
      certificateState: certificates.get(seal.id)?.state ?? 'none',
      usable: usable === null,
      ...(usable ? { reason: usable.message, reasonEn: usable.messageEn } : {}),
    });
  }

  let signatures: SignOptions['signatures'] = [];
  if (participant.kind === 'person') {
    const user = await em.findOneOrFail(UserSchema, { id: actorUserId });
    const listed = await listSignatures(em, user);
    signatures = listed.signatures.map((s) => ({ id: s.id, imageUrl: `/api/me/signatures/${s.id}/image`, isDefault: s.id === listed.defaultSignatureId }));
  }

  const marks = await em.find(ContractMarkSchema, { participantId: participant.id }, { orderBy: { id: 'asc' } });
  const free = participant.placement === 'free';
  const kind: ParticipantKind = participant.kind;
  const allowedKinds: MarkKind[] = free ? [...ALLOWED_MARKS[kind]] : [];
  const limits: SignOptions['limits'] = {};
  for (const k of allowedKinds) limits[k] = markSizeLimits(k, k === 'date' ? DATE_MARK_SIZE : markSize(k));
  return {
    participantId: participant.id,
    placement: participant.placement,
    kind,
    finishAllowed: free && participant.signedRounds >= 1,
    continueAllowed: free,
    round: participant.signedRounds,
    presetMarks: marks
      .filter((m) => m.preset)
      .map((m) => ({ id: m.id, kind: m.kind, sealType: m.sealType, page: m.page, x: m.x, y: m.y, width: m.width, height: m.height, pageFrom: m.pageFrom, pageTo: m.pageTo, ridingRule: ridingRuleView(m), applied: m.appliedVersion !== null })),
    allowedKinds,
    seals: sealOptions,
    signatures,
    limits,
    maxMarks: MAX_PLACED_MARKS,
  };
}
