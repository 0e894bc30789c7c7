/**
 * 轨迹校验: recomputes a contract's hash chain from the stored rows, checks it against the head
 * on the contract row, and checks that the trail and the document vouch for each other: each
 * signature's event carries the hash of the version it produced, the last event the hash of the
 * current document, and a completed contract's `completed` event the final document's hash.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { DocumentStore } from '../../../integrations/storage/document-store';
import { ContractSchema } from '../contract.entity';
import { DocumentVersionSchema } from '../document-version.entity';
import { ContractEventSchema, type ContractEvent } from './contract-event.entity';
import { checkChain, type TrailBreak } from './trail-chain';

export interface TrailVerification {
  /** The events and the contract's head form an unbroken chain. */
  intact: boolean;
  /** Events checked before the first break (all of them when intact). */
  checked: number;
  brokenAt: TrailBreak | null;
  /** The stored document is the one the trail vouches for (and, when a store is given, its bytes hash to it). */
  documentMatches: boolean;
}

/** Reads straight from the database (no identity map), so what is checked is what is stored. */
export async function verifyContractTrail(em: EntityManager, contractId: string, options: { store?: DocumentStore } = {}): Promise<TrailVerification | null> {
  const read = em.fork();
  const contract = await read.findOne(ContractSchema, { id: contractId }, { disableIdentityMap: true });
  if (!contract) return null;
  const events = await read.find(ContractEventSchema, { contractId }, { orderBy: { seq: 'asc' }, disableIdentityMap: true });
  const { checked, brokenAt } = checkChain(events, { seq: contract.trailSeq, hash: contract.trailHead });
  const documents = await read.find(DocumentVersionSchema, { contractId }, { disableIdentityMap: true });
  const byVersion = new Map(documents.map((d) => [d.version, d]));
  const current = byVersion.get(contract.documentVersion);
  let documentMatches = current !== undefined && documentsVouched(events, byVersion, current.sha256, contract.status === 'completed');
  if (documentMatches && current && options.store) {
    const bytes = await options.store.get(current.storageKey).catch(() => null);
    documentMatches = bytes !== null && createHash('sha256').update(bytes).digest('hex') === current.sha256;
  }
  return { intact: brokenAt === null, checked, brokenAt, documentMatches };
}

function documentsVouched(events: ContractEvent[], byVersion: Map<number, { sha256: string }>, currentSha256: string, completed: boolean): boolean {
  if (events.length === 0) return !completed;
  for (const e of events) {
    if (e.type !== 'signed' && e.type !== 'completed') continue;
    const version = documentVersionOf(e.payload);
    if (version === null || byVersion.get(version)?.sha256 !== e.documentSha256) return false;
  }
  const lastWithDocument = events.filter((e) => e.documentSha256 !== null).at(-1);
  if (lastWithDocument && lastWithDocument.documentSha256 !== currentSha256) return false;
  if (completed) return events.some((e) => e.type === 'completed' && e.documentSha256 === currentSha256);
  return true;
}

function documentVersionOf(payload: string): number | null {
  try {
    const v = (JSON.parse(payload) as { documentVersion?: unknown }).documentVersion;
    return typeof v === 'number' ? v : null;
  } catch {
    return null;
  }
}
