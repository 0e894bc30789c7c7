import type { EntityManager } from '@mikro-orm/core';
import { renderNameSeal } from '../../documents/seals/name-seal';
import type { DocumentStore } from '../../integrations/storage/document-store';
import type { User } from '../identity/user.entity';
import { effectiveDefaultSignatureId } from './signature-settings';
import { PersonalSignatureSchema, SignatureSettingsSchema } from './signature.entities';

/**
 * The PNG a user's personal signature stamps on a document: their default handwritten signature
 * if they chose one (and it still exists), else the generated 人名章. The one place that decides it.
 */
export async function personalSignatureImage(em: EntityManager, store: DocumentStore, user: User): Promise<Uint8Array> {
  const settings = await em.findOne(SignatureSettingsSchema, { userId: user.id });
  const id = await effectiveDefaultSignatureId(em, settings);
  if (id) {
    const signature = await em.findOneOrFail(PersonalSignatureSchema, { id });
    return store.get(signature.imageKey);
  }
  return renderNameSeal(user.name);
}
