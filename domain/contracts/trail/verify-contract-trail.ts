/**
 * 轨迹校验: recomputes a contract's hash chain from the stored rows, checks it against the head
 * on the contract row, and checks that the trail and the document vouch for each other: each
 * signature's event carries the hash of the version it produced, the last event the hash of the
 * current document, and a completed contract's `completed` event the final document's hash.
 *
 * Every event is checked, however long the trail: the rows are read in pages of VERIFY_PAGE_SIZE by
 * seq (a keyset on the unique (contract_id, seq) index), each page hashed and then the event loop is
 * let go before the next; the stored document is hashed as it streams from the store, a chunk at a
 * time. Memory and the longest stretch on the event loop are one page's, not the whole trail's.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { DocumentStore } from '../../../integrations/storage/document-store';
import { ContractSchema } from '../contract.entity';
import { DocumentVersionSchema } from '../document-version.entity';
import { ContractEventSchema, type ContractEvent } from './contract-event.entity';
import { ChainCheck, type TrailBreak } from './trail-chain';

export interface TrailVerification {
  /** The events and the contract's head form an unbroken chain. */
  intact: boolean;
  /** Events checked before the first break (all of them when intact). */
  checked: number;
  brokenAt: TrailBreak | null;
  /** The stored document is the one the trail vouches for (and, when a store is given, its bytes hash to it). */
  documentMatches: boolean;
}

/** Events read and hashed at a time (≈ 5–10 ms of hashing), between which the event loop serves others. */
export const VERIFY_PAGE_SIZE = 500;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Reads straight from the database (no identity map), so what is checked is what is stored. */
export async function verifyContractTrail(em: EntityManager, contractId: string, options: { store?: Pick<DocumentStore, 'readStream'>; pageSize?: number } = {}): Promise<TrailVerification | null> {
  const pageSize = options.pageSize ?? VERIFY_PAGE_SIZE;
  const read = em.fork();
  const contract = await read.findOne(ContractSchema, { id: contractId }, { disableIdentityMap: true });
  if (!contract) return null;
  const documents = await read.find(DocumentVersionSchema, { contractId }, { disableIdentityMap: true });
  const byVersion = new Map(documents.map((d) => [d.version, d]));
  const current = byVersion.get(contract.documentVersion);
  const chain = new ChainCheck();
  const vouching = new DocumentVouching(byVersion, current?.sha256 ?? null, contract.status === 'completed');
  // Every row, by seq; the first page has no lower bound (a row moved below seq 1 is still read and reported).
  let after: number | null = null;
  for (;;) {
    const page: ContractEvent[] = await read.find(ContractEventSchema, { contractId, ...(after === null ? {} : { seq: { $gt: after } }) }, { orderBy: { seq: 'asc' }, limit: pageSize, disableIdentityMap: true });
    for (const e of page) {
      chain.add(e);
      vouching.add(e);
    }
    if (page.length < pageSize) break;
    after = page.at(-1)!.seq;
    await yieldToEventLoop();
  }
  const { checked, brokenAt } = chain.finish({ seq: contract.trailSeq, hash: contract.trailHead });
  let documentMatches = current !== undefined && vouching.result();
  if (documentMatches && current && options.store) documentMatches = (await storedSha256(options.store, current.storageKey)) === current.sha256;
  return { intact: brokenAt === null, checked, brokenAt, documentMatches };
}

/** SHA-256 of a stored object as it streams (a chunk hashed per turn of the event loop); null when it cannot be read. */
async function storedSha256(store: Pick<DocumentStore, 'readStream'>, key: string): Promise<string | null> {
  try {
    const hash = createHash('sha256');
    for await (const chunk of store.readStream(key)) hash.update(chunk);
    return hash.digest('hex');
  } catch {
    return null;
  }
}

/**
 * Whether the trail vouches for the documents, fed the events in seq order: every `signed` / `completed` event
 * names the hash of the version it records, the last event with a document hash names the current document, and a
 * completed contract has a `completed` event naming it.
 */
class DocumentVouching {
  private events = 0;
  private versionsMatch = true;
  private lastDocumentSha256: string | null = null;
  private completedNamesCurrent = false;

  constructor(
    private readonly byVersion: Map<number, { sha256: string }>,
    private readonly currentSha256: string | null,
    private readonly completed: boolean,
  ) {}

  add(e: ContractEvent): void {
    this.events += 1;
    if (e.documentSha256 !== null) this.lastDocumentSha256 = e.documentSha256;
    if (e.type !== 'signed' && e.type !== 'completed') return;
    const version = documentVersionOf(e.payload);
    if (version === null || this.byVersion.get(version)?.sha256 !== e.documentSha256) this.versionsMatch = false;
    if (e.type === 'completed' && e.documentSha256 === this.currentSha256) this.completedNamesCurrent = true;
  }

  result(): boolean {
    if (this.events === 0) return !this.completed;
    if (!this.versionsMatch) return false;
    if (this.lastDocumentSha256 !== null && this.lastDocumentSha256 !== this.currentSha256) return false;
    return this.completed ? this.completedNamesCurrent : true;
  }
}

function documentVersionOf(payload: string): number | null {
  try {
    const v = (JSON.parse(payload) as { documentVersion?: unknown }).documentVersion;
    return typeof v === 'number' ? v : null;
  } catch {
    return null;
  }
}
