/**
 * Signer key material, cached per process (issue 12). Every signature needs its signer's private key:
 * decrypting it (AES-GCM) and parsing the PEM into a KeyObject costs about as much as the RSA
 * signature itself, on the worker's event loop. The decrypted KeyObject is kept here instead:
 *
 * - keyed by certificate id AND the encrypted blob (a row whose key changed never gets the old key);
 * - bounded (`MAX_ENTRIES`, least recently used out first) and short-lived (`TTL_MS` after it was
 *   decrypted), so a key no longer used leaves memory;
 * - only ever asked with a certificate row the caller has just read as usable from the database
 *   (active, within its validity): a certificate revoked by another process is never served, because
 *   its row is no longer found — the cache saves the decryption, never the check;
 * - forgotten at once in this process when a certificate is revoked (`revokeCertificatesLocally`,
 *   `markRevoked`) or replaced by a newly stored one of the same owner (`storeIssuedCertificate`).
 *
 * The KeyObject reaches the document threads as a clone (postMessage), so they need not parse the
 * PEM again; the PEM stays in the credentials for engines that want it.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { CertificateAuthority } from '../../integrations/ca/certificate-authority';
import { decryptSecret } from '../../integrations/ca/key-encryption';
import type { SigningCertificate } from './certificate.entities';

export interface SignerCredentials {
  certificatePem: string;
  privateKeyPem: string;
  chainPem: string[];
  /** The parsed private key (cached per process); the PEM above is the same key. */
  privateKey?: KeyObject;
}

/** At most this many signer keys per process (a worker signing for many seals keeps the most recent). */
export const MAX_ENTRIES = 500;
/** A cached key is decrypted again after this long. */
export const TTL_MS = 10 * 60_000;

interface Entry {
  certificateId: string;
  ownerId: string;
  blob: string;
  privateKeyPem: string;
  privateKey: KeyObject;
  expiresAt: number;
}

/** Insertion order = recency (a hit moves the entry to the end). */
const entries = new Map<string, Entry>();
let decryptions = 0;

/** The row's key material, from the cache or decrypted now. The caller has checked the row is usable. */
export function signerCredentialsForCertificate(
  cert: Pick<SigningCertificate, 'id' | 'ownerId' | 'certificatePem' | 'privateKeyEncrypted' | 'status'>,
  masterKey: string,
  ca: Pick<CertificateAuthority, 'chainPem'>,
  now = Date.now(),
): SignerCredentials {
  if (cert.status !== 'active') throw new Error(`certificate ${cert.id} is ${cert.status}: it does not sign`);
  let entry = entries.get(cert.id);
  if (entry && (entry.blob !== cert.privateKeyEncrypted || entry.expiresAt <= now)) {
    entries.delete(cert.id);
    entry = undefined;
  }
  if (entry) {
    entries.delete(cert.id); // most recently used last
    entries.set(cert.id, entry);
  } else {
    const privateKeyPem = decryptSecret(cert.privateKeyEncrypted, masterKey).toString('utf8');
    decryptions++;
    entry = { certificateId: cert.id, ownerId: cert.ownerId, blob: cert.privateKeyEncrypted, privateKeyPem, privateKey: createPrivateKey(privateKeyPem), expiresAt: now + TTL_MS };
    entries.set(cert.id, entry);
    while (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  }
  return { certificatePem: cert.certificatePem, privateKeyPem: entry.privateKeyPem, privateKey: entry.privateKey, chainPem: ca.chainPem() };
}

/** Forgets the keys of these certificates (revoked) and/or of every certificate of these owners (replaced). */
export function forgetSignerKeys(which: { certificateIds?: readonly string[]; ownerIds?: readonly string[] }): void {
  for (const id of which.certificateIds ?? []) entries.delete(id);
  if (which.ownerIds?.length) {
    const owners = new Set(which.ownerIds);
    for (const [id, e] of entries) if (owners.has(e.ownerId)) entries.delete(id);
  }
}

/** Whether this process holds the key of that certificate (tests). */
export const isSignerKeyCached = (certificateId: string) => entries.has(certificateId);

/** For tests and the bench: how many keys are cached, how many decryptions this process did. */
export const signerKeyStats = () => ({ cached: entries.size, decryptions });

/** Empties the cache (tests). */
export function clearSignerKeys(): void {
  entries.clear();
}
