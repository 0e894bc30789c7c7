import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { renderEnterpriseSeal } from '../../documents/seals/enterprise-seal';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { recordAudit, SYSTEM_ACTOR } from '../audit/record-audit';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { SealSchema, type Seal } from '../enterprises/seal.entities';
import { notFound } from '../errors';
import { updateWhere } from '../persistence/concurrency';
import { sealDrawingSpec } from './seal-drawing';
import { sealTypeOf, SEAL_TYPES, type SealType } from './seal-types';

export interface SealImageBytes {
  png: Uint8Array;
  widthMm: number;
  heightMm: number;
}

/** 防伪码: 13 random digits (unique per platform by the `security_code` unique index). */
export const newSecurityCode = () => String(randomInt(1_000_000_000_000, 10_000_000_000_000));

/** The catalogue entry to draw a seal with (a type no longer in the catalogue is drawn like a 专用章 with its own name). */
export function drawingTypeOf(seal: Pick<Seal, 'type' | 'name'>, enterpriseName: string): SealType {
  const known = sealTypeOf(seal.type);
  if (known) return known;
  const fallback = SEAL_TYPES.find((t) => t.code === 'contract')!;
  return { ...fallback, name: seal.name.startsWith(enterpriseName) ? seal.name.slice(enterpriseName.length) || seal.type : seal.name };
}

export async function drawSealImage(seal: Pick<Seal, 'type' | 'name' | 'securityCode' | 'departmentName'>, enterprise: { name: string; legalRepresentative: string }): Promise<SealImageBytes> {
  const type = drawingTypeOf(seal, enterprise.name);
  // A 部门章 applied for at certification before departments existed has no department: it shows 部门章.
  const departmentName = seal.departmentName ?? (type.layout.shape === 'round' && type.layout.caption === 'department' ? type.name : null);
  return renderEnterpriseSeal(sealDrawingSpec(type, enterprise, { securityCode: seal.securityCode ?? '', departmentName }));
}

/**
 * Stores the PNG under a key of this write's own (the content hash and a random part); returns the
 * columns to set. Each write owning its file lets a write that loses the seal row's version check
 * delete what it stored: with content-addressed keys two parallel identical redraws shared one file,
 * and the loser's clean-up deleted the image the winner had just set.
 */
export async function storeSealImage(store: DocumentStore, seal: Pick<Seal, 'id' | 'enterpriseId'>, image: SealImageBytes) {
  const sha256 = createHash('sha256').update(image.png).digest('hex');
  const key = `seals/${seal.enterpriseId}/${seal.id}/${sha256}-${randomBytes(6).toString('hex')}.png`;
  await store.put(key, image.png);
  return { imageKey: key, imageSha256: sha256, widthMm: image.widthMm, heightMm: image.heightMm };
}

/**
 * Seals created before seal images existed (M12) have no 防伪码, size or image: the first access
 * draws and stores them. Parallel first accesses may both draw; one conditional update wins, the
 * others delete the file they stored and read its result.
 */
export async function ensureSealImage(em: EntityManager, store: DocumentStore, seal: Seal): Promise<Seal> {
  if (seal.imageKey) return seal;
  const enterprise = await em.findOne(EnterpriseSchema, { id: seal.enterpriseId });
  if (!enterprise) throw notFound('ENTERPRISE_NOT_FOUND', '企业不存在', 'Enterprise not found');
  const securityCode = seal.securityCode ?? newSecurityCode();
  const columns = await storeSealImage(store, seal, await drawSealImage({ ...seal, securityCode }, enterprise));
  const now = new Date();
  const won = await updateWhere(em, SealSchema, { id: seal.id, imageKey: null }, { ...columns, securityCode, source: 'generated', updatedAt: now, version: seal.version + 1 });
  if (won) {
    // Its own unit of work: `seal` in `em` is stale now (changed natively) and must not be flushed.
    const audit = em.fork();
    recordAudit(audit, SYSTEM_ACTOR, { action: 'seal.image_generated', targetType: 'seal', targetId: seal.id, enterpriseId: seal.enterpriseId, detail: { sha256: columns.imageSha256, backfill: true } });
    await audit.flush();
  } else {
    await store.delete(columns.imageKey).catch(() => undefined);
  }
  return (await em.refresh(seal))!;
}

/** The seal's PNG (drawn first if it has none yet). */
export async function readSealImage(em: EntityManager, store: DocumentStore, seal: Seal): Promise<{ seal: Seal; png: Uint8Array }> {
  const ready = await ensureSealImage(em, store, seal);
  return { seal: ready, png: await store.get(ready.imageKey!) };
}
