import { raw, type EntityManager } from '@mikro-orm/core';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import type { User } from '../identity/user.entity';
import { effectiveDefaultSignatureId, signatureNotFound } from './signature-settings';
import { PersonalSignatureSchema, SignatureSettingsSchema, type PersonalSignature } from './signature.entities';

/** The user's live handwritten signatures, newest first, and which one is the default (null = 人名章). */
export async function listSignatures(em: EntityManager, user: User): Promise<{ signatures: PersonalSignature[]; defaultSignatureId: string | null }> {
  const signatures = await em.find(PersonalSignatureSchema, { userId: user.id, deletedAt: null }, { orderBy: { createdAt: 'desc' } });
  const settings = await em.findOne(SignatureSettingsSchema, { userId: user.id });
  return { signatures, defaultSignatureId: await effectiveDefaultSignatureId(em, settings) };
}

/** One of the caller's own live signatures; anyone else's id is simply not found. */
export async function ownSignature(em: EntityManager, user: User, id: string): Promise<PersonalSignature> {
  const found = await em.findOne(PersonalSignatureSchema, { id, userId: user.id, deletedAt: null });
  if (!found) throw signatureNotFound();
  return found;
}

export async function signatureImage(em: EntityManager, store: DocumentStore, user: User, id: string): Promise<Uint8Array> {
  return store.get((await ownSignature(em, user, id)).imageKey);
}

/**
 * 删除: the signature is marked deleted (kept for the audit trail and for documents already signed
 * with it), the user's count goes down, and if it was the default the 人名章 is the default again.
 * One transaction; a second, parallel delete finds it gone (404).
 */
export async function deleteSignature(em: EntityManager, user: User, id: string, actor: AuditActor, now = new Date()): Promise<{ defaultFellBack: boolean }> {
  await ownSignature(em, user, id);
  return em.transactional(async (tx) => {
    const marked = await tx.nativeUpdate(PersonalSignatureSchema, { id, userId: user.id, deletedAt: null }, { deletedAt: now });
    if (marked !== 1) throw signatureNotFound();
    await tx.nativeUpdate(SignatureSettingsSchema, { userId: user.id, handwrittenCount: { $gt: 0 } }, { handwrittenCount: raw('handwritten_count - 1'), updatedAt: now });
    const fellBack = (await tx.nativeUpdate(SignatureSettingsSchema, { userId: user.id, defaultSignatureId: id }, { defaultSignatureId: null, updatedAt: now })) === 1;
    recordAudit(tx, actor, { action: 'signature.deleted', targetType: 'signature', targetId: id, detail: { wasDefault: fellBack }, at: now });
    if (fellBack) {
      recordAudit(tx, actor, { action: 'signature.default_changed', targetType: 'signature', targetId: user.id, detail: { from: id, to: 'name_seal', reason: 'deleted' }, at: now });
    }
    return { defaultFellBack: fellBack };
  });
}
