// @sqlite-too: the list SQL and its query plans are per dialect.
/**
 * Contract lists (M22) on the read model: refreshContractListEntries files contracts into the boxes,
 * GET /contracts pages them with a keyset cursor and filters, POST /contracts/download streams a zip of
 * the visible contracts' current PDFs, and EXPLAIN shows the page index is used without a sort.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractCcSchema } from '../../domain/contracts/contract-cc.entity';
import { ContractSignerSchema, type ContractSigner } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema, type Contract } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { ContractListEntrySchema } from '../../domain/contracts/lists/contract-list-entry.entity';
import { listPageSql } from '../../domain/contracts/lists/list-page';
import { refreshContractListEntries } from '../../domain/contracts/lists/refresh-list-entries';
import { sqlDialect } from '../../domain/persistence/sql-dialect';
import { ApiClient } from '../harness/http-client';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { participantRow } from '../harness/contract-rows';
import { listEntry } from '../harness/list-entries';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();

async function insertContract(initiatorId: string, over: Partial<Contract> = {}): Promise<Contract> {
  const c: Contract = {
    id: randomUUID(),
    title: '测试合同',
    contractNo: null,
    remarks: null,
    status: 'in_progress',
    voidReason: null,
    voidNote: null,
    initiatorId,
    initiatorEnterpriseId: null,
    lifecycle: 2,
    currentStep: 1,
    pageCount: 1,
    documentVersion: 0,
    trailSeq: 0,
    trailHead: null,
    createdAt: new Date(),
    expiresAt: new Date(Date.now() + 86_400_000),
    completedAt: null,
    voidedAt: null,
    ...over,
  };
  await em().insert(ContractSchema, c);
  return c;
}

async function insertSigner(contractId: string, order: number, user: { id: string; name: string; mobile: string }, status: ContractSigner['status']) {
  const s = participantRow(contractId, order, { userId: user.id, name: user.name, mobile: user.mobile, status, placement: 'free', fieldName: `f${order}` });
  await em().insert(ContractSignerSchema, s);
  return s;
}

async function refresh(contractId: string) {
  await em().transactional((tx) => refreshContractListEntries(tx, contractId));
}

async function entries(contractId: string) {
  const rows = await em().find(ContractListEntrySchema, { contractId });
  return rows.map((r) => `${r.partyId}:${r.box}`).sort();
}

describe('refreshContractListEntries', () => {
  it('files each party into its box and moves the rows when the contract changes', async () => {
    const [init, a, b, cc] = await Promise.all(['发起人', '甲签署人', '乙签署人', '抄送人'].map((n) => createUser(platform.services, n)));
    const c = await insertContract(init!.id, { title: '刷新测试' });
    await insertSigner(c.id, 1, a!, 'pending');
    const second = await insertSigner(c.id, 2, b!, 'waiting');
    await em().insert(ContractCcSchema, { id: randomUUID(), contractId: c.id, userId: cc!.id, mobile: cc!.mobile, name: cc!.name, createdAt: new Date() });
    await refresh(c.id);
    expect(await entries(c.id)).toEqual([`${init!.id}:waiting`, `${a!.id}:todo`, `${b!.id}:waiting`, `${cc!.id}:cc`].sort());

    const before = await em().findOneOrFail(ContractListEntrySchema, { contractId: c.id, partyId: init!.id });
    await refresh(c.id); // nothing changed: rows are kept as they are
    expect((await em().findOneOrFail(ContractListEntrySchema, { contractId: c.id, partyId: init!.id })).updatedAt).toEqual(before.updatedAt);

    await em().nativeUpdate(ContractSignerSchema, { id: second.id }, { status: 'refused' });
    await em().nativeUpdate(ContractSchema, { id: c.id }, { status: 'voided', voidReason: 'refused' });
    await refresh(c.id);
    expect(await entries(c.id)).toEqual([`${init!.id}:voided`, `${a!.id}:voided`, `${b!.id}:voided`, `${cc!.id}:cc`].sort());
    const voided = await em().findOneOrFail(ContractListEntrySchema, { contractId: c.id, partyId: b!.id });
    expect([voided.status, voided.voidReason]).toEqual(['voided', 'refused']);
  });

  it('has no rows for a contract still 创建中 or one that is gone', async () => {
    const init = await createUser(platform.services, '发起人');
    const c = await insertContract(init.id, { status: 'starting' });
    await refresh(c.id);
    expect(await entries(c.id)).toEqual([]);
    await em().nativeUpdate(ContractSchema, { id: c.id }, { status: 'in_progress' });
    await refresh(c.id);
    expect(await entries(c.id)).toEqual([`${init.id}:waiting`]);
    await em().nativeDelete(ContractSchema, { id: c.id });
    await refresh(c.id);
    expect(await entries(c.id)).toEqual([]);
  });
});

describe('GET /contracts and POST /contracts/download', () => {
  let me: Awaited<ReturnType<typeof createUser>>;
  let other: Awaited<ReturnType<typeof createUser>>;
  let client: ApiClient;
  const ids: string[] = [];
  const base = Date.UTC(2026, 10, 1);

  beforeAll(async () => {
    [me, other] = await Promise.all([createUser(platform.services, '列表用户'), createUser(platform.services, '对方公司联系人')]);
    // 25 contracts where I am the pending signer, one a minute, plus 3 I initiated and 1 completed.
    for (let i = 0; i < 25; i++) {
      const c = await insertContract(other.id, { title: i === 7 ? '特别采购合同' : `合同${i}`, contractNo: `HT-${i}`, createdAt: new Date(base + i * 60_000) });
      await insertSigner(c.id, 1, me, 'pending');
      await refresh(c.id);
      ids.push(c.id);
    }
    for (let i = 0; i < 3; i++) {
      const c = await insertContract(me.id, { title: `我发起的${i}`, createdAt: new Date(base + i * 60_000) });
      await insertSigner(c.id, 1, other, 'pending');
      await refresh(c.id);
    }
    const done = await insertContract(other.id, { title: '已完成合同', status: 'completed', documentVersion: 1, createdAt: new Date(base) });
    await insertSigner(done.id, 1, me, 'signed');
    await refresh(done.id);
    ids.push(done.id);
    client = new ApiClient(platform.baseUrl);
    await client.login(me.mobile, TEST_PASSWORD);
  });

  it('pages 待我签署 newest first with a keyset cursor, without gaps or repeats', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r = await client.get(`/contracts?box=todo&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.status).toBe(200);
      seen.push(...r.json.items.map((i: { id: string }) => i.id));
      cursor = r.json.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids.slice(0, 25)].reverse());
    const first = (await client.get('/contracts?box=todo&limit=1')).json.items[0];
    expect(first).toMatchObject({ id: ids[24], box: 'todo', title: '合同24', contractNo: 'HT-24', status: 'in_progress', statusLabel: '签署中', initiatorName: '对方公司联系人', initiatedByMe: false });
  });

  it('searches title, number and counterparties; filters by initiator, status and date range', async () => {
    const titles = async (query: string) => (await client.get(`/contracts?${query}`)).json.items.map((i: { title: string }) => i.title);
    expect(await titles('box=todo&q=特别')).toEqual(['特别采购合同']);
    expect(await titles('box=todo&q=HT-13')).toEqual(['合同13']);
    expect(await titles(`box=waiting&q=${encodeURIComponent('对方公司')}`)).toEqual(['我发起的2', '我发起的1', '我发起的0']);
    expect(await titles(`box=todo&initiator=${encodeURIComponent('列表用户')}`)).toEqual([]);
    expect(await titles('box=completed&status=completed')).toEqual(['已完成合同']);
    expect(await titles('box=completed&status=voided')).toEqual([]);
    const from = new Date(base + 3 * 60_000).toISOString();
    const to = new Date(base + 5 * 60_000).toISOString();
    expect(await titles(`box=todo&from=${from}&to=${to}`)).toEqual(['合同4', '合同3']);
    expect(await titles('box=todo&q=100%25')).toEqual([]); // a literal %, not a wildcard
  });

  it('refuses bad parameters with 400 and zh + en messages', async () => {
    const bad = await client.get('/contracts?box=nope');
    expect([bad.status, bad.json.error.code]).toEqual([400, 'BAD_LIST_QUERY']);
    const cursor = await client.get('/contracts?box=todo&cursor=garbage');
    expect([cursor.status, cursor.json.error.code]).toEqual([400, 'BAD_CURSOR']);
    expect(cursor.json.error.message).toMatch(/分页/);
  });

  it('counts the boxes up to the cap', async () => {
    const r = await client.get('/contracts/counts');
    expect(r.json).toMatchObject({ todo: 25, waiting: 3, completed: 1, voided: 0, cc: 0, cap: 1000 });
  });

  it('streams a zip of the current PDFs of visible contracts and records a downloaded event for each', async () => {
    const pick = [ids[0]!, ids[1]!, ids[25]!];
    for (const id of pick) {
      const c = await em().findOneOrFail(ContractSchema, { id });
      const pdf = await makePdf(1);
      const key = `contracts/${id}/v${c.documentVersion}.pdf`;
      await platform.services.store.put(key, pdf);
      await em().insert(DocumentVersionSchema, { id: randomUUID(), contractId: id, version: c.documentVersion, storageKey: key, sha256: '0'.repeat(64), size: pdf.byteLength, signerId: null, createdAt: new Date() });
    }
    const r = await client.post('/contracts/download', { ids: pick });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/zip');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-zip-'));
    try {
      const file = path.join(dir, 'c.zip');
      fs.writeFileSync(file, r.bytes);
      const listing = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n').sort();
      expect(listing).toEqual([`合同0_HT-0_${ids[0]!.slice(0, 8)}.pdf`, `合同1_HT-1_${ids[1]!.slice(0, 8)}.pdf`, `已完成合同_${ids[25]!.slice(0, 8)}.pdf`].sort());
      execFileSync('unzip', ['-tq', file]); // CRCs check out
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const events = await em().getConnection().execute(`select count(*) as n from contract_events where type = 'downloaded' and contract_id in (?, ?, ?)`, pick);
    expect(Number((events as { n: number }[])[0]!.n)).toBe(3);
    // The same download again within 10 minutes is not news: no more 下载 events (the trail cannot be grown without limit).
    expect((await client.post('/contracts/download', { ids: pick })).status).toBe(200);
    const again = await em().getConnection().execute(`select count(*) as n from contract_events where type = 'downloaded' and contract_id in (?, ?, ?)`, pick);
    expect(Number((again as { n: number }[])[0]!.n)).toBe(3);
  });

  /** A contract of mine in 待他人签署 with its stored v0 PDF (downloadable); its id. */
  async function downloadableContract(fields: Parameters<typeof insertContract>[1]) {
    const c = await insertContract(me.id, fields);
    await insertSigner(c.id, 1, other, 'pending');
    await refresh(c.id);
    const pdf = await makePdf(1);
    const key = `contracts/${c.id}/v0.pdf`;
    await platform.services.store.put(key, pdf);
    await em().insert(DocumentVersionSchema, { id: randomUUID(), contractId: c.id, version: 0, storageKey: key, sha256: '0'.repeat(64), size: pdf.byteLength, signerId: null, createdAt: new Date() });
    return c.id;
  }

  it('two contracts with the same long title and number get two entries (the name clash used to spin the API for ever)', async () => {
    const long = { title: '合'.repeat(200), contractNo: 'N'.repeat(64) };
    const pair: string[] = [];
    for (let i = 0; i < 2; i++) {
      pair.push(await downloadableContract(long));
    }
    const r = await client.post('/contracts/download', { ids: pair });
    expect(r.status).toBe(200);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-zip-'));
    try {
      const file = path.join(dir, 'c.zip');
      fs.writeFileSync(file, r.bytes);
      const listing = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n');
      expect(new Set(listing).size).toBe(2);
      for (const id of pair) expect(listing.some((name) => name.includes(id.slice(0, 8)))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('parallel batch and single downloads of the same contracts record one 下载 event per contract', async () => {
    const pair: string[] = [];
    for (let i = 0; i < 2; i++) {
      pair.push(await downloadableContract({ title: `并发下载${i}` }));
    }
    const [a, b] = pair as [string, string];
    const answers = await Promise.all([
      client.post('/contracts/download', { ids: [b, a] }),
      client.get(`/contracts/${a}/document?download=1`),
      client.post('/contracts/download', { ids: [a, b] }),
      client.get(`/contracts/${b}/document?download=1`),
      client.get(`/contracts/${a}/document?download=1`),
      client.post('/contracts/download', { ids: [a] }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    for (const id of pair) expect(await em().count(ContractEventSchema, { contractId: id, type: 'downloaded' }), id).toBe(1);
  });

  it('answers 404 for the whole request when one contract is not in my lists, 400 for too many', async () => {
    const strangers = await insertContract(other.id, { title: '别人的合同' });
    await refresh(strangers.id);
    const r = await client.post('/contracts/download', { ids: [ids[0], strangers.id] });
    expect([r.status, r.json.error.code]).toEqual([404, 'CONTRACT_NOT_FOUND']);
    const many = await client.post('/contracts/download', { ids: Array.from({ length: 51 }, () => randomUUID()) });
    expect([many.status, many.json.error.code]).toEqual([400, 'BAD_DOWNLOAD_REQUEST']);
  });
});

describe('lists of an enterprise (切换至企业)', () => {
  it('shows the enterprise participant in the enterprise\'s 待我签署, not in the member\'s own lists', async () => {
    const [admin, init] = await Promise.all([createUser(platform.services, '企业管理员'), createUser(platform.services, '发起人')]);
    const enterprise = await createCertifiedEnterprise(platform.services, admin, '列表测试企业');
    const c = await insertContract(init.id, { title: '企业待签合同' });
    const participant = await insertSigner(c.id, 1, { id: admin.id, name: '列表测试企业', mobile: '' }, 'pending');
    await em().nativeUpdate(ContractSignerSchema, { id: participant.id }, { kind: 'enterprise', enterpriseId: enterprise.id, userId: null });
    await refresh(c.id);
    const client = new ApiClient(platform.baseUrl);
    await client.login(admin.mobile, TEST_PASSWORD);
    const ids = async (box: string) => (await client.get(`/contracts?box=${box}`)).json.items.map((i: { id: string }) => i.id);
    expect(await ids('todo')).not.toContain(c.id);
    expect((await client.post('/auth/acting', { enterpriseId: enterprise.id })).status).toBe(200);
    expect(await ids('todo')).toEqual([c.id]);
    expect((await client.get('/contracts/counts')).json.todo).toBe(1);
  });
});

describe('EXPLAIN of a list page', () => {
  it('walks the page index in order (no filesort / temp B-tree), first page and with a cursor', async () => {
    const e = em();
    const dialect = sqlDialect(e);
    // Enough rows over several parties that the planner has a real choice.
    const now = Date.now();
    const rows = Array.from({ length: 2000 }, (_, i) => ({
      ...listEntry(`explain-${i % 20}`, (['todo', 'waiting', 'completed', 'voided', 'cc'] as const)[i % 5]!, i, now),
      status: 'in_progress' as const,
    }));
    for (let i = 0; i < rows.length; i += 500) await e.insertMany(ContractListEntrySchema, rows.slice(i, i + 500) as never[]);
    // MariaDB with fresh statistics; SQLite without any (the harder case for its planner, and the run's shared database
    // must not get a sqlite_stat1 table: MikroORM's schema comparison cannot read its untyped columns).
    if (dialect !== 'sqlite') await e.getConnection().execute('analyze table contract_list_entries');
    const party = { type: 'user' as const, id: 'explain-3' };
    const cursor = Buffer.from(`${now - 500_000}:${randomUUID()}`).toString('base64url');
    for (const query of [{ box: 'todo' as const, limit: 20 }, { box: 'todo' as const, limit: 20, cursor }, { box: 'todo' as const, limit: 20, q: 't1', from: new Date(now - 1e6) }]) {
      const { sql, params } = listPageSql(dialect, party, query);
      const plan = (await e.getConnection().execute(`explain ${dialect === 'sqlite' ? 'query plan ' : ''}${sql}`, params)) as Record<string, unknown>[];
      const text = JSON.stringify(plan);
      if (dialect === 'sqlite') {
        expect(text).toMatch(/USING (COVERING )?INDEX contract_list_entries_page_index/);
        expect(text).not.toMatch(/TEMP B-TREE/);
      } else {
        expect(plan.map((p) => p.key)).toEqual(['contract_list_entries_page_index']);
        expect(text).not.toMatch(/filesort|temporary/i);
      }
    }
  });
});
