import { createHmac, hkdfSync } from 'node:crypto';

/**
 * The keyed hash that tells two 实名认证 applications of one 居民身份证号 apart from all others without storing the
 * number in the clear: HMAC-SHA-256 over the normalised number, keyed with HKDF-SHA256(MASTER_KEY, salt
 * "sealflow/id-number-hash", info "sealflow/v1/id-number") — a key of its own, never the encryption keys of
 * key-encryption.ts. A keyed hash, not a plain one: 居民身份证号 are few enough (region × birth date × sequence)
 * that an unkeyed hash would be reversed by enumeration from a database dump.
 *
 * Changing MASTER_KEY changes every hash: the stored hashes would have to be recomputed from the encrypted numbers.
 */
const keys = new Map<string, Buffer>();

function hashKey(masterKey: string): Buffer {
  if (typeof masterKey !== 'string' || masterKey.length === 0) throw new Error('master key must be a non-empty string');
  let key = keys.get(masterKey);
  if (!key) {
    key = Buffer.from(hkdfSync('sha256', Buffer.from(masterKey, 'utf8'), 'sealflow/id-number-hash', 'sealflow/v1/id-number', 32));
    keys.set(masterKey, key);
  }
  return key;
}

/** The number as the register writes it: no spaces, upper-case check character (x → X). */
export const normaliseIdNumber = (idNumber: string) => idNumber.replace(/\s+/g, '').toUpperCase();

/** 64 hex characters; equal for equal numbers under one master key. */
export function idNumberHash(idNumber: string, masterKey: string): string {
  return createHmac('sha256', hashKey(masterKey)).update(normaliseIdNumber(idNumber), 'utf8').digest('hex');
}
