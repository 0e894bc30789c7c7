import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { temporalContractWorkflows } from './reconcile-activities';

describe('temporalContractWorkflows.closedButOpen (the reconciler\'s listing of closed runs still marked open)', () => {
  it('yields every listed contract id, lazily, past any page or count (it used to stop at 1,000 before the database was asked)', async () => {
    const ids = Array.from({ length: 2_500 }, () => randomUUID());
    let listed = 0;
    const client = {
      workflow: {
        async *list(options: { query: string; pageSize: number }) {
          expect(options.query).toContain("ContractStatus = 'in_progress'");
          for (const id of ids) {
            listed++;
            yield { searchAttributes: { ContractId: [id] } };
          }
        },
      },
    } as unknown as Client;
    const listing = temporalContractWorkflows(client, 'queue', () => ({}) as EntityManager).closedButOpen();
    const read: string[] = [];
    for await (const id of listing) {
      read.push(id);
      if (read.length === 10) expect(listed).toBe(10); // read as consumed, not listed ahead
    }
    expect(read).toEqual(ids);
  });
});
