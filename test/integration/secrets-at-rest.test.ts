/**
 * Secrets at rest against the real database: the running services never decrypt the CA root key,
 * data encrypted in the legacy v1 (scrypt) format stays readable and is upgraded, and the
 * per-signature key cost with the cached HKDF key; SMS codes are kept only as keyed hashes, and pruned.
 */
import { createCipheriv, createHash, createHmac, hkdfSync, randomBytes, scryptSync } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config';
import { createServices } from '../../bootstrap/services';
import { createDbCaMaterialStore, upgradeCaMaterialEncryption } from '../../domain/certificates/ca-material-store';
import { CaMaterialSchema, SigningCertificateSchema } from '../../domain/certificates/certificate.entities';
import { ensureUserCertificate } from '../../domain/certificates/user-certificates';
import { migrate, openOrm } from '../../domain/persistence/orm';
import { decryptSecret, needsReencryption } from '../../integrations/ca/key-encryption';
import { createLocalCertificateAuthority, openRootKey, type StoredCaMaterial } from '../../integrations/ca/local-ca';
import { SmsChallengeSchema } from '../../domain/sms/sms.entities';
import { pruneCodeRecords, SMS_CHALLENGE_RETENTION_MS } from '../../domain/sms/prune-code-records';
import { sendVerificationCode } from '../../domain/sms/verification-codes';
import { createSmsSender } from '../../integrations/sms';
import { createUser, latestSmsCode } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

/** The v1 format exactly as the code before HKDF wrote it (scrypt N=32768 per blob). */
function encryptV1(plain: string, masterKey: string): string {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const header = 'sfenc$v1$scrypt:N=32768,r=8,p=1';
  const key = scryptSync(masterKey, salt, 32, { N: 32768, r: 8, p: 1, maxmem: 256 * 32768 * 8 + 1024 * 1024 });
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(header, 'ascii'));
  const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return [header, salt, iv, cipher.getAuthTag(), ct].map((p) => (typeof p === 'string' ? p : p.toString('base64url'))).join('$');
}

let platform: TestPlatform;
let tmp: string;
beforeAll(async () => {
  platform = await startTestPlatform();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-secrets-'));
});
afterAll(async () => {
  await platform?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('CA root key', () => {
  it('is never decrypted by a running service: API/worker start and issue certificates with the root key unreadable', async () => {
    const em = platform.services.orm.em.fork();
    const row = await em.findOneOrFail(CaMaterialSchema, { id: 'platform' });
    const original = row.rootKeyEncrypted;
    expect(original.startsWith('sfenc$v2$hkdf-sha256:ca-root$')).toBe(true);
    await em.nativeUpdate(CaMaterialSchema, { id: 'platform' }, { rootKeyEncrypted: 'sfenc$v2$hkdf-sha256:ca-root$AAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA$AAAA' });
    try {
      // What api/main.ts and worker/main.ts do at start.
      const services = await createServices(platform.config, { migrate: false });
      try {
        const issued = await services.ca.issueSigningCertificate({ commonName: '根密钥离线' });
        expect(issued.issuer).toContain('Issuing CA');
      } finally {
        await services.close();
      }
      // Only the set-up path opens it, and it notices the damage.
      const material = (await em.fork().findOneOrFail(CaMaterialSchema, { id: 'platform' })) as StoredCaMaterial;
      expect(() => openRootKey(material, platform.config.masterKey)).toThrow(/wrong master key or corrupted/);
    } finally {
      await em.nativeUpdate(CaMaterialSchema, { id: 'platform' }, { rootKeyEncrypted: original });
    }
  });

  it('legacy CA material (v1) keeps working and the set-up path re-encrypts it, the root key under its own purpose', async () => {
    const masterKey = 'legacy-ca-master-key-0123456789-abcdef';
    const config = loadConfig({ DATABASE_URL: `sqlite:${path.join(tmp, 'legacy.sqlite')}`, DATA_DIR: tmp, MASTER_KEY: masterKey });
    const orm = await openOrm(config.database);
    try {
      await migrate(orm);
      // Material as the old code stored it: both keys in v1.
      let fresh: StoredCaMaterial | null = null;
      await createLocalCertificateAuthority({ name: 'Legacy', masterKey, store: { load: async () => fresh, save: async (m) => void (fresh = m) }, keyBits: { root: 2048, issuing: 2048 } });
      const m = fresh as unknown as StoredCaMaterial;
      const legacy = { ...m, rootKeyEncrypted: encryptV1(openRootKey(m, masterKey), masterKey), issuingKeyEncrypted: encryptV1(decryptSecret(m.issuingKeyEncrypted, masterKey).toString('utf8'), masterKey) };
      await createDbCaMaterialStore(orm).save(legacy);

      const before = await createLocalCertificateAuthority({ name: 'Legacy', masterKey, store: createDbCaMaterialStore(orm) });
      expect(before.rootCertificatePem()).toBe(m.rootCertificatePem);

      expect(await upgradeCaMaterialEncryption(orm, masterKey)).toEqual(['root key', 'issuing key']);
      const row = await orm.em.fork().findOneOrFail(CaMaterialSchema, { id: 'platform' });
      expect(row.rootKeyEncrypted.startsWith('sfenc$v2$hkdf-sha256:ca-root$')).toBe(true);
      expect(row.issuingKeyEncrypted.startsWith('sfenc$v2$hkdf-sha256:data$')).toBe(true);
      expect(openRootKey(row, masterKey)).toBe(openRootKey(m, masterKey));
      const after = await createLocalCertificateAuthority({ name: 'Legacy', masterKey, store: createDbCaMaterialStore(orm) });
      expect(after.chainPem()).toEqual(before.chainPem());
      expect(await upgradeCaMaterialEncryption(orm, masterKey)).toEqual([]);
    } finally {
      await orm.close();
    }
  });
});

describe('signer keys', () => {
  it('a key stored in the legacy v1 format still signs, is re-encrypted once, and the per-signature key cost drops', async () => {
    const { services } = platform;
    const masterKey = services.config.masterKey;
    const user = await createUser(services, '旧密钥');
    const em = services.orm.em.fork();
    const first = await ensureUserCertificate(em, services.ca, masterKey, user);
    const cert = await em.findOneOrFail(SigningCertificateSchema, { ownerId: user.id });
    cert.privateKeyEncrypted = encryptV1(first.privateKeyPem, masterKey);
    await em.flush();

    const timed = async () => {
      const t = performance.now();
      const creds = await ensureUserCertificate(services.orm.em.fork(), services.ca, masterKey, user);
      return { creds, ms: performance.now() - t };
    };
    const legacy = await timed();
    expect(legacy.creds.privateKeyPem).toBe(first.privateKeyPem);
    const stored = await services.orm.em.fork().findOneOrFail(SigningCertificateSchema, { ownerId: user.id });
    expect(needsReencryption(stored.privateKeyEncrypted)).toBe(false);
    const runs = [];
    for (let i = 0; i < 5; i++) runs.push(await timed());
    const current = runs.map((r) => r.ms).sort((a, b) => a - b)[2]!;
    expect(runs.every((r) => r.creds.privateKeyPem === first.privateKeyPem)).toBe(true);
    console.log(`signer key per signature: legacy v1 ${legacy.ms.toFixed(1)} ms (scrypt + upgrade), v2 median ${current.toFixed(1)} ms (cached HKDF, incl. the certificate query)`);
    expect(current).toBeLessThan(legacy.ms / 3);
  });
});

describe('SMS codes', () => {
  it('are stored only as a hash keyed from MASTER_KEY (a dump does not give live codes back by enumerating 10⁶ values), and their records are pruned', async () => {
    const user = await createUser(platform.services, '验证码哈希');
    const em = platform.services.orm.em.fork();
    const target = { mobile: user.mobile, purpose: 'password_change', subject: `password_change:${user.id}` };
    await sendVerificationCode(em, createSmsSender(platform.config, em), target, (code) => `【SealFlow】验证码 ${code}`);
    const code = await latestSmsCode(platform.services, user.mobile);
    const row = await platform.services.orm.em.fork().findOneOrFail(SmsChallengeSchema, target, { orderBy: { createdAt: 'desc' } });
    // No code of the 10⁶ hashes to it without the key: the unkeyed hash of the right code is not it either.
    expect(row.codeHash).not.toBe(createHash('sha256').update(`${target.subject}\u0000${code}`).digest('hex'));
    expect(row.codeHash).toBe(createHmac('sha256', Buffer.from(hkdfSync('sha256', Buffer.from(platform.config.masterKey), 'sealflow/sms-code-hash', 'sealflow/v1/sms-code', 32))).update(`${target.subject}\u0000${code}`).digest('hex'));

    // Housekeeping: the record goes once no window reads it any more.
    expect((await pruneCodeRecords(platform.services.orm.em.fork())).smsChallenges).toBe(0);
    const later = new Date(Date.now() + SMS_CHALLENGE_RETENTION_MS + 60_000);
    expect((await pruneCodeRecords(platform.services.orm.em.fork(), later)).smsChallenges).toBeGreaterThanOrEqual(1);
    expect(await platform.services.orm.em.fork().count(SmsChallengeSchema, { id: row.id })).toBe(0);
  });
});
