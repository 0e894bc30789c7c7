import { contractWorkflowId } from '../../workflows/search-attributes';
import type { StandingNotice } from '../enterprises/enterprise-standing';
import { maskMobile } from '../identity/masking';
import type { ContractCc } from './contract-cc.entity';
import type { ContractMark } from './contract-mark.entity';
import type { ContractSigner, SignerStatus } from './contract-signer.entity';
import { CONTRACT_STATUS_LABELS, VOID_REASON_LABELS } from './contract-status';
import type { Contract } from './contract.entity';
import { currentStep, refuseAction, type RoutingParticipant } from './routing';
import { isInitiatingEnterpriseAdmin } from './initiator-rights';
import { ridingRuleView } from './riding-rule';

export const PARTICIPANT_STATUS_LABELS: Record<SignerStatus, { zh: string; en: string }> = {
  waiting: { zh: '未开始', en: 'Waiting' },
  pending: { zh: '待签署', en: 'To sign' },
  signed: { zh: '已签署', en: 'Signed' },
  refused: { zh: '已拒签', en: 'Refused' },
};

/** Who looks, as far as the view needs it. null = the operators' console. */
export interface ViewViewer {
  userId: string;
  actingEnterpriseId: string | null;
  /** The viewer's role in the acting enterprise ('admin' may urge the enterprise's contracts). */
  actingRole?: string | null;
  isCc: boolean;
  /** Participants this viewer may act for, any status (participant-actor.ts `participantsFor`). */
  actableParticipantIds: readonly string[];
  /** Whether the viewer may act as the initiator (initiator-rights.ts `isActingInitiator`). */
  actingInitiator: boolean;
}

export interface ContractViewInput {
  contract: Contract;
  participants: ContractSigner[];
  marks: ContractMark[];
  cc: ContractCc[];
  initiator: { name: string | null; enterpriseName: string | null };
  /** Enterprises that cannot sign now (待重新认证), by id: their open participants show why (issue 9). */
  blockedEnterprises?: ReadonlyMap<string, StandingNotice>;
}

/** Why an enterprise / department participant that has still to sign cannot sign now, or null. */
function blockedOf(c: ContractViewInput, p: ContractSigner): StandingNotice | null {
  if (p.kind === 'person' || !p.enterpriseId || c.contract.status !== 'in_progress' || (p.status !== 'pending' && p.status !== 'waiting')) return null;
  return c.blockedEnterprises?.get(p.enterpriseId) ?? null;
}

const routingOf = (p: ContractSigner): RoutingParticipant => ({ participantId: p.id, step: p.step, status: p.status, canRefuse: p.canRefuse });

function myActions(c: ContractViewInput, viewer: ViewViewer | null, now: Date) {
  if (!viewer) return null;
  const { contract } = c;
  const inProgress = contract.status === 'in_progress';
  const expired = contract.voidReason === 'expired' || (inProgress && contract.expiresAt <= now);
  const state = { inProgress, expired, participants: c.participants.map(routingOf) };
  const mine = c.participants.filter((p) => viewer.actableParticipantIds.includes(p.id));
  const actFor = mine.find((p) => refuseAction(state, p.id, 'sign') === null) ?? null;
  const initiator = viewer.actingInitiator;
  const enterpriseAdmin = isInitiatingEnterpriseAdmin(contract, viewer);
  return {
    actFor: actFor?.id ?? null,
    canSign: !!actFor,
    canRefuse: !!actFor && refuseAction(state, actFor.id, 'refuse') === null,
    canRevoke: inProgress && !expired && (initiator || enterpriseAdmin),
    canUrge: inProgress && !expired && (initiator || enterpriseAdmin),
    isCc: viewer.isCc,
  };
}

/**
 * The contract as the API and UIs see it (ISSUE8 "Contract view"). `temporal` (the workflow id and
 * its Temporal UI link) is given only for platform operators (viewer null).
 */
export function contractView(c: ContractViewInput, viewer: ViewViewer | null, temporal: { uiUrl: string; namespace: string } | null, now = new Date()) {
  const { contract } = c;
  const workflowId = contractWorkflowId(contract.id);
  const label = CONTRACT_STATUS_LABELS[contract.status];
  const reason = contract.voidReason ? VOID_REASON_LABELS[contract.voidReason] : null;
  const step = contract.lifecycle === 2 ? (contract.status === 'in_progress' ? (currentStep(c.participants.map(routingOf)) ?? contract.currentStep) : contract.currentStep) : contract.currentStep;
  return {
    id: contract.id,
    title: contract.title,
    contractNo: contract.contractNo,
    remarks: contract.remarks,
    /** 从模板发起: the template it was generated from, else null. */
    templateId: contract.templateId ?? null,
    status: contract.status,
    statusLabel: reason ? `${label.zh}（${reason.zh}）` : label.zh,
    statusLabelEn: reason ? `${label.en} (${reason.en})` : label.en,
    voidReason: contract.voidReason,
    voidNote: contract.voidNote,
    lifecycle: contract.lifecycle,
    currentStep: step,
    initiator: { userId: contract.initiatorId, name: c.initiator.name, enterpriseId: contract.initiatorEnterpriseId, enterpriseName: c.initiator.enterpriseName },
    /** Kept for the operators' console list. */
    initiatorName: c.initiator.name,
    createdAt: contract.createdAt.toISOString(),
    expiresAt: contract.expiresAt.toISOString(),
    completedAt: contract.completedAt?.toISOString() ?? null,
    voidedAt: contract.voidedAt?.toISOString() ?? null,
    pageCount: contract.pageCount,
    documentVersion: contract.documentVersion,
    participants: c.participants.map((p) => ({
      id: p.id,
      step: p.step,
      kind: p.kind,
      name: p.name,
      enterpriseId: p.enterpriseId,
      departmentName: p.departmentName,
      mobileMasked: p.mobile ? maskMobile(p.mobile) : null,
      status: p.status,
      statusLabel: PARTICIPANT_STATUS_LABELS[p.status].zh,
      statusLabelEn: PARTICIPANT_STATUS_LABELS[p.status].en,
      canRefuse: p.canRefuse,
      note: p.note,
      placement: p.placement,
      invited: p.invited,
      signedAt: p.signedAt?.toISOString() ?? null,
      signedByName: p.signedByName,
      refusedAt: p.refusedAt?.toISOString() ?? null,
      refusalReason: p.refusalReason,
      lastUrgedAt: p.lastUrgedAt?.toISOString() ?? null,
      blocked: blockedOf(c, p),
      marks: c.marks
        .filter((m) => m.participantId === p.id)
        .map((m) => ({ id: m.id, kind: m.kind, sealType: m.sealType, page: m.page, x: m.x, y: m.y, width: m.width, height: m.height, pageFrom: m.pageFrom, pageTo: m.pageTo, ridingRule: ridingRuleView(m), preset: m.preset, applied: m.appliedVersion !== null })),
    })),
    // The row's id and masked number: the same for every row, so the view never tells which numbers have an account.
    cc: c.cc.map((r) => ({ id: r.id, name: r.name })),
    me: myActions(c, viewer, now),
    ...(temporal
      ? { workflowId, temporalUrl: `${temporal.uiUrl}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}` }
      : {}),
  };
}
/** The view as the API sends it (JSON: instants are ISO strings); the UIs import it as a type. */
export type ContractView = ReturnType<typeof contractView>;
/** One participant of the view, and one of its marks. */
export type ParticipantView = ContractView['participants'][number];
export type ContractMarkView = ParticipantView['marks'][number];
/** What the viewer may do now; `actFor` is the participant id they sign or refuse for. Null only in the operators' console's view. */
export type ViewerAbilities = NonNullable<ContractView['me']>;
/** The view a user gets (the portal: a viewer is always given), so `me` is set. */
export type UserContractView = ContractView & { me: ViewerAbilities };
