import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError, type UpdateDefinition } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { executeRepeatableUpdate, MAX_UPDATES_PER_REPEATABLE_ID, RepeatableIdExhaustedError } from './bounded-update';

const decide = { name: 'decide', type: 'update' } as unknown as UpdateDefinition<string, [string]>;
const bounds = { acceptTimeoutMs: 1_000, waitMs: 5_000 };
class TryLater extends Error {}
class Refused extends Error {}

/**
 * A run that keeps each Update's outcome under its id, as Temporal does: `kept` holds the outcomes of ids sent before,
 * `next` decides the outcome of each Update sent now.
 */
function run(kept: Record<string, 'ok' | 'later' | 'refused'>, next: () => 'ok' | 'later' | 'refused') {
  const sent: string[] = [];
  const settle = (outcome: 'ok' | 'later' | 'refused', id: string) => (outcome === 'ok' ? Promise.resolve(`done:${id}`) : Promise.reject(outcome === 'later' ? new TryLater() : new Refused()));
  const handle = {
    getUpdateHandle: (id: string) => ({ result: () => (id in kept ? settle(kept[id]!, id) : Promise.reject(new WorkflowNotFoundError('update not found', 'wf', undefined))) }),
    startUpdate: async (_def: unknown, opts: { updateId: string }) => {
      sent.push(opts.updateId);
      kept[opts.updateId] = next();
      return { result: () => settle(kept[opts.updateId]!, opts.updateId) };
    },
  } as unknown as WorkflowHandle;
  const client = { withDeadline: <T>(_deadline: number, fn: () => Promise<T>) => fn() } as unknown as Client;
  const send = () => executeRepeatableUpdate(client, handle, decide, { args: ['x'], updateId: 'k' }, bounds, (err) => err instanceof TryLater);
  return { send, sent };
}

describe('executeRepeatableUpdate: one client id for a series of Updates', () => {
  it('a first request sends the id itself', async () => {
    const r = run({}, () => 'ok');
    expect(await r.send()).toBe('done:k');
    expect(r.sent).toEqual(['k']);
  });

  it('a retry attaches to a kept result or refusal, and sends nothing', async () => {
    expect(await run({ k: 'ok' }, () => 'refused').send()).toBe('done:k');
    const refused = run({ k: 'refused' }, () => 'ok');
    await expect(refused.send()).rejects.toBeInstanceOf(Refused);
    expect(refused.sent).toEqual([]);
  });

  it('past kept "try again later" outcomes a retry is carried out under the first unseen id; later retries attach to it', async () => {
    const kept: Record<string, 'ok' | 'later' | 'refused'> = { k: 'later', 'k#2': 'later' };
    const r = run(kept, () => 'ok');
    expect(await r.send()).toBe('done:k#3');
    expect(await r.send()).toBe('done:k#3');
    expect(r.sent).toEqual(['k#3']);
  });

  it('a fresh "try again later" is answered as such; once every Update of the id said so, the id is exhausted', async () => {
    const r = run({}, () => 'later');
    for (let i = 1; i <= MAX_UPDATES_PER_REPEATABLE_ID; i++) await expect(r.send()).rejects.toBeInstanceOf(TryLater);
    expect(r.sent).toHaveLength(MAX_UPDATES_PER_REPEATABLE_ID);
    await expect(r.send()).rejects.toBeInstanceOf(RepeatableIdExhaustedError);
    expect(r.sent).toHaveLength(MAX_UPDATES_PER_REPEATABLE_ID);
  });
});
