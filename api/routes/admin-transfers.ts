import { WorkflowFailedError } from '@temporalio/client';
import { z } from 'zod';
import { AdminTransferSchema, RUNNING_TRANSFER_STATUSES } from '../../domain/enterprises/admin-change.entities';
import { presentTransferConfirmation, recordCodeSubmission, TRANSFER_END_REASONS } from '../../domain/enterprises/admin-transfer';
import { AppError, notFound } from '../../domain/errors';
import { confirmTransferUpdate, resendTransferCodeUpdate, type adminTransferWorkflow } from '../../workflows/admin-transfer';
import { boundedWorkflowResult } from '../../workflows/clients/bounded-update';
import { adminTransferWorkflowId } from '../../workflows/clients/admin-transfer-client';
import type { ApiDeps } from '../deps';
import { route, type AuthedContext, type RouteDef } from '../http/route';
import { runUpdate, sendUpdate } from '../http/update-failure';

const codeBody = z.object({ code: z.string({ required_error: '请输入验证码' }).trim().regex(/^\d{6}$/, '验证码为 6 位数字') });

const transferNotCompleted = (reason: string | null) => {
  const label = TRANSFER_END_REASONS[reason ?? 'COMPLETION_FAILED'] ?? TRANSFER_END_REASONS.COMPLETION_FAILED!;
  return new AppError('conflict', 'TRANSFER_FAILED', `转让未能完成：${label.zh}`, `The transfer did not complete: ${label.en}`, { reason });
};

/** A running transfer the caller takes part in (as the administrator or the new one). */
async function loadMine(ctx: AuthedContext) {
  const t = await ctx.em.findOne(AdminTransferSchema, { id: String(ctx.req.params.id), $or: [{ fromUserId: ctx.user.id }, { toUserId: ctx.user.id }] });
  if (!t) throw notFound('TRANSFER_NOT_FOUND', '转让不存在', 'Transfer not found');
  return t;
}

/**
 * The accepted transfer's workflow ended without a result (cancelled, terminated or failed): its row's ending, read
 * afresh (a completion that committed is a success); while the row still runs (a terminated workflow, until the
 * reconciler ends it), the WorkflowFailedError itself (409 PROCESS_NOT_RUNNING).
 */
async function endedWithoutResult(ctx: AuthedContext, transferId: string, err: WorkflowFailedError): Promise<{ step: string; reason: string | null }> {
  const row = await ctx.em.fork().findOneOrFail(AdminTransferSchema, { id: transferId });
  if (RUNNING_TRANSFER_STATUSES.includes(row.status)) throw err;
  return { step: row.status, reason: row.endReason };
}

/** M6 confirmations, by whichever party's turn it is (the workflow decides). */
export function adminTransferRoutes(deps: ApiDeps): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/admin-transfers/:id/confirm',
      access: 'user',
      async handler(ctx) {
        const { code } = codeBody.parse(ctx.req.body ?? {});
        const t = await loadMine(ctx);
        const party = t.status === 'awaiting_admin_code' ? 'admin' : 'target';
        const submissionId = await recordCodeSubmission(ctx.em, t, party, ctx.user, code, ctx.ip);
        const handle = deps.temporal.workflow.getHandle<typeof adminTransferWorkflow>(adminTransferWorkflowId(t.id));
        const result = await sendUpdate(deps, handle, confirmTransferUpdate, { args: [{ userId: ctx.user.id, submissionId }], updateId: `confirm:${submissionId}` });
        if (result.step !== 'accepted') return presentTransferConfirmation(result.step);
        // Accepted: completion re-checks both parties; a failed re-check is answered with its reason.
        // A workflow cancelled or terminated meanwhile (Temporal UI) has no result: the row says how the transfer ended.
        const outcome = await runUpdate(() => boundedWorkflowResult(deps.temporal, handle, deps.services.config.contracts.updateWaitMs, confirmTransferUpdate.name).catch((err: unknown) => (err instanceof WorkflowFailedError ? endedWithoutResult(ctx, t.id, err) : Promise.reject(err))));
        if (outcome.step !== 'completed') throw transferNotCompleted(outcome.reason);
        return presentTransferConfirmation('completed');
      },
    }),
    route({
      method: 'post',
      path: '/admin-transfers/:id/resend-code',
      access: 'user',
      async handler(ctx) {
        const t = await loadMine(ctx);
        await sendUpdate(deps, deps.temporal.workflow.getHandle(adminTransferWorkflowId(t.id)), resendTransferCodeUpdate, { args: [{ userId: ctx.user.id }] });
        return { ok: true };
      },
    }),
  ];
}
