import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { Request } from 'express';
import { CaStaffSessionSchema, type CaStaffSessionRow } from '../persistence/entities';

/**
 * CA staff login: one shared staff password (CA_SERVICE_STAFF_PASSWORD) → a random session token
 * in an HttpOnly, SameSite=Strict cookie (only its SHA-256 is stored). Every POST of the staff pages
 * must come from the service's own origin (Origin header, else Referer) and carry the session's
 * CSRF token.
 */
export const STAFF_COOKIE = 'ca_staff';
export const STAFF_COOKIE_PATH = '/staff';
const SESSION_TTL_MS = 12 * 3600_000;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** Constant-time comparison of two secrets of any length (both hashed first). */
export function secretsEqual(given: string, expected: string): boolean {
  return timingSafeEqual(sha256(given), sha256(expected));
}

export async function openStaffSession(em: EntityManager, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  // Housekeeping: ended sessions go when a new one starts.
  await em.fork().nativeDelete(CaStaffSessionSchema, { expiresAt: { $lte: now } });
  await em.fork().insert(CaStaffSessionSchema, { tokenHash: sha256(token).toString('hex'), csrfToken: randomBytes(24).toString('base64url'), expiresAt, createdAt: now });
  return { token, expiresAt };
}

export async function staffSession(em: EntityManager, token: string | undefined, now = new Date()): Promise<CaStaffSessionRow | null> {
  if (!token || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  return em.fork().findOne(CaStaffSessionSchema, { tokenHash: sha256(token).toString('hex'), expiresAt: { $gt: now } });
}

export async function closeStaffSession(em: EntityManager, token: string | undefined): Promise<void> {
  if (token) await em.fork().nativeDelete(CaStaffSessionSchema, { tokenHash: sha256(token).toString('hex') });
}

/** True when the request comes from a page of this service (public URL or the Host it was sent to). */
export function fromOwnOrigin(req: Request, publicUrl: string): boolean {
  let origin = req.get('origin');
  if (!origin) {
    const referer = req.get('referer');
    try {
      origin = referer ? new URL(referer).origin : undefined;
    } catch {
      origin = undefined;
    }
  }
  if (!origin || origin === 'null') return false;
  return origin === new URL(publicUrl).origin || origin === `${req.protocol}://${req.get('host')}`;
}

/** Failed staff logins per client address: at most `max` per window, counted before the password is checked. */
export function createLoginThrottle(max = 10, windowMs = 15 * 60_000) {
  const failures = new Map<string, { count: number; resetAt: number }>();
  return {
    blocked(ip: string, now = Date.now()): boolean {
      const entry = failures.get(ip);
      if (!entry || entry.resetAt <= now) return false;
      return entry.count >= max;
    },
    failed(ip: string, now = Date.now()): void {
      const entry = failures.get(ip);
      if (!entry || entry.resetAt <= now) failures.set(ip, { count: 1, resetAt: now + windowMs });
      else entry.count++;
      if (failures.size > 10_000) for (const [k, v] of failures) if (v.resetAt <= now) failures.delete(k);
    },
    succeeded(ip: string): void {
      failures.delete(ip);
    },
  };
}
