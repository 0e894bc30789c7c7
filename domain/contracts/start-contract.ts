import { createHash, randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { inspectPdf, prepareForSigning } from '../../documents';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { recordAudit, type AuditActor } from '../audit/record-audit';
import { AppError, invalid } from '../errors';
import { UserSchema } from '../identity/user.entity';
import { ContractSignerSchema } from './contract-signer.entity';
import { ContractSchema, type Contract } from './contract.entity';
import { DocumentVersionSchema } from './document-version.entity';
import { PERSONAL_SEAL_SIZE_PT, signatureFieldName } from './seal-geometry';

export const MAX_SIGNERS = 10;

export const startContractSchema = z.object({
  title: z.string().trim().min(1, '请填写合同名称').max(200, '合同名称不能超过 200 字'),
  expiresAt: z.coerce.date({ errorMap: () => ({ message: '截止时间格式不正确' }) }),
  signers: z
    .array(
      z.object({
        mobile: z.string().trim().regex(/^1\d{10}$/, '签署人手机号格式不正确'),
        page: z.coerce.number().int('页码必须是整数').min(1, '页码从 1 开始'),
        x: z.coerce.number().min(0, '坐标不能为负'),
        y: z.coerce.number().min(0, '坐标不能为负'),
      }),
    )
    .min(1, '至少需要一位签署人')
    .max(MAX_SIGNERS, `签署人不能超过 ${MAX_SIGNERS} 位`),
});
export type StartContractInput = z.infer<typeof startContractSchema>;

export interface StartContractDeps {
  em: EntityManager;
  store: DocumentStore;
  limits: { maxBytes: number; maxPages: number };
  /** Starts the signing workflow; throwing makes the whole start fail and roll back. */
  startWorkflow(contract: Contract, signers: { signerId: string; userId: string; order: number }[]): Promise<void>;
}

/**
 * 发起合同: validates the PDF and the signers, stores the document, writes the contract and
 * starts its workflow. Either all of it happens or none of it does.
 */
export async function startContract(deps: StartContractDeps, actor: AuditActor & { id: string }, input: StartContractInput, pdf: Uint8Array, now = new Date()): Promise<Contract> {
  const { em, store } = deps;
  if (input.expiresAt.getTime() <= now.getTime()) throw invalid('EXPIRY_IN_PAST', '截止时间必须晚于当前时间', 'The expiry time must be in the future');
  const mobiles = input.signers.map((s) => s.mobile);
  if (new Set(mobiles).size !== mobiles.length) throw invalid('DUPLICATE_SIGNER', '同一签署人不能重复添加', 'A signer is listed twice');

  const info = await inspectPdf(pdf, deps.limits);
  const users = await em.find(UserSchema, { mobile: { $in: mobiles } });
  const signers = input.signers.map((s, i) => {
    const user = users.find((u) => u.mobile === s.mobile);
    if (!user) throw invalid('SIGNER_NOT_REGISTERED', `签署人 ${s.mobile} 尚未注册`, `Signer ${s.mobile} is not registered`);
    const page = info.pages[s.page - 1];
    if (!page) throw invalid('POSITION_OUT_OF_PAGE', `第 ${i + 1} 位签署人的页码超出文件页数（共 ${info.pageCount} 页）`, `Signer ${i + 1}: page ${s.page} does not exist (${info.pageCount} pages)`);
    if (s.x + PERSONAL_SEAL_SIZE_PT > page.width || s.y + PERSONAL_SEAL_SIZE_PT > page.height) {
      throw invalid('POSITION_OUT_OF_PAGE', `第 ${i + 1} 位签署人的盖章位置超出页面范围`, `Signer ${i + 1}: the seal position is outside the page`);
    }
    return { ...s, user, order: i + 1 };
  });

  const prepared = await prepareForSigning(pdf);
  const contractId = randomUUID();
  const storageKey = `contracts/${contractId}/v0.pdf`;
  await store.put(storageKey, prepared);

  const contract = em.create(ContractSchema, {
    id: contractId,
    title: input.title,
    status: 'in_progress',
    voidReason: null,
    initiatorId: actor.id,
    initiatorEnterpriseId: null,
    pageCount: info.pageCount,
    documentVersion: 0,
    createdAt: now,
    expiresAt: input.expiresAt,
    completedAt: null,
    voidedAt: null,
  });
  const signerRows = signers.map((s) =>
    em.create(ContractSignerSchema, {
      id: randomUUID(),
      contractId,
      order: s.order,
      userId: s.user.id,
      name: s.user.name,
      mobile: s.user.mobile,
      status: s.order === 1 ? 'pending' : 'waiting',
      signedAt: null,
      page: s.page,
      x: s.x,
      y: s.y,
      fieldName: signatureFieldName(s.order),
    }),
  );
  em.create(DocumentVersionSchema, {
    id: randomUUID(),
    contractId,
    version: 0,
    storageKey,
    sha256: createHash('sha256').update(prepared).digest('hex'),
    size: prepared.byteLength,
    signerId: null,
    createdAt: now,
  });
  await em.flush();

  try {
    await deps.startWorkflow(contract, signerRows.map((s) => ({ signerId: s.id, userId: s.userId, order: s.order })));
  } catch (err) {
    // Compensate: no contract row may exist without its workflow.
    await em.transactional(async (tx) => {
      await tx.nativeDelete(ContractSignerSchema, { contractId });
      await tx.nativeDelete(DocumentVersionSchema, { contractId });
      await tx.nativeDelete(ContractSchema, { id: contractId });
    });
    await store.delete(storageKey);
    throw new AppError('conflict', 'WORKFLOW_START_FAILED', '合同签署流程启动失败，请稍后重试', 'Could not start the signing process; please retry', { cause: String(err) });
  }
  recordAudit(em, actor, {
    action: 'contract.created',
    targetType: 'contract',
    targetId: contractId,
    detail: { title: input.title, pages: info.pageCount, signers: signers.map((s) => s.user.name), expiresAt: input.expiresAt.toISOString() },
    at: now,
  });
  await em.flush();
  return contract;
}
