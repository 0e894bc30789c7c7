import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { SessionSchema, type Session } from './session.entity';
import { UserSchema, type User } from './user.entity';

export const SESSION_TTL_MS = 7 * 24 * 3600_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Starts a session and returns the secret token for the cookie (only its hash is stored). */
export async function createSession(em: EntityManager, userId: string, ip: string | null, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  await em.nativeDelete(SessionSchema, { userId, expiresAt: { $lt: now } }); // the user's stale sessions go at each login
  em.create(SessionSchema, { id: randomUUID(), tokenHash: hashToken(token), userId, createdAt: now, expiresAt, ip, actingEnterpriseId: null });
  await em.flush();
  return { token, expiresAt };
}

export async function findSession(em: EntityManager, token: string, now = new Date()): Promise<{ session: Session; user: User } | null> {
  const session = await em.findOne(SessionSchema, { tokenHash: hashToken(token), expiresAt: { $gt: now } });
  const user = session ? await em.findOne(UserSchema, { id: session.userId }) : null;
  return session && user ? { session, user } : null;
}

export async function endSession(em: EntityManager, token: string): Promise<void> {
  await em.nativeDelete(SessionSchema, { tokenHash: hashToken(token) });
}

/** Ends every session of a user except (optionally) one, e.g. after a password change. */
export async function endOtherSessions(em: EntityManager, userId: string, keepSessionId: string | null): Promise<void> {
  await em.nativeDelete(SessionSchema, keepSessionId ? { userId, id: { $ne: keepSessionId } } : { userId });
}
