import { beforeAll, describe, expect, it } from 'vitest';
import { createKeyAndCsr } from '../../integrations/ca/csr';
import { createLocalCertificateAuthority, type CaMaterialStore, type LocalCertificateAuthority, type StoredCaMaterial } from '../../integrations/ca/local-ca';
import { certificateProblem } from './store-issued-certificate';

function memoryStore(): CaMaterialStore {
  let material: StoredCaMaterial | null = null;
  return {
    load: async () => material,
    save: async (m) => {
      material ??= m;
    },
  };
}

const FAST = { root: 2048, issuing: 2048, endEntity: 2048 };
const SEAL = { enterpriseName: '测试科技有限公司', uscc: '91350100M000100Y43', sealName: '合同专用章', sealId: 'seal-0001' };
const newCa = (name: string) => createLocalCertificateAuthority({ name, masterKey: 'test-master-key-0123456789', store: memoryStore(), keyBits: FAST });

describe('checking a certificate the CA issued for an order', () => {
  let platform: LocalCertificateAuthority;
  let other: LocalCertificateAuthority;
  let order: { csrPem: string; privateKeyPem: string };
  let issued: string;
  const now = new Date();

  beforeAll(async () => {
    [platform, other] = await Promise.all([newCa('SealFlow'), newCa('Elsewhere')]);
    order = await createKeyAndCsr({ commonName: SEAL.enterpriseName });
    issued = (await platform.issueFromCsr(order.csrPem, SEAL, 365)).certificatePem;
  }, 60_000);

  it('accepts the certificate for the order’s own key, from the platform CA, bound to the seal and USCC', () => {
    expect(certificateProblem(issued, order.privateKeyPem, platform.chainPem(), { sealId: SEAL.sealId, uscc: SEAL.uscc }, now)).toBeNull();
  });

  it('refuses an answer whose certificate cannot be parsed (the order then ends instead of being retried for ever)', () => {
    const truncated = issued.replace(/\n[A-Za-z0-9+/=]+\n-----END/, '\n-----END');
    for (const pem of ['-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n', 'not a certificate', truncated]) {
      expect(certificateProblem(pem, order.privateKeyPem, platform.chainPem(), { sealId: SEAL.sealId, uscc: SEAL.uscc }, now)).toBe('UNREADABLE');
    }
  });

  it('refuses a certificate for another key pair', async () => {
    const stranger = await createKeyAndCsr({ commonName: SEAL.enterpriseName });
    expect(certificateProblem(issued, stranger.privateKeyPem, platform.chainPem(), { sealId: SEAL.sealId, uscc: SEAL.uscc }, now)).toBe('KEY_MISMATCH');
  });

  it('refuses a certificate that does not chain to the platform root', async () => {
    const foreign = (await other.issueFromCsr(order.csrPem, SEAL, 365)).certificatePem;
    expect(certificateProblem(foreign, order.privateKeyPem, platform.chainPem(), { sealId: SEAL.sealId, uscc: SEAL.uscc }, now)).toBe('NOT_PLATFORM_CA');
  });

  it('refuses a certificate bound to another seal or enterprise, and one already ended', () => {
    expect(certificateProblem(issued, order.privateKeyPem, platform.chainPem(), { sealId: 'seal-0002', uscc: SEAL.uscc }, now)).toBe('WRONG_SUBJECT');
    expect(certificateProblem(issued, order.privateKeyPem, platform.chainPem(), { sealId: SEAL.sealId, uscc: '91310000MA1FL0000X' }, now)).toBe('WRONG_SUBJECT');
    expect(certificateProblem(issued, order.privateKeyPem, platform.chainPem(), { sealId: SEAL.sealId, uscc: SEAL.uscc }, new Date(now.getTime() + 400 * 86_400_000))).toBe('NOT_VALID');
  });
});
