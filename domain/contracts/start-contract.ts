import { createHash, randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { z } from 'zod';
import { inspectPdf, prepareForSigning } from '../../documents';
import type { DocumentStore } from '../../integrations/storage/document-store';
import type { AuditActor } from '../audit/record-audit';
import { invalid, unavailable } from '../errors';
import { UserSchema } from '../identity/user.entity';
import { safeTitle } from '../identity/validators';
import { loadContract } from './contract-access';
import { ContractSignerSchema } from './contract-signer.entity';
import { ContractSchema, type Contract } from './contract.entity';
import { DocumentVersionSchema } from './document-version.entity';
import { activateContract } from './finish-contract';
import { IdempotencyKeySchema } from './idempotency-key.entity';
import { PERSONAL_SEAL_SIZE_PT, signatureFieldName } from './seal-geometry';

export const MAX_SIGNERS = 10;
/** A contract must stay open at least this long: a shorter expiry creates a contract nobody can sign. */
export const MIN_CONTRACT_TTL_MS = 10 * 60_000;
export const CREATE_SCOPE = 'contract.create';

export const MAX_TITLE_LENGTH = 200;

export const startContractSchema = z.object({
  /** The shared safe-text rule: NFC, one line, no control / zero-width / bidi characters. */
  title: safeTitle(MAX_TITLE_LENGTH),
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

export type WorkflowSigner = { signerId: string; userId: string; order: number };

export interface StartContractDeps {
  em: EntityManager;
  store: DocumentStore;
  limits: { maxBytes: number; maxPages: number };
  /** Defaults to MIN_CONTRACT_TTL_MS; tests of expiry pass less. */
  minTtlMs?: number;
  /**
   * Starts the signing workflow (id derived from the contract id). Must be idempotent: starting
   * an already started workflow succeeds. Throwing means "not known to be started".
   */
  startWorkflow(contract: Contract, signers: WorkflowSigner[]): Promise<void>;
}

export interface StartContractOptions {
  /** The request's Idempotency-Key: a retry with the same key returns the first contract. */
  idempotencyKey?: string;
  now?: Date;
}

/**
 * 发起合同, crash-safe:
 * 1. validate the PDF and the signers, store the document (atomic file write);
 * 2. one transaction writes the contract as 创建中 with its signers, version 0 and the idempotency key;
 * 3. start the workflow (idempotent by its id);
 * 4. activate: 创建中 → 签署中 with the `contract.created` audit row (one transaction).
 * A crash after 2 leaves a 创建中 row that a retry with the same key, the workflow's first
 * activity or the reconciler finishes; a failed start removes the 创建中 rows again (503). Users never
 * see a 创建中 contract, so no visible contract lacks its workflow or its audit row.
 */
export async function startContract(deps: StartContractDeps, actor: AuditActor & { id: string }, input: StartContractInput, pdf: Uint8Array, options: StartContractOptions = {}): Promise<Contract> {
  const { em, store } = deps;
  const now = options.now ?? new Date();
  const key = options.idempotencyKey;
  if (key) {
    const earlier = await resumeByKey(deps, actor, key);
    if (earlier) return earlier;
  }
  const minTtlMs = deps.minTtlMs ?? MIN_CONTRACT_TTL_MS;
  if (input.expiresAt.getTime() <= now.getTime()) throw invalid('EXPIRY_IN_PAST', '截止时间必须晚于当前时间', 'The expiry time must be in the future');
  if (input.expiresAt.getTime() < now.getTime() + minTtlMs) {
    const minutes = Math.ceil(minTtlMs / 60_000);
    throw invalid('EXPIRY_TOO_SOON', `截止时间至少应在 ${minutes} 分钟之后`, `The expiry time must be at least ${minutes} minutes from now`);
  }
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

  try {
    await em.fork().transactional(async (tx) => {
      if (key) tx.create(IdempotencyKeySchema, { id: randomUUID(), userId: actor.id, scope: CREATE_SCOPE, key, resourceId: contractId, createdAt: now });
      tx.create(ContractSchema, {
        id: contractId,
        title: input.title,
        status: 'starting',
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
      for (const s of signers) {
        tx.create(ContractSignerSchema, {
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
        });
      }
      tx.create(DocumentVersionSchema, {
        id: randomUUID(),
        contractId,
        version: 0,
        storageKey,
        sha256: createHash('sha256').update(prepared).digest('hex'),
        size: prepared.byteLength,
        signerId: null,
        createdAt: now,
      });
    });
  } catch (err) {
    await store.delete(storageKey).catch(() => undefined);
    // A parallel request with the same key won the unique constraint: answer with its contract.
    if (key && err instanceof UniqueConstraintViolationException) {
      const winner = await resumeByKey(deps, actor, key);
      if (winner) return winner;
    }
    throw err;
  }
  return launchContract(deps, contractId, actor);
}

async function resumeByKey(deps: StartContractDeps, actor: AuditActor & { id: string }, key: string): Promise<Contract | null> {
  const em = deps.em.fork();
  const row = await em.findOne(IdempotencyKeySchema, { userId: actor.id, scope: CREATE_SCOPE, key });
  if (!row) return null;
  const contract = await em.findOne(ContractSchema, { id: row.resourceId });
  if (!contract) return null;
  return contract.status === 'starting' ? launchContract(deps, contract.id, actor) : contract;
}

/** Steps 3 and 4 for a 创建中 contract (also for a retry with the same key, and the reconciler). */
type LaunchDeps = Pick<StartContractDeps, 'em' | 'store' | 'startWorkflow'>;

async function launchContract(deps: LaunchDeps, contractId: string, actor: (AuditActor & { id: string }) | null): Promise<Contract> {
  const em = deps.em.fork();
  const found = await loadContract(em, contractId);
  if (!found) throw startFailed();
  try {
    await deps.startWorkflow(found.contract, found.signers.map((s) => ({ signerId: s.id, userId: s.userId as string, order: s.order })));
  } catch (err) {
    // Not known to be started (unreachable, or a timeout that may still have started it). Remove the
    // rows while 创建中; if they are no longer 创建中, the workflow did start and activated it.
    if (await removeStartingContract(deps.em.fork(), deps.store, contractId)) throw startFailed(err);
  }
  if ((await activateContract(deps.em.fork(), contractId, actor)) === 'missing') throw startFailed();
  return (await deps.em.fork().findOneOrFail(ContractSchema, { id: contractId }));
}

/** Finishes the start of a 创建中 contract found by the reconciler (initiator recorded without an address). */
export const resumeStartingContract = (deps: LaunchDeps, contractId: string) => launchContract(deps, contractId, null);

const startFailed = (cause?: unknown) => {
  const err = unavailable('WORKFLOW_START_FAILED', '合同签署流程暂时无法启动，请稍后重试', 'Could not start the signing process; please retry', 5);
  if (cause !== undefined) (err as Error & { cause?: unknown }).cause = cause;
  return err;
};

/**
 * Compensation: deletes a contract that is still 创建中 (rows, idempotency key, stored files), in
 * one transaction conditional on the status. Returns whether it removed it.
 */
export async function removeStartingContract(em: EntityManager, store: DocumentStore, contractId: string): Promise<boolean> {
  const versions = await em.find(DocumentVersionSchema, { contractId });
  // Children before the contract (foreign keys); if the contract is no longer 创建中 when its own
  // conditional delete runs, the whole transaction is rolled back and the children stay.
  try {
    await em.transactional(async (tx) => {
      await tx.nativeDelete(DocumentVersionSchema, { contractId });
      await tx.nativeDelete(ContractSignerSchema, { contractId });
      await tx.nativeDelete(IdempotencyKeySchema, { resourceId: contractId });
      const n = await tx.nativeDelete(ContractSchema, { id: contractId, status: 'starting' });
      if (n !== 1) throw new NoLongerStarting();
    });
  } catch (err) {
    if (err instanceof NoLongerStarting) return false;
    throw err;
  }
  for (const v of versions) await store.delete(v.storageKey).catch(() => undefined);
  return true;
}

/** Rolls back the compensation of a contract that left 创建中 (or vanished) meanwhile. */
class NoLongerStarting extends Error {}
