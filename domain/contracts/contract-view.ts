import { CONTRACT_STATUS_LABELS, VOID_REASON_LABELS } from './contract-status';
import type { ContractWithSigners } from './contract-access';
import { pendingSigner } from './signing-order';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { maskMobile } from '../identity/masking';

/**
 * The contract as the API and UIs see it. `temporal` (the workflow id and its Temporal UI link) is
 * given only for platform operators: Temporal is an internal system portal users never see.
 */
export function contractView({ contract, signers }: ContractWithSigners, initiatorName: string | null, viewerId: string | null, temporal: { uiUrl: string; namespace: string } | null) {
  const pending = contract.status === 'in_progress' ? pendingSigner(signers.map((s) => ({ ...s, signerId: s.id, signed: s.status === 'signed' }))) : undefined;
  const workflowId = contractWorkflowId(contract.id);
  const label = CONTRACT_STATUS_LABELS[contract.status];
  const reason = contract.voidReason ? VOID_REASON_LABELS[contract.voidReason] : null;
  return {
    id: contract.id,
    title: contract.title,
    status: contract.status,
    statusLabel: reason ? `${label.zh}（${reason.zh}）` : label.zh,
    statusLabelEn: reason ? `${label.en} (${reason.en})` : label.en,
    voidReason: contract.voidReason,
    initiatorId: contract.initiatorId,
    initiatorName,
    createdAt: contract.createdAt.toISOString(),
    expiresAt: contract.expiresAt.toISOString(),
    completedAt: contract.completedAt?.toISOString() ?? null,
    voidedAt: contract.voidedAt?.toISOString() ?? null,
    pageCount: contract.pageCount,
    documentVersion: contract.documentVersion,
    signers: signers.map((s) => ({
      id: s.id,
      order: s.order,
      userId: s.userId,
      name: s.name,
      mobileMasked: maskMobile(s.mobile),
      status: contract.status === 'in_progress' || s.status === 'signed' ? s.status : ('waiting' as const),
      signedAt: s.signedAt?.toISOString() ?? null,
      position: { page: s.page, x: s.x, y: s.y },
    })),
    currentSignerName: pending?.name ?? null,
    signedCount: signers.filter((s) => s.status === 'signed').length,
    myTurn: !!viewerId && pending?.userId === viewerId,
    ...(temporal
      ? { workflowId, temporalUrl: `${temporal.uiUrl}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}` }
      : {}),
  };
}
export type ContractView = ReturnType<typeof contractView>;
