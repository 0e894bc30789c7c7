import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { Request } from 'express';
import { clientNetwork } from '../../domain/identity/client-network';
import { allSql, runSql } from '../../domain/persistence/plain-sql';
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
 * secret, so a distributed guess is not let through). Counted in the service's database (`ca_staff_login_failures`,
 * one row per network plus the row `*` for all of them), each failure one atomic upsert: a restart forgets nothing,
 * and parallel guesses are each counted.
 */
export function createLoginThrottle(em: () => EntityManager, max = 10, windowMs = 15 * 60_000, globalMax = 100) {
  const ALL = '*';
  /** One more failure for `key` in its window (a window that has passed starts over). */
  const count = async (key: string, now: number) => {
    const staleBefore = now - windowMs;
    await runSql(
      em(),
      'insert into ca_staff_login_failures (network, failures, window_started_at) values (?, 1, ?) on conflict (network) do update set failures = case when window_started_at <= ? then 1 else failures + 1 end, window_started_at = case when window_started_at <= ? then excluded.window_started_at else window_started_at end',
      [key, now, staleBefore, staleBefore],
    );
  };
  /** Failures of `key` in the current window (0 once it has passed). */
  const failures = async (key: string, now: number): Promise<number> => {
    const [row] = await allSql(em(), 'select failures, window_started_at from ca_staff_login_failures where network = ?', [key]);
    return row && Number(row.window_started_at) > now - windowMs ? Number(row.failures) : 0;
  };
  return {
    async blocked(ip: string, now = Date.now()): Promise<boolean> {
      return (await failures(ALL, now)) >= globalMax || (await failures(clientNetwork(ip), now)) >= max;
    },
    async failed(ip: string, now = Date.now()): Promise<void> {
      await count(ALL, now);
      await count(clientNetwork(ip), now);
      // Rows whose window passed long ago are the same as none.
      await runSql(em(), 'delete from ca_staff_login_failures where window_started_at <= ? and network <> ?', [now - 4 * windowMs, ALL]);
    },
    async succeeded(ip: string): Promise<void> {
      await runSql(em(), 'delete from ca_staff_login_failures where network = ?', [clientNetwork(ip)]);
    },
  };
}
