import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { prepareUploadedSealImage } from '../../documents/seals/seal-upload';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { EnterpriseSchema, type Enterprise } from '../enterprises/enterprise.entity';
import { assertEnterpriseMayCreateSeals } from '../enterprises/enterprise-standing';
import { SealSchema, sealLiveKey, type Seal } from '../enterprises/seal.entities';
import { AppError, invalid } from '../errors';
import { flushHoldingVersions, hold } from '../persistence/concurrency';
import { requireEnabledSealType } from './enabled-seal-types';
import { drawSealImage, newSecurityCode, storeSealImage } from './seal-image';
import { sealSizeMm } from './seal-types';

export const createSealSchema = z.object({
  type: z.string({ required_error: '请选择印章类型' }).trim().min(1, '请选择印章类型').max(40),
  departmentName: z
    .string()
    .transform((s) => s.normalize('NFKC').trim())
    .pipe(z.string().max(30, '部门名称不能超过 30 个字'))
    .optional()
    .nullable(),
});
export type CreateSealInput = z.infer<typeof createSealSchema>;

export const sealExists = () => new AppError('conflict', 'SEAL_EXISTS', '该类型的印章已存在（部门章每个部门一枚）', 'A seal of this type already exists (one department seal per department)');

/** The seal's display name: 企业名 + 印章类型 (部门章: 企业名 + 部门 + 章). */
export const sealDisplayName = (enterpriseName: string, typeName: string, departmentName: string | null) => (departmentName ? `${enterpriseName}${departmentName}章` : `${enterpriseName}${typeName}`);

/**
 * Creates a seal of an enabled type for the enterprise: drawn from the enterprise's data, or from
 * an uploaded image. One live seal per type (per department for 部门章): a duplicate, also one
 * created in parallel, is a 409 (unique live key). None while the enterprise is 待重新认证.
 */
export async function createSeal(em: EntityManager, store: DocumentStore, args: { enterprise: Enterprise; input: CreateSealInput; upload?: Uint8Array; actor: AuditActor; now?: Date }): Promise<Seal> {
  const { enterprise, input } = args;
  assertEnterpriseMayCreateSeals(enterprise);
  const type = await requireEnabledSealType(em, input.type);
  const departmentName = type.code === 'department' ? input.departmentName || null : null;
  if (type.code === 'department' && !departmentName) throw invalid('DEPARTMENT_REQUIRED', '部门章需要填写部门名称', 'A department seal needs the department name');
  if (type.code !== 'department' && input.departmentName) throw invalid('DEPARTMENT_NOT_ALLOWED', '只有部门章可以填写部门名称', 'Only a department seal takes a department name');

  const draft = { enterpriseId: enterprise.id, type: type.code, status: 'active' as const, departmentName };
  if (await em.findOne(SealSchema, { liveKey: sealLiveKey(draft) })) throw sealExists();

  const id = randomUUID();
  const securityCode = newSecurityCode();
  const name = sealDisplayName(enterprise.name, type.name, departmentName);
  const image = args.upload
    ? await prepareUploadedSealImage(args.upload, sealSizeMm(type).widthMm)
    : await drawSealImage({ type: type.code, name, securityCode, departmentName }, enterprise);
  const columns = await storeSealImage(store, { id, enterpriseId: enterprise.id }, image);
  const now = args.now ?? new Date();
  const seal = em.create(SealSchema, { id, ...draft, name, createdAt: now, updatedAt: now, securityCode, source: args.upload ? 'uploaded' : 'generated', ...columns });
  recordAudit(em, args.actor, { action: 'seal.created', targetType: 'seal', targetId: id, enterpriseId: enterprise.id, detail: { type: type.code, name, departmentName, source: seal.source } });
  if (args.upload) recordAudit(em, args.actor, { action: 'seal.image_uploaded', targetType: 'seal', targetId: id, enterpriseId: enterprise.id, detail: { sha256: columns.imageSha256 } });
  try {
    // Drawn from the enterprise as this request read it: a change of its name or 法定代表人 committed
    // meanwhile (which voids the seals it finds) makes this a 409 rather than a live seal with the former name.
    await flushHoldingVersions(em, [hold(EnterpriseSchema, enterprise)], sealExists);
  } catch (err) {
    em.clear();
    await store.delete(columns.imageKey).catch(() => undefined);
    // Lost the enterprise to a parallel creation of the same seal: say so, rather than "changed meanwhile".
    if (err instanceof AppError && err.code === 'CONCURRENT_CHANGE' && (await em.fork().findOne(SealSchema, { liveKey: sealLiveKey(draft) }))) throw sealExists();
    throw err;
  }
  return seal;
}
