import type { EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../../config';
import { loadContract, type ContractViewer, type ContractWithSigners } from '../../domain/contracts/contract-access';
import { ContractCcSchema } from '../../domain/contracts/contract-cc.entity';
import { ContractMarkSchema } from '../../domain/contracts/contract-mark.entity';
import type { Contract } from '../../domain/contracts/contract.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { contractView } from '../../domain/contracts/contract-view';
import { activeMemberships, isActingInitiator } from '../../domain/contracts/initiator-rights';
import { participantsFor } from '../../domain/contracts/participant-actor';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { recertificationNotice, type StandingNotice } from '../../domain/enterprises/enterprise-standing';
import { UserSchema } from '../../domain/identity/user.entity';
import type { AuthedContext } from '../http/route';

/** The viewer of a portal request: the user, the enterprise they act for and their role in it. */
export type PresentViewer = ContractViewer & { actingRole?: string | null };

export const viewerOf = (ctx: AuthedContext): PresentViewer => ({
  userId: ctx.user.id,
  actingEnterpriseId: ctx.acting?.enterprise.id ?? null,
  actingRole: ctx.acting?.membership.role ?? null,
});

/**
 * Turns contract rows into API views, loading participants, marks, CC, initiator and enterprise
 * names in a few queries. `viewer` null means the operators' console, the only view that carries
 * the workflow id and Temporal UI link.
 */
export async function presentContracts(em: EntityManager, config: AppConfig, contracts: Contract[], viewer: PresentViewer | null) {
  if (contracts.length === 0) return [];
  const ids = contracts.map((c) => c.id);
  const [participants, marks, cc] = await Promise.all([
    em.find(ContractSignerSchema, { contractId: { $in: ids } }, { orderBy: { order: 'asc' } }),
    em.find(ContractMarkSchema, { contractId: { $in: ids } }, { orderBy: { id: 'asc' } }),
    em.find(ContractCcSchema, { contractId: { $in: ids } }, { orderBy: { createdAt: 'asc', id: 'asc' } }),
  ]);
  const initiators = await em.find(UserSchema, { id: { $in: [...new Set(contracts.map((c) => c.initiatorId))] } }, { fields: ['name'] });
  const enterpriseIds = [...new Set(contracts.flatMap((c) => (c.initiatorEnterpriseId ? [c.initiatorEnterpriseId] : [])))];
  const enterprises = enterpriseIds.length ? await em.find(EnterpriseSchema, { id: { $in: enterpriseIds } }, { fields: ['name'] }) : [];
  // 待重新认证 enterprises among the participants: their participants show why they cannot sign.
  const participantEnterpriseIds = [...new Set(participants.flatMap((p) => (p.kind !== 'person' && p.enterpriseId ? [p.enterpriseId] : [])))];
  const recertifying = participantEnterpriseIds.length ? await em.find(EnterpriseSchema, { id: { $in: participantEnterpriseIds }, standing: 'recertifying' }, { fields: ['standing'] }) : [];
  const blockedEnterprises = new Map<string, StandingNotice>();
  for (const e of recertifying) {
    const notice = recertificationNotice(e);
    if (notice) blockedEnterprises.set(e.id, notice);
  }
  // The viewer's active memberships among the initiating enterprises (who may act as the initiator: initiator-rights.ts).
  const memberOf = viewer ? await activeMemberships(em, viewer.userId, contracts.filter((c) => c.initiatorId === viewer.userId).flatMap((c) => (c.initiatorEnterpriseId ? [c.initiatorEnterpriseId] : []))) : new Set<string>();
  const views = [];
  for (const contract of contracts) {
    const own = participants.filter((p) => p.contractId === contract.id);
    const actable = viewer ? (await participantsFor(em, { contract, signers: own }, viewer)).map((p) => p.id) : [];
    views.push(contractView(
      {
        contract,
        participants: own,
        marks: marks.filter((m) => m.contractId === contract.id),
        cc: cc.filter((r) => r.contractId === contract.id),
        initiator: {
          name: initiators.find((u) => u.id === contract.initiatorId)?.name ?? null,
          enterpriseName: enterprises.find((e) => e.id === contract.initiatorEnterpriseId)?.name ?? null,
        },
        blockedEnterprises,
      },
      viewer && {
        ...viewer,
        isCc: cc.some((r) => r.contractId === contract.id && r.userId === viewer.userId),
        actableParticipantIds: actable,
        actingInitiator: isActingInitiator(contract, viewer.userId, contract.initiatorEnterpriseId !== null && memberOf.has(contract.initiatorEnterpriseId)),
      },
      viewer === null ? config.temporal : null,
    ));
  }
  return views;
}

export async function presentContract(em: EntityManager, config: AppConfig, c: ContractWithSigners, viewer: PresentViewer | null) {
  const [view] = await presentContracts(em, config, [c.contract], viewer);
  return view!;
}

export async function reloadAndPresent(em: EntityManager, config: AppConfig, id: string, viewer: PresentViewer | null) {
  em.clear();
  const c = await loadContract(em, id);
  return c ? presentContract(em, config, c, viewer) : null;
}
