import { X509Certificate as NodeX509, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from './x509';
import { describe, expect, it, beforeAll } from 'vitest';
import type { CertificateAuthority } from './certificate-authority';
import { createLocalCertificateAuthority, type CaMaterialStore, type StoredCaMaterial } from './local-ca';
import { decryptSecret, encryptSecret } from './key-encryption';

function memoryStore(): CaMaterialStore & { saved: number; material: StoredCaMaterial | null } {
  return {
    saved: 0,
    material: null,
    async load() {
      return this.material;
    },
    async save(m) {
      this.saved++;
      this.material ??= m;
    },
  };
}

const FAST = { root: 2048, issuing: 2048, endEntity: 2048 };

describe('key-encryption', () => {
  it('round-trips and is randomized', () => {
    const a = encryptSecret('secret 私钥', 'master-1');
    const b = encryptSecret(Buffer.from('secret 私钥'), 'master-1');
    expect(a).not.toBe(b);
    expect(a.startsWith('sfenc$v1$scrypt:')).toBe(true);
    expect(decryptSecret(a, 'master-1').toString('utf8')).toBe('secret 私钥');
    expect(decryptSecret(b, 'master-1').toString('utf8')).toBe('secret 私钥');
  });

  it('rejects a wrong key, tampering and junk with clear errors', () => {
    const blob = encryptSecret('x', 'right');
    expect(() => decryptSecret(blob, 'wrong')).toThrow(/wrong master key/);
    const parts = blob.split('$');
    parts[2] = 'scrypt:N=16384,r=8,p=1';
    expect(() => decryptSecret(parts.join('$'), 'right')).toThrow(/wrong master key or corrupted/);
    expect(() => decryptSecret('hello', 'right')).toThrow(/not an encrypted secret/);
    expect(() => encryptSecret('x', '')).toThrow(/master key/);
  });
});

describe('local CA', () => {
  const store = memoryStore();
  let ca: CertificateAuthority;

  beforeAll(async () => {
    ca = await createLocalCertificateAuthority({ name: 'SealFlow', masterKey: 'test-master', store, keyBits: FAST });
  });

  it('creates root and issuing CA with proper extensions', () => {
    expect(store.saved).toBe(1);
    const [issuingPem, rootPem] = ca.chainPem();
    expect(rootPem).toBe(ca.rootCertificatePem());
    const root = new x509.X509Certificate(rootPem!);
    const issuing = new x509.X509Certificate(issuingPem!);
    expect(root.subject).toBe('O=SealFlow, CN=SealFlow Root CA');
    expect(issuing.subject).toBe('O=SealFlow, CN=SealFlow Issuing CA');
    expect(issuing.issuer).toBe(root.subject);
    expect(root.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(true);
    expect(issuing.getExtension(x509.BasicConstraintsExtension)).toMatchObject({ ca: true, pathLength: 0, critical: true });
    const ku = issuing.getExtension(x509.KeyUsagesExtension)!.usages;
    expect(ku & x509.KeyUsageFlags.keyCertSign).toBeTruthy();
    expect(ku & x509.KeyUsageFlags.cRLSign).toBeTruthy();
    const rootSki = root.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
    expect(issuing.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(rootSki);
    const years = (c: x509.X509Certificate) => (c.notAfter.getTime() - c.notBefore.getTime()) / (365 * 86_400_000);
    expect(Math.round(years(root))).toBe(20);
    expect(Math.round(years(issuing))).toBe(10);
    // Stored keys are encrypted, not PEM.
    expect(store.material!.rootKeyEncrypted).not.toMatch(/PRIVATE KEY/);
  });

  it('issues a signing certificate with a Chinese name that chains to the root', async () => {
    const issued = await ca.issueSigningCertificate({ commonName: '张三丰', serialNumberAttr: 'user-42', organization: '示例科技有限公司', country: 'CN' }, 30);
    const cert = new x509.X509Certificate(issued.certificatePem);
    expect(cert.subjectName.getField('CN')).toEqual(['张三丰']);
    expect(cert.subjectName.getField('O')).toEqual(['示例科技有限公司']);
    expect(issued.subject).toContain('CN=张三丰');
    expect(issued.issuer).toBe('O=SealFlow, CN=SealFlow Issuing CA');
    expect(issued.serialNumber).toMatch(/^[0-7][0-9a-f]{31}$/);
    expect(issued.notAfter.getTime() - issued.notBefore.getTime()).toBeGreaterThan(29 * 86_400_000);
    // CN is encoded as UTF8String (tag 0x0c) with the UTF-8 bytes of the name.
    const der = Buffer.from(cert.rawData);
    const cnUtf8 = Buffer.from('张三丰', 'utf8');
    expect(der.includes(Buffer.concat([Buffer.from([0x0c, cnUtf8.length]), cnUtf8]))).toBe(true);
    // Node's OpenSSL agrees on chain + name decoding.
    const nodeCert = new NodeX509(issued.certificatePem);
    expect(nodeCert.subject).toContain('CN=张三丰');
    const [issuingPem, rootPem] = ca.chainPem();
    const nodeIssuing = new NodeX509(issuingPem!);
    const nodeRoot = new NodeX509(rootPem!);
    expect(nodeCert.checkIssued(nodeIssuing)).toBe(true);
    expect(nodeCert.verify(nodeIssuing.publicKey)).toBe(true);
    expect(nodeIssuing.verify(nodeRoot.publicKey)).toBe(true);
    expect(nodeIssuing.ca).toBe(true);
    expect(nodeCert.ca).toBe(false);
    expect(nodeCert.keyUsage).toEqual(expect.arrayContaining(['1.3.6.1.5.5.7.3.4']));
    const ski = cert.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId;
    expect(ski).toBeTruthy();
    expect(cert.getExtension(x509.AuthorityKeyIdentifierExtension)!.keyId).toBe(
      new x509.X509Certificate(issuingPem!).getExtension(x509.SubjectKeyIdentifierExtension)!.keyId,
    );
    const ku = cert.getExtension(x509.KeyUsagesExtension)!.usages;
    expect(ku).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
    // The private key is PKCS#8 and matches the certificate.
    expect(issued.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const sig = sign('sha256', Buffer.from('hi'), createPrivateKey(issued.privateKeyPem));
    expect(verify('sha256', Buffer.from('hi'), createPublicKey(issued.certificatePem), sig)).toBe(true);
    // Random serials.
    const other = await ca.issueSigningCertificate({ commonName: '李四' });
    expect(other.serialNumber).not.toBe(issued.serialNumber);
  });

  it('openssl verifies the chain', async () => {
    const issued = await ca.issueSigningCertificate({ commonName: '王五' });
    const dir = mkdtempSync(join(tmpdir(), 'ca-test-'));
    try {
      writeFileSync(join(dir, 'root.pem'), ca.rootCertificatePem());
      writeFileSync(join(dir, 'issuing.pem'), ca.chainPem()[0]!);
      writeFileSync(join(dir, 'ee.pem'), issued.certificatePem);
      const out = execFileSync('openssl', ['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'issuing.pem'), '-purpose', 'smimesign', join(dir, 'ee.pem')], { encoding: 'utf8' });
      expect(out).toContain('OK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('loads the same root on the second create and fails with a wrong master key', async () => {
    const again = await createLocalCertificateAuthority({ name: 'SealFlow', masterKey: 'test-master', store, keyBits: FAST });
    expect(store.saved).toBe(1);
    expect(again.rootCertificatePem()).toBe(ca.rootCertificatePem());
    expect(again.chainPem()).toEqual(ca.chainPem());
    const issued = await again.issueSigningCertificate({ commonName: 'Alice' });
    expect(new NodeX509(issued.certificatePem).verify(new NodeX509(ca.chainPem()[0]!).publicKey)).toBe(true);
    await expect(createLocalCertificateAuthority({ name: 'SealFlow', masterKey: 'not-the-key', store })).rejects.toThrow(/wrong master key/);
  });

  it('validates subject input', async () => {
    await expect(ca.issueSigningCertificate({ commonName: '  ' })).rejects.toThrow(/commonName/);
    await expect(ca.issueSigningCertificate({ commonName: 'x', country: 'China' })).rejects.toThrow(/country/);
  });

  it('uses the documented default key sizes', async () => {
    const s = memoryStore();
    const t = performance.now();
    const def = await createLocalCertificateAuthority({ name: 'Acme', masterKey: 'k', store: s });
    const ms = performance.now() - t;
    const root = new NodeX509(def.rootCertificatePem());
    expect(root.publicKey.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(root.subject).toContain('CN=Acme Root CA');
    const issued = await def.issueSigningCertificate({ commonName: '赵六' });
    expect(new NodeX509(issued.certificatePem).publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    console.log(`default CA bootstrap ${ms.toFixed(0)} ms`);
  }, 60_000);
});
