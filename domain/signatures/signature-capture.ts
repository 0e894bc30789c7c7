/**
 * 手写签名 via QR code: the PC starts a capture session and shows a one-time link; the phone opens
 * it without logging in, draws and submits the PNG. The link carries a random 32-byte token; only
 * its SHA-256 is stored. Submitting consumes the session with one conditional UPDATE
 * (`used_at IS NULL AND expires_at > now`, affected rows checked), so a second submission, a
 * parallel one or a late one is refused.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { raw, type EntityManager } from '@mikro-orm/core';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError, notFound } from '../errors';
import { takeAttemptOrRefuse, type ThrottleRule } from '../identity/attempt-throttle';
import type { User } from '../identity/user.entity';
import { UserSchema } from '../identity/user.entity';
import { normalizeSignaturePng } from './signature-png';
import { ensureSignatureSettings, MAX_SIGNATURES_PER_USER } from './signature-settings';
import { PersonalSignatureSchema, SignatureCaptureSessionSchema, SignatureSettingsSchema, type SignatureCaptureSession } from './signature.entities';
import { retryOnDeadlock } from '../persistence/concurrency';
import { lockRows } from '../persistence/plain-sql';

export const CAPTURE_TTL_MS = 10 * 60 * 1000;
/** Capture links a user may have open (unused, unexpired) at once. */
export const MAX_OPEN_CAPTURES = 3;
/** Capture sessions a user may start per hour. */
export const CAPTURE_START_RULE: ThrottleRule = { max: 20, windowMs: 60 * 60 * 1000, lockMs: 15 * 60 * 1000 };

export type CaptureStatus = 'waiting' | 'submitted' | 'expired';

const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

const linkInvalid = () => notFound('CAPTURE_LINK_INVALID', '签名链接无效', 'This signing link is not valid');
const linkUsed = () => new AppError('conflict', 'CAPTURE_LINK_USED', '该签名链接已使用，请在电脑上重新生成二维码', 'This signing link was already used; create a new QR code on the computer');
const linkExpired = () => new AppError('rejected', 'CAPTURE_LINK_EXPIRED', '签名链接已过期，请在电脑上重新生成二维码', 'This signing link has expired; create a new QR code on the computer');
const limitReached = () =>
  new AppError('conflict', 'SIGNATURE_LIMIT_REACHED', `最多保存 ${MAX_SIGNATURES_PER_USER} 个手写签名，请先删除不用的签名`, `At most ${MAX_SIGNATURES_PER_USER} handwritten signatures; delete one first`);

export function captureStatus(session: SignatureCaptureSession, now = new Date()): CaptureStatus {
  if (session.usedAt) return 'submitted';
  return session.expiresAt.getTime() <= now.getTime() ? 'expired' : 'waiting';
}

/** Starts a capture: returns the session and the token for the link (shown once, never stored). */
export async function startCapture(em: EntityManager, user: User, now = new Date()): Promise<{ session: SignatureCaptureSession; token: string }> {
  await takeAttemptOrRefuse(em, `signature-capture:${user.id}`, CAPTURE_START_RULE, { code: 'CAPTURE_RATE_LIMITED', message: '生成签名二维码过于频繁，请稍后再试', messageEn: 'Too many signature QR codes; try again later' }, now);
  const settings = await ensureSignatureSettings(em, user.id, now);
  if (settings.handwrittenCount >= MAX_SIGNATURES_PER_USER) throw limitReached();
  const token = randomBytes(32).toString('base64url');
  // The cap is counted with the user's row locked: parallel starts count one after another (SQLite: the process's
  // single connection serialises them; a commit of the other process in between makes this one fail busy: retried).
  const session = await retryOnDeadlock(() => em.fork().transactional(async (tx) => {
    await lockRows(tx, 'users', [user.id]);
    const open = await tx.count(SignatureCaptureSessionSchema, { userId: user.id, usedAt: null, expiresAt: { $gt: now } });
    if (open >= MAX_OPEN_CAPTURES) {
      throw new AppError('conflict', 'TOO_MANY_OPEN_CAPTURES', `最多同时打开 ${MAX_OPEN_CAPTURES} 个签名二维码，请使用已有的二维码或稍后再试`, `At most ${MAX_OPEN_CAPTURES} open signature QR codes; use one of them or wait until they expire`);
    }
    return tx.create(SignatureCaptureSessionSchema, {
      id: randomUUID(),
      userId: user.id,
      tokenHash: hashToken(token),
      createdAt: now,
      expiresAt: new Date(now.getTime() + CAPTURE_TTL_MS),
      usedAt: null,
      signatureId: null,
    });
  }));
  return { session, token };
}

/** The caller's own capture session (the PC page watching for the phone's drawing). */
export async function ownCapture(em: EntityManager, user: User, id: string): Promise<SignatureCaptureSession> {
  const found = await em.findOne(SignatureCaptureSessionSchema, { id, userId: user.id }, { refresh: true });
  if (!found) throw notFound('CAPTURE_NOT_FOUND', '签名采集不存在', 'Signature capture not found');
  return found;
}

async function sessionByToken(em: EntityManager, token: string): Promise<SignatureCaptureSession> {
  if (!TOKEN_FORMAT.test(token)) throw linkInvalid();
  const found = await em.findOne(SignatureCaptureSessionSchema, { tokenHash: hashToken(token) }, { refresh: true });
  if (!found) throw linkInvalid();
  return found;
}

/** 张三丰 → **丰: the phone page shows whose signature it collects without the full name. */
export const maskName = (name: string) => {
  const chars = [...name];
  return chars.length <= 1 ? '*' : `${'*'.repeat(chars.length - 1)}${chars[chars.length - 1]}`;
};

/** What the phone page shows before drawing (no login): masked name, expiry, status. */
export async function captureInfo(em: EntityManager, token: string, now = new Date()) {
  const session = await sessionByToken(em, token);
  const user = await em.findOneOrFail(UserSchema, { id: session.userId });
  return { maskedName: maskName(user.name), expiresAt: session.expiresAt, status: captureStatus(session, now) };
}

/**
 * The session of a link that may still take a drawing: unknown (or not a token at all) 404 CAPTURE_LINK_INVALID,
 * used 409 CAPTURE_LINK_USED, expired 422 CAPTURE_LINK_EXPIRED. The phone's POST asks this before its body is
 * read (one indexed read), and `submitCapture` again once it has arrived.
 */
export async function openCaptureSession(em: EntityManager, token: string, now = new Date()): Promise<SignatureCaptureSession> {
  const session = await sessionByToken(em, token);
  const status = captureStatus(session, now);
  if (status === 'submitted') throw linkUsed();
  if (status === 'expired') throw linkExpired();
  return session;
}

/**
 * The phone submits the drawing. The link is checked first (unknown, used, expired → 4xx before
 * any image work), then the image; then ONE transaction consumes the link, counts the signature
 * against the user's limit and stores the row with its audit entry. The image file is written
 * before the transaction and removed again if the transaction does not commit.
 */
export async function submitCapture(em: EntityManager, store: DocumentStore, token: string, png: Uint8Array, ip: string | null, now = new Date()) {
  const session = await openCaptureSession(em, token, now);
  const image = await normalizeSignaturePng(png);
  const user = await em.findOneOrFail(UserSchema, { id: session.userId });
  await ensureSignatureSettings(em, user.id, now);
  const signatureId = randomUUID();
  const imageKey = `signatures/${user.id}/${signatureId}.png`;
  await store.put(imageKey, image.png);
  const actor: AuditActor = { id: user.id, name: user.name, ip };
  try {
    await em.transactional(async (tx) => {
      const consumed = await tx.nativeUpdate(SignatureCaptureSessionSchema, { id: session.id, usedAt: null, expiresAt: { $gt: now } }, { usedAt: now });
      if (consumed !== 1) {
        const latest = await tx.findOneOrFail(SignatureCaptureSessionSchema, { id: session.id }, { refresh: true });
        throw latest.usedAt ? linkUsed() : linkExpired();
      }
      const counted = await tx.nativeUpdate(SignatureSettingsSchema, { userId: user.id, handwrittenCount: { $lt: MAX_SIGNATURES_PER_USER } }, { handwrittenCount: raw('handwritten_count + 1'), updatedAt: now });
      if (counted !== 1) throw limitReached();
      await tx.insert(PersonalSignatureSchema, {
        id: signatureId,
        userId: user.id,
        kind: 'handwritten',
        imageKey,
        imageSha256: createHash('sha256').update(image.png).digest('hex'),
        width: image.width,
        height: image.height,
        createdAt: now,
        deletedAt: null,
      });
      await tx.nativeUpdate(SignatureCaptureSessionSchema, { id: session.id }, { signatureId });
      recordAudit(tx, actor, { action: 'signature.added', targetType: 'signature', targetId: signatureId, detail: { captureId: session.id, width: image.width, height: image.height }, at: now });
    });
  } catch (err) {
    await store.delete(imageKey).catch(() => undefined);
    throw err;
  }
  return { signatureId, width: image.width, height: image.height };
}

/** Capture links that were never used are kept this long after expiry (the PC page may still ask), then removed. */
export const STALE_CAPTURE_MS = 24 * 3600_000;

/**
 * Housekeeping: removes capture sessions that expired unused more than a day ago (used ones stay:
 * they record where a signature came from). For the daily reconcile run.
 */
export async function pruneStaleCaptureSessions(em: EntityManager, now = new Date()): Promise<number> {
  return em.nativeDelete(SignatureCaptureSessionSchema, { usedAt: null, expiresAt: { $lt: new Date(now.getTime() - STALE_CAPTURE_MS) } });
}
