/**
 * A worker killed with SIGKILL in the middle of contract signatures leaves everything consistent
 * once another worker takes over.
 *
 * The real worker entry point (`node --import tsx worker/main.ts`) runs as child process A on a
 * SQLite file this test set up. Several contracts (2 signers, step 1 and step 2) get their first
 * signature concurrently; a signature is a local activity inside the workflow task that accepted
 * the `sign` Update (domain/contracts/signing-timing.ts). As soon as the first of them has committed
 * (its 意愿认证 confirmation is used in the commit's transaction), A is killed: the others are in
 * flight — in a workflow task A holds, in a document thread, in an uncommitted transaction, or
 * committed without an answer yet. Worker B (same settings and task queue) starts; once A's workflow
 * tasks time out it replays the workflows and re-runs the signatures, which are idempotent by their
 * confirmation. Proven:
 * - every Update answers: a signature, or a refusal the API maps to a 4xx (none is expected; a refused
 *   participant signs again with a new confirmation, as a user would) — never a 5xx, never a hang;
 * - after the second signatures every contract is 已完成 (the workflow's result and the row);
 * - in the database each participant signed exactly once: one `signed` trail event and one
 *   `contract.signed` audit row per participant, one document version per signature (v1 by the
 *   first signer, v2 by the second), each confirmation used at most once and the used ones are
 *   exactly one per participant; the trail's hash chain is intact and vouches for the document;
 * - the final PDF verifies with exactly 2 signatures (the platform's verifier and poppler's pdfsig),
 *   by the two signers, intact and chained to the platform CA.
 *
 * This process (in the API's role) writes its rows — the contracts and the confirmations of both
 * rounds — before any worker runs, and only reads while a worker runs, so that what is proven is the
 * kill alone. (Its first version wrote meanwhile and ran into libsql connections left on a stale
 * snapshot after a busy failure — committed 意愿认证 refused, contracts ending at activation as
 * 'missing' — fixed in domain/persistence/sqlite-connection.ts and tested there.) A Query is not used
 * to find signatures in flight (it would need the worker being killed); the database is polled instead.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { isTemporalUnreachable, updateFailureToAppError } from '../../api/http/update-failure';
import { setUpPlatform } from '../../bootstrap/set-up';
import type { Services } from '../../bootstrap/services';
import { loadConfig, type AppConfig } from '../../config';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { startContract, startContractSpecSchema } from '../../domain/contracts/start-contract';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { verifyContractTrail } from '../../domain/contracts/trail/verify-contract-trail';
import { WillingnessConfirmationSchema } from '../../domain/contracts/willingness-confirmation.entity';
import { AppError } from '../../domain/errors';
import type { User } from '../../domain/identity/user.entity';
import { closeDocumentWorkers } from '../../documents';
import { verifyPdf } from '../../documents/pdf/verify-pdf';
import { startContractDeps } from '../harness/start-contract-deps';
import type { contractLifecycleWorkflow } from '../../workflows/contract-lifecycle';
import { lifecycleSignUpdate, type LifecycleSignResult } from '../../workflows/contract-lifecycle-api';
import { contractWorkflowId } from '../../workflows/search-attributes';
import { createUser, makePdf } from '../harness/fixtures';
import { currentDocument, pdfsigSignatures } from '../harness/pdf-checks';
import { startWorkerProcess, type WorkerProcess } from '../harness/worker-process';

const CONTRACTS = 6;
/** Bound of every wait (the machine may be loaded: a generous one, it only turns a hang into a failure). */
const WAIT_MS = 240_000;

let root: string;
let config: AppConfig;
let workerEnv: Record<string, string>;
let services: Services;
let connection: Connection;
let client: Client;
const workers: WorkerProcess[] = [];

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-killed-worker-'));
  workerEnv = {
    DATABASE_URL: `sqlite:${path.join(root, 'app.sqlite')}`,
    DATA_DIR: path.join(root, 'data'),
    MASTER_KEY: `mk-${randomUUID()}-${randomUUID()}`,
    TEMPORAL_ADDRESS: inject('temporalAddress'),
    TEMPORAL_TASK_QUEUE: `killed-worker-${randomUUID()}`,
    LOG_LEVEL: 'warn',
  };
  config = loadConfig({ ...workerEnv, API_PORT: '0' });
  services = await setUpPlatform(config, { firstOperator: false, print: () => undefined });
  connection = await Connection.connect({ address: config.temporal.address });
  client = new Client({ connection, namespace: config.temporal.namespace });
});

afterAll(async () => {
  await Promise.all(workers.map((w) => w.kill()));
  await connection?.close();
  await services?.close();
  await closeDocumentWorkers(0);
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

interface Started {
  id: string;
  handle: WorkflowHandle<typeof contractLifecycleWorkflow>;
  /** Participant ids in signing order, with the user who signs for each. */
  participants: { id: string; userId: string }[];
}

/** A contract started as the API would (use case + workflow on the workers' task queue). */
async function startOne(initiator: User, first: User, second: User, pdf: Uint8Array): Promise<Started> {
  const spec = startContractSpecSchema.parse({
    title: '进程中断签署合同',
    participants: [
      { kind: 'person', step: 1, mobile: first.mobile, name: first.name, marks: [{ kind: 'name_seal', page: 2, x: 100, y: 600 }] },
      { kind: 'person', step: 2, mobile: second.mobile, name: second.name, marks: [{ kind: 'name_seal', page: 2, x: 350, y: 600 }] },
    ],
  });
  const started = await startContract(
    startContractDeps(services, config, client, { workflow: { timeoutMs: 60_000 } }),
    { id: initiator.id, name: initiator.name, ip: null },
    spec,
    pdf,
  );
  const rows = await services.orm.em.fork().find(ContractSignerSchema, { contractId: started.id }, { orderBy: { order: 'asc' } });
  return {
    id: started.id,
    handle: client.workflow.getHandle<typeof contractLifecycleWorkflow>(contractWorkflowId(started.id)),
    participants: rows.map((r) => ({ id: r.id, userId: r.userId! })),
  };
}

/** The 意愿认证 row the API writes once the signer's SMS code checked out; its id. */
async function confirm(contractId: string, participant: { id: string; userId: string }): Promise<string> {
  const id = randomUUID();
  await services.orm.em.fork().insert(WillingnessConfirmationSchema, { id, contractId, signerId: participant.id, userId: participant.userId, method: 'sms', confirmedAt: new Date(), usedAt: null, ip: '203.0.113.7', codeHash: null });
  return id;
}

const describeError = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}${error.cause instanceof Error ? ` (cause: ${error.cause.message})` : ''}` : String(error));

type Answer = { ok: true; result: LifecycleSignResult } | { ok: false; error: unknown };

/**
 * While a workflow task is being retried (after A's task timed out), the server refuses to take an
 * Update ("Workflow Task in failed state", gRPC FAILED_PRECONDITION) instead of queueing it; the API
 * answers that, like an unreachable Temporal, as 503 with Retry-After (isTemporalUnreachable). The
 * answer carries no outcome: a client retries with the same update id, which Temporal answers once.
 */
/** Transient refusals met and retried (reported in the log; not an outcome). */
const retriedTransient: string[] = [];

/** The `sign` Update as the API sends it (update id from the confirmation); its answer, never a rejection. */
async function sign(contract: Started, participant: { id: string; userId: string }, confirmationId: string): Promise<Answer> {
  for (;;) {
    try {
      const result = await contract.handle.executeUpdate(lifecycleSignUpdate, { args: [{ participantId: participant.id, actorUserId: participant.userId, confirmationId }], updateId: `sign:${confirmationId}` });
      return { ok: true, result };
    } catch (error) {
      if (!isTemporalUnreachable(error)) return { ok: false, error };
      retriedTransient.push(`${contract.id}: ${describeError(error)}`);
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

/** What the API would answer for a failed Update: a 4xx AppError is a clear refusal; anything else is not. */
function isClientRefusal(error: unknown): boolean {
  const mapped = updateFailureToAppError(error);
  return mapped instanceof AppError && mapped.kind !== 'unavailable';
}

/** Rejects with `what` if `promise` has not settled within WAIT_MS (a hang is a failure, with a message). */
function within<T>(promise: Promise<T>, what: string, output: () => string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${WAIT_MS} ms; worker output:\n${output()}`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Used confirmations among `ids` (a used one belongs to a committed signature). */
const usedCount = (ids: string[]) => services.orm.em.fork().count(WillingnessConfirmationSchema, { id: { $in: ids }, usedAt: { $ne: null } });

/** Polls until at least one of `ids` is used (a signature committed), then returns. */
async function firstCommit(ids: string[], worker: WorkerProcess): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while ((await usedCount(ids)) === 0) {
    if (worker.child.exitCode !== null || worker.child.signalCode !== null) throw new Error(`worker A exited before any signature committed:\n${worker.output()}`);
    if (Date.now() > deadline) throw new Error(`no signature committed within ${WAIT_MS} ms; worker A output:\n${worker.output()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('a worker killed with SIGKILL during signatures', () => {
  it('another worker finishes every signature exactly once; contracts complete and their PDFs verify', async () => {
    const [initiator, first, second] = [await createUser(services, '冯发起'), await createUser(services, '张一签'), await createUser(services, '李二签')];
    const pdf = await makePdf(2);

    // Everything this process writes (contracts, both rounds of confirmations) is written before a
    // worker runs: the workflows wait on the task queue meanwhile. See the header for why.
    const contracts: Started[] = [];
    for (let i = 0; i < CONTRACTS; i++) contracts.push(await startOne(initiator, first, second, pdf));
    /** Every confirmation written, per contract (refused ones stay unused). */
    const confirmations = new Map<string, string[]>(contracts.map((c) => [c.id, []]));
    const confirmFor = async (c: Started, participant: { id: string; userId: string }) => {
      const id = await confirm(c.id, participant);
      confirmations.get(c.id)!.push(id);
      return id;
    };
    const firstIds: string[] = [];
    const secondIds: string[] = [];
    for (const c of contracts) {
      firstIds.push(await confirmFor(c, c.participants[0]!));
      secondIds.push(await confirmFor(c, c.participants[1]!));
    }

    const workerA = startWorkerProcess(workerEnv);
    workers.push(workerA);
    await workerA.ready(WAIT_MS);

    // The first signatures, all at once; A is killed as soon as one of them has committed.
    const firstAnswers = contracts.map((c, i) => sign(c, c.participants[0]!, firstIds[i]!));
    await firstCommit(firstIds, workerA);
    await workerA.kill();
    expect((await workerA.exited).signal).toBe('SIGKILL');
    const committedAtKill = await usedCount(firstIds);
    console.log(`[killed-worker] worker A killed with ${committedAtKill} of ${CONTRACTS} first signatures committed`);
    // At least one Update was still unanswered and uncommitted when A died: B has to finish it.
    expect(committedAtKill).toBeLessThan(CONTRACTS);

    const workerB = startWorkerProcess(workerEnv);
    workers.push(workerB);
    await workerB.ready(WAIT_MS);
    const output = () => `--- A ---\n${workerA.output()}\n--- B ---\n${workerB.output()}`;

    // Every first Update answers: a signature, or a clear refusal (then the signer signs again, as a user would).
    const answers = await within(Promise.all(firstAnswers), 'first signatures', output);
    const refused: string[] = [];
    for (const [i, answer] of answers.entries()) {
      const c = contracts[i]!;
      if (answer.ok) {
        expect(answer.result).toMatchObject({ participantId: c.participants[0]!.id, documentVersion: 1, stepAdvanced: 2, completed: false });
        continue;
      }
      expect(isClientRefusal(answer.error), `contract ${c.id}: ${describeError(answer.error)}\n${output()}`).toBe(true);
      refused.push(`${c.id}: ${describeError(answer.error)}`);
      const again = await within(sign(c, c.participants[0]!, await confirmFor(c, c.participants[0]!)), `first signature of ${c.id} again`, output);
      expect(again.ok ? again.result : describeError(again.error)).toMatchObject({ participantId: c.participants[0]!.id, documentVersion: 1, completed: false });
    }
    if (retriedTransient.length) console.log(`[killed-worker] Updates re-sent after a transient refusal:\n${retriedTransient.join('\n')}`);
    if (refused.length) console.log(`[killed-worker] refused first signatures (signed again):\n${refused.join('\n')}`);

    // The second signatures on worker B complete every contract.
    const secondAnswers = await within(Promise.all(contracts.map((c, i) => sign(c, c.participants[1]!, secondIds[i]!))), 'second signatures', output);
    for (const [i, answer] of secondAnswers.entries()) {
      expect(answer.ok ? answer.result : `${describeError(answer.error)}\n${output()}`).toMatchObject({ participantId: contracts[i]!.participants[1]!.id, documentVersion: 2, completed: true });
    }
    for (const c of contracts) expect((await within(c.handle.result(), `result of ${c.id}`, output)).status).toBe('completed');

    // The database: every participant signed exactly once.
    const caRoot = services.ca.rootCertificatePem();
    for (const c of contracts) {
      const em = services.orm.em.fork();
      const [p1, p2] = [c.participants[0]!.id, c.participants[1]!.id];
      const contract = await em.findOneOrFail(ContractSchema, { id: c.id });
      expect({ status: contract.status, documentVersion: contract.documentVersion }).toEqual({ status: 'completed', documentVersion: 2 });
      const signers = await em.find(ContractSignerSchema, { contractId: c.id }, { orderBy: { order: 'asc' } });
      expect(signers.map((s) => [s.id, s.status, s.signedByUserId])).toEqual([
        [p1, 'signed', first.id],
        [p2, 'signed', second.id],
      ]);
      const versions = await em.find(DocumentVersionSchema, { contractId: c.id }, { orderBy: { version: 'asc' } });
      expect(versions.map((v) => [v.version, v.signerId])).toEqual([
        [0, null],
        [1, p1],
        [2, p2],
      ]);
      const signedEvents = await em.find(ContractEventSchema, { contractId: c.id, type: 'signed' }, { orderBy: { seq: 'asc' } });
      expect(signedEvents.map((e) => (JSON.parse(e.payload) as { participantId: string; documentVersion: number }).participantId)).toEqual([p1, p2]);
      expect(signedEvents.map((e) => (JSON.parse(e.payload) as { documentVersion: number }).documentVersion)).toEqual([1, 2]);
      expect(await em.count(AuditEventSchema, { targetType: 'contract', targetId: c.id, action: 'contract.signed' })).toBe(2);
      // Each confirmation is used at most once (the column is set once); the used ones: one per participant.
      const rows = await em.find(WillingnessConfirmationSchema, { id: { $in: confirmations.get(c.id)! } });
      expect(rows).toHaveLength(confirmations.get(c.id)!.length);
      expect(rows.filter((r) => r.usedAt !== null).map((r) => r.signerId).sort()).toEqual([p1, p2].sort());
      expect(await verifyContractTrail(em, c.id, { store: services.store })).toMatchObject({ intact: true, brokenAt: null, documentMatches: true });

      // The final PDF: exactly the two signatures, valid.
      const bytes = await currentDocument(services, c.id);
      const report = await verifyPdf(bytes, { trustedRootsPem: [caRoot] });
      expect(report).toMatchObject({ signatureCount: 2, intact: true, signedByPlatform: true, modifiedAfterSigning: false });
      expect(report.signatures.map((s) => [s.signerName, s.intact, s.chainedToPlatform])).toEqual([
        [first.name, true, true],
        [second.name, true, true],
      ]);
      expect(pdfsigSignatures(bytes)).toEqual([
        { signer: first.name, valid: true },
        { signer: second.name, valid: true },
      ]);
    }
  }, 900_000);
});
