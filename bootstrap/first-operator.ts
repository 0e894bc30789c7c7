import { randomBytes } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import type { AppConfig } from '../config';
import { createUser } from '../domain/identity/create-user';
import { UserSchema } from '../domain/identity/user.entity';

/**
 * On first start there is no platform operator: create one from configuration
 * (OPERATOR_MOBILE / OPERATOR_PASSWORD), or with a generated password that is printed once.
 * Replicas starting together on an empty database create one: the others find it taken and go on.
 */
export async function ensureFirstOperator(em: EntityManager, config: AppConfig, print: (line: string) => void = console.log, again = false): Promise<void> {
  if (await em.count(UserSchema, { platformRole: 'operator' })) return;
  const existing = await em.findOne(UserSchema, { mobile: config.operator.mobile });
  if (existing) {
    existing.platformRole = 'operator';
    await em.flush();
    print(`[bootstrap] ${config.operator.mobile} is now a platform operator`);
    return;
  }
  const password = config.operator.password ?? `Op-${randomBytes(9).toString('base64url')}`;
  await createUser(em, { mobile: config.operator.mobile, name: '平台管理员', password, platformRole: 'operator', realNameStatus: 'verified' });
  try {
    await em.flush();
  } catch (err) {
    // The mobile is taken meanwhile: another replica starting on the same empty database created the operator, or
    // someone registered that number. Look once more (an existing user is then made operator).
    if (err instanceof UniqueConstraintViolationException && !again) return ensureFirstOperator(em.fork(), config, print, true);
    throw err;
  }
  print(`[bootstrap] platform operator created: ${config.operator.mobile}${config.operator.password ? '' : ` / ${password} (shown once; change it after logging in)`}`);
}
