/**
 * Contracts written straight into the run's database the way the use cases write them (one
 * transaction per change, each with its trail event), for the 签署轨迹 tests: a 签署中 contract with
 * one person participant, that participant's signature (a new document version), and the close.
 */
import { participantRow } from './contract-rows';
import { createHash, randomUUID } from 'node:crypto';
import type { Services } from '../../bootstrap/services';
import type { AuditActor } from '../../domain/audit/record-audit';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { recordContractEvent } from '../../domain/contracts/trail/record-contract-event';
import { eventHash, type ChainedFields } from '../../domain/contracts/trail/trail-chain';
import { makePdf } from './fixtures';

export type TrailUser = { id: string; name: string; mobile: string };
export interface TrailContract {
  id: string;
  signerId: string;
  pdf: Uint8Array;
}

export const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
export const actorOf = (u: { id: string; name: string }): AuditActor => ({ id: u.id, name: u.name, ip: '203.0.113.7' });

/** A 签署中 contract (initiator starts it, signer signs), its uploaded document and its `created` event — one transaction, as a start does. */
export async function newTrailContract(services: Services, title: string, initiator: TrailUser, signer: TrailUser): Promise<TrailContract> {
  const id = randomUUID();
  const signerId = randomUUID();
  const pdf = await makePdf(1);
  const storageKey = `contracts/${id}/v0-test.pdf`;
  await services.store.put(storageKey, pdf);
  const now = new Date();
  const expiresAt = new Date(now.getTime() + 86400_000);
  await services.orm.em.fork().transactional(async (tx) => {
    tx.create(ContractSchema, {
      id,
      title,
      contractNo: null,
      remarks: null,
      status: 'in_progress',
      voidReason: null,
      voidNote: null,
      initiatorId: initiator.id,
      initiatorEnterpriseId: null,
      lifecycle: 2,
      currentStep: 1,
      pageCount: 1,
      documentVersion: 0,
      trailSeq: 0,
      trailHead: null,
      createdAt: now,
      expiresAt,
      completedAt: null,
      voidedAt: null,
    });
    tx.create(ContractSignerSchema, participantRow(id, 1, { id: signerId, userId: signer.id, name: signer.name, mobile: signer.mobile, status: 'pending', canRefuse: true, placement: 'free', fieldName: `p-${signerId.slice(0, 8)}` }));
    tx.create(DocumentVersionSchema, { id: randomUUID(), contractId: id, version: 0, storageKey, sha256: sha256(pdf), size: pdf.byteLength, signerId: null, createdAt: now });
    await recordContractEvent(tx, actorOf(initiator), {
      contractId: id,
      type: 'created',
      payload: {
        title,
        contractNo: null,
        lifecycle: 2,
        pageCount: 1,
        expiresAt: expiresAt.toISOString(),
        actAs: 'person',
        initiatorEnterpriseId: null,
        participants: [{ id: signerId, step: 1, kind: 'person', name: signer.name }],
        cc: [],
      },
    });
  });
  return { id, signerId, pdf };
}

/** The participant's signature as apply-signature.ts commits it: claim the row, new document version, participant signed, `signed` event. */
export async function signTrailContract(services: Services, c: TrailContract, signer: TrailUser): Promise<{ signed: Uint8Array; storageKey: string }> {
  const signed = await makePdf(2);
  const storageKey = `contracts/${c.id}/v1-test.pdf`;
  await services.store.put(storageKey, signed);
  await services.orm.em.fork().transactional(async (tx) => {
    const claimed = await tx.nativeUpdate(ContractSchema, { id: c.id, status: 'in_progress', documentVersion: 0 }, { documentVersion: 1 });
    if (claimed !== 1) throw new Error(`contract ${c.id} is not at version 0`);
    await tx.nativeUpdate(ContractSignerSchema, { id: c.signerId }, { status: 'signed', signedAt: new Date(), signedByUserId: signer.id, signedByName: signer.name });
    tx.create(DocumentVersionSchema, { id: randomUUID(), contractId: c.id, version: 1, storageKey, sha256: sha256(signed), size: signed.byteLength, signerId: c.signerId, createdAt: new Date() });
    await recordContractEvent(tx, actorOf(signer), {
      contractId: c.id,
      type: 'signed',
      payload: { participantId: c.signerId, name: signer.name, step: 1, signedByName: signer.name, documentVersion: 1, marks: ['name_seal', 'date'] },
    });
  });
  return { signed, storageKey };
}

/** 已完成 with the `completed` event naming the final document. */
export async function completeTrailContract(services: Services, c: { id: string }, finalSha256: string): Promise<void> {
  await services.orm.em.fork().transactional(async (tx) => {
    const closed = await tx.nativeUpdate(ContractSchema, { id: c.id, status: 'in_progress' }, { status: 'completed', completedAt: new Date() });
    if (closed !== 1) throw new Error(`contract ${c.id} is not 签署中`);
    await recordContractEvent(tx, { id: null, name: '系统', ip: null }, { contractId: c.id, type: 'completed', payload: { documentVersion: 1 }, documentSha256: finalSha256 });
  });
}

/**
 * `n` 查看 events appended to a contract's trail in one statement, chained and hashed the way
 * record-contract-event.ts writes them (each names the document of the last event), and the head moved on: a
 * long trail without n transactions. No audit rows or list refreshes (the trail tests do not read them).
 */
export async function appendTrailViews(services: Services, contractId: string, n: number, actor: AuditActor): Promise<void> {
  const em = services.orm.em.fork();
  const contract = await em.findOneOrFail(ContractSchema, { id: contractId }, { disableIdentityMap: true });
  const last = await em.findOneOrFail(ContractEventSchema, { contractId, seq: contract.trailSeq }, { disableIdentityMap: true });
  let prev = contract.trailHead;
  const start = last.at.getTime() + 1000;
  const rows = Array.from({ length: n }, (_, i) => {
    const fields: ChainedFields = {
      contractId,
      seq: contract.trailSeq + 1 + i,
      type: 'viewed',
      actorId: actor.id,
      actorName: actor.name,
      ip: actor.ip,
      at: new Date(start + i * 1000),
      payload: '{}',
      documentSha256: last.documentSha256,
      prevHash: prev,
    };
    const hash = eventHash(fields);
    prev = hash;
    return { id: randomUUID(), ...fields, hash };
  });
  await em.transactional(async (tx) => {
    const moved = await tx.nativeUpdate(ContractSchema, { id: contractId, trailSeq: contract.trailSeq }, { trailSeq: contract.trailSeq + n, trailHead: prev });
    if (moved !== 1) throw new Error(`contract ${contractId}'s trail moved meanwhile`);
    for (let i = 0; i < rows.length; i += 500) await tx.insertMany(ContractEventSchema, rows.slice(i, i + 500));
  });
}
