import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, scryptSync } from 'node:crypto';

/**
 * Secret-at-rest encryption for private keys and other small secrets (AES-256-GCM).
 *
 * Current format, v2 (one ASCII line, fields separated by '$'):
 *   sfenc$v2$hkdf-sha256:<purpose>$<iv b64url>$<tag b64url>$<ciphertext b64url>
 * The data key is HKDF-SHA256(MASTER_KEY, salt "sealflow/key-encryption", info "sealflow/v2/<purpose>"),
 * derived once per process and purpose and cached: decrypting costs microseconds, not the
 * ~90 ms of scrypt that v1 paid on every call. MASTER_KEY is a long random secret (enforced in
 * production), so a password-hardening KDF is not needed. Purposes separate keys: `data` for
 * signer keys and personal data, `ca-root` for the CA root key (which only the set-up path reads).
 *
 * Legacy format, v1 (still decrypted; `needsReencryption` tells callers to upgrade it):
 *   sfenc$v1$scrypt:N=32768,r=8,p=1$<salt>$<iv>$<tag>$<ciphertext>
 *
 * In both, the header (everything before the first random field) is bound as additional
 * authenticated data, so its parameters cannot be altered without detection.
 */

const PREFIX = 'sfenc';
const KEY_LENGTH = 32;
const HKDF_SALT = 'sealflow/key-encryption';

export type SecretPurpose = 'data' | 'ca-root';
const PURPOSES: readonly SecretPurpose[] = ['data', 'ca-root'];

interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

function b64url(buf: Buffer): string {
  return buf.toString('base64url');
}

function fromB64url(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error(`decryptSecret: malformed ${what}`);
  return Buffer.from(text, 'base64url');
}

function assertMasterKey(masterKey: string): void {
  if (typeof masterKey !== 'string' || masterKey.length === 0) throw new Error('master key must be a non-empty string');
}

const dataKeys = new Map<string, Buffer>();

/** The v2 data key for a purpose: HKDF once per (master key, purpose) per process, then cached. */
function dataKey(masterKey: string, purpose: SecretPurpose): Buffer {
  assertMasterKey(masterKey);
  const id = `${purpose}\u0000${masterKey}`;
  let key = dataKeys.get(id);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(masterKey, 'utf8'), HKDF_SALT, `sealflow/v2/${purpose}`, KEY_LENGTH));
    dataKeys.set(id, key);
  }
  return key;
}

/** How many HKDF derivations this process has done (tests check it stays at one per key and purpose). */
export const derivedKeyCount = () => dataKeys.size;

function parseScryptParams(text: string): ScryptParams {
  const m = /^scrypt:N=(\d+),r=(\d+),p=(\d+)$/.exec(text);
  if (!m) throw new Error(`decryptSecret: unsupported key derivation '${text}'`);
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  // Refuse absurd values from a tampered blob (cheap DoS guard).
  if (params.N < 1024 || params.N > 1 << 20 || (params.N & (params.N - 1)) !== 0 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) {
    throw new Error('decryptSecret: key derivation parameters out of range');
  }
  return params;
}

function scryptKey(masterKey: string, salt: Buffer, p: ScryptParams): Buffer {
  assertMasterKey(masterKey);
  return scryptSync(masterKey, salt, KEY_LENGTH, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 1024 * 1024 });
}

function gcmOpen(key: Buffer, header: string, iv: Buffer, tag: Buffer, ct: Buffer): Buffer {
  if (iv.length !== 12 || tag.length !== 16) throw new Error('decryptSecret: malformed encrypted secret');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(header, 'ascii'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw new Error('decryptSecret: authentication failed (wrong master key or corrupted data)');
  }
}

export function encryptSecret(plain: Buffer | string, masterKey: string, purpose: SecretPurpose = 'data'): string {
  const data = typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain;
  const key = dataKey(masterKey, purpose);
  const iv = randomBytes(12);
  const header = `${PREFIX}$v2$hkdf-sha256:${purpose}`;
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(header, 'ascii'));
  const ct = Buffer.concat([cipher.update(data), cipher.final()]);
  return [header, b64url(iv), b64url(cipher.getAuthTag()), b64url(ct)].join('$');
}

/**
 * Decrypts either format. `purpose` is what the caller expects: a v2 blob encrypted for another
 * purpose is refused (a signer-key path cannot be pointed at the CA root key). v1 blobs predate
 * purposes and decrypt for any.
 */
export function decryptSecret(blob: string, masterKey: string, purpose: SecretPurpose = 'data'): Buffer {
  if (typeof blob !== 'string') throw new Error('decryptSecret: blob must be a string');
  const parts = blob.trim().split('$');
  if (parts[0] !== PREFIX || (parts.length !== 6 && parts.length !== 7)) {
    throw new Error('decryptSecret: not an encrypted secret (expected sfenc$v2$… or sfenc$v1$… format)');
  }
  const version = parts[1];
  if (version === 'v2' && parts.length === 6) {
    const [, , kdf, ivText, tagText, ctText] = parts as [string, string, string, string, string, string];
    const blobPurpose = /^hkdf-sha256:([a-z-]+)$/.exec(kdf)?.[1] as SecretPurpose | undefined;
    if (!blobPurpose || !PURPOSES.includes(blobPurpose)) throw new Error(`decryptSecret: unsupported key derivation '${kdf}'`);
    if (blobPurpose !== purpose) throw new Error(`decryptSecret: this secret is for '${blobPurpose}', not '${purpose}'`);
    return gcmOpen(dataKey(masterKey, purpose), `${PREFIX}$v2$${kdf}`, fromB64url(ivText, 'iv'), fromB64url(tagText, 'tag'), fromB64url(ctText, 'ciphertext'));
  }
  if (version === 'v1' && parts.length === 7) {
    const [, , kdf, saltText, ivText, tagText, ctText] = parts as [string, string, string, string, string, string, string];
    const params = parseScryptParams(kdf);
    const salt = fromB64url(saltText, 'salt');
    if (salt.length < 16) throw new Error('decryptSecret: malformed encrypted secret');
    return gcmOpen(scryptKey(masterKey, salt, params), `${PREFIX}$v1$${kdf}`, fromB64url(ivText, 'iv'), fromB64url(tagText, 'tag'), fromB64url(ctText, 'ciphertext'));
  }
  throw new Error(`decryptSecret: unsupported format version '${version}'`);
}

/** True for blobs in an older format: decrypt and encrypt again to upgrade them. */
export function needsReencryption(blob: string): boolean {
  return !blob.trim().startsWith(`${PREFIX}$v2$`);
}
