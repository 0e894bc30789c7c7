// @sqlite-too: the trail's hash chain under parallel appends.
/**
 * 签署轨迹 (M32) on the real database of the run (SQLite and MariaDB): events appended in the
 * transaction of their change, hash-chained with contiguous seq under parallel writers, an audit
 * row each, the check that names an edited / reordered / deleted row, the document and the trail
 * vouching for each other, and the two HTTP routes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { ContractCcSchema } from '../../domain/contracts/contract-cc.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { ContractListEntrySchema } from '../../domain/contracts/lists/contract-list-entry.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { recordContractEvent, recordContractEventAlone } from '../../domain/contracts/trail/record-contract-event';
import { verifyContractTrail } from '../../domain/contracts/trail/verify-contract-trail';
import { actorOf, appendTrailViews, completeTrailContract, newTrailContract, sha256, signTrailContract, type TrailContract } from '../harness/contract-trail-fixtures';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let alice: { id: string; mobile: string; name: string };
let bob: { id: string; mobile: string; name: string };
let aliceApi: ApiClient;
let strangerApi: ApiClient;
let carol: { id: string; mobile: string; name: string };
let carolApi: ApiClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  alice = await createUser(platform.services, '周轨迹');
  bob = await createUser(platform.services, '吴签署');
  const stranger = await createUser(platform.services, '郑路人');
  aliceApi = new ApiClient(platform.baseUrl);
  await aliceApi.login(alice.mobile, TEST_PASSWORD);
  strangerApi = new ApiClient(platform.baseUrl);
  await strangerApi.login(stranger.mobile, TEST_PASSWORD);
  carol = await createUser(platform.services, '钱抄送');
  carolApi = new ApiClient(platform.baseUrl);
  await carolApi.login(carol.mobile, TEST_PASSWORD);
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();

const newContract = (title: string) => newTrailContract(platform.services, title, alice, bob);
const sign = (c: TrailContract) => signTrailContract(platform.services, c, bob);
const complete = (c: { id: string }, finalSha256: string) => completeTrailContract(platform.services, c, finalSha256);

describe('recording events', () => {
  it('chains each event to the one before, stamps the document hash of the moment, and writes one audit row each', async () => {
    const c = await newContract('轨迹完整的合同');
    const boxes = async () => (await em().find(ContractListEntrySchema, { contractId: c.id, partyType: 'user' })).map((e) => `${e.partyId === alice.id ? 'alice' : 'bob'}:${e.box}`).sort();
    expect(await boxes()).toEqual(['alice:waiting', 'bob:todo']); // the created event refreshed the lists in its transaction
    await recordContractEventAlone(em(), actorOf(bob), { contractId: c.id, type: 'viewed', payload: {} });
    const { signed } = await sign(c);
    await complete(c, sha256(signed));
    expect(await boxes()).toEqual(['alice:completed', 'bob:completed']);

    const events = await em().find(ContractEventSchema, { contractId: c.id }, { orderBy: { seq: 'asc' } });
    expect(events.map((e) => [e.seq, e.type])).toEqual([[1, 'created'], [2, 'viewed'], [3, 'signed'], [4, 'completed']]);
    expect(events[0]!.prevHash).toBeNull();
    for (let i = 1; i < events.length; i++) expect(events[i]!.prevHash).toBe(events[i - 1]!.hash);
    expect(events.map((e) => e.documentSha256)).toEqual([sha256(c.pdf), sha256(c.pdf), sha256(signed), sha256(signed)]);
    expect(events[2]!.payload).toBe(`{"documentVersion":1,"marks":["name_seal","date"],"name":"${bob.name}","participantId":"${c.signerId}","signedByName":"${bob.name}","step":1}`);

    const contract = await em().findOneOrFail(ContractSchema, { id: c.id });
    expect([contract.trailSeq, contract.trailHead]).toEqual([4, events[3]!.hash]);
    const audit = await em().find(AuditEventSchema, { targetType: 'contract', targetId: c.id }, { orderBy: { at: 'asc' } });
    expect(audit.map((a) => a.action).sort()).toEqual(['contract.completed', 'contract.created', 'contract.signed', 'contract.viewed']);
    expect(JSON.parse(audit.find((a) => a.action === 'contract.signed')!.detail!)).toMatchObject({ trailSeq: 3, documentVersion: 1 });

    expect(await verifyContractTrail(em(), c.id, { store: platform.services.store })).toEqual({ intact: true, checked: 4, brokenAt: null, documentMatches: true });
  });

  it('an event whose change is rolled back leaves nothing: no row, no seq used, no audit row', async () => {
    const c = await newContract('回滚的变更');
    await expect(
      em().transactional(async (tx) => {
        await recordContractEvent(tx, actorOf(alice), { contractId: c.id, type: 'revoked', payload: { reason: '条款需修改' } });
        throw new Error('the change failed after the event was recorded');
      }),
    ).rejects.toThrow('the change failed');
    expect(await em().count(ContractEventSchema, { contractId: c.id })).toBe(1);
    expect((await em().findOneOrFail(ContractSchema, { id: c.id })).trailSeq).toBe(1);
    expect(await em().count(AuditEventSchema, { targetId: c.id, action: 'contract.revoked_by_initiator' })).toBe(0);
    await recordContractEventAlone(em(), actorOf(alice), { contractId: c.id, type: 'viewed', payload: {} });
    expect((await verifyContractTrail(em(), c.id))!).toMatchObject({ intact: true, checked: 2 });
  });

  it('refuses to run outside a transaction and refuses a payload that does not fit its type', async () => {
    const c = await newContract('调用错误');
    await expect(recordContractEvent(em(), actorOf(alice), { contractId: c.id, type: 'viewed', payload: {} })).rejects.toThrow(/inside the transaction/);
    await expect(
      em().transactional((tx) => recordContractEvent(tx, actorOf(alice), { contractId: c.id, type: 'refused', payload: { participantId: c.signerId, name: bob.name, reason: '' } })),
    ).rejects.toThrow(/Invalid refused event payload: reason/);
    await expect(
      em().transactional((tx) => recordContractEvent(tx, actorOf(alice), { contractId: c.id, type: 'completed', payload: { documentVersion: 1 } })),
    ).rejects.toThrow(/documentSha256/);
    expect((await em().findOneOrFail(ContractSchema, { id: c.id })).trailSeq).toBe(1);
  });

  it('20 parallel events (views and urges) get seq 1..21 without gaps and the chain stays intact', async () => {
    const c = await newContract('并发事件');
    const started = Date.now();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        recordContractEventAlone(
          em(),
          actorOf(i % 2 ? alice : bob),
          i % 2 ? { contractId: c.id, type: 'urged', payload: { participantIds: [c.signerId], names: [bob.name] } } : { contractId: c.id, type: 'viewed', payload: {} },
        ),
      ),
    );
    const ms = Date.now() - started;
    const events = await em().find(ContractEventSchema, { contractId: c.id }, { orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    expect(events.filter((e) => e.type === 'urged')).toHaveLength(10);
    expect(await verifyContractTrail(em(), c.id, { store: platform.services.store })).toEqual({ intact: true, checked: 21, brokenAt: null, documentMatches: true });
    expect(await em().count(AuditEventSchema, { targetId: c.id })).toBe(21);
    console.log(`20 parallel trail events on ${platform.config.database.dialect}: ${ms} ms`);
  });
});

describe('tampering is detected and named', () => {
  async function contractWithFiveEvents(title: string) {
    const c = await newContract(title);
    for (const u of [bob, alice, bob]) await recordContractEventAlone(em(), actorOf(u), { contractId: c.id, type: 'viewed', payload: {} });
    await recordContractEventAlone(em(), actorOf(alice), { contractId: c.id, type: 'urged', payload: { participantIds: [c.signerId], names: [bob.name] } });
    return c;
  }

  it('an edited payload: the check names that event', async () => {
    const c = await contractWithFiveEvents('改内容');
    await em().nativeUpdate(ContractEventSchema, { contractId: c.id, seq: 5 }, { payload: `{"names":["别人"],"participantIds":["${c.signerId}"]}` });
    const r = await verifyContractTrail(em(), c.id);
    expect(r).toMatchObject({ intact: false, checked: 4, brokenAt: { seq: 5, type: 'urged', reason: 'hash_mismatch' } });
  });

  it('an edited actor or time: named too', async () => {
    const c = await contractWithFiveEvents('改操作人');
    await em().nativeUpdate(ContractEventSchema, { contractId: c.id, seq: 3 }, { actorName: '冒名者' });
    expect((await verifyContractTrail(em(), c.id))!.brokenAt).toMatchObject({ seq: 3, type: 'viewed', reason: 'hash_mismatch' });
    const d = await contractWithFiveEvents('改时间');
    const original = await em().findOneOrFail(ContractEventSchema, { contractId: d.id, seq: 2 });
    await em().nativeUpdate(ContractEventSchema, { contractId: d.id, seq: 2 }, { at: new Date(original.at.getTime() - 3600_000) });
    expect((await verifyContractTrail(em(), d.id))!.brokenAt).toMatchObject({ seq: 2, reason: 'hash_mismatch' });
  });

  it('two events swapped in order: named at the first one moved', async () => {
    const c = await contractWithFiveEvents('调换顺序');
    await em().nativeUpdate(ContractEventSchema, { contractId: c.id, seq: 4 }, { seq: 1000 });
    await em().nativeUpdate(ContractEventSchema, { contractId: c.id, seq: 5 }, { seq: 4 });
    await em().nativeUpdate(ContractEventSchema, { contractId: c.id, seq: 1000 }, { seq: 5 });
    expect((await verifyContractTrail(em(), c.id))!.brokenAt).toMatchObject({ seq: 4, type: 'urged', reason: 'hash_mismatch' });
  });

  it('a deleted event: named by its seq, in the middle and at the end', async () => {
    const c = await contractWithFiveEvents('删一条');
    await em().nativeDelete(ContractEventSchema, { contractId: c.id, seq: 3 });
    expect(await verifyContractTrail(em(), c.id)).toMatchObject({ intact: false, checked: 2, brokenAt: { seq: 3, type: null, at: null, reason: 'missing' } });
    const d = await contractWithFiveEvents('删最后一条');
    await em().nativeDelete(ContractEventSchema, { contractId: d.id, seq: 5 });
    expect(await verifyContractTrail(em(), d.id)).toMatchObject({ intact: false, checked: 4, brokenAt: { seq: 5, reason: 'missing' } });
  });

  it('the document and the trail vouch for each other: a replaced final document is caught', async () => {
    const c = await newContract('替换文件');
    const { storageKey } = await sign(c);
    const final = await em().findOneOrFail(DocumentVersionSchema, { contractId: c.id, version: 1 });
    await complete(c, final.sha256);
    expect((await verifyContractTrail(em(), c.id, { store: platform.services.store }))!.documentMatches).toBe(true);
    // The file in storage swapped for another PDF: its bytes no longer hash to the recorded version.
    const other = await makePdf(3);
    await platform.services.store.put(storageKey, other);
    expect(await verifyContractTrail(em(), c.id, { store: platform.services.store })).toMatchObject({ intact: true, documentMatches: false });
    // …and with the version row's hash rewritten to match the new file, the trail's signed/completed events still name the old one.
    await em().nativeUpdate(DocumentVersionSchema, { id: final.id }, { sha256: sha256(other) });
    expect(await verifyContractTrail(em(), c.id, { store: platform.services.store })).toMatchObject({ intact: true, documentMatches: false });
  });
});

describe('HTTP', () => {
  it('GET /contracts/:id/trail lists the events with labels and summaries; /trail/verify answers the check; others get 404', async () => {
    const c = await contractWithViewAndUrge();
    const trail = await aliceApi.get(`/contracts/${c.id}/trail`);
    expect(trail.status, JSON.stringify(trail.json)).toBe(200);
    expect(trail.json.nextAfter).toBeNull();
    const items = trail.json.items;
    expect(items.map((e: { type: string }) => e.type)).toEqual(['created', 'viewed', 'urged']);
    expect(items[2]).toMatchObject({ seq: 3, label: '催办', labelEn: 'Urged', actorName: alice.name, summary: `催办 ${bob.name}`, summaryEn: `Reminded ${bob.name} to sign` });
    // No chain hash (it covers the actors' addresses, which a brute force over IPv4 would recover from it), no address.
    for (const e of items) expect(Object.keys(e).sort()).toEqual(['actorName', 'at', 'documentSha256', 'label', 'labelEn', 'seq', 'summary', 'summaryEn', 'type']);
    expect(new Date(items[2].at).getTime()).not.toBeNaN();

    const ok = await aliceApi.get(`/contracts/${c.id}/trail/verify`);
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ intact: true, checked: 3, brokenAt: null, documentMatches: true });

    await em().nativeUpdate(ContractEventSchema, { contractId: c.id, seq: 2 }, { actorName: '冒名者' });
    const broken = await aliceApi.get(`/contracts/${c.id}/trail/verify`);
    expect(broken.json).toMatchObject({ intact: false, checked: 1, brokenAt: { seq: 2, type: 'viewed', label: '查看合同', labelEn: 'Viewed', reason: 'hash_mismatch' } });
    expect(new Date(broken.json.brokenAt.at).getTime()).not.toBeNaN();

    // A CC recipient may read the trail and its check; a stranger gets 404 like for a missing contract.
    await em().insert(ContractCcSchema, { id: randomUUID(), contractId: c.id, userId: carol.id, mobile: carol.mobile, name: carol.name, createdAt: new Date() });
    for (const path of [`/contracts/${c.id}/trail`, `/contracts/${c.id}/trail/verify`]) {
      expect((await carolApi.get(path)).status).toBe(200);
      const r = await strangerApi.get(path);
      expect(r.status).toBe(404);
      expect(r.json.error).toMatchObject({ code: 'CONTRACT_NOT_FOUND' });
    }
  });

  it('GET /contracts/:id/trail pages by seq: at most `limit` (default and most 200) events and the cursor of the next page; bad paging is 400', async () => {
    const c = await newContract('长轨迹分页');
    await appendTrailViews(platform.services, c.id, 449, actorOf(bob)); // 450 events
    const seqs = (items: { seq: number }[]) => items.map((e) => e.seq);
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    const first = await aliceApi.get(`/contracts/${c.id}/trail`);
    expect(first.status, JSON.stringify(first.json)).toBe(200);
    expect([seqs(first.json.items), first.json.nextAfter]).toEqual([range(1, 200), 200]);
    expect(first.json.items[0]).toMatchObject({ type: 'created' });
    const second = await aliceApi.get(`/contracts/${c.id}/trail?after=${first.json.nextAfter}`);
    expect([seqs(second.json.items), second.json.nextAfter]).toEqual([range(201, 400), 400]);
    const last = await aliceApi.get(`/contracts/${c.id}/trail?after=${second.json.nextAfter}`);
    expect([seqs(last.json.items), last.json.nextAfter]).toEqual([range(401, 450), null]);
    const small = await aliceApi.get(`/contracts/${c.id}/trail?after=448&limit=2`);
    expect([seqs(small.json.items), small.json.nextAfter]).toEqual([[449, 450], null]); // exactly the rest: no empty page after it
    expect((await aliceApi.get(`/contracts/${c.id}/trail?after=450`)).json).toEqual({ items: [], nextAfter: null });
    for (const query of ['limit=201', 'limit=0', 'after=-1', 'after=x', 'limit=1.5']) {
      const r = await aliceApi.get(`/contracts/${c.id}/trail?${query}`);
      expect([r.status, r.json.error.code], query).toEqual([400, 'BAD_PAGE']);
    }
    expect((await strangerApi.get(`/contracts/${c.id}/trail?after=200`)).status).toBe(404);
  });

  it('GET /contracts/:id/trail/verify checks every event of a long trail (read in pages) and names an edited one far down it', async () => {
    const c = await newContract('长轨迹校验');
    await appendTrailViews(platform.services, c.id, 1249, actorOf(bob)); // 1,250 events: three pages of the check
    const whole = await aliceApi.get(`/contracts/${c.id}/trail/verify`);
    expect(whole.json).toEqual({ intact: true, checked: 1250, brokenAt: null, documentMatches: true });
    // The same answer in smaller pages.
    expect(await verifyContractTrail(em(), c.id, { store: platform.services.store, pageSize: 64 })).toEqual({ intact: true, checked: 1250, brokenAt: null, documentMatches: true });
    await em().nativeUpdate(ContractEventSchema, { contractId: c.id, seq: 1100 }, { actorName: '冒名者' });
    const broken = await aliceApi.get(`/contracts/${c.id}/trail/verify`);
    expect(broken.json).toMatchObject({ intact: false, checked: 1099, brokenAt: { seq: 1100, type: 'viewed', label: '查看合同', reason: 'hash_mismatch' }, documentMatches: true });
    await em().nativeDelete(ContractEventSchema, { contractId: c.id, seq: 1250 });
    await em().nativeUpdate(ContractEventSchema, { contractId: c.id, seq: 1100 }, { actorName: bob.name });
    expect((await aliceApi.get(`/contracts/${c.id}/trail/verify`)).json).toMatchObject({ intact: false, checked: 1249, brokenAt: { seq: 1250, type: null, label: null, reason: 'missing' } });
  });

  it('GET /contracts/:id/trail/verify is heavy: with 2 of one user in flight a third is 429 before anything is read; another user is served', async () => {
    const c = await contractWithViewAndUrge();
    await em().insert(ContractCcSchema, { id: randomUUID(), contractId: c.id, userId: carol.id, mobile: carol.mobile, name: carol.name, createdAt: new Date() });
    // Each check holds at the stored document's hash until released.
    const store = platform.services.store;
    const readStream = store.readStream;
    let reading = 0;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    store.readStream = (key) => ({
      async *[Symbol.asyncIterator]() {
        reading++;
        await released;
        yield* readStream.call(store, key);
      },
    });
    try {
      const checks = [aliceApi.get(`/contracts/${c.id}/trail/verify`), aliceApi.get(`/contracts/${c.id}/trail/verify`)];
      await expect.poll(() => reading).toBe(2);
      const third = await aliceApi.get(`/contracts/${c.id}/trail/verify`);
      expect([third.status, third.json.error.code, third.headers.get('retry-after')]).toEqual([429, 'REQUESTS_IN_PROGRESS', '2']);
      expect(reading).toBe(2);
      const carols = carolApi.get(`/contracts/${c.id}/trail/verify`);
      await expect.poll(() => reading).toBe(3);
      release();
      for (const r of [...(await Promise.all(checks)), await carols]) expect(r.json).toEqual({ intact: true, checked: 3, brokenAt: null, documentMatches: true });
    } finally {
      release();
      store.readStream = readStream;
    }
    expect((await aliceApi.get(`/contracts/${c.id}/trail/verify`)).status).toBe(200);
  });

  it('GET /contracts/:id records one 查看 event per viewer in 10 minutes, also for 6 parallel requests (two tabs, a double fetch)', async () => {
    const c = await newContract('并发查看');
    const views = () => em().count(ContractEventSchema, { contractId: c.id, type: 'viewed' });
    const answers = await Promise.all(Array.from({ length: 6 }, () => aliceApi.get(`/contracts/${c.id}`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await views()).toBe(1);
    expect((await aliceApi.get(`/contracts/${c.id}`)).status).toBe(200);
    expect(await views()).toBe(1);
    expect((await carolApi.get(`/contracts/${c.id}`)).status).toBe(404); // not a party: no view, no event
    expect(await views()).toBe(1);
    expect((await verifyContractTrail(em(), c.id))?.intact).toBe(true);
  });

  it('GET /contracts/:id/document?download=1 records one 下载 event per person and document version in 10 minutes, also for parallel requests', async () => {
    const c = await newContract('并发下载');
    const downloads = () => em().count(ContractEventSchema, { contractId: c.id, type: 'downloaded' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => aliceApi.get(`/contracts/${c.id}/document?download=1`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await downloads()).toBe(1);
    expect((await aliceApi.get(`/contracts/${c.id}/document?download=1`)).status).toBe(200);
    expect((await aliceApi.get(`/contracts/${c.id}/document`)).status).toBe(200); // viewing inline is not a download
    expect(await downloads()).toBe(1);
    // A new document version is news again.
    await sign(c);
    expect((await aliceApi.get(`/contracts/${c.id}/document?download=1`)).status).toBe(200);
    expect(await downloads()).toBe(2);
    expect((await verifyContractTrail(em(), c.id))?.intact).toBe(true);
  });

  async function contractWithViewAndUrge() {
    const c = await newContract('接口轨迹');
    await recordContractEventAlone(em(), actorOf(bob), { contractId: c.id, type: 'viewed', payload: {} });
    await recordContractEventAlone(em(), actorOf(alice), { contractId: c.id, type: 'urged', payload: { participantIds: [c.signerId], names: [bob.name] } });
    return c;
  }
});
