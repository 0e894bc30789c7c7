import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { hashPassword } from './passwords';
import { UserSchema, type PlatformRole, type RealNameStatus, type User } from './user.entity';

export interface NewUser {
  mobile: string;
  name: string;
  password: string;
  platformRole?: PlatformRole | null;
  realNameStatus?: RealNameStatus;
}

/** Adds a user to the unit of work (the caller flushes). The one place user rows are built. */
export async function createUser(em: EntityManager, u: NewUser, now = new Date()): Promise<User> {
  return em.create(UserSchema, {
    id: randomUUID(),
    mobile: u.mobile,
    name: u.name,
    email: null,
    passwordHash: await hashPassword(u.password),
    platformRole: u.platformRole ?? null,
    realNameStatus: u.realNameStatus ?? 'unverified',
    createdAt: now,
  });
}
