import type { EntityManager } from '@mikro-orm/core';
import { recordAudit } from '../audit/record-audit';
import { AppError } from '../errors';
import { verifyPassword } from './passwords';
import { createSession } from './sessions';
import { UserSchema, type User } from './user.entity';

const badCredentials = () => new AppError('unauthenticated', 'BAD_CREDENTIALS', '手机号或密码错误', 'Wrong mobile number or password');

/** Password login: on success a new session (the cookie is rotated at every login). */
export async function loginWithPassword(em: EntityManager, mobile: string, password: string, ip: string | null): Promise<{ user: User; token: string; expiresAt: Date }> {
  const user = await em.findOne(UserSchema, { mobile });
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    recordAudit(em, { id: user?.id ?? null, name: user?.name ?? mobile, ip }, { action: 'auth.login_failed', targetType: 'user', targetId: user?.id ?? mobile.slice(0, 36) });
    await em.flush();
    throw badCredentials();
  }
  const session = await createSession(em, user.id, ip);
  recordAudit(em, { id: user.id, name: user.name, ip }, { action: 'auth.login', targetType: 'user', targetId: user.id });
  await em.flush();
  return { user, ...session };
}
