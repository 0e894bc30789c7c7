import type { EntityManager } from '@mikro-orm/core';
import { prepareUploadedSealImage } from '../../documents/seals/seal-upload';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { SealSchema, type Seal } from '../enterprises/seal.entities';
import { AppError, notFound } from '../errors';
import { actingHold } from '../enterprises/seal-authorizations';
import type { Membership } from '../enterprises/membership.entity';
import { concurrentChange, flushHoldingVersions } from '../persistence/concurrency';
import { drawingTypeOf, drawSealImage, newSecurityCode, storeSealImage } from './seal-image';
import { sealSizeMm } from './seal-types';

const sealNotFound = () => notFound('SEAL_NOT_FOUND', '印章不存在', 'Seal not found');

/** A live (not voided) seal of the enterprise; another enterprise's seal id is simply not found. */
export async function loadEnterpriseSeal(em: EntityManager, enterpriseId: string, sealId: string): Promise<Seal> {
  const seal = await em.findOne(SealSchema, { id: sealId, enterpriseId, status: { $ne: 'voided' } });
  if (!seal) throw sealNotFound();
  return seal;
}

function checkVersion(seal: Seal, version: number | undefined) {
  if (version !== undefined && version !== seal.version) throw concurrentChange();
}

/**
 * 停用 / 启用. `version` (from the list the user saw) makes a stale click a 409; the row's version also guards the write.
 * `actingMembership` (the administrator's, as the access check read it) is held at the write: an administrator
 * replaced or removed meanwhile changes nothing (409).
 */
export async function setSealEnabled(em: EntityManager, args: { enterpriseId: string; sealId: string; enabled: boolean; version?: number; actor: AuditActor; actingMembership: Membership }): Promise<Seal> {
  const seal = await loadEnterpriseSeal(em, args.enterpriseId, args.sealId);
  checkVersion(seal, args.version);
  const target = args.enabled ? 'active' : 'disabled';
  if (seal.status === target) {
    throw new AppError('conflict', args.enabled ? 'SEAL_ALREADY_ENABLED' : 'SEAL_ALREADY_DISABLED', args.enabled ? '印章已是启用状态' : '印章已停用', args.enabled ? 'The seal is already enabled' : 'The seal is already disabled');
  }
  seal.status = target;
  seal.updatedAt = new Date();
  recordAudit(em, args.actor, { action: args.enabled ? 'seal.enabled' : 'seal.disabled', targetType: 'seal', targetId: seal.id, enterpriseId: seal.enterpriseId, detail: { name: seal.name } });
  await flushHoldingVersions(em, [actingHold(args.actingMembership)]);
  return seal;
}

/**
 * Replaces a seal's image: an uploaded one, or (no upload) drawn again from the enterprise's current data.
 * `actingMembership` is held at the write as in `setSealEnabled` (an upload may take long to arrive).
 */
export async function replaceSealImage(em: EntityManager, store: DocumentStore, args: { enterpriseId: string; sealId: string; upload?: Uint8Array; version?: number; actor: AuditActor; actingMembership: Membership }): Promise<Seal> {
  const seal = await loadEnterpriseSeal(em, args.enterpriseId, args.sealId);
  checkVersion(seal, args.version);
  const enterprise = await em.findOneOrFail(EnterpriseSchema, { id: seal.enterpriseId });
  const securityCode = seal.securityCode ?? newSecurityCode();
  const type = drawingTypeOf(seal, enterprise.name);
  const image = args.upload ? await prepareUploadedSealImage(args.upload, sealSizeMm(type).widthMm) : await drawSealImage({ ...seal, securityCode }, enterprise);
  const previous = { key: seal.imageKey, sha256: seal.imageSha256 };
  // This write's own file (storeSealImage): on a lost version check it is deleted, and nothing else is.
  const columns = await storeSealImage(store, seal, image);
  Object.assign(seal, columns, { securityCode, source: args.upload ? 'uploaded' : 'generated', updatedAt: new Date() });
  recordAudit(em, args.actor, { action: args.upload ? 'seal.image_uploaded' : 'seal.image_generated', targetType: 'seal', targetId: seal.id, enterpriseId: seal.enterpriseId, detail: { sha256: columns.imageSha256, previousSha256: previous.sha256 } });
  try {
    await flushHoldingVersions(em, [actingHold(args.actingMembership)]);
  } catch (err) {
    await store.delete(columns.imageKey).catch(() => undefined);
    throw err;
  }
  // The replaced image is no longer referenced (signed documents embed their own copy).
  if (previous.key) await store.delete(previous.key).catch(() => undefined);
  return seal;
}
