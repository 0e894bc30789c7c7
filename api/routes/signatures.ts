import { z } from 'zod';
import { AppError } from '../../domain/errors';
import { DATE_SEAL_COLORS, DATE_SEAL_FORMATS, renderDateSeal } from '../../documents/seals/date-seal';
import { renderNameSeal } from '../../documents/seals/name-seal';
import { deleteSignature, listSignatures, signatureImage } from '../../domain/signatures/personal-signatures';
import { captureInfo, openCaptureSession, ownCapture, startCapture, submitCapture } from '../../domain/signatures/signature-capture';
import { presentCaptureLink, presentCaptureSession, presentMySignatures } from '../../domain/signatures/signature-views';
import { pngFromDataUrl, SIGNATURE_DATA_URL_MAX_CHARS } from '../../domain/signatures/signature-png';
import {
  dateSettingsSchema,
  defaultSignatureSchema,
  readDateSettings,
  setDefaultSignature,
  updateDateSettings,
} from '../../domain/signatures/signature-settings';
import type { SignatureCaptureSession } from '../../domain/signatures/signature.entities';
import type { ApiDeps } from '../deps';
import { actorOf, route, type AuthedContext, type RequestContext, type RouteDef } from '../http/route';

const param = (ctx: RequestContext, name: string) => String(ctx.req.params[name]);

/** How often the capture event stream looks at the session, its keep-alive comment interval, and open streams per user (per API process). */
export const CAPTURE_EVENTS = { pollMs: 500, heartbeatMs: 15_000, maxStreamsPerUser: 4 };
const openStreams = new Map<string, number>();

function sendPng(ctx: RequestContext, png: Uint8Array): undefined {
  ctx.res.setHeader('Content-Type', 'image/png');
  ctx.res.setHeader('Cache-Control', 'private, no-store');
  ctx.res.end(Buffer.from(png));
  return undefined;
}

const datePreviewQuery = z.object({ format: z.enum(DATE_SEAL_FORMATS).optional(), color: z.enum(Object.keys(DATE_SEAL_COLORS) as [keyof typeof DATE_SEAL_COLORS]).optional() });
const captureBody = z.object({ image: z.string().max(SIGNATURE_DATA_URL_MAX_CHARS) }).strict();
/** The phone's POST body: the longest data URL a 512 KB PNG gives, and room for the JSON around it (≈ 715 KB). */
export const CAPTURE_BODY_MAX_BYTES = SIGNATURE_DATA_URL_MAX_CHARS + 16 * 1024;

/**
 * 个人签章 (M8): the caller's 人名章, handwritten signatures, 日期章 settings and the QR-code
 * capture (`/me/…`, logged in); the phone's capture page (`/signature-captures/:token`, no login,
 * the token is the credential).
 */
export function signatureRoutes(deps: ApiDeps): RouteDef[] {
  const { store, config } = deps.services;
  const publicUrl = config.publicUrl.replace(/\/+$/, '');
  return [
    route({
      method: 'get',
      path: '/me/signatures',
      access: 'user',
      async handler(ctx) {
        return presentMySignatures(await listSignatures(ctx.em, ctx.user), await readDateSettings(ctx.em, ctx.user.id));
      },
    }),
    route({
      method: 'get',
      path: '/me/signatures/name-seal',
      access: 'user',
      async handler(ctx) {
        return sendPng(ctx, await renderNameSeal(ctx.user.name));
      },
    }),
    route({
      method: 'get',
      path: '/me/signatures/date-seal',
      access: 'user',
      async handler(ctx) {
        const query = datePreviewQuery.parse(ctx.req.query);
        const settings = await readDateSettings(ctx.em, ctx.user.id);
        return sendPng(ctx, await renderDateSeal(new Date(), { format: query.format ?? settings.format, color: query.color ?? settings.color }));
      },
    }),
    route({
      method: 'put',
      path: '/me/signatures/date-settings',
      access: 'user',
      async handler(ctx) {
        const s = await updateDateSettings(ctx.em, ctx.user, dateSettingsSchema.parse(ctx.req.body ?? {}), actorOf(ctx));
        return { enabled: s.dateSealEnabled, format: s.dateFormat, color: s.dateColor };
      },
    }),
    route({
      method: 'put',
      path: '/me/signatures/default',
      access: 'user',
      async handler(ctx) {
        const { signatureId } = defaultSignatureSchema.parse(ctx.req.body ?? {});
        await setDefaultSignature(ctx.em, ctx.user, signatureId, actorOf(ctx));
        return { defaultSignatureId: signatureId };
      },
    }),
    route({
      method: 'get',
      path: '/me/signatures/:id/image',
      access: 'user',
      async handler(ctx) {
        return sendPng(ctx, await signatureImage(ctx.em, store, ctx.user, param(ctx, 'id')));
      },
    }),
    route({
      method: 'delete',
      path: '/me/signatures/:id',
      access: 'user',
      async handler(ctx) {
        return deleteSignature(ctx.em, ctx.user, param(ctx, 'id'), actorOf(ctx));
      },
    }),
    route({
      method: 'post',
      path: '/me/signature-captures',
      access: 'user',
      status: 201,
      async handler(ctx) {
        const { session, token } = await startCapture(ctx.em, ctx.user);
        return { ...presentCaptureSession(session), url: `${publicUrl}/capture/${token}` };
      },
    }),
    route({
      method: 'get',
      path: '/me/signature-captures/:id',
      access: 'user',
      async handler(ctx) {
        return presentCaptureSession(await ownCapture(ctx.em, ctx.user, param(ctx, 'id')));
      },
    }),
    route({
      method: 'get',
      path: '/me/signature-captures/:id/events',
      access: 'user',
      async handler(ctx) {
        const first = await ownCapture(ctx.em, ctx.user, param(ctx, 'id'));
        if ((openStreams.get(ctx.user.id) ?? 0) >= CAPTURE_EVENTS.maxStreamsPerUser) {
          throw new AppError('rate_limited', 'TOO_MANY_CAPTURE_STREAMS', '打开的签名状态连接过多，请关闭其他窗口后重试', 'Too many open signature status streams; close other windows and retry', { retryAfterSeconds: 5 });
        }
        streamCaptureEvents(ctx, first);
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/signature-captures/:token',
      access: 'public',
      async handler(ctx) {
        return presentCaptureLink(await captureInfo(ctx.em, param(ctx, 'token')));
      },
    }),
    route({
      method: 'post',
      path: '/signature-captures/:token',
      access: 'public',
      status: 201,
      // The phone's drawing as a data URL (captureBody), from a page that needs no login: anyone may send this much.
      maxJsonBytes: CAPTURE_BODY_MAX_BYTES,
      // Only for a link that exists and still waits: otherwise refused before a byte of the body is read.
      async beforeBody(ctx) {
        await openCaptureSession(ctx.em, param(ctx, 'token'));
      },
      async handler(ctx) {
        const png = pngFromDataUrl(captureBody.parse(ctx.req.body ?? {}).image);
        const added = await submitCapture(ctx.em, store, param(ctx, 'token'), png, ctx.ip);
        return { status: 'submitted', width: added.width, height: added.height };
      },
    }),
  ];
}

/**
 * Server-sent events for the PC page: a `status` event now and whenever the session changes
 * (the phone submitted, the link expired), a comment line as heartbeat; the stream ends once the
 * session is settled, or shortly after its expiry at the latest (the server-side time limit).
 */
function streamCaptureEvents(ctx: AuthedContext, first: SignatureCaptureSession): void {
  const { res } = ctx;
  const userId = ctx.user.id;
  openStreams.set(userId, (openStreams.get(userId) ?? 0) + 1);
  res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no', Connection: 'keep-alive' });
  res.flushHeaders();
  let last = '';
  let closed = false;
  const send = (session: SignatureCaptureSession) => {
    const view = presentCaptureSession(session);
    const text = JSON.stringify(view);
    if (text !== last) res.write(`event: status\ndata: ${text}\n\n`);
    last = text;
    return view.status;
  };
  const deadline = first.expiresAt.getTime() + 2000;
  const end = () => {
    if (closed) return;
    closed = true;
    const left = (openStreams.get(userId) ?? 1) - 1;
    if (left > 0) openStreams.set(userId, left);
    else openStreams.delete(userId);
    clearInterval(poll);
    clearInterval(heartbeat);
    res.end();
  };
  const poll = setInterval(() => {
    ownCapture(ctx.em.fork(), ctx.user, first.id)
      .then((session) => {
        if (closed) return;
        if (send(session) !== 'waiting' || Date.now() > deadline) end();
      })
      .catch(end);
  }, CAPTURE_EVENTS.pollMs);
  const heartbeat = setInterval(() => res.write(': ping\n\n'), CAPTURE_EVENTS.heartbeatMs);
  res.on('close', end); // the client went away (req 'close' fires when its body was read)
  if (send(first) !== 'waiting') end();
}
