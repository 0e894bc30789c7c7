// @sqlite-too: the locked re-read before storing differs by dialect (a locking read on MariaDB, the write transaction on SQLite).
/**
 * A person's signing certificate is issued once, however many of their signatures need it at the same time
 * (批量签署, one person in parallel steps of several contracts): one issuance per person at a time in a
 * process, and across processes a re-read under the person's row lock before storing
 * (domain/certificates/user-certificates.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { SigningCertificateSchema } from '../../domain/certificates/certificate.entities';
import { ensureUserCertificate, issueUserCertificate } from '../../domain/certificates/user-certificates';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { createUser } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});

/** The platform's CA, counting issuances; with `together`, each issuance answers only once that many were asked (a real race). */
function countingCa(together = 1) {
  const ca = platform.services.ca;
  let asked = 0;
  let release: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (release = resolve));
  const counting: CertificateAuthority = {
    chainPem: () => ca.chainPem(),
    rootCertificatePem: () => ca.rootCertificatePem(),
    async issueSigningCertificate(subject, days) {
      if (++asked >= together) release();
      await all;
      return ca.issueSigningCertificate(subject, days);
    },
  };
  return { ca: counting, asked: () => asked };
}

const certificatesOf = (ownerId: string) => platform.services.orm.em.fork().find(SigningCertificateSchema, { ownerType: 'user', ownerId });
const issuedAudits = async (ownerId: string) =>
  (await platform.services.orm.em.fork().find(AuditEventSchema, { action: 'certificate.issued', targetType: 'certificate' })).filter((a) => a.detail !== null && (JSON.parse(a.detail) as { owner?: string }).owner === ownerId);

describe("a person's certificate is issued once", () => {
  it('12 parallel first signatures of one person: one CA issuance, one stored certificate, the same key for all', async () => {
    const { services } = platform;
    const user = await createUser(services, '并发签署');
    const { ca, asked } = countingCa();
    const credentials = await Promise.all(Array.from({ length: 12 }, () => ensureUserCertificate(services.orm.em.fork(), ca, services.config.masterKey, user)));
    const stored = await certificatesOf(user.id);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.status).toBe('active');
    expect(new Set(credentials.map((c) => c.certificatePem))).toEqual(new Set([stored[0]!.certificatePem]));
    expect(asked()).toBe(1);
    expect(await issuedAudits(user.id)).toHaveLength(1);
  });

  it('two processes issuing at once (both asked the CA): only one certificate is stored, and the next signature uses it', async () => {
    const { services } = platform;
    const user = await createUser(services, '两进程签发');
    const { ca, asked } = countingCa(2);
    const outcomes = await Promise.all([0, 1].map(() => issueUserCertificate(services.orm.em.fork(), ca, services.config.masterKey, user)));
    expect(asked()).toBe(2);
    expect(outcomes.sort()).toEqual([false, true]);
    const stored = await certificatesOf(user.id);
    expect(stored).toHaveLength(1);
    expect(await issuedAudits(user.id)).toHaveLength(1);
    const next = await ensureUserCertificate(services.orm.em.fork(), ca, services.config.masterKey, user);
    expect(next.certificatePem).toBe(stored[0]!.certificatePem);
    expect(asked()).toBe(2);
  });
});
