import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/core';
import type { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { contractWorkflowId } from '../workflows/search-attributes';
import { temporalContractWorkflows } from './reconcile-activities';

/** A client whose visibility lists `closed` as closed runs still marked open, and `running` as workflow ids running again. */
function fakeClient(closed: string[], running: Set<string> | 'failing' = new Set()) {
  const counts = { listed: 0, runningQueries: 0 };
  const client = {
    workflow: {
      async *list(options: { query: string; pageSize: number }) {
        if (options.query.startsWith("ExecutionStatus = 'Running' AND WorkflowId IN (")) {
          counts.runningQueries++;
          if (running === 'failing') throw new Error('visibility unavailable');
          const asked = [...options.query.matchAll(/'(contract:[^']+)'/g)].map((m) => m[1]!);
          expect(options.pageSize).toBeGreaterThanOrEqual(asked.length);
          for (const workflowId of asked) if (running.has(workflowId)) yield { workflowId };
          return;
        }
        expect(options.query).toContain("ContractStatus = 'in_progress'");
        for (const id of closed) {
          counts.listed++;
          yield { workflowId: contractWorkflowId(id), searchAttributes: { ContractId: [id] } };
        }
      },
    },
  } as unknown as Client;
  return { client, counts };
}

async function readAll(client: Client, each?: (read: string[]) => void) {
  const read: string[] = [];
  for await (const id of temporalContractWorkflows(client, 'queue', () => ({}) as EntityManager).closedButOpen()) {
    read.push(id);
    each?.(read);
  }
  return read;
}

describe('temporalContractWorkflows.closedButOpen (the reconciler\'s listing of closed runs still marked open)', () => {
  it('yields every listed contract id, lazily (a batch at a time), past any page or count (it used to stop at 1,000 before the database was asked)', async () => {
    const ids = Array.from({ length: 2_500 }, () => randomUUID());
    const { client, counts } = fakeClient(ids);
    const read = await readAll(client, (r) => {
      if (r.length === 10) expect(counts.listed).toBe(100); // read one batch ahead, not listed to the end
    });
    expect(read).toEqual(ids);
    expect(counts.runningQueries).toBe(25);
  });

  it('leaves out the runs whose workflow id runs again (an operator\'s Reset): one visibility query per batch, not a describe each', async () => {
    const ids = Array.from({ length: 250 }, () => randomUUID());
    const reset = new Set(ids.filter((_, i) => i % 3 === 0));
    const { client, counts } = fakeClient(ids, new Set([...reset].map(contractWorkflowId)));
    expect(await readAll(client)).toEqual(ids.filter((id) => !reset.has(id)));
    expect(counts.runningQueries).toBe(3);
  });

  it('unanswered (visibility down), the running check gives every listed id: the reconciler asks each one\'s state', async () => {
    const ids = Array.from({ length: 150 }, () => randomUUID());
    const { client } = fakeClient(ids, 'failing');
    expect(await readAll(client)).toEqual(ids);
  });
});
