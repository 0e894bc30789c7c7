/**
 * What users do to a contract: 意愿认证 code + sign, 拒签, 撤销, 催办 (single and batch). Every change
 * goes through the contract's workflow as an Update (workflows/contract-lifecycle-api.ts); the
 * routes pre-check with the same rules (routing.ts via acting-participant.ts) so a refusal is
 * answered before any code is sent. Dispatch on `contracts.lifecycle`: v1 contracts keep the v1
 * signing Update (contractSigningWorkflow); refuse / revoke / urge exist for v2 only.
 */
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { actingParticipant, pastExpiry } from '../../domain/contracts/acting-participant';
import { loadContractForViewer, type ContractWithSigners } from '../../domain/contracts/contract-access';
import { confirmParticipantCode, confirmSigningCode, renewConfirmation, requestParticipantCode, requestSigningCode, signedWithCode } from '../../domain/contracts/confirm-willingness';
import { actsAsInitiator, isInitiatingEnterpriseAdmin, notAllowedToUrge } from '../../domain/contracts/initiator-rights';
import { notInitiator } from '../../domain/contracts/revoke-contract';
import { actionRefusal } from '../../domain/contracts/routing';
import { MAX_PLACED_MARKS } from '../../domain/contracts/sign-limits';
import { placedMarkSchema, presentSignProcessing } from '../../domain/contracts/sign-request';
import { prepareSignature } from '../../domain/contracts/signing-marks';
import { AppError, invalid } from '../../domain/errors';
import { noHiddenCharacters } from '../../domain/text/safe-text';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { presentUrgedContract, presentUrgeOutcome, presentUrgeRefusal, type BatchUrgeView, type UrgeOutcomeView } from '../../domain/contracts/urge-view';
import { REASON_MAX_LENGTH, refuseUpdate, revokeUpdate, urgeUpdate, type UrgeResult } from '../../workflows/contract-lifecycle-api';
import { contractWorkflowId } from '../../workflows/search-attributes';
import type { ApiDeps } from '../deps';
import { sendDecisionUpdate } from '../http/idempotency-key';
import { actorOf, route, type AuthedContext, type RouteDef } from '../http/route';
import { sendUpdate } from '../http/update-failure';
import { reloadAndPresent, viewerOf, type PresentViewer } from './contract-presenter';
import { sendSignUpdate } from './contract-sign-update';

const participantId = z.string().min(1).max(36).optional();
/** 拒签 / 撤销 reason: free text that may span lines, under the shared no-hidden-characters rule (domain/text). */
const reason = z
  .string({ required_error: '请填写原因' })
  .trim()
  .min(1, '请填写原因')
  .max(REASON_MAX_LENGTH, `原因不能超过 ${REASON_MAX_LENGTH} 个字符`)
  .superRefine(noHiddenCharacters('原因', { labelEn: 'The reason', multiline: true }));
const codeBody = z.object({ participantId }).strict();
const signBody = z.object({
  code: z.string({ required_error: '请输入验证码' }).trim().regex(/^\d{6}$/, '验证码为 6 位数字'),
  participantId,
  marks: z.array(placedMarkSchema).max(MAX_PLACED_MARKS, `一次最多放置 ${MAX_PLACED_MARKS} 个签章`).optional(),
  /** 结束签署 (default) or 继续签署 (false). */
  finish: z.boolean().default(true),
});
const refuseBody = z.object({ participantId, reason });
const revokeBody = z.object({ reason });
const urgeBody = z.object({ participantIds: z.array(z.string().min(1).max(36)).min(1).max(20).optional() });
const batchUrgeBody = z.object({ ids: z.array(z.string().min(1).max(36)).min(1).max(50) });

const idParam = (ctx: AuthedContext) => String(ctx.req.params.id);
const v2Only = () => new AppError('conflict', 'NOT_SUPPORTED_FOR_V1', '该合同为旧版流程，不支持此操作', 'This contract runs on the previous workflow and does not support this action');

function assertOpen(c: ContractWithSigners) {
  const r = pastExpiry(c) ? actionRefusal('CONTRACT_EXPIRED') : c.contract.status !== 'in_progress' ? actionRefusal('CONTRACT_NOT_IN_PROGRESS') : null;
  if (r) throw new AppError('rejected', r.code, r.message, r.messageEn);
}

/** 催办 (and 撤销) are for the initiator (initiator-rights.ts), or an administrator acting as the initiator's enterprise. */
async function assertMayUrge(em: EntityManager, c: ContractWithSigners, viewer: PresentViewer) {
  if (!isInitiatingEnterpriseAdmin(c.contract, viewer) && !(await actsAsInitiator(em, c.contract, viewer.userId))) throw notAllowedToUrge();
}

async function urgeOne(deps: ApiDeps, c: ContractWithSigners, viewer: PresentViewer, participantIds?: string[]): Promise<UrgeOutcomeView> {
  if (c.contract.lifecycle !== 2) throw v2Only();
  await assertMayUrge(deps.services.orm.em.fork(), c, viewer);
  assertOpen(c);
  // Only this contract's participants can be urged: another id is a mistake to say, not to skip in silence.
  const unknown = participantIds?.filter((id) => !c.signers.some((s) => s.id === id)) ?? [];
  if (unknown.length) throw invalid('PARTICIPANT_NOT_FOUND', '所选签署方不属于该合同', 'A selected participant is not part of this contract');
  const handle = deps.temporal.workflow.getHandle(contractWorkflowId(c.contract.id));
  const result: UrgeResult = await sendUpdate(deps, handle, urgeUpdate, { args: [{ actorUserId: viewer.userId, ...(participantIds ? { participantIds } : {}), requestedAt: new Date().toISOString() }] });
  return presentUrgeOutcome(result);
}

/**
 * The contract as the database has it now: voided as `voidReason` with this reason (for a 拒签, by `actorId`'s own
 * refusal): a request that ended it is answered again with the contract, not refused.
 */
async function voidedWith(em: EntityManager, contractId: string, voidReason: 'refused' | 'revoked', reason: string, actorId?: string): Promise<boolean> {
  const now = await em.findOne(ContractSchema, { id: contractId }, { fields: ['status', 'voidReason', 'voidNote'], refresh: true });
  if (now?.status !== 'voided' || now.voidReason !== voidReason || now.voidNote !== reason.trim()) return false;
  return actorId === undefined || (await em.count(ContractEventSchema, { contractId, type: 'refused', actorId })) > 0;
}

/**
 * A 拒签 / 撤销 refused as "not in progress" because a copy of this very request, sent at the same moment (a double
 * click, a retry without an Idempotency-Key), ended the contract first: answered as that copy was, as a later resend
 * is. Any other failure stands.
 */
const answeredByCopy = (applied: () => Promise<boolean>) => async (err: unknown): Promise<void> => {
  if (err instanceof AppError && err.code === 'CONTRACT_NOT_IN_PROGRESS' && (await applied())) return;
  throw err;
};

export function contractActionRoutes(deps: ApiDeps): RouteDef[] {
  const { config } = deps.services;
  const timing = config.contracts; // TEMPORAL_CALL_TIMEOUT_SECONDS, SIGN_WAIT_SECONDS
  return [
    route({
      method: 'post',
      path: '/contracts/urge',
      access: 'user',
      async handler(ctx) {
        const { ids } = batchUrgeBody.parse(ctx.req.body ?? {});
        const viewer = viewerOf(ctx);
        const results: BatchUrgeView['results'] = [];
        for (const id of [...new Set(ids)]) {
          try {
            const c = await loadContractForViewer(ctx.em.fork(), id, viewer);
            results.push(presentUrgedContract(id, c.contract.title, await urgeOne(deps, c, viewer)));
          } catch (err) {
            if (!(err instanceof AppError) || err.kind === 'unavailable') throw err;
            results.push(presentUrgeRefusal(id, err));
          }
        }
        return { results };
      },
    }),
    route({
      method: 'post',
      path: '/contracts/:id/sms-code',
      access: 'verified',
      async handler(ctx) {
        const body = codeBody.parse(ctx.req.body ?? {});
        const c = await loadContractForViewer(ctx.em, idParam(ctx), viewerOf(ctx));
        if (c.contract.lifecycle !== 2) return requestSigningCode(ctx.em, deps.sms(ctx.em), c, actorOf(ctx));
        const participant = await actingParticipant(ctx.em, c, viewerOf(ctx), body.participantId, 'sign');
        return { participantId: participant.id, ...(await requestParticipantCode(ctx.em, deps.sms(ctx.em), c, participant, actorOf(ctx))) };
      },
    }),
    route({
      method: 'post',
      path: '/contracts/:id/sign',
      access: 'verified',
      async handler(ctx) {
        const body = signBody.parse(ctx.req.body ?? {});
        const viewer = viewerOf(ctx);
        const c = await loadContractForViewer(ctx.em, idParam(ctx), viewer);
        let confirmationId: string;
        let request;
        if (c.contract.lifecycle !== 2) {
          confirmationId = await confirmSigningCode(ctx.em, c, actorOf(ctx), body.code);
          request = { userId: ctx.user.id, confirmationId };
        } else {
          // The same request again after its signature committed: answered with the contract, as the first one was.
          if (await signedWithCode(ctx.em, c, ctx.user.id, body.participantId, body.code)) return reloadAndPresent(ctx.em, config, c.contract.id, viewer);
          const participant = await actingParticipant(ctx.em, c, viewer, body.participantId, 'sign');
          // The signing activity's own check, before the code is used: a refused mark costs no code.
          await prepareSignature(ctx.em, deps.services.store, c, participant, { actorUserId: ctx.user.id, marks: body.marks, finish: body.finish, now: new Date() });
          confirmationId = await confirmParticipantCode(ctx.em, c, participant, actorOf(ctx), body.code);
          request = { participantId: participant.id, actorUserId: ctx.user.id, confirmationId, ...(body.marks ? { marks: body.marks } : {}), finish: body.finish };
        }
        const outcome = await sendSignUpdate(deps.temporal, c.contract.id, request, { acceptTimeoutMs: timing.callTimeoutMs, waitMs: timing.signWaitMs }).catch(async (err: unknown) => {
          // Nothing was signed and retrying may succeed: the same code gets a fresh attempt next time.
          if (err instanceof AppError && err.code === 'SIGNING_UNAVAILABLE') await renewConfirmation(ctx.em.fork(), confirmationId);
          throw err;
        });
        const view = await reloadAndPresent(ctx.em, config, c.contract.id, viewer);
        if (outcome.state === 'signed') return view;
        // 正在处理: the signature continues. Poll GET /contracts/:id, or send the same request again
        // (same code): it attaches to the same Update and returns its outcome.
        ctx.res.status(202).setHeader('Retry-After', '2');
        ctx.res.json(presentSignProcessing(c.contract.id, view));
        return undefined;
      },
    }),
    route({
      method: 'post',
      path: '/contracts/:id/refuse',
      access: 'verified',
      async handler(ctx) {
        const body = refuseBody.parse(ctx.req.body ?? {});
        const viewer = viewerOf(ctx);
        const c = await loadContractForViewer(ctx.em, idParam(ctx), viewer);
        if (c.contract.lifecycle !== 2) throw v2Only();
        // The same request again (same reason) after this user's 拒签 ended the contract: answered with the contract, as the first one was.
        const applied = () => voidedWith(ctx.em.fork(), c.contract.id, 'refused', body.reason, ctx.user.id);
        if (c.contract.status === 'voided' && (await applied())) return reloadAndPresent(ctx.em, config, c.contract.id, viewer);
        const participant = await actingParticipant(ctx.em, c, viewer, body.participantId, 'refuse');
        const handle = deps.temporal.workflow.getHandle(contractWorkflowId(c.contract.id));
        await sendDecisionUpdate(deps, ctx, handle, refuseUpdate, `refuse:${participant.id}`, [{ participantId: participant.id, actorUserId: ctx.user.id, reason: body.reason, requestedAt: new Date().toISOString() }]).catch(answeredByCopy(applied));
        return reloadAndPresent(ctx.em, config, c.contract.id, viewer);
      },
    }),
    route({
      method: 'post',
      path: '/contracts/:id/revoke',
      access: 'user',
      async handler(ctx) {
        const body = revokeBody.parse(ctx.req.body ?? {});
        const viewer = viewerOf(ctx);
        const c = await loadContractForViewer(ctx.em, idParam(ctx), viewer);
        if (c.contract.lifecycle !== 2) throw v2Only();
        if (!isInitiatingEnterpriseAdmin(c.contract, viewer) && !(await actsAsInitiator(ctx.em, c.contract, ctx.user.id))) throw notInitiator();
        // The same request again (same reason) after the 撤销 committed (its answer lost): answered with the contract, as the first one was.
        const applied = () => voidedWith(ctx.em.fork(), c.contract.id, 'revoked', body.reason);
        if (c.contract.status === 'voided' && (await applied())) return reloadAndPresent(ctx.em, config, c.contract.id, viewer);
        assertOpen(c);
        const handle = deps.temporal.workflow.getHandle(contractWorkflowId(c.contract.id));
        await sendDecisionUpdate(deps, ctx, handle, revokeUpdate, `revoke:${c.contract.id}`, [{ actorUserId: ctx.user.id, reason: body.reason, requestedAt: new Date().toISOString() }]).catch(answeredByCopy(applied));
        return reloadAndPresent(ctx.em, config, c.contract.id, viewer);
      },
    }),
    route({
      method: 'post',
      path: '/contracts/:id/urge',
      access: 'user',
      async handler(ctx) {
        const body = urgeBody.parse(ctx.req.body ?? {});
        const viewer = viewerOf(ctx);
        const c = await loadContractForViewer(ctx.em, idParam(ctx), viewer);
        return urgeOne(deps, c, viewer, body.participantIds);
      },
    }),
  ];
}

