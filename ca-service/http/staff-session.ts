import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { Request } from 'express';
import { clientNetwork } from '../../domain/identity/client-network';
import { CaStaffSessionSchema, type CaStaffSessionRow } from '../persistence/entities';

/**
 * CA staff login: one shared staff password (CA_SERVICE_STAFF_PASSWORD) → a random session token
 * in an HttpOnly, SameSite=Strict cookie. Only an HMAC of the token keyed with the staff password is stored, so a
 * changed password ends every session opened under the old one (a leaked password is revoked by changing it,
 * sessions included). Every POST of the staff pages
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

/** The stored form of a session token: HMAC-SHA-256 keyed with the staff password (64 hex characters). */
const sessionKey = (token: string, staffPassword: string) => createHmac('sha256', `sealflow/ca-staff-session:${staffPassword}`).update(token, 'utf8').digest('hex');

export async function openStaffSession(em: EntityManager, staffPassword: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  // Housekeeping: ended sessions go when a new one starts.
  await em.fork().nativeDelete(CaStaffSessionSchema, { expiresAt: { $lte: now } });
  await em.fork().insert(CaStaffSessionSchema, { tokenHash: sessionKey(token, staffPassword), csrfToken: randomBytes(24).toString('base64url'), expiresAt, createdAt: now });
  return { token, expiresAt };
}

export async function staffSession(em: EntityManager, token: string | undefined, staffPassword: string | null, now = new Date()): Promise<CaStaffSessionRow | null> {
  if (!token || !staffPassword || !/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
  return em.fork().findOne(CaStaffSessionSchema, { tokenHash: sessionKey(token, staffPassword), expiresAt: { $gt: now } });
}

export async function closeStaffSession(em: EntityManager, token: string | undefined, staffPassword: string | null): Promise<void> {
  if (token && staffPassword) await em.fork().nativeDelete(CaStaffSessionSchema, { tokenHash: sessionKey(token, staffPassword) });
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

/**
 * Failed staff logins: at most `max` per window from one client network (an IPv4 address, an IPv6 /64: one subscriber
 * holds a whole /64, so per address it would be no limit), and at most `globalMax` per window from all networks
 * together (many networks guessing at once stop every login for the rest of the window: the password is the only
 * secret, so a distributed guess is not let through). Kept in memory: the map holds at most the networks of one window.
 */
export function createLoginThrottle(max = 10, windowMs = 15 * 60_000, globalMax = 100) {
  const failures = new Map<string, { count: number; resetAt: number }>();
  let all = { count: 0, resetAt: 0 };
  return {
    blocked(ip: string, now = Date.now()): boolean {
      if (all.resetAt > now && all.count >= globalMax) return true;
      const entry = failures.get(clientNetwork(ip));
      if (!entry || entry.resetAt <= now) return false;
      return entry.count >= max;
    },
    failed(ip: string, now = Date.now()): void {
      if (all.resetAt <= now) all = { count: 0, resetAt: now + windowMs };
      all.count++;
      const network = clientNetwork(ip);
      const entry = failures.get(network);
      if (!entry || entry.resetAt <= now) failures.set(network, { count: 1, resetAt: now + windowMs });
      else entry.count++;
      if (failures.size > 1_000) for (const [k, v] of failures) if (v.resetAt <= now) failures.delete(k);
    },
    succeeded(ip: string): void {
      failures.delete(clientNetwork(ip));
    },
  };
}
