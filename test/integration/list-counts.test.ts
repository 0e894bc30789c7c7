// @sqlite-too: capped counts in one statement per dialect.
/**
 * The menu badge's counts (GET /contracts/counts → boxCounts): every box of the party counted up to
 * COUNT_CAP, in one statement, on SQLite and MariaDB.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractListEntrySchema, LIST_BOXES, type ListBox } from '../../domain/contracts/lists/contract-list-entry.entity';
import { boxCounts, COUNT_CAP } from '../../domain/contracts/lists/list-page';
import { listEntry } from '../harness/list-entries';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

function entries(partyId: string, box: ListBox, n: number) {
  const now = Date.now();
  return Array.from({ length: n }, (_, i) => listEntry(partyId, box, i, now));
}

describe('boxCounts', () => {
  it('counts each box of the party (capped at COUNT_CAP) in one statement', async () => {
    const em = platform.services.orm.em.fork();
    const me = `counts-${randomUUID().slice(0, 8)}`;
    const rows = [...entries(me, 'todo', COUNT_CAP + 5), ...entries(me, 'waiting', 3), ...entries(me, 'cc', 1), ...entries(`${me}-other`, 'completed', 7)];
    for (let i = 0; i < rows.length; i += 500) await em.insertMany(ContractListEntrySchema, rows.slice(i, i + 500) as never[]);
    // The statements sent for this party (the connection is shared with the worker: others are left out).
    const knex = (em.getConnection() as unknown as { getKnex(): { on(e: 'query', f: (q: { sql: string; bindings?: unknown[] }) => void): void; off(e: 'query', f: (q: { sql: string; bindings?: unknown[] }) => void): void } }).getKnex();
    const mine: string[] = [];
    const listen = (q: { sql: string; bindings?: unknown[] }) => void (q.bindings?.includes(me) && mine.push(q.sql));
    knex.on('query', listen);
    const counts = await boxCounts(em, { type: 'user', id: me }, LIST_BOXES).finally(() => knex.off('query', listen));
    expect(counts).toEqual({ todo: COUNT_CAP, waiting: 3, completed: 0, voided: 0, cc: 1 });
    expect(mine).toHaveLength(1);
    expect(await boxCounts(em, { type: 'user', id: `${me}-other` }, ['completed', 'todo'])).toEqual({ completed: 7, todo: 0 });
  });
});
