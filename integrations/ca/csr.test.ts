import { X509Certificate as NodeX509, createPrivateKey, createPublicKey, sign, verify, webcrypto } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKeyAndCsr } from './csr';
import { createLocalCertificateAuthority, CsrRejected, type CaMaterialStore, type LocalCertificateAuthority, type StoredCaMaterial } from './local-ca';
import { readSealBinding, type SealCertificateSubject } from './seal-subject';
import * as x509 from './x509';

const crypto = webcrypto as unknown as Crypto;
const SUBJECT: SealCertificateSubject = { enterpriseName: '杭州示例科技有限公司', uscc: '91330106MA2B3C4D5E', sealName: '合同专用章', sealId: '3f1c2a5e-7b1d-4a8e-9c0f-1234567890ab' };

function memoryStore(): CaMaterialStore {
  let material: StoredCaMaterial | null = null;
  return { load: async () => material, save: async (m) => void (material ??= m) };
}

async function rejection(p: Promise<unknown>): Promise<CsrRejected> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CsrRejected);
  return err as CsrRejected;
}

describe('CSR → seal certificate', () => {
  let ca: LocalCertificateAuthority;
  beforeAll(async () => {
    ca = await createLocalCertificateAuthority({ name: 'SealFlow', masterKey: 'test-master', store: memoryStore(), keyBits: { root: 2048, issuing: 2048 } });
  });

  it('createKeyAndCsr: an RSA-2048 key and a self-signed PKCS#10 request for it', async () => {
    const { csrPem, privateKeyPem } = await createKeyAndCsr({ commonName: SUBJECT.enterpriseName, organizationalUnit: SUBJECT.sealName });
    expect(csrPem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
    expect(privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const csr = new x509.Pkcs10CertificateRequest(csrPem);
    expect(await csr.verify(crypto)).toBe(true);
    expect(csr.subjectName.getField('CN')).toEqual([SUBJECT.enterpriseName]);
    const key = createPrivateKey(privateKeyPem);
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
    // The request carries the public half of exactly this private key.
    expect(Buffer.from(csr.publicKey.rawData).equals(createPublicKey(key).export({ format: 'der', type: 'spki' }))).toBe(true);
    // OpenSSL agrees the request's signature is valid.
    expect(execFileSync('openssl', ['req', '-verify', '-noout'], { input: csrPem, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] })).toBe('');
  });

  it('issues for the CSR key with the subject bound to the enterprise, its USCC and the seal, chained to the platform root', async () => {
    const { csrPem, privateKeyPem } = await createKeyAndCsr({ commonName: 'whatever the requester claims' });
    const issued = await ca.issueFromCsr(csrPem, SUBJECT, 365);
    const cert = new x509.X509Certificate(issued.certificatePem);
    // The CA decides the subject; the CSR's subject is ignored.
    expect(cert.subjectName.getField('CN')).toEqual([SUBJECT.enterpriseName]);
    expect(cert.subjectName.getField('O')).toEqual([SUBJECT.enterpriseName]);
    expect(cert.subjectName.getField('OU')).toEqual([SUBJECT.sealName]);
    expect(cert.subjectName.getField('2.5.4.5')).toEqual([SUBJECT.uscc]);
    expect(cert.subjectName.getField('2.5.4.65')).toEqual([`seal:${SUBJECT.sealId}`]);
    expect(readSealBinding(issued.certificatePem)).toEqual(SUBJECT);
    expect(issued.serialNumber).toBe(cert.serialNumber.toLowerCase());
    expect(issued).not.toHaveProperty('privateKeyPem');
    expect(cert.getExtension(x509.KeyUsagesExtension)!.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation);
    expect(cert.getExtension(x509.BasicConstraintsExtension)!.ca).toBe(false);
    const days = (issued.notAfter.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364.9);
    expect(days).toBeLessThan(365.1);
    // The certificate is for the requester's key: what it signs verifies with the certificate.
    const sig = sign('sha256', Buffer.from('合同'), createPrivateKey(privateKeyPem));
    expect(verify('sha256', Buffer.from('合同'), createPublicKey(issued.certificatePem), sig)).toBe(true);
    // Chain: OpenSSL verifies end entity → issuing CA → root, for signing.
    const [issuingPem, rootPem] = ca.chainPem();
    expect(new NodeX509(issued.certificatePem).verify(new NodeX509(issuingPem!).publicKey)).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'csr-test-'));
    try {
      writeFileSync(join(dir, 'root.pem'), rootPem!);
      writeFileSync(join(dir, 'issuing.pem'), issuingPem!);
      writeFileSync(join(dir, 'ee.pem'), issued.certificatePem);
      const out = execFileSync('openssl', ['verify', '-CAfile', join(dir, 'root.pem'), '-untrusted', join(dir, 'issuing.pem'), '-purpose', 'smimesign', join(dir, 'ee.pem')], { encoding: 'utf8' });
      expect(out).toContain('OK');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a forged CSR: another key spliced into a signed request (signature mismatch)', async () => {
    const victim = await createKeyAndCsr({ commonName: 'victim' });
    const attacker = await createKeyAndCsr({ commonName: 'victim' });
    // The attacker's signed request, with its public key replaced by the victim's (same DER length for RSA-2048).
    const victimSpki = Buffer.from(new x509.Pkcs10CertificateRequest(victim.csrPem).publicKey.rawData);
    const attackerSpki = Buffer.from(new x509.Pkcs10CertificateRequest(attacker.csrPem).publicKey.rawData);
    const der = Buffer.from(new x509.Pkcs10CertificateRequest(attacker.csrPem).rawData);
    const at = der.indexOf(attackerSpki);
    expect(at).toBeGreaterThan(0);
    victimSpki.copy(der, at);
    const forged = x509.PemConverter.encode(der, 'CERTIFICATE REQUEST');
    expect(new x509.Pkcs10CertificateRequest(forged).publicKey.rawData.byteLength).toBe(victimSpki.length);
    expect((await rejection(ca.issueFromCsr(forged, SUBJECT, 30))).code).toBe('CSR_SIGNATURE_INVALID');

    // A flipped bit in the signature itself.
    const tampered = Buffer.from(new x509.Pkcs10CertificateRequest(victim.csrPem).rawData);
    tampered[tampered.length - 5]! ^= 0x01;
    expect((await rejection(ca.issueFromCsr(x509.PemConverter.encode(tampered, 'CERTIFICATE REQUEST'), SUBJECT, 30))).code).toBe('CSR_SIGNATURE_INVALID');
  });

  it('refuses malformed requests and weak keys, and validates the subject', async () => {
    expect((await rejection(ca.issueFromCsr('hello', SUBJECT, 30))).code).toBe('CSR_MALFORMED');
    expect((await rejection(ca.issueFromCsr('-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----', SUBJECT, 30))).code).toBe('CSR_MALFORMED');
    const weakKeys = await crypto.subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 1024 }, true, ['sign', 'verify']);
    const weak = await x509.Pkcs10CertificateRequestGenerator.create({ name: 'CN=weak', keys: weakKeys, signingAlgorithm: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as Algorithm }, crypto);
    expect((await rejection(ca.issueFromCsr(weak.toString('pem'), SUBJECT, 30))).code).toBe('CSR_KEY_UNSUPPORTED');

    const { csrPem } = await createKeyAndCsr({ commonName: 'x' });
    await expect(ca.issueFromCsr(csrPem, { ...SUBJECT, uscc: '12345' }, 30)).rejects.toThrow(/uscc/);
    await expect(ca.issueFromCsr(csrPem, { ...SUBJECT, sealId: 'a b' }, 30)).rejects.toThrow(/sealId/);
    await expect(ca.issueFromCsr(csrPem, { ...SUBJECT, enterpriseName: ' ' }, 30)).rejects.toThrow(/enterpriseName/);
    await expect(ca.issueFromCsr(csrPem, SUBJECT, 0)).rejects.toThrow(/validityDays/);
  });
});
