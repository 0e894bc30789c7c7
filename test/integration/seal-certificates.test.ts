/**
 * The certificate state of seals (domain/certificates/seal-certificates.ts) on the real database:
 * none → ordering → issued → expiring → expired / revoked, and the expiring/expired lists that
 * 企业证书更新 and the expiry reminders read (a renewed certificate is superseded and not listed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../domain/audit/record-audit';
import { applyForSealCertificate } from '../../domain/certificates/certificate-orders';
import { revokeCertificatesLocally } from '../../domain/certificates/revoke-certificates';
import { listCertificatesExpired, listCertificatesExpiring, sealCertificateStates, sealSignerCredentials } from '../../domain/certificates/seal-certificates';
import { isSignerKeyCached, signerKeyStats } from '../../domain/certificates/signer-keys';
import { addSealCertificate, issueSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { activeMembership, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const DAY = 86_400_000;

describe('seal certificate states and lists', () => {
  it('follows a seal from no certificate to ordering, issued, expiring, expired and revoked', async () => {
    const s = platform.services;
    const admin = await createUser(s, '状态管理员');
    const enterprise = await createCertifiedEnterprise(s, admin, '证书状态有限公司', ['official', 'contract', 'finance']);
    const [contract, finance, official] = await sealsOf(s, enterprise.id);
    const now = new Date();
    const em = () => s.orm.em.fork();
    const states = async () => Object.fromEntries([...(await sealCertificateStates(em(), [contract!.id, finance!.id, official!.id], now))].map(([id, v]) => [id, v.state]));

    expect(await states()).toEqual({ [contract!.id]: 'none', [finance!.id]: 'none', [official!.id]: 'none' });
    // An open order (no workflow here: the domain only).
    await applyForSealCertificate(em(), enterprise, contract!.id, { user: admin, actor: SYSTEM_ACTOR, membership: await activeMembership(em(), enterprise.id, admin) }, now);
    await addSealCertificate(s, finance!, now, 200);
    const expiring = await addSealCertificate(s, official!, now, 10);
    expect(await states()).toEqual({ [contract!.id]: 'ordering', [finance!.id]: 'issued', [official!.id]: 'expiring' });

    const listed = await listCertificatesExpiring(em(), enterprise.id, now, 30);
    expect(listed.map((c) => [c.id, c.daysLeft])).toEqual([[expiring.id, 10]]);
    // Renewed: a later certificate of the same seal supersedes it in the lists.
    await addSealCertificate(s, official!, now, 375);
    expect(await listCertificatesExpiring(em(), enterprise.id, now, 30)).toEqual([]);
    expect(await states()).toMatchObject({ [official!.id]: 'issued' });

    const later = new Date(now.getTime() + 220 * DAY); // finance's certificate has ended by then
    expect((await listCertificatesExpired(em(), enterprise.id, later)).map((c) => c.sealId)).toEqual([finance!.id]);
    expect((await sealCertificateStates(em(), [finance!.id], later)).get(finance!.id)!.state).toBe('expired');
    expect((await listCertificatesExpiring(em(), null, now, 30)).some((c) => c.enterpriseId === enterprise.id)).toBe(false);
  });

  it('a revoked certificate is not usable and the seal says revoked', async () => {
    const s = platform.services;
    const admin = await createUser(s, '吊销管理员');
    const enterprise = await createCertifiedEnterprise(s, admin, '证书吊销有限公司', ['official']);
    const [official] = await sealsOf(s, enterprise.id);
    const now = new Date();
    await addSealCertificate(s, official!, now, 100, { status: 'revoked', revokedAt: now, revocationReason: '密钥泄露' });
    expect((await sealCertificateStates(s.orm.em.fork(), [official!.id], now)).get(official!.id)).toMatchObject({ state: 'revoked', certificate: { status: 'revoked' } });
    expect(await listCertificatesExpiring(s.orm.em.fork(), enterprise.id, now, 365)).toEqual([]);
  });

  it('a seal signs with its key decrypted once per process; revoking the certificate drops the cached key and it never signs again', async () => {
    const s = platform.services;
    const { masterKey } = platform.config;
    const admin = await createUser(s, '密钥缓存管理员');
    const enterprise = await createCertifiedEnterprise(s, admin, '密钥缓存有限公司', ['contract']);
    const [seal] = await sealsOf(s, enterprise.id);
    const cert = await issueSealCertificate(s, masterKey, seal!, enterprise.name);
    const now = new Date();
    const first = await sealSignerCredentials(s.orm.em.fork(), masterKey, seal!.id, now, s.ca);
    const decrypted = signerKeyStats().decryptions;
    const second = await sealSignerCredentials(s.orm.em.fork(), masterKey, seal!.id, now, s.ca);
    expect(signerKeyStats().decryptions).toBe(decrypted);
    expect(second!.privateKey).toBe(first!.privateKey);
    expect(isSignerKeyCached(cert.id)).toBe(true);

    const em = s.orm.em.fork();
    await em.transactional(async (tx) => {
      expect(await revokeCertificatesLocally(tx, { sealIds: [seal!.id], reason: 'seal_voided', actor: SYSTEM_ACTOR, now })).toEqual([cert.id]);
    });
    expect(isSignerKeyCached(cert.id)).toBe(false);
    expect(await sealSignerCredentials(s.orm.em.fork(), masterKey, seal!.id, new Date(), s.ca)).toBeNull();
  });
});
