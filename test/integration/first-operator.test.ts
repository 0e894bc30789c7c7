/** First start: a platform operator is created from configuration, or with a generated password written to a 0600 file. */
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { ensureFirstOperator, firstOperatorPasswordFile } from '../../bootstrap/first-operator';
import { loadConfig } from '../../config';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { createUser } from '../../domain/identity/create-user';
import { verifyPassword } from '../../domain/identity/passwords';
import { UserSchema } from '../../domain/identity/user.entity';
import { migrate, openOrm, type Orm } from '../../domain/persistence/orm';

let orm: Orm | undefined;
const dirs: string[] = [];
afterEach(async () => {
  await orm?.close();
  orm = undefined;
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function freshDb(env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-op-'));
  dirs.push(dir);
  const config = loadConfig({ DATABASE_URL: `sqlite:${path.join(dir, 'db.sqlite')}`, DATA_DIR: dir, ...env });
  orm = await openOrm(config.database);
  await migrate(orm);
  return config;
}

it('creates the operator with the configured password, once', async () => {
  const config = await freshDb({ OPERATOR_MOBILE: '13700000000', OPERATOR_PASSWORD: 'Config#Pass1' });
  const lines: string[] = [];
  await ensureFirstOperator(orm!.em.fork(), config, (l) => lines.push(l));
  await ensureFirstOperator(orm!.em.fork(), config, (l) => lines.push(l));
  const ops = await orm!.em.fork().find(UserSchema, { platformRole: 'operator' });
  expect(ops).toHaveLength(1);
  expect(ops[0]!.mobile).toBe('13700000000');
  expect(await verifyPassword(ops[0]!.passwordHash, 'Config#Pass1')).toBe(true);
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toContain('Config#Pass1');
  // Created with its audit row, by 系统.
  const rows = await orm!.em.fork().find(AuditEventSchema, { action: 'user.platform_role_changed' });
  expect(rows.map((r) => [r.targetId, r.actorId, r.actorName, JSON.parse(r.detail!)])).toEqual([[ops[0]!.id, null, '系统', { from: null, to: 'operator' }]]);
});

it('an existing account at OPERATOR_MOBILE is made operator with one audit row by 系统, also when replicas promote it at once', async () => {
  const config = await freshDb({ OPERATOR_MOBILE: '13700000005' });
  const em = orm!.em.fork();
  const user = await createUser(em, { mobile: '13700000005', name: '张三', password: 'User#Pass1' });
  await em.flush();
  const lines: string[] = [];
  await Promise.all(Array.from({ length: 3 }, () => ensureFirstOperator(orm!.em.fork(), config, (l) => lines.push(l))));
  expect((await orm!.em.fork().findOneOrFail(UserSchema, { id: user.id })).platformRole).toBe('operator');
  const rows = await orm!.em.fork().find(AuditEventSchema, { action: 'user.platform_role_changed' });
  expect(rows.map((r) => [r.targetId, r.actorId, r.actorName, JSON.parse(r.detail!)])).toEqual([[user.id, null, '系统', { from: null, to: 'operator' }]]);
  expect(lines).toEqual(['[bootstrap] 137****0005 is now a platform operator']); // masked, as every mobile number in the logs
  expect(fs.existsSync(firstOperatorPasswordFile(config.dataDir))).toBe(false);
});

it('generates a password into a file only the service user can read; the log names the file, never the password', async () => {
  const config = await freshDb({ OPERATOR_MOBILE: '13700000001' });
  const lines: string[] = [];
  await ensureFirstOperator(orm!.em.fork(), config, (l) => lines.push(l));
  const file = firstOperatorPasswordFile(config.dataDir);
  const [mobile, password] = fs.readFileSync(file, 'utf8').trim().split('\n');
  expect(mobile).toBe('13700000001');
  expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  const op = await orm!.em.fork().findOneOrFail(UserSchema, { mobile: '13700000001' });
  expect(await verifyPassword(op.passwordHash, password!)).toBe(true);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).not.toContain(password!);
  expect(fs.readdirSync(config.dataDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

it('a DATA_DIR that cannot be written stops the start with no operator created (the password would be lost otherwise)', async () => {
  const config = await freshDb({ OPERATOR_MOBILE: '13700000003' });
  const blocked = path.join(config.dataDir, 'not-a-dir');
  fs.writeFileSync(blocked, 'x');
  const err = await ensureFirstOperator(orm!.em.fork(), { ...config, dataDir: blocked }, () => undefined).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(Error);
  expect(await orm!.em.fork().count(UserSchema, { platformRole: 'operator' })).toBe(0);
});

it('replicas starting together on an empty database create one operator, and none of them fails', async () => {
  const config = await freshDb({ OPERATOR_MOBILE: '13700000002', OPERATOR_PASSWORD: 'Config#Pass1' });
  const lines: string[] = [];
  await Promise.all(Array.from({ length: 4 }, () => ensureFirstOperator(orm!.em.fork(), config, (l) => lines.push(l))));
  expect(await orm!.em.fork().count(UserSchema, { platformRole: 'operator' })).toBe(1);
  expect(lines.length).toBeGreaterThanOrEqual(1);
});

it('production without OPERATOR_MOBILE: the first start refuses with a clear message and creates nothing; once an operator exists it is not needed', async () => {
  const production = { APP_ENV: 'production', MASTER_KEY: 'm'.repeat(40), SMS_PROVIDER: 'http', SMS_HTTP_URL: 'https://sms.example.com/send', SMS_HTTP_SECRET: 's'.repeat(32), CA_SERVICE_API_KEY: 'c'.repeat(40) };
  const config = await freshDb(production);
  await expect(ensureFirstOperator(orm!.em.fork(), config, () => undefined)).rejects.toThrow(/OPERATOR_MOBILE must be set in production/);
  expect(await orm!.em.fork().count(UserSchema, {})).toBe(0);
  expect(fs.existsSync(firstOperatorPasswordFile(config.dataDir))).toBe(false);
  await ensureFirstOperator(orm!.em.fork(), { ...config, operator: { mobile: '13700000004', password: 'Config#Pass1' } }, () => undefined);
  await expect(ensureFirstOperator(orm!.em.fork(), config, () => undefined)).resolves.toBeUndefined();
});
