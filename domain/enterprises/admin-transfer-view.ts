/**
 * An administrator transfer (M6) as the console's 管理员转让 sees it (GET / POST /api/console/admin-transfer,
 * …/cancel answer `{ transfer }`; admin-ui imports the type): both parties' names, the new administrator's
 * number masked, why it ended without completing in both languages, its workflow's id.
 */
import type { EntityManager } from '@mikro-orm/core';
import { adminTransferWorkflowId } from '../../workflows/clients/admin-transfer-client';
import { maskMobile } from '../identity/masking';
import { UserSchema } from '../identity/user.entity';
import { AdminTransferSchema } from './admin-change.entities';
import { TRANSFER_END_REASONS } from './admin-transfer';

/** The given transfer of the enterprise, or its latest one; null when it has none. */
export async function readTransferView(em: EntityManager, enterpriseId: string, id?: string) {
  const t = await em.findOne(AdminTransferSchema, id ? { id, enterpriseId } : { enterpriseId }, { orderBy: { createdAt: 'desc' } });
  if (!t) return null;
  const users = await em.find(UserSchema, { id: { $in: [t.fromUserId, t.toUserId] } });
  const name = (id: string) => users.find((u) => u.id === id)?.name ?? '';
  const reason = t.endReason ? TRANSFER_END_REASONS[t.endReason] : undefined;
  return {
    id: t.id,
    status: t.status,
    fromName: name(t.fromUserId),
    toName: name(t.toUserId),
    toMobileMasked: maskMobile(users.find((u) => u.id === t.toUserId)?.mobile ?? ''),
    deadline: t.deadline.toISOString(),
    createdAt: t.createdAt.toISOString(),
    finishedAt: t.finishedAt?.toISOString() ?? null,
    endReason: t.endReason,
    endReasonLabel: reason?.zh ?? null,
    endReasonLabelEn: reason?.en ?? null,
    workflowId: adminTransferWorkflowId(t.id),
  };
}
export type AdminTransferView = NonNullable<Awaited<ReturnType<typeof readTransferView>>>;
