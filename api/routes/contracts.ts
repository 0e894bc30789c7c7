import { z } from 'zod';
import { loadContractForParticipant } from '../../domain/contracts/contract-access';
import { confirmSigningCode, renewConfirmation, requestSigningCode } from '../../domain/contracts/confirm-willingness';
import { AppError } from '../../domain/errors';
import type { ApiDeps } from '../deps';
import { route, type AuthedContext, type RouteDef } from '../http/route';
import { reloadAndPresent, viewerOf } from './contract-presenter';
import { sendSignUpdate } from './contract-sign-update';

const signBody = z.object({ code: z.string({ required_error: '请输入验证码' }).trim().regex(/^\d{6}$/, '验证码为 6 位数字') });

const actorOf = (ctx: AuthedContext) => ({ id: ctx.user.id, name: ctx.user.name, ip: ctx.ip });
const idParam = (ctx: AuthedContext) => String(ctx.req.params.id);

/** v1 signing (意愿认证 code, sign Update); the v2 actions live in contract-actions.ts. */
export function contractRoutes(deps: ApiDeps): RouteDef[] {
  const { config } = deps.services;
  const timing = config.contracts; // TEMPORAL_CALL_TIMEOUT_SECONDS, SIGN_WAIT_SECONDS
  return [
    route({
      method: 'post',
      path: '/contracts/:id/sms-code',
      access: 'verified',
      async handler(ctx) {
        const c = await loadContractForParticipant(ctx.em, idParam(ctx), ctx.user.id);
        return requestSigningCode(ctx.em, deps.sms(ctx.em), c, actorOf(ctx));
      },
    }),
    route({
      method: 'post',
      path: '/contracts/:id/sign',
      access: 'verified',
      async handler(ctx) {
        const { code } = signBody.parse(ctx.req.body ?? {});
        const c = await loadContractForParticipant(ctx.em, idParam(ctx), ctx.user.id);
        const confirmationId = await confirmSigningCode(ctx.em, c, actorOf(ctx), code);
        const outcome = await sendSignUpdate(deps.temporal, c.contract.id, { userId: ctx.user.id, confirmationId }, { acceptTimeoutMs: timing.callTimeoutMs, waitMs: timing.signWaitMs }).catch(async (err: unknown) => {
          // Nothing was signed and retrying may succeed: the same code gets a fresh attempt next time.
          if (err instanceof AppError && err.code === 'SIGNING_UNAVAILABLE') await renewConfirmation(ctx.em.fork(), confirmationId);
          throw err;
        });
        const view = await reloadAndPresent(ctx.em, config, c.contract.id, viewerOf(ctx));
        if (outcome.state === 'signed') return view;
        // 正在处理: the signature continues. Poll GET /contracts/:id (the signer turns 'signed'), or send
        // the same request again (same code): it attaches to the same Update and returns its outcome.
        ctx.res.status(202).setHeader('Retry-After', '2');
        ctx.res.json({ status: 'processing', message: '正在处理，请稍候', messageEn: 'Processing; please wait', poll: `/api/contracts/${c.contract.id}`, contract: view });
        return undefined;
      },
    }),
  ];
}
