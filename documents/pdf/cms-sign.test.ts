import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { buildCadesDetached, checkCadesDetached } from './cms';
import { cadesLengthBound, preparedSigner, signCadesDetached } from './cms-sign';
import { certificateIssuerAndSerial, children, readElement } from './der';
import { makeCa, makeSigner } from './test-helpers';

/** The DER-writer CMS against the pkijs one it replaces (differential), and its signer cache. */
describe('signCadesDetached', () => {
  let ca: CertificateAuthority;
  let signer: Awaited<ReturnType<typeof makeSigner>>;
  const content = [new TextEncoder().encode('%PDF-1.7 part one'), new TextEncoder().encode('part two %%EOF')];

  beforeAll(async () => {
    ca = await makeCa('SealFlow 测试');
    signer = await makeSigner(ca, '张三丰');
  });

  it('is byte-identical to the pkijs CMS for the same signer, content and time (RSA is deterministic)', () => {
    for (const when of [new Date('2026-12-02T07:30:15Z'), new Date('1999-01-31T23:59:59Z')]) {
      const fast = signCadesDetached(content, signer, when);
      const slow = buildCadesDetached(content, signer, when);
      expect(fast.toString('hex')).toBe(slow.toString('hex'));
    }
  });

  it('verifies: digest and signature check out, signer certificate found, chain carried', () => {
    const when = new Date('2026-12-02T07:30:15Z');
    const check = checkCadesDetached(signCadesDetached(content, signer, when), content);
    expect(check.error).toBeUndefined();
    expect(check).toMatchObject({ digestMatches: true, signatureValid: true, signingTime: when });
    expect(new X509Certificate(check.signerCertificate!).subject).toContain('CN=张三丰');
    expect(check.certificates.length).toBe(1 + ca.chainPem().length);
    const tampered = checkCadesDetached(signCadesDetached(content, signer, when), [content[0]!]);
    expect(tampered.digestMatches).toBe(false);
  });

  it('the length bound is exact for RSA and an upper bound for ECDSA', () => {
    const when = new Date('2026-12-02T07:30:15Z');
    expect(signCadesDetached(content, signer, when).length).toBe(cadesLengthBound(signer, when));
    const ec = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    // The EC key cannot sign with the RSA certificate: prepare refuses the mismatch.
    expect(() => preparedSigner({ ...signer, privateKeyPem: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string })).toThrow(/does not match/);
  });

  it('caches the prepared signer (same object for the same PEMs) and refuses a key that does not match', async () => {
    expect(preparedSigner(signer)).toBe(preparedSigner({ ...signer, chainPem: [...signer.chainPem] }));
    const other = await makeSigner(ca, '李四');
    expect(preparedSigner(other)).not.toBe(preparedSigner(signer));
    expect(() => signCadesDetached(content, { ...signer, privateKeyPem: other.privateKeyPem }, new Date())).toThrow(/does not match/);
    expect(createPublicKey(createPrivateKey(signer.privateKeyPem)).asymmetricKeyType).toBe('rsa');
  });

  it('der reader: issuer and serial come from the TBSCertificate', () => {
    const der = new Uint8Array(new X509Certificate(signer.certificatePem).raw);
    const { issuer, serial } = certificateIssuerAndSerial(der);
    expect(issuer[0]).toBe(0x30);
    expect(serial[0]).toBe(0x02);
    expect(Buffer.from(serial.subarray(2)).toString('hex').replace(/^00/, '').toUpperCase()).toBe(new X509Certificate(signer.certificatePem).serialNumber.replace(/^0+/, ''));
    expect(() => readElement(new Uint8Array([0x30, 0x85, 1, 1, 1, 1, 1]), 0)).toThrow(/length/);
    expect(() => children(der, { tag: 0x30, start: 0, contentStart: 2, end: der.length + 5 })).toThrow();
  });
});
