import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { CERTIFICATE_CACHE_SIZE, certificateCacheSize, certificateFromDer, certificatesOfSet, Lru, trustedRoots } from './certificate-cache';
import { chainsToTrustedRoot } from './chain';
import { checkCadesDetached, checkCadesDetachedWithPkijs } from './cms';
import { signCadesDetached } from './cms-sign';
import { children, DerTooManyElements, encoded, MAX_DER_CHILDREN, readElement, tlv, type Element } from './der';
import { makeCa, makeSigner } from './test-helpers';

/** Rebuilds `der` with the element at `path` (child indexes from the top) replaced by `replace(old)`. */
function rewrite(der: Uint8Array, path: number[], replace: (el: Uint8Array) => Uint8Array): Uint8Array {
  const walk = (el: Element, rest: number[]): Uint8Array => {
    if (rest.length === 0) return replace(encoded(der, el));
    const kids = children(der, el);
    const [i, ...tail] = rest;
    return tlv(der[el.start]!, ...kids.map((k, j) => (j === i ? walk(k, tail) : encoded(der, k))));
  };
  return walk(readElement(der, 0), path);
}

// ContentInfo → [0] → SignedData → SignerInfos (last) → SignerInfo 0 → field.
const signerInfoField = (der: Uint8Array, field: number) => {
  const signedData = children(der, children(der, readElement(der, 0))[1]!)[0]!;
  const infos = children(der, signedData);
  return [1, 0, infos.length - 1, 0, field];
};

describe('checkCadesDetached (DER reader + node crypto) against the pkijs reader', () => {
  let ca: CertificateAuthority;
  let signer: Awaited<ReturnType<typeof makeSigner>>;
  let cms: Buffer;
  const content = [new TextEncoder().encode('%PDF-1.7 first range '), new TextEncoder().encode(' second range %%EOF')];
  const when = new Date('2026-12-02T07:45:00Z');
  /** Same report from both readers (for junk, the same verdict: the error texts differ). */
  const same = (der: Uint8Array, parts: Uint8Array[], { junk = false } = {}) => {
    const { parsed, ...fast } = checkCadesDetached(der, parts);
    const slow = checkCadesDetachedWithPkijs(der, parts);
    // The parsed certificates the fast reader hands on are the ones it reports.
    if (parsed) {
      expect(parsed.certificates.map((c) => c.der)).toEqual(fast.certificates);
      expect(parsed.signer?.der ?? null).toEqual(fast.signerCertificate);
    }
    if (junk) expect({ ...fast, error: !!fast.error }).toEqual({ ...slow, error: !!slow.error });
    else expect(fast).toEqual(slow);
    return fast;
  };

  beforeAll(async () => {
    ca = await makeCa('SealFlow 验证');
    signer = await makeSigner(ca, '张三');
    cms = signCadesDetached(content, signer, when);
  });

  it('same verdict, signer, certificates and signing time: intact, other content, a flipped signature byte, junk', () => {
    const ok = same(cms, content);
    expect(ok).toMatchObject({ digestMatches: true, signatureValid: true, signingTime: when });
    expect(ok.error).toBeUndefined();
    expect(new X509Certificate(ok.signerCertificate!).subject).toContain('CN=张三');
    expect(same(cms, [content[0]!]).error).toMatch(/digest/);
    const sigAt = cms.length - 10;
    const flipped = Buffer.from(cms);
    flipped[sigAt] = flipped[sigAt]! ^ 0x01;
    expect(same(flipped, content).error).toMatch(/does not verify/);
    const padded = Buffer.concat([cms, Buffer.alloc(2000)]); // /Contents is zero-padded
    expect(same(padded, content).signatureValid).toBe(true);
    for (const junk of [Buffer.alloc(0), Buffer.from('not der'), Buffer.from([0x30, 0x03, 0x06, 0x01, 0x00])]) expect(same(junk, content, { junk: true }).signatureValid).toBe(false);
  });

  it('finds the signer by issuer name as pkijs compares names (case of string values), and not by a different name', () => {
    const caseChanged = rewrite(cms, [...signerInfoField(cms, 1), 0], (issuer) => Buffer.from(Buffer.from(issuer).toString('latin1').replace('Issuing CA', 'ISSUING ca'), 'latin1'));
    expect(Buffer.from(caseChanged).equals(cms)).toBe(false);
    expect(same(caseChanged, content).signatureValid).toBe(true);
    const other = rewrite(cms, [...signerInfoField(cms, 1), 0], (issuer) => Buffer.from(Buffer.from(issuer).toString('latin1').replace('Issuing CA', 'Issuing CB'), 'latin1'));
    expect(same(other, content).error).toMatch(/signer certificate not found/);
  });

  it('finds the signer by subjectKeyIdentifier ([0] sid)', () => {
    const ski = certificateFromDer(new X509Certificate(signer.certificatePem).raw).subjectKeyId!;
    expect(ski.length).toBeGreaterThan(0);
    const bySki = rewrite(cms, signerInfoField(cms, 1), () => tlv(0x80, ski));
    const check = same(bySki, content);
    expect(check).toMatchObject({ digestMatches: true, signatureValid: true });
  });

  it('algorithm OIDs read right every time (remembered OIDs are checked byte for byte): another digest or signature algorithm, then the original again', () => {
    const withOid = (field: number, oid: Uint8Array) => rewrite(cms, [...signerInfoField(cms, field), 0], () => oid);
    const sha1 = Uint8Array.from([0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a]);
    const sha384 = Uint8Array.from([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02]);
    const rsaSha512 = Uint8Array.from([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d]);
    const unknown = Uint8Array.from([0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x7f]);
    for (let round = 0; round < 2; round++) {
      expect(same(withOid(2, sha1), content).error).toMatch(/digest/);
      expect(same(withOid(2, sha384), content).error).toMatch(/digest/);
      expect(same(withOid(2, unknown), content).error).toMatch(/unsupported digest algorithm 2\.16\.840\.1\.101\.3\.4\.2\.127/);
      expect(same(withOid(4, rsaSha512), content).error).toMatch(/does not verify/);
      expect(same(cms, content)).toMatchObject({ digestMatches: true, signatureValid: true });
    }
  });

  it('a BER-encoded CMS (indefinite length) goes to the pkijs reader and still verifies', () => {
    const outer = readElement(cms, 0);
    const ber = Buffer.concat([Buffer.from([0x30, 0x80]), cms.subarray(outer.contentStart, outer.end), Buffer.from([0, 0])]);
    expect(() => readElement(ber, 0)).toThrow(/indefinite/);
    expect(checkCadesDetached(ber, content)).toMatchObject({ digestMatches: true, signatureValid: true, signingTime: when });
  });

  it('certificates: keyUsage read from the DER (signer may sign, CA may not), chain to the root', () => {
    const [signerDer, ...chain] = [signer.certificatePem, ...signer.chainPem].map((p) => certificateFromDer(new X509Certificate(p).raw));
    expect(signerDer!.maySign).toBe(true);
    expect(chain.every((c) => c.maySign === false)).toBe(true);
    const roots = trustedRoots([ca.rootCertificatePem()]);
    expect(trustedRoots([ca.rootCertificatePem()])).toBe(roots); // parsed once per list
    const now = new Date(); // the certificates were issued when the test started
    expect(chainsToTrustedRoot(signerDer!, chain, roots, now)).toEqual({ ok: true });
    const caAsSigner = chain.find((c) => !roots.some((r) => r.fingerprint === c.fingerprint))!;
    expect(chainsToTrustedRoot(caAsSigner, chain, roots, now)).toEqual({ ok: false, error: 'signer certificate is not allowed to sign (keyUsage)' });
    expect(chainsToTrustedRoot(signerDer!, [], roots, now).error).toMatch(/no trusted issuer/);
    expect(chainsToTrustedRoot(signerDer!, chain, roots, new Date(now.getTime() - 3 * 86_400_000)).error).toMatch(/not valid at/);
  });
});

describe('DER element budget', () => {
  /** A SEQUENCE of `count` NULLs (`05 00`). */
  const nulls = (count: number) => {
    const header = Buffer.from([0x30, 0x84, 0, 0, 0, 0]);
    header.writeUInt32BE(2 * count, 2);
    return Buffer.concat([header, Buffer.alloc(2 * count, Buffer.from([0x05, 0x00]))]);
  };

  it(`lists at most ${MAX_DER_CHILDREN} elements inside one, and stops at the next`, () => {
    expect(children(nulls(MAX_DER_CHILDREN), readElement(nulls(MAX_DER_CHILDREN), 0))).toHaveLength(MAX_DER_CHILDREN);
    const over = nulls(4_750_000);
    expect(() => children(over, readElement(over, 0))).toThrow(DerTooManyElements);
  });

  it('a CMS of 4.75 M NULLs (2 s and 361 MB listing them) is a verdict at the budget: not handed to the pkijs reader', () => {
    const check = checkCadesDetached(nulls(4_750_000), [Buffer.from('content')]);
    expect(check).toMatchObject({ signerCertificate: null, digestMatches: false, signatureValid: false, error: `DER: more than ${MAX_DER_CHILDREN} elements in one` });
  });
});

describe('certificate sets (the CMS [0] certificates)', () => {
  it('two signers under one CA: sets of the same length ending in the same CA certificate are both kept (no eviction of each other)', async () => {
    const ca = await makeCa('SealFlow 同一 CA');
    const derOf = (pem: string) => new Uint8Array(new X509Certificate(pem).raw);
    const a = await makeSigner(ca, '张三');
    const chain = a.chainPem.map(derOf);
    let b = await makeSigner(ca, '李四');
    for (let i = 0; i < 20 && derOf(b.certificatePem).length !== derOf(a.certificatePem).length; i++) b = await makeSigner(ca, '李四');
    const [setA, setB] = [a, b].map((s) => tlv(0xa0, derOf(s.certificatePem), ...chain));
    expect(setA!.length).toBe(setB!.length);
    expect(Buffer.from(setA!.subarray(-32)).equals(setB!.subarray(-32))).toBe(true);
    const first = certificatesOfSet(setA!);
    expect(certificatesOfSet(setB!)[0]!.der.equals(derOf(b.certificatePem))).toBe(true);
    // The same set gives the same array object (the chain cache keys on it) even after the other set.
    expect(certificatesOfSet(setA!)).toBe(first);
    expect(first[0]!.der.equals(derOf(a.certificatePem))).toBe(true);
  });
});

describe('certificate cache bound', () => {
  it('keeps at most its bound, dropping the least recently used entry', () => {
    const lru = new Lru<number>(3);
    for (const [k, v] of [['a', 1], ['b', 2], ['c', 3]] as const) lru.set(k, v);
    expect(lru.get('a')).toBe(1); // a is now the most recent
    lru.set('d', 4);
    expect([lru.size, lru.get('b'), lru.get('a'), lru.get('c'), lru.get('d')]).toEqual([3, undefined, 1, 3, 4]);
    expect(CERTIFICATE_CACHE_SIZE).toBeGreaterThan(0);
    expect(certificateCacheSize()).toBeLessThanOrEqual(CERTIFICATE_CACHE_SIZE);
  });
});
