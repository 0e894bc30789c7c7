/**
 * Makes the database refuse one audit action (a trigger on audit_events), so a test can show that a
 * change whose audit row cannot be written is not committed either. Returns the trigger's removal:
 * call it in a `finally` (the run's database is shared by the files running at the same time; `targetId`
 * narrows the refusal to the row under test).
 */
import { randomBytes } from 'node:crypto';
import type { Services } from '../../bootstrap/services';
import type { AuditAction } from '../../domain/audit/audit-actions';
import { sqlDialect } from '../../domain/persistence/sql-dialect';

/** The message of the refused insert (in the error the change fails with). */
export const AUDIT_REJECTED = 'audit row rejected by the test';

const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function rejectAuditAction(services: Pick<Services, 'orm'>, action: AuditAction, targetId?: string): Promise<() => Promise<void>> {
  const em = services.orm.em.fork();
  const name = `test_reject_audit_${randomBytes(6).toString('hex')}`;
  const when = `NEW.action = ${literal(action)}${targetId ? ` AND NEW.target_id = ${literal(targetId)}` : ''}`;
  const sql =
    sqlDialect(em) === 'sqlite'
      ? `CREATE TRIGGER ${name} BEFORE INSERT ON audit_events WHEN ${when} BEGIN SELECT RAISE(ABORT, ${literal(AUDIT_REJECTED)}); END`
      : `CREATE TRIGGER ${name} BEFORE INSERT ON audit_events FOR EACH ROW BEGIN IF ${when} THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = ${literal(AUDIT_REJECTED)}; END IF; END`;
  await em.getConnection().execute(sql, [], 'run');
  return async () => {
    await em.getConnection().execute(`DROP TRIGGER IF EXISTS ${name}`, [], 'run');
  };
}
