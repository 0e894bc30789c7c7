import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { ConfigError, type AppConfig } from '../config';
import { createUser } from '../domain/identity/create-user';
import { recordAudit, SYSTEM_ACTOR, type AuditEntry } from '../domain/audit/record-audit';
import { maskMobile } from '../domain/identity/masking';
import { UserSchema, type PlatformRole } from '../domain/identity/user.entity';

/** Where a generated first-operator password is written (owner-readable only), under DATA_DIR. */
export const firstOperatorPasswordFile = (dataDir: string) => path.join(dataDir, 'first-operator-password.txt');

/**
 * On first start there is no platform operator: create one from configuration
 * (OPERATOR_MOBILE / OPERATOR_PASSWORD), or with a generated password written to a file only the
 * service's user can read (DATA_DIR/first-operator-password.txt, mode 0600); the log names the file,
 * never the password (logs are read by more people than the operator: a collector, a support desk).
 * Replicas starting together on an empty database create one: the others find it taken and go on.
 */
export async function ensureFirstOperator(em: EntityManager, config: AppConfig, print: (line: string) => void = console.log, again = false): Promise<void> {
  if (await em.count(UserSchema, { platformRole: 'operator' })) return;
  const mobile = config.operator.mobile;
  if (mobile === null) throw new ConfigError("OPERATOR_MOBILE must be set in production for the first start: the first platform operator's own mobile number (its SMS login codes go there)");
  const existing = await em.findOne(UserSchema, { mobile });
  if (existing) {
    // Conditioned on the role as read, with its audit row in the same transaction: replicas promoting the same
    // account at once write one row between them.
    const from = existing.platformRole;
    const promoted = await em.transactional(async (tx) => {
      const n = await tx.nativeUpdate(UserSchema, { id: existing.id, platformRole: from }, { platformRole: 'operator' });
      if (n) recordAudit(tx, SYSTEM_ACTOR, platformRoleChanged(existing.id, from));
      return n;
    });
    if (promoted) print(`[bootstrap] ${maskMobile(mobile)} is now a platform operator`);
    return;
  }
  const password = config.operator.password ?? `Op-${randomBytes(9).toString('base64url')}`;
  // A generated password is on disk BEFORE the operator is committed (a temporary file of this process, renamed
  // once the commit succeeded): a file that cannot be written stops the start with nothing created — after a
  // commit, the next start would find the operator and the password would be lost. A replica that lost the race
  // removes only its own temporary file.
  const pending = config.operator.password ? null : writePendingPasswordFile(config.dataDir, mobile, password);
  const created = await createUser(em, { mobile, name: '平台管理员', password, platformRole: 'operator', realNameStatus: 'verified' });
  recordAudit(em, SYSTEM_ACTOR, platformRoleChanged(created.id, null));
  try {
    await em.flush();
  } catch (err) {
    if (pending) fs.rmSync(pending, { force: true });
    // The mobile is taken meanwhile: another replica starting on the same empty database created the operator, or
    // someone registered that number. Look once more (an existing user is then made operator).
    if (err instanceof UniqueConstraintViolationException && !again) return ensureFirstOperator(em.fork(), config, print, true);
    throw err;
  }
  if (!pending) {
    print(`[bootstrap] platform operator created: ${maskMobile(mobile)}`);
    return;
  }
  const file = firstOperatorPasswordFile(config.dataDir);
  fs.renameSync(pending, file);
  print(`[bootstrap] platform operator created: ${maskMobile(mobile)}; its generated password is in ${file} (readable by this service's user only): log in, change it, then delete the file`);
}

/** The audit entry of a user made platform operator by the system (actor 系统), from the role they had. */
const platformRoleChanged = (userId: string, from: PlatformRole | null): AuditEntry => ({ action: 'user.platform_role_changed', targetType: 'user', targetId: userId, detail: { from, to: 'operator' } });

/** A new file of this process (mode 0600 from its creation, never through a link) holding the mobile and the password. */
function writePendingPasswordFile(dataDir: string, mobile: string, password: string): string {
  fs.mkdirSync(dataDir, { recursive: true });
  const pending = `${firstOperatorPasswordFile(dataDir)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  fs.writeFileSync(pending, `${mobile}\n${password}\n`, { mode: 0o600, flag: 'wx' });
  return pending;
}
