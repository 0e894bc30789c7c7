import { z } from 'zod';
import { AdminTransferSchema } from '../../domain/enterprises/admin-change.entities';
import { recordCodeSubmission } from '../../domain/enterprises/admin-transfer';
import { notFound } from '../../domain/errors';
import { confirmTransferUpdate, resendTransferCodeUpdate } from '../../workflows/admin-transfer';
import { adminTransferWorkflowId } from '../../workflows/clients/admin-transfer-client';
import type { ApiDeps } from '../deps';
import { route, type AuthedContext, type RouteDef } from '../http/route';
import { runUpdate } from '../http/update-failure';

const codeBody = z.object({ code: z.string({ required_error: '请输入验证码' }).trim().regex(/^\d{6}$/, '验证码为 6 位数字') });

/** A running transfer the caller takes part in (as the administrator or the new one). */
async function loadMine(ctx: AuthedContext) {
  const t = await ctx.em.findOne(AdminTransferSchema, { id: String(ctx.req.params.id), $or: [{ fromUserId: ctx.user.id }, { toUserId: ctx.user.id }] });
  if (!t) throw notFound('TRANSFER_NOT_FOUND', '转让不存在', 'Transfer not found');
  return t;
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
        const handle = deps.temporal.workflow.getHandle(adminTransferWorkflowId(t.enterpriseId));
        const result = await runUpdate(() => handle.executeUpdate(confirmTransferUpdate, { args: [{ userId: ctx.user.id, submissionId }], updateId: `confirm:${submissionId}` }));
        if (result.step === 'accepted') await handle.result();
        return { step: result.step === 'accepted' ? 'completed' : result.step };
      },
    }),
    route({
      method: 'post',
      path: '/admin-transfers/:id/resend-code',
      access: 'user',
      async handler(ctx) {
        const t = await loadMine(ctx);
        await runUpdate(() => deps.temporal.workflow.getHandle(adminTransferWorkflowId(t.enterpriseId)).executeUpdate(resendTransferCodeUpdate, { args: [{ userId: ctx.user.id }] }));
        return { ok: true };
      },
    }),
  ];
}
