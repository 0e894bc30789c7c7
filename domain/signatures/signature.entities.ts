import { EntitySchema } from '@mikro-orm/core';
import type { DateSealColor, DateSealFormat } from '../../documents/seals/date-seal';
import { references } from '../persistence/references';

/** A handwritten signature (手写签名) captured on a phone; the PNG lives in document storage. */
export interface PersonalSignature {
  id: string;
  userId: string;
  kind: 'handwritten';
  /** Document-store key of the trimmed, transparent PNG. */
  imageKey: string;
  imageSha256: string;
  width: number;
  height: number;
  createdAt: Date;
  /** Set when the user deletes it; the row stays for the audit trail. */
  deletedAt: Date | null;
}

export const PersonalSignatureSchema = new EntitySchema<PersonalSignature>({
  name: 'PersonalSignature',
  tableName: 'personal_signatures',
  indexes: [{ properties: ['userId', 'deletedAt'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    userId: references('User', 'user_id'),
    kind: { type: 'string', length: 20 },
    imageKey: { type: 'string', length: 200 },
    imageSha256: { type: 'string', length: 64 },
    width: { type: 'integer' },
    height: { type: 'integer' },
    createdAt: { type: 'datetime', length: 3 },
    deletedAt: { type: 'datetime', length: 3, nullable: true },
  },
});

/**
 * One QR-code capture: the phone link carries a random 32-byte token; only its SHA-256 is
 * stored. Usable once (`usedAt` set by a conditional UPDATE) and only before `expiresAt`.
 */
export interface SignatureCaptureSession {
  id: string;
  userId: string;
  tokenHash: string;
  createdAt: Date;
  expiresAt: Date;
  usedAt: Date | null;
  /** The signature the phone submitted with this session. */
  signatureId: string | null;
}

export const SignatureCaptureSessionSchema = new EntitySchema<SignatureCaptureSession>({
  name: 'SignatureCaptureSession',
  tableName: 'signature_capture_sessions',
  indexes: [{ properties: ['userId', 'expiresAt'] }],
  properties: {
    id: { type: 'string', length: 36, primary: true },
    userId: references('User', 'user_id'),
    tokenHash: { type: 'string', length: 64, unique: true },
    createdAt: { type: 'datetime', length: 3 },
    expiresAt: { type: 'datetime', length: 3 },
    usedAt: { type: 'datetime', length: 3, nullable: true },
    signatureId: references('PersonalSignature', 'signature_id', { nullable: true }),
  },
});

/**
 * A user's 个人签章 settings: the default signature (null = the generated 人名章), the 日期章
 * settings, and the number of live handwritten signatures (the limit is checked with a
 * conditional UPDATE on this counter, so parallel captures cannot exceed it).
 */
export interface SignatureSettings {
  id: string;
  userId: string;
  defaultSignatureId: string | null;
  dateSealEnabled: boolean;
  dateFormat: DateSealFormat;
  dateColor: DateSealColor;
  handwrittenCount: number;
  updatedAt: Date;
}

export const SignatureSettingsSchema = new EntitySchema<SignatureSettings>({
  name: 'SignatureSettings',
  tableName: 'signature_settings',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    userId: { ...references('User', 'user_id'), unique: true },
    defaultSignatureId: references('PersonalSignature', 'default_signature_id', { nullable: true }),
    dateSealEnabled: { type: 'boolean' },
    dateFormat: { type: 'string', length: 20 },
    dateColor: { type: 'string', length: 10 },
    handwrittenCount: { type: 'integer' },
    updatedAt: { type: 'datetime', length: 3 },
  },
});
