import { createHash, randomBytes, randomInt } from 'node:crypto';
import { raw, type EntityManager } from '@mikro-orm/core';
import { renderEnterpriseSeal } from '../../documents/seals/enterprise-seal';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { recordAudit, SYSTEM_ACTOR } from '../audit/record-audit';
import { EnterpriseSchema } from '../enterprises/enterprise.entity';
import { SealSchema, type Seal } from '../enterprises/seal.entities';
import { notFound } from '../errors';
import { concurrentChange, updateWhere } from '../persistence/concurrency';
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

/** How many times a first drawing starts again from a fresh read when the seal changed under it (a grant's version hold, say). */
const DRAW_ATTEMPTS = 3;

/**
 * Seals created before seal images existed (M12) have no 防伪码, size or image: the first access
 * draws and stores them. The write is conditioned on the version the drawing was made from and
 * advances it in SQL: a redraw or upload that read the seal before it then fails on its own
 * version check (409) instead of replacing this image and 防伪码 unseen. Parallel first accesses
 * may all draw; one conditional update wins, the others delete the file they stored and read its
 * result. A seal changed meanwhile without getting an image is read again and drawn afresh.
 */
export async function ensureSealImage(em: EntityManager, store: DocumentStore, seal: Seal): Promise<Seal> {
  let current = seal;
  for (let attempt = 1; !current.imageKey; attempt++) {
    if (attempt > DRAW_ATTEMPTS) throw concurrentChange();
    await drawMissingImage(em, store, current);
    // Changed natively: `current` in `em` is stale now (and must not be flushed as it is).
    const fresh = await em.refresh(current);
    if (!fresh) throw notFound('SEAL_NOT_FOUND', '印章不存在', 'Seal not found');
    current = fresh;
  }
  return current;
}

/** Draws the seal as read and stores it if the row is still that version without an image; otherwise deletes the file it stored. */
async function drawMissingImage(em: EntityManager, store: DocumentStore, seal: Seal): Promise<void> {
  const enterprise = await em.findOne(EnterpriseSchema, { id: seal.enterpriseId });
  if (!enterprise) throw notFound('ENTERPRISE_NOT_FOUND', '企业不存在', 'Enterprise not found');
  // A seal from before seal images has no 防伪码 yet (a backfill); a new seal got its 防伪码 when it was created.
  const backfill = !seal.securityCode;
  const securityCode = seal.securityCode ?? newSecurityCode();
  const columns = await storeSealImage(store, seal, await drawSealImage({ ...seal, securityCode }, enterprise));
  const dropFile = () => store.delete(columns.imageKey).catch(() => undefined);
  let won: number;
  try {
    // The drawing and its audit row commit together, in a unit of work of their own (`seal` in `em` is stale
    // after the native update and must not be flushed): committed alone, a failure before the audit row lost it
    // for good (the seal then has its image, so nothing draws it again).
    won = await em.fork().transactional(async (tx) => {
      const n = await updateWhere(tx, SealSchema, { id: seal.id, imageKey: null, version: seal.version }, { ...columns, securityCode, source: 'generated', updatedAt: new Date(), version: raw('version + 1') });
      if (n) recordAudit(tx, SYSTEM_ACTOR, { action: 'seal.image_generated', targetType: 'seal', targetId: seal.id, enterpriseId: seal.enterpriseId, detail: { sha256: columns.imageSha256, ...(backfill ? { backfill: true } : {}) } });
      return n;
    });
  } catch (err) {
    // Not committed: the file is nobody's — unless the row names it after all (a COMMIT whose answer was lost);
    // when that cannot be read either, the file stays (an unreferenced file rather than a seal without its image).
    const named = await em.fork().count(SealSchema, { id: seal.id, imageKey: columns.imageKey }).catch(() => 1);
    if (!named) await dropFile();
    throw err;
  }
  if (!won) await dropFile(); // another writer drew or changed the seal first
}

/** The seal's PNG (drawn first if it has none yet). */
export async function readSealImage(em: EntityManager, store: DocumentStore, seal: Seal): Promise<{ seal: Seal; png: Uint8Array }> {
  const ready = await ensureSealImage(em, store, seal);
  return { seal: ready, png: await store.get(ready.imageKey!) };
}
