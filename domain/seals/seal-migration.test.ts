/**
 * The M12 seal migration on a database that already has seals (SQLite): rows created before it
 * keep working, get the defaults, and are drawn on first access.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EntityManager as SqlEntityManager } from '@mikro-orm/knex';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createFileDocumentStore } from '../../integrations/storage/document-store';
import { SealAuthorizationSchema, SealSchema } from '../enterprises/seal.entities';
import { openOrm, type Orm } from '../persistence/orm';
import { ensureSealImage } from './seal-image';

const BEFORE_SEAL_IMAGES = 'Migration20261201183322';

let dir: string;
let orm: Orm;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-seal-migration-'));
  orm = await openOrm({ dialect: 'sqlite', file: path.join(dir, 'db.sqlite') });
});
afterAll(async () => {
  await orm?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('migrates seals and authorisations created before seal images, and draws those seals on first access', async () => {
  await orm.getMigrator().up({ to: BEFORE_SEAL_IMAGES });
  const knex = (orm.em.fork() as unknown as SqlEntityManager).getKnex();
  const now = new Date();
  const userId = randomUUID();
  const enterpriseId = randomUUID();
  const sealId = randomUUID();
  await knex('users').insert({ id: userId, mobile: '13900000001', name: '老用户', email: null, password_hash: 'x', platform_role: null, real_name_status: 'verified', created_at: now });
  await knex('enterprises').insert({
    id: enterpriseId,
    name: '绍兴老字号酿造有限公司',
    uscc: '91350100M000100Y43',
    legal_representative: '王老板',
    status: 'certified',
    reject_reason: null,
    certifier_user_id: userId,
    admin_user_id: userId,
    authorization_letter_key: 'k',
    authorization_letter_type: 'application/pdf',
    applied_seal_types: '["official"]',
    created_at: now,
    submitted_at: now,
    certified_at: now,
    reviewed_by: null,
    live_key: '91350100M000100Y43',
    version: 1,
  });
  await knex('seals').insert({ id: sealId, enterprise_id: enterpriseId, type: 'official', name: '绍兴老字号酿造有限公司公章', status: 'active', created_at: now, live_key: `${enterpriseId}:official` });
  await knex('seal_authorizations').insert({ id: randomUUID(), enterprise_id: enterpriseId, seal_id: sealId, user_id: userId, granted_by: userId, granted_at: now });

  await orm.getMigrator().up();

  const em = orm.em.fork();
  const seal = await em.findOneOrFail(SealSchema, { id: sealId });
  expect(seal).toMatchObject({ source: 'generated', version: 1, imageKey: null, securityCode: null, departmentName: null, widthMm: null });
  expect((await em.findOneOrFail(SealAuthorizationSchema, { sealId })).expiresAt).toBeNull();

  const store = createFileDocumentStore(path.join(dir, 'files'));
  const drawn = await ensureSealImage(em, store, seal);
  expect(drawn).toMatchObject({ widthMm: 42, heightMm: 42, version: 2, securityCode: expect.stringMatching(/^\d{13}$/) });
  const png = await store.get(drawn.imageKey!);
  expect(Buffer.from(png).readUInt32BE(16)).toBe(992);
  // Drawn once: a second access reuses it.
  expect((await ensureSealImage(orm.em.fork(), store, await orm.em.fork().findOneOrFail(SealSchema, { id: sealId }))).imageKey).toBe(drawn.imageKey);
}, 60_000);
