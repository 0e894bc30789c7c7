import { z } from 'zod';
import { recordAudit } from '../../domain/audit/record-audit';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { loadContractForParticipant } from '../../domain/contracts/contract-access';
import { IDEMPOTENCY_KEY_PATTERN } from '../../domain/contracts/idempotency-key.entity';
import { CONTRACT_BOXES, listContractsForUser } from '../../domain/contracts/contract-lists';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { confirmSigningCode, renewConfirmation, requestSigningCode } from '../../domain/contracts/confirm-willingness';
import { startContract, startContractSchema } from '../../domain/contracts/start-contract';
import { AppError, invalid } from '../../domain/errors';
import { startContractWorkflow } from '../../workflows/clients/start-contract-workflow';
import type { ApiDeps } from '../deps';
import { parseListParams, sendList } from '../http/list-params';
import { route, type AuthedContext, type RouteDef } from '../http/route';
import { presentAuditEventForParticipant } from './audit-presenter';
import { presentContract, presentContracts, reloadAndPresent } from './contract-presenter';
import { sendSignUpdate } from './contract-sign-update';

const listFilter = z.object({ box: z.enum(CONTRACT_BOXES).optional(), q: z.string().max(100).optional() });
const signBody = z.object({ code: z.string({ required_error: '请输入验证码' }).trim().regex(/^\d{6}$/, '验证码为 6 位数字') });
const VIEW_DEDUP_MS = 10 * 60_000;

const actorOf = (ctx: AuthedContext) => ({ id: ctx.user.id, name: ctx.user.name, ip: ctx.ip });
const idParam = (ctx: AuthedContext) => String(ctx.req.params.id);

/** The optional `Idempotency-Key` header of a creating request. */
function idempotencyKey(ctx: AuthedContext): string | undefined {
  const raw = ctx.req.get('idempotency-key');
  if (raw === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(raw)) throw invalid('BAD_IDEMPOTENCY_KEY', 'Idempotency-Key 须为 1–100 个可见 ASCII 字符', 'Idempotency-Key must be 1–100 visible ASCII characters');
  return raw;
}

/** Parses the multipart form of 发起合同: `signers` arrives as a JSON string. */
function parseStartForm(body: Record<string, unknown>) {
  let signers: unknown = body.signers;
  if (typeof signers === 'string') {
    try {
      signers = JSON.parse(signers);
    } catch {
      throw invalid('BAD_SIGNERS', '签署人信息格式不正确', 'Malformed signers');
    }
  }
  return startContractSchema.parse({ ...body, signers });
}

export function contractRoutes(deps: ApiDeps): RouteDef[] {
  const { config, store } = deps.services;
  const timing = config.contracts; // TEMPORAL_CALL_TIMEOUT_SECONDS, SIGN_WAIT_SECONDS
  return [
    route({
      method: 'get',
      path: '/contracts',
      access: 'user',
      async handler(ctx) {
        const p = parseListParams(ctx.req.query, listFilter, ['createdAt', 'expiresAt', 'title'], 'createdAt');
        const { rows, total } = await listContractsForUser(ctx.em, ctx.user.id, p.filter.box, { ...p, q: p.filter.q });
        return sendList(ctx.res, 'contracts', await presentContracts(ctx.em, config, rows, ctx.user.id), p.offset, total);
      },
    }),
    route({
      method: 'post',
      path: '/contracts',
      access: 'verified',
      upload: true,
      status: 201,
      async handler(ctx) {
        const key = idempotencyKey(ctx);
        const input = parseStartForm(ctx.req.body as Record<string, unknown>);
        const file = ctx.req.file;
        if (!file) throw invalid('FILE_REQUIRED', '请上传合同 PDF 文件', 'Upload the contract PDF');
        const contract = await startContract(
          {
            em: ctx.em,
            store,
            limits: { maxBytes: config.maxUploadBytes, maxPages: config.maxPages },
            startWorkflow: (c, signers) => startContractWorkflow(deps.temporal, config.temporal.taskQueue, c, signers, { timeoutMs: timing.callTimeoutMs }),
          },
          actorOf(ctx),
          input,
          new Uint8Array(file.buffer),
          { idempotencyKey: key },
        );
        return reloadAndPresent(ctx.em, config, contract.id, ctx.user.id);
      },
    }),
    route({
      method: 'get',
      path: '/contracts/:id',
      access: 'user',
      async handler(ctx) {
        const c = await loadContractForParticipant(ctx.em, idParam(ctx), ctx.user.id);
        const recent = await ctx.em.count(AuditEventSchema, { targetId: c.contract.id, actorId: ctx.user.id, action: 'contract.viewed', at: { $gt: new Date(Date.now() - VIEW_DEDUP_MS) } });
        if (!recent) {
          recordAudit(ctx.em, actorOf(ctx), { action: 'contract.viewed', targetType: 'contract', targetId: c.contract.id });
          await ctx.em.flush();
        }
        return presentContract(ctx.em, config, c, ctx.user.id);
      },
    }),
    route({
      method: 'get',
      path: '/contracts/:id/document',
      access: 'user',
      async handler(ctx) {
        const c = await loadContractForParticipant(ctx.em, idParam(ctx), ctx.user.id);
        const version = await ctx.em.findOneOrFail(DocumentVersionSchema, { contractId: c.contract.id, version: c.contract.documentVersion });
        const bytes = await store.get(version.storageKey);
        const download = ctx.req.query.download === '1';
        if (download) {
          recordAudit(ctx.em, actorOf(ctx), { action: 'contract.downloaded', targetType: 'contract', targetId: c.contract.id, detail: { version: version.version } });
          await ctx.em.flush();
        }
        const name = encodeURIComponent(`${c.contract.title}.pdf`);
        ctx.res.setHeader('Content-Type', 'application/pdf');
        ctx.res.setHeader('Content-Disposition', `${download ? 'attachment' : 'inline'}; filename="contract.pdf"; filename*=UTF-8''${name}`);
        ctx.res.setHeader('Cache-Control', 'private, no-store');
        ctx.res.end(Buffer.from(bytes));
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/contracts/:id/audit',
      access: 'user',
      async handler(ctx) {
        const c = await loadContractForParticipant(ctx.em, idParam(ctx), ctx.user.id);
        const events = await ctx.em.find(AuditEventSchema, { targetType: 'contract', targetId: c.contract.id }, { orderBy: { at: 'asc' } });
        return events.map((e) => presentAuditEventForParticipant(e, ctx.user.id));
      },
    }),
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
        const view = await reloadAndPresent(ctx.em, config, c.contract.id, ctx.user.id);
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
