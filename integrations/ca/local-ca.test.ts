import { X509Certificate as NodeX509, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as x509 from './x509';
import { describe, expect, it, beforeAll } from 'vitest';
import type { CertificateAuthority } from './certificate-authority';
import { createLocalCertificateAuthority, openRootKey, type CaMaterialStore, type StoredCaMaterial } from './local-ca';
import { decryptSecret, derivedKeyCount, encryptSecret, needsReencryption } from './key-encryption';

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

/** Written by the v1 code (scrypt per blob) before HKDF: stored data must stay readable. */
const LEGACY_V1 = {
  masterKey: 'legacy-master-key-0123456789',
  plain: '旧格式的私钥 legacy secret',
  blob: 'sfenc$v1$scrypt:N=32768,r=8,p=1$SXI0ZCGl4bWrmwP7aNjJhw$ljmmIcRzMMJFd61S$hEKtSqOXpo6dyF9g9qhaBA$qzeAXJzeS-m0yodT7zyHNFpDAgoAoKtnOdhwBzIclwY',
};

describe('key-encryption', () => {
  it('round-trips and is randomized', () => {
    const a = encryptSecret('secret 私钥', 'master-1');
    const b = encryptSecret(Buffer.from('secret 私钥'), 'master-1');
    expect(a).not.toBe(b);
    expect(a.startsWith('sfenc$v2$hkdf-sha256:data$')).toBe(true);
    expect(decryptSecret(a, 'master-1').toString('utf8')).toBe('secret 私钥');
    expect(decryptSecret(b, 'master-1').toString('utf8')).toBe('secret 私钥');
  });

  it('rejects a wrong key, tampering and junk with clear errors', () => {
    const blob = encryptSecret('x', 'right');
    expect(() => decryptSecret(blob, 'wrong')).toThrow(/wrong master key/);
    const parts = blob.split('$');
    parts[4] = Buffer.alloc(16).toString('base64url');
    expect(() => decryptSecret(parts.join('$'), 'right')).toThrow(/wrong master key or corrupted/);
    const legacy = LEGACY_V1.blob.split('$');
    legacy[2] = 'scrypt:N=16384,r=8,p=1';
    expect(() => decryptSecret(legacy.join('$'), LEGACY_V1.masterKey)).toThrow(/wrong master key or corrupted/);
    expect(() => decryptSecret('hello', 'right')).toThrow(/not an encrypted secret/);
    expect(() => encryptSecret('x', '')).toThrow(/master key/);
  });

  it('still decrypts data encrypted in the legacy v1 (scrypt) format and marks it for re-encryption', () => {
    expect(decryptSecret(LEGACY_V1.blob, LEGACY_V1.masterKey).toString('utf8')).toBe(LEGACY_V1.plain);
    expect(needsReencryption(LEGACY_V1.blob)).toBe(true);
    expect(needsReencryption(encryptSecret('x', 'k'))).toBe(false);
    expect(() => decryptSecret(LEGACY_V1.blob, 'not-the-legacy-key')).toThrow(/wrong master key/);
  });

  it('derives the data key once per process (HKDF, cached): decrypting costs well under a millisecond', () => {
    const masterKey = `per-process-${Date.now()}`;
    const before = derivedKeyCount();
    const blob = encryptSecret('-----BEGIN PRIVATE KEY-----'.padEnd(1700, 'x'), masterKey);
    const t0 = performance.now();
    for (let i = 0; i < 200; i++) decryptSecret(blob, masterKey);
    const v2PerCall = (performance.now() - t0) / 200;
    expect(derivedKeyCount()).toBe(before + 1);
    const t1 = performance.now();
    decryptSecret(LEGACY_V1.blob, LEGACY_V1.masterKey);
    const v1PerCall = performance.now() - t1;
    console.log(`decrypt per call: v1 (scrypt) ${v1PerCall.toFixed(1)} ms, v2 (cached HKDF) ${(v2PerCall * 1000).toFixed(0)} µs`);
    expect(v2PerCall).toBeLessThan(1);
    expect(v1PerCall).toBeGreaterThan(20 * v2PerCall);
  });

  it('keeps purposes apart: a CA root blob does not decrypt as data, nor the reverse', () => {
    const root = encryptSecret('root key', 'm', 'ca-root');
    expect(root.startsWith('sfenc$v2$hkdf-sha256:ca-root$')).toBe(true);
    expect(decryptSecret(root, 'm', 'ca-root').toString()).toBe('root key');
    expect(() => decryptSecret(root, 'm')).toThrow(/for 'ca-root'/);
    expect(() => decryptSecret(encryptSecret('data', 'm'), 'm', 'ca-root')).toThrow(/for 'data'/);
    // Relabelling the purpose breaks authentication (the header is bound as AAD).
    expect(() => decryptSecret(root.replace(':ca-root$', ':data$'), 'm')).toThrow(/wrong master key or corrupted/);
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

  it('keeps the root key offline: a running CA loads and issues without the root key, which only the set-up path opens', async () => {
    const saved = store.material!;
    expect(saved.rootKeyEncrypted.startsWith('sfenc$v2$hkdf-sha256:ca-root$')).toBe(true);
    // What the API and the worker load: reading the root key at all would throw.
    const online = {
      rootCertificatePem: saved.rootCertificatePem,
      issuingCertificatePem: saved.issuingCertificatePem,
      issuingKeyEncrypted: saved.issuingKeyEncrypted,
      get rootKeyEncrypted(): string {
        throw new Error('the running CA read the root key');
      },
    };
    const running = await createLocalCertificateAuthority({ name: 'SealFlow', masterKey: 'test-master', store: { load: async () => online, save: async () => {} }, keyBits: FAST });
    const issued = await running.issueSigningCertificate({ commonName: '钱七' });
    expect(new NodeX509(issued.certificatePem).verify(new NodeX509(running.chainPem()[0]!).publicKey)).toBe(true);
    // The set-up path can still open it (e.g. to re-encrypt or issue a new issuing CA).
    expect(openRootKey(saved, 'test-master')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(() => openRootKey(saved, 'not-the-key')).toThrow(/wrong master key/);
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
