import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { SessionSchema } from './session.entity';
import { UserSchema, type User } from './user.entity';

export const SESSION_TTL_MS = 7 * 24 * 3600_000;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Starts a session and returns the secret token for the cookie (only its hash is stored). */
export async function createSession(em: EntityManager, userId: string, ip: string | null, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + SESSION_TTL_MS);
  em.create(SessionSchema, { id: randomUUID(), tokenHash: hashToken(token), userId, createdAt: now, expiresAt, ip });
  await em.flush();
  return { token, expiresAt };
}

export async function findSessionUser(em: EntityManager, token: string, now = new Date()): Promise<User | null> {
  const session = await em.findOne(SessionSchema, { tokenHash: hashToken(token), expiresAt: { $gt: now } });
  return session ? em.findOne(UserSchema, { id: session.userId }) : null;
}

export async function endSession(em: EntityManager, token: string): Promise<void> {
  await em.nativeDelete(SessionSchema, { tokenHash: hashToken(token) });
}
