import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

/**
 * Secret-at-rest encryption for CA private keys (and any other small secret).
 *
 * Format (one ASCII line, fields separated by '$'):
 *   sfenc$v1$scrypt:N=32768,r=8,p=1$<salt b64url>$<iv b64url>$<tag b64url>$<ciphertext b64url>
 *
 * AES-256-GCM with a key derived from the master key by scrypt over a random 16-byte salt.
 * The header (everything before the salt) is bound as additional authenticated data, so the
 * parameters cannot be altered without detection. Parameters are read back from the blob,
 * which lets a future version raise the cost without breaking stored material.
 */

const PREFIX = 'sfenc';
const VERSION = 'v1';
const DEFAULT_PARAMS = { N: 32768, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

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

function formatParams(p: ScryptParams): string {
  return `scrypt:N=${p.N},r=${p.r},p=${p.p}`;
}

function parseParams(text: string): ScryptParams {
  const m = /^scrypt:N=(\d+),r=(\d+),p=(\d+)$/.exec(text);
  if (!m) throw new Error(`decryptSecret: unsupported key derivation '${text}'`);
  const params = { N: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  // Refuse absurd values from a tampered blob (cheap DoS guard).
  if (params.N < 1024 || params.N > 1 << 20 || (params.N & (params.N - 1)) !== 0 || params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) {
    throw new Error('decryptSecret: key derivation parameters out of range');
  }
  return params;
}

function deriveKey(masterKey: string, salt: Buffer, p: ScryptParams): Buffer {
  if (typeof masterKey !== 'string' || masterKey.length === 0) {
    throw new Error('master key must be a non-empty string');
  }
  return scryptSync(masterKey, salt, KEY_LENGTH, { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 1024 * 1024 });
}

export function encryptSecret(plain: Buffer | string, masterKey: string): string {
  const data = typeof plain === 'string' ? Buffer.from(plain, 'utf8') : plain;
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const header = `${PREFIX}$${VERSION}$${formatParams(DEFAULT_PARAMS)}`;
  const key = deriveKey(masterKey, salt, DEFAULT_PARAMS);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(header, 'ascii'));
  const ct = Buffer.concat([cipher.update(data), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [header, b64url(salt), b64url(iv), b64url(tag), b64url(ct)].join('$');
}

export function decryptSecret(blob: string, masterKey: string): Buffer {
  if (typeof blob !== 'string') throw new Error('decryptSecret: blob must be a string');
  const parts = blob.trim().split('$');
  if (parts.length !== 7 || parts[0] !== PREFIX) {
    throw new Error('decryptSecret: not an encrypted secret (expected sfenc$v1$… format)');
  }
  const [, version, kdf, saltText, ivText, tagText, ctText] = parts as [string, string, string, string, string, string, string];
  if (version !== VERSION) throw new Error(`decryptSecret: unsupported format version '${version}'`);
  const params = parseParams(kdf);
  const salt = fromB64url(saltText, 'salt');
  const iv = fromB64url(ivText, 'iv');
  const tag = fromB64url(tagText, 'tag');
  const ct = fromB64url(ctText, 'ciphertext');
  if (salt.length < 16 || iv.length !== 12 || tag.length !== 16) {
    throw new Error('decryptSecret: malformed encrypted secret');
  }
  const key = deriveKey(masterKey, salt, params);
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAAD(Buffer.from(`${PREFIX}$${version}$${kdf}`, 'ascii'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw new Error('decryptSecret: authentication failed (wrong master key or corrupted data)');
  }
}
