// @sqlite-too: the back-fill writes the unique live key on both dialects.
/**
 * Applications from before one verified account per ID number have no hash (the migration cannot compute it: the
 * number is stored encrypted with the master key). The lazy back-fill decrypts and fills them; an approved one
 * then holds its number, and a number verified on two accounts before the rule stays live on the first only.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppError } from '../../domain/errors';
import { backfillIdNumberHashes, submitRealName } from '../../domain/identity/real-name';
import { RealNameApplicationSchema } from '../../domain/identity/real-name-application.entity';
import { idNumberHash } from '../../domain/identity/real-name-id-hash';
import { UserSchema } from '../../domain/identity/user.entity';
import { encryptSecret } from '../../integrations/ca/key-encryption';
import { createIdentityVerifier } from '../../integrations/identity';
import { createUser } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { idNumberFrom } from '../harness/registration';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
let sequence = Math.floor(Math.random() * 500);
function uniqueIdNumber(): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + Math.floor(Math.random() * 18_000) * 86_400_000);
  return idNumberFrom(`110105${birth.toISOString().slice(0, 10).replaceAll('-', '')}${String(sequence++ % 1000).padStart(3, '0')}`);
}

/** An application as written before the column: hash and live key NULL. */
async function legacyApplication(idNumber: string, status: 'approved' | 'pending', reviewedAt: Date | null) {
  const u = await createUser(platform.services, '旧实名', null, status === 'approved' ? 'verified' : 'pending');
  const x = em();
  const row = x.create(RealNameApplicationSchema, {
    id: randomUUID(), userId: u.id, name: '张三', idNumberEncrypted: encryptSecret(idNumber, platform.config.masterKey), idNumberMasked: '110***********0000',
    idNumberHash: null, mobile: u.mobile, status, rejectReason: null, reviewedBy: null, reviewedAt, createdAt: new Date(),
  });
  await x.flush();
  return row.id;
}

it('fills the hash of old rows; an approved one then refuses the number on another account', async () => {
  const idNumber = uniqueIdNumber();
  const approvedId = await legacyApplication(idNumber, 'approved', new Date());
  const pendingId = await legacyApplication(uniqueIdNumber(), 'pending', null);
  const result = await backfillIdNumberHashes(em(), platform.config.masterKey);
  expect(result.notLive).toEqual([]);
  const approved = await em().findOneOrFail(RealNameApplicationSchema, { id: approvedId });
  expect(approved).toMatchObject({ idNumberHash: idNumberHash(idNumber, platform.config.masterKey), liveKey: idNumberHash(idNumber, platform.config.masterKey) });
  expect(await em().findOneOrFail(RealNameApplicationSchema, { id: pendingId })).toMatchObject({ idNumberHash: expect.stringMatching(/^[0-9a-f]{64}$/), liveKey: null });
  expect(await em().count(RealNameApplicationSchema, { idNumberHash: null })).toBe(0);

  const other = await createUser(platform.services, '新账号', null, 'unverified');
  const x = em();
  const user = await x.findOneOrFail(UserSchema, { id: other.id });
  const refused = await submitRealName(x, createIdentityVerifier(platform.config), platform.config.masterKey, user, { name: '张三', idNumber }, { id: user.id, name: user.name, ip: null }).catch((e: unknown) => e);
  expect(refused).toBeInstanceOf(AppError);
  expect((refused as AppError).code).toBe('ID_NUMBER_TAKEN');
});

it('a number approved on two accounts before the rule: live on the earlier decision only, the later reported', async () => {
  const idNumber = uniqueIdNumber();
  const later = await legacyApplication(idNumber, 'approved', new Date(Date.now() - 1000));
  const earlier = await legacyApplication(idNumber, 'approved', new Date(Date.now() - 60_000));
  const result = await backfillIdNumberHashes(em(), platform.config.masterKey);
  expect(result.notLive).toEqual([later]);
  const hash = idNumberHash(idNumber, platform.config.masterKey);
  expect(await em().findOneOrFail(RealNameApplicationSchema, { id: earlier })).toMatchObject({ idNumberHash: hash, liveKey: hash });
  expect(await em().findOneOrFail(RealNameApplicationSchema, { id: later })).toMatchObject({ idNumberHash: hash, liveKey: null });
  // Idempotent: nothing left to fill.
  expect(await backfillIdNumberHashes(em(), platform.config.masterKey)).toEqual({ filled: 0, notLive: [] });
});
