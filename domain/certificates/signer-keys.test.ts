import { generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { encryptSecret } from '../../integrations/ca/key-encryption';
import { clearSignerKeys, forgetSignerKeys, isSignerKeyCached, MAX_ENTRIES, signerCredentialsForCertificate, signerKeyStats, TTL_MS } from './signer-keys';

const MASTER = 'signer-keys-test-master-key';
const ca = { chainPem: () => ['CHAIN'] };
const pem = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }).toString();
const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const row = (id: string, over: Partial<{ ownerId: string; privateKeyEncrypted: string; status: 'active' | 'revoked' }> = {}) => ({
  id,
  ownerId: over.ownerId ?? `owner-${id}`,
  certificatePem: `CERT ${id}`,
  privateKeyEncrypted: over.privateKeyEncrypted ?? encryptSecret(pem(pair.privateKey), MASTER),
  status: over.status ?? ('active' as const),
});
const decryptions = () => signerKeyStats().decryptions;

beforeEach(() => clearSignerKeys());

describe('signer key cache', () => {
  it('decrypts a certificate key once, then answers the same KeyObject (which signs for the certificate key)', () => {
    const cert = row('a');
    const before = decryptions();
    const first = signerCredentialsForCertificate(cert, MASTER, ca);
    const second = signerCredentialsForCertificate(cert, MASTER, ca);
    expect(decryptions() - before).toBe(1);
    expect(second.privateKey).toBe(first.privateKey);
    expect(second).toMatchObject({ certificatePem: 'CERT a', chainPem: ['CHAIN'], privateKeyPem: pem(pair.privateKey) });
    const sig = sign('sha256', Buffer.from('x'), second.privateKey!);
    expect(verify('sha256', Buffer.from('x'), pair.publicKey, sig)).toBe(true);
  });

  it('never answers a cached key for a row whose encrypted key changed', () => {
    signerCredentialsForCertificate(row('a'), MASTER, ca);
    const changed = signerCredentialsForCertificate(row('a', { privateKeyEncrypted: encryptSecret(pem(other.privateKey), MASTER) }), MASTER, ca);
    expect(changed.privateKeyPem).toBe(pem(other.privateKey));
  });

  it('decrypts again once the TTL has passed', () => {
    const cert = row('a');
    const t0 = 1_000_000;
    signerCredentialsForCertificate(cert, MASTER, ca, t0);
    const before = decryptions();
    signerCredentialsForCertificate(cert, MASTER, ca, t0 + TTL_MS - 1);
    expect(decryptions()).toBe(before);
    signerCredentialsForCertificate(cert, MASTER, ca, t0 + TTL_MS);
    expect(decryptions()).toBe(before + 1);
  });

  it('is bounded: the least recently used key leaves first', () => {
    const blob = encryptSecret(pem(pair.privateKey), MASTER);
    for (let i = 0; i < MAX_ENTRIES; i++) signerCredentialsForCertificate(row(`c${i}`, { privateKeyEncrypted: blob }), MASTER, ca);
    signerCredentialsForCertificate(row('c0', { privateKeyEncrypted: blob }), MASTER, ca); // c0 used again: c1 is now the oldest
    signerCredentialsForCertificate(row('new', { privateKeyEncrypted: blob }), MASTER, ca);
    expect(signerKeyStats().cached).toBe(MAX_ENTRIES);
    expect(isSignerKeyCached('c0')).toBe(true);
    expect(isSignerKeyCached('c1')).toBe(false);
    expect(isSignerKeyCached('new')).toBe(true);
  });

  it('refuses a revoked certificate even when its key is cached', () => {
    signerCredentialsForCertificate(row('a'), MASTER, ca);
    expect(() => signerCredentialsForCertificate(row('a', { status: 'revoked' }), MASTER, ca)).toThrow(/revoked/);
  });

  it('forgets keys by certificate (revoked) and by owner (replaced)', () => {
    signerCredentialsForCertificate(row('a', { ownerId: 'seal-1' }), MASTER, ca);
    signerCredentialsForCertificate(row('b', { ownerId: 'seal-1' }), MASTER, ca);
    signerCredentialsForCertificate(row('c', { ownerId: 'seal-2' }), MASTER, ca);
    forgetSignerKeys({ certificateIds: ['c'] });
    expect([isSignerKeyCached('a'), isSignerKeyCached('b'), isSignerKeyCached('c')]).toEqual([true, true, false]);
    forgetSignerKeys({ ownerIds: ['seal-1'] });
    expect(signerKeyStats().cached).toBe(0);
  });
});
