import { spawnSync } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign as nodeSign, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { checkCadesDetached, pemCertificatesToDer } from './cms';
import { cadesLengthBound, preparedSigner, signCadesDetached } from './cms-sign';
import { certificateIssuerAndSerial, children, readElement } from './der';
import { makeCa, makeSigner } from './test-helpers';

const ab = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

/**
 * Test oracle: the CAdES CMS as the engine built it before with pkijs/asn1js (same structure, same
 * attribute order rules). RSA PKCS#1 v1.5 is deterministic, so the DER writer must produce the
 * same bytes.
 */
function pkijsCades(content: Uint8Array[], signer: { certificatePem: string; privateKeyPem: string; chainPem: string[] }, when: Date): Buffer {
  const [signerDer] = pemCertificatesToDer([signer.certificatePem]);
  const chain = pemCertificatesToDer(signer.chainPem).filter((d) => !d.equals(signerDer!));
  const cert = pkijs.Certificate.fromBER(ab(signerDer!));
  const digest = createHash('sha256');
  for (const c of content) digest.update(c);
  const attribute = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });
  const essCertId = new asn1js.Sequence({
    value: [
      new asn1js.OctetString({ valueHex: ab(createHash('sha256').update(signerDer!).digest()) }),
      new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 4 }, value: [cert.issuer.toSchema()] })] }), cert.serialNumber] }),
    ],
  });
  const attrs = [
    attribute('1.2.840.113549.1.9.3', new asn1js.ObjectIdentifier({ value: '1.2.840.113549.1.7.1' })),
    attribute('1.2.840.113549.1.9.5', new asn1js.UTCTime({ valueDate: when })),
    attribute('1.2.840.113549.1.9.4', new asn1js.OctetString({ valueHex: ab(digest.digest()) })),
    attribute('1.2.840.113549.1.9.16.2.47', new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [essCertId] })] })),
  ]
    .map((a) => ({ a, der: Buffer.from(a.toSchema().toBER(false)) }))
    .sort((x, y) => Buffer.compare(x.der, y.der));
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: attrs.map((e) => e.a) });
  const toSign = new Uint8Array(signedAttrs.toSchema().toBER(false));
  toSign[0] = 0x31;
  const sha256 = new pkijs.AlgorithmIdentifier({ algorithmId: '2.16.840.1.101.3.4.2.1' });
  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
    digestAlgorithm: sha256,
    signedAttrs,
    signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: '1.2.840.113549.1.1.11', algorithmParams: new asn1js.Null() }),
    signature: new asn1js.OctetString({ valueHex: ab(nodeSign('sha256', toSign, createPrivateKey(signer.privateKeyPem))) }),
  });
  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [sha256],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: '1.2.840.113549.1.7.1' }),
    certificates: [cert, ...chain.map((d) => pkijs.Certificate.fromBER(ab(d)))],
    signerInfos: [signerInfo],
  });
  return Buffer.from(new pkijs.ContentInfo({ contentType: '1.2.840.113549.1.7.2', content: signedData.toSchema(false) }).toSchema().toBER(false));
}

/** `openssl cms -verify` of a detached CMS against the content and a trusted root. */
function opensslVerifies(cms: Uint8Array, content: Uint8Array, rootPem: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'sealflow-cms-'));
  try {
    writeFileSync(join(dir, 'sig.der'), cms);
    writeFileSync(join(dir, 'data'), content);
    writeFileSync(join(dir, 'root.pem'), rootPem);
    const r = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'sig.der'), '-content', join(dir, 'data'), '-CAfile', join(dir, 'root.pem'), '-purpose', 'any', '-out', '/dev/null']);
    return r.status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The DER-writer CMS against the pkijs one it replaced (differential), openssl, and its signer cache. */
describe('signCadesDetached', () => {
  let ca: CertificateAuthority;
  let signer: Awaited<ReturnType<typeof makeSigner>>;
  const content = [new TextEncoder().encode('%PDF-1.7 part one'), new TextEncoder().encode('part two %%EOF')];

  beforeAll(async () => {
    ca = await makeCa('SealFlow 测试');
    signer = await makeSigner(ca, '张三丰');
  });

  it('is byte-identical to the pkijs-built CMS for the same signer, content and time (RSA is deterministic)', () => {
    for (const when of [new Date('2026-12-02T07:30:15Z'), new Date('1999-01-31T23:59:59Z')]) {
      const fast = signCadesDetached(content, signer, when);
      const slow = pkijsCades(content, signer, when);
      expect(fast.toString('hex')).toBe(slow.toString('hex'));
    }
  });

  it('verifies (the engine verifier and openssl cms -verify): digest and signature check out, signer certificate found, chain carried', () => {
    const when = new Date('2026-12-02T07:30:15Z');
    const check = checkCadesDetached(signCadesDetached(content, signer, when), content);
    expect(check.error).toBeUndefined();
    expect(check).toMatchObject({ digestMatches: true, signatureValid: true, signingTime: when });
    expect(new X509Certificate(check.signerCertificate!).subject).toContain('CN=张三丰');
    expect(check.certificates.length).toBe(1 + ca.chainPem().length);
    const tampered = checkCadesDetached(signCadesDetached(content, signer, when), [content[0]!]);
    expect(tampered.digestMatches).toBe(false);
    const whole = Buffer.concat(content);
    expect(opensslVerifies(signCadesDetached(content, signer, when), whole, ca.rootCertificatePem())).toBe(true);
    expect(opensslVerifies(signCadesDetached(content, signer, when), whole.subarray(1), ca.rootCertificatePem())).toBe(false);
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
