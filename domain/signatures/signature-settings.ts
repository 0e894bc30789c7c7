import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { DATE_SEAL_COLORS, DATE_SEAL_FORMATS, type DateSealColor, type DateSealFormat } from '../../documents/seals/date-seal';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { notFound } from '../errors';
import type { User } from '../identity/user.entity';
import { isUniqueViolation } from '../persistence/concurrency';
import { PersonalSignatureSchema, SignatureSettingsSchema, type SignatureSettings } from './signature.entities';

/** Handwritten signatures a user may keep at once. */
export const MAX_SIGNATURES_PER_USER = 10;

export const DEFAULT_DATE_SETTINGS = { dateSealEnabled: true, dateFormat: 'YYYY年MM月DD日', dateColor: 'red' } as const;

export const signatureNotFound = () => notFound('SIGNATURE_NOT_FOUND', '签名不存在', 'Signature not found');

/** The user's settings row, created with the defaults on first use (a parallel first use is harmless). */
export async function ensureSignatureSettings(em: EntityManager, userId: string, now = new Date()): Promise<SignatureSettings> {
  const found = await em.findOne(SignatureSettingsSchema, { userId });
  if (found) return found;
  try {
    await em.insert(SignatureSettingsSchema, { id: randomUUID(), userId, defaultSignatureId: null, ...DEFAULT_DATE_SETTINGS, handwrittenCount: 0, updatedAt: now });
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
  }
  return em.findOneOrFail(SignatureSettingsSchema, { userId }, { refresh: true });
}

/** The user's 日期章 settings for reading (the defaults while no row exists; reads never write). */
export async function readDateSettings(em: EntityManager, userId: string): Promise<{ enabled: boolean; format: DateSealFormat; color: DateSealColor }> {
  const s = await em.findOne(SignatureSettingsSchema, { userId });
  return { enabled: s?.dateSealEnabled ?? DEFAULT_DATE_SETTINGS.dateSealEnabled, format: s?.dateFormat ?? DEFAULT_DATE_SETTINGS.dateFormat, color: s?.dateColor ?? DEFAULT_DATE_SETTINGS.dateColor };
}

/**
 * The default signature's id, or null for the generated 人名章. A default that is gone (deleted
 * meanwhile) is the 人名章 too: the reader never trusts the pointer alone.
 */
export async function effectiveDefaultSignatureId(em: EntityManager, settings: SignatureSettings | null): Promise<string | null> {
  if (!settings?.defaultSignatureId) return null;
  const live = await em.count(PersonalSignatureSchema, { id: settings.defaultSignatureId, userId: settings.userId, deletedAt: null });
  return live ? settings.defaultSignatureId : null;
}

export const defaultSignatureSchema = z.object({ signatureId: z.string().uuid().nullable() }).strict();

/** 设为默认: one of the user's live handwritten signatures, or null for the 人名章. */
export async function setDefaultSignature(em: EntityManager, user: User, signatureId: string | null, actor: AuditActor, now = new Date()): Promise<void> {
  if (signatureId && !(await em.count(PersonalSignatureSchema, { id: signatureId, userId: user.id, deletedAt: null }))) throw signatureNotFound();
  const settings = await ensureSignatureSettings(em, user.id, now);
  const before = await effectiveDefaultSignatureId(em, settings);
  if (before === signatureId) return;
  settings.defaultSignatureId = signatureId;
  settings.updatedAt = now;
  recordAudit(em, actor, {
    action: 'signature.default_changed',
    targetType: 'signature',
    targetId: signatureId ?? user.id,
    detail: { from: before ?? 'name_seal', to: signatureId ?? 'name_seal' },
    at: now,
  });
  await em.flush();
}

export const dateSettingsSchema = z
  .object({
    enabled: z.boolean(),
    format: z.enum(DATE_SEAL_FORMATS),
    color: z.enum(Object.keys(DATE_SEAL_COLORS) as [keyof typeof DATE_SEAL_COLORS]),
  })
  .strict();
export type DateSettingsInput = z.infer<typeof dateSettingsSchema>;

/** 日期章设置: shown or not, format, colour. */
export async function updateDateSettings(em: EntityManager, user: User, input: DateSettingsInput, actor: AuditActor, now = new Date()): Promise<SignatureSettings> {
  const settings = await ensureSignatureSettings(em, user.id, now);
  const before = { enabled: settings.dateSealEnabled, format: settings.dateFormat, color: settings.dateColor };
  if (before.enabled === input.enabled && before.format === input.format && before.color === input.color) return settings;
  settings.dateSealEnabled = input.enabled;
  settings.dateFormat = input.format;
  settings.dateColor = input.color;
  settings.updatedAt = now;
  recordAudit(em, actor, { action: 'signature.date_settings_changed', targetType: 'signature', targetId: user.id, detail: { before, after: input }, at: now });
  await em.flush();
  return settings;
}
