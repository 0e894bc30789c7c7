/**
 * 信息管理 in the enterprise console (issue 9): the enterprise's information, contact details (changed
 * directly), 变更企业名称 (a re-certification run by EnterpriseRecertificationWorkflow), 提交重新认证,
 * 放弃变更, 开始重新认证 and 变更法人. Always scoped to the enterprise the caller acts for: another
 * enterprise's change ids are simply not found.
 *
 * A change row is written by the domain in its own transaction, then its workflow is started
 * (REJECT_DUPLICATE); submit and abandon are the workflow's Updates. A workflow found gone when an
 * Update is sent is started again first (executeRecertificationUpdate); the reconciler repairs the rest.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { certifySchema } from '../../domain/enterprises/certification';
import { MAX_LETTER_BYTES, storeAuthorizationLetter } from '../../domain/enterprises/authorization-letter';
import { EnterpriseChangeSchema, type EnterpriseChange } from '../../domain/enterprises/enterprise-change.entity';
import { readEnterpriseInfo, updateEnterpriseInfo } from '../../domain/enterprises/enterprise-info';
import { changeLegalRepresentative } from '../../domain/enterprises/legal-representative';
import { abandonChange } from '../../domain/enterprises/recertification/end';
import { restartRecertification } from '../../domain/enterprises/recertification/restart';
import { startRename } from '../../domain/enterprises/recertification/start-rename';
import { AppError, notFound } from '../../domain/errors';
import { noHiddenCharacters } from '../../domain/text/safe-text';
import { executeRecertificationUpdate, startRecertificationWorkflow } from '../../workflows/clients/start-recertification-workflow';
import { abandonRecertificationUpdate, recertificationRefusal, submitRecertificationUpdate, type RecertificationAction } from '../../workflows/enterprise-recertification-api';
import type { ApiDeps } from '../deps';
import { actorOf, route, type ConsoleContext, type RouteDef } from '../http/route';
import { runUpdate, updateBounds } from '../http/update-failure';
import { presentChange } from '../../domain/enterprises/recertification/change-view';


/** Empty text clears a field (null). One line, under the shared no-hidden-characters rule (domain/text). */
const optionalText = (max: number, tooLong: string, label: string, labelEn: string) =>
  z
    .string()
    .trim()
    .max(max, tooLong)
    .superRefine(noHiddenCharacters(label, { labelEn }))
    .nullable()
    .optional()
    .transform((v) => (v === '' ? null : v));

const contactBody = z
  .object({
    contactName: optionalText(50, '联系人姓名不能超过 50 个字符', '联系人姓名', 'The contact name'),
    contactMobile: optionalText(20, '联系电话不能超过 20 个字符', '联系电话', 'The contact phone').refine((v) => v == null || /^[0-9+\-() ]{5,20}$/.test(v), '联系电话格式不正确'),
    contactEmail: optionalText(100, '联系邮箱不能超过 100 个字符', '联系邮箱', 'The contact email').refine((v) => v == null || z.string().email().safeParse(v).success, '联系邮箱格式不正确'),
    address: optionalText(200, '地址不能超过 200 个字符', '地址', 'The address'),
    version: z.number({ required_error: '缺少版本号（请刷新后重试）', invalid_type_error: '版本号不正确' }).int().min(1),
  })
  .strict();
const renameBody = z.object({ newName: certifySchema.shape.name });
const legalRepresentativeBody = z.object({ legalRepresentative: certifySchema.shape.legalRepresentative });
/** Multipart fields of 提交重新认证 (the letter is the file `file`). */
const submitFields = z.object({ name: certifySchema.shape.name, uscc: z.string({ required_error: '请输入统一社会信用代码' }).trim().toUpperCase().length(18, '统一社会信用代码应为 18 位') });

const workflowStartFailed = (err: unknown) =>
  new AppError('unavailable', 'WORKFLOW_START_FAILED', '重新认证流程启动失败，请稍后重试', 'Could not start the re-certification process; please retry', { retryAfterSeconds: 5, cause: String(err) });

/** The acting enterprise's rename change, or 404 (another enterprise's id is not found). */
async function loadOwnChange(ctx: ConsoleContext, action: RecertificationAction): Promise<EnterpriseChange> {
  const change = await ctx.em.findOne(EnterpriseChangeSchema, { id: String(ctx.req.params.changeId), enterpriseId: ctx.acting.enterprise.id, kind: 'rename' });
  if (!change) throw notFound('CHANGE_NOT_FOUND', '变更不存在', 'Change not found');
  const refusal = recertificationRefusal(action, change.status);
  if (refusal) throw new AppError('conflict', refusal.code, refusal.message, refusal.messageEn);
  return change;
}

/** The change as committed after its workflow handled the Update. */
async function reloaded(ctx: ConsoleContext, id: string) {
  ctx.em.clear();
  return presentChange(ctx.em, await ctx.em.findOneOrFail(EnterpriseChangeSchema, { id }));
}

export function enterpriseInfoRoutes(deps: ApiDeps): RouteDef[] {
  const { config, store } = deps.services;
  const taskQueue = config.temporal.taskQueue;
  const bounds = updateBounds(config);
  const startWorkflow = (change: EnterpriseChange) => startRecertificationWorkflow(deps.temporal, taskQueue, change, { timeoutMs: bounds.acceptTimeoutMs });
  return [
    route({
      method: 'get',
      path: '/console/enterprise-info',
      access: 'console',
      handler: (ctx) => readEnterpriseInfo(ctx.em, ctx.acting.enterprise.id),
    }),
    route({
      method: 'patch',
      path: '/console/enterprise-info',
      access: 'enterprise_admin',
      async handler(ctx) {
        const { version, ...fields } = contactBody.parse(ctx.req.body ?? {});
        const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
        await updateEnterpriseInfo(ctx.em, { enterpriseId: ctx.acting.enterprise.id, actor: actorOf(ctx), changes, version });
        ctx.em.clear();
        return readEnterpriseInfo(ctx.em, ctx.acting.enterprise.id);
      },
    }),
    route({
      method: 'post',
      path: '/console/enterprise-changes/rename',
      access: 'enterprise_admin',
      status: 201,
      async handler(ctx) {
        const { newName } = renameBody.parse(ctx.req.body ?? {});
        const change = await startRename(ctx.em, { enterpriseId: ctx.acting.enterprise.id, actor: actorOf(ctx), newName });
        try {
          await startWorkflow(change);
        } catch (err) {
          // No draft without its workflow: nothing was voided yet, so the draft is abandoned (standing restored).
          await abandonChange(ctx.em.fork(), { changeId: change.id, actor: SYSTEM_ACTOR }).catch((e: unknown) => console.warn(`[api] change ${change.id}: not abandoned after a failed start; the reconciler starts its workflow`, e));
          throw workflowStartFailed(err);
        }
        return presentChange(ctx.em, change);
      },
    }),
    route({
      method: 'post',
      path: '/console/enterprise-changes/restart',
      access: 'enterprise_admin',
      status: 201,
      async handler(ctx) {
        const change = await restartRecertification(ctx.em, { enterpriseId: ctx.acting.enterprise.id, actor: actorOf(ctx) });
        // Past the point of no return: the change stays; a failed start is repaired by the next Update or the reconciler.
        try {
          await startWorkflow(change);
        } catch (err) {
          throw workflowStartFailed(err);
        }
        return presentChange(ctx.em, change);
      },
    }),
    route({
      method: 'post',
      path: '/console/enterprise-changes/:changeId/submit',
      access: 'enterprise_admin',
      upload: true,
      maxUploadBytes: MAX_LETTER_BYTES,
      async handler(ctx) {
        const fields = submitFields.parse(ctx.req.body ?? {});
        const change = await loadOwnChange(ctx, 'submit');
        const file = ctx.req.file ? new Uint8Array(ctx.req.file.buffer) : undefined;
        const letter = file ? await storeAuthorizationLetter(store, ctx.user.id, file) : null;
        try {
          await runUpdate(() =>
            executeRecertificationUpdate(deps.temporal, taskQueue, change, submitRecertificationUpdate, {
              actorUserId: ctx.user.id,
              name: fields.name,
              uscc: fields.uscc,
              letterKey: letter?.key ?? null,
              letterType: letter?.type ?? null,
              // The submission is named here, not by the workflow's clock: the domain recognises it if it arrives again
              // (a retry, the Update delivered again after an operator's Reset), and refuses it once superseded.
              submissionId: randomUUID(),
              submittedAt: new Date().toISOString(),
              previousSubmissionId: change.submissionId,
            }, bounds),
          );
        } catch (err) {
          // A refused submission did not take the letter: remove it (not when the outcome is unknown, e.g. 503).
          if (letter && err instanceof AppError && err.kind !== 'unavailable') await store.delete(letter.key).catch(() => undefined);
          throw err;
        }
        return reloaded(ctx, change.id);
      },
    }),
    route({
      method: 'post',
      path: '/console/enterprise-changes/:changeId/abandon',
      access: 'enterprise_admin',
      async handler(ctx) {
        const change = await loadOwnChange(ctx, 'abandon');
        await runUpdate(() => executeRecertificationUpdate(deps.temporal, taskQueue, change, abandonRecertificationUpdate, { actorUserId: ctx.user.id }, bounds));
        return reloaded(ctx, change.id);
      },
    }),
    route({
      method: 'post',
      path: '/console/enterprise-changes/legal-representative',
      access: 'enterprise_admin',
      async handler(ctx) {
        const { legalRepresentative } = legalRepresentativeBody.parse(ctx.req.body ?? {});
        const { change } = await changeLegalRepresentative(ctx.em, { enterpriseId: ctx.acting.enterprise.id, actor: actorOf(ctx), legalRepresentative });
        return presentChange(ctx.em, change);
      },
    }),
  ];
}
