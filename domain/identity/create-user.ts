import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { hashPassword } from './passwords';
import { UserSchema, type PlatformRole, type RealNameStatus, type User } from './user.entity';

interface NewUserFields {
  mobile: string;
  name: string;
  platformRole?: PlatformRole | null;
  realNameStatus?: RealNameStatus;
}

/** The password in clear (hashed here), or a hash made by `hashPassword` (many users with one known password: test fixtures). */
export type NewUser = NewUserFields & ({ password: string } | { passwordHash: string });

/** Adds a user to the unit of work (the caller flushes). The one place user rows are built. */
export async function createUser(em: EntityManager, u: NewUser, now = new Date()): Promise<User> {
  return em.create(UserSchema, {
    id: randomUUID(),
    mobile: u.mobile,
    name: u.name,
    email: null,
    passwordHash: 'passwordHash' in u ? u.passwordHash : await hashPassword(u.password),
    platformRole: u.platformRole ?? null,
    realNameStatus: u.realNameStatus ?? 'unverified',
    createdAt: now,
  });
}
