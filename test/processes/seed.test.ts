/**
 * `scripts/seed.ts` (run by `npm start` before the services) in each environment, as a real child process:
 * - production: the set-up and its first operator (OPERATOR_MOBILE, generated password on disk), no demo users, no
 *   published password;
 * - demo (a demonstration others reach): the demo users, but the operator with a generated password, never the
 *   published one (with the outbox it reads every SMS code, so it could log in as anyone).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { firstOperatorPasswordFile } from '../../bootstrap/first-operator';
import { loadConfig } from '../../config';
import { verifyPassword } from '../../domain/identity/passwords';
import { UserSchema } from '../../domain/identity/user.entity';
import { openOrm } from '../../domain/persistence/orm';
import { cleanChildEnv } from '../harness/child-env';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const PRODUCTION = {
  APP_ENV: 'production',
  MASTER_KEY: `mk-${randomUUID()}-${randomUUID()}`,
  SMS_PROVIDER: 'http',
  SMS_HTTP_URL: 'https://sms.example.com/send',
  SMS_HTTP_SECRET: 's'.repeat(32),
  CA_SERVICE_API_KEY: 'c'.repeat(40),
  OPERATOR_MOBILE: '13700000077',
};

/** Runs the seed with `env` on a fresh data directory; answers its output, exit code and the users it left. */
async function seed(env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-seed-'));
  dirs.push(dataDir);
  const full = { DATA_DIR: dataDir, DATABASE_URL: `sqlite:${path.join(dataDir, 'app.sqlite')}`, TEMPORAL_ADDRESS: inject('temporalAddress'), TEMPORAL_TASK_QUEUE: `seed-${randomUUID()}`, ...env };
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/seed.ts'], { env: cleanChildEnv(full), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += String(d)));
  child.stderr.on('data', (d) => (output += String(d)));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const config = loadConfig(full);
  const orm = await openOrm(config.database);
  try {
    const users = await orm.em.fork().find(UserSchema, {}, { orderBy: { mobile: 'asc' } });
    return { code, output, users, config };
  } finally {
    await orm.close();
  }
}

describe('the seed', () => {
  it('in production: the first operator from OPERATOR_MOBILE with a generated password, and no demo data', async () => {
    const { code, output, users, config } = await seed(PRODUCTION);
    expect(code, output).toBe(0);
    expect(output).toContain('[seed] production: no demo data');
    expect(users.map((u) => [u.mobile, u.platformRole])).toEqual([['13700000077', 'operator']]);
    expect(fs.existsSync(firstOperatorPasswordFile(config.dataDir))).toBe(true);
    expect(output).not.toContain('Demo@123456');
  }, 60_000);

  it('in a demonstration: the demo users, and the operator with a generated password (not the published one)', async () => {
    const { code, output, users, config } = await seed({ APP_ENV: 'demo', MASTER_KEY: PRODUCTION.MASTER_KEY });
    expect(code, output).toBe(0);
    expect(users.map((u) => [u.mobile, u.platformRole])).toEqual([
      ['13800000001', null],
      ['13800000002', null],
      ['13900000000', 'operator'],
    ]);
    const operator = users.find((u) => u.platformRole === 'operator')!;
    expect(await verifyPassword(operator.passwordHash, 'Admin@123456')).toBe(false);
    const generated = fs.readFileSync(firstOperatorPasswordFile(config.dataDir), 'utf8').trim();
    expect(await verifyPassword(operator.passwordHash, generated.split(/\s+/).at(-1)!)).toBe(true);
  }, 60_000);
});
