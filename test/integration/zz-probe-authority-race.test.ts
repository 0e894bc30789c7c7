/** PROBE (review): a signature's commit vs a concurrent removal of the signer. Deleted after the review. */
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const hooks: { after?: () => Promise<void>; before?: () => Promise<void> } = {};
vi.mock('../../domain/contracts/participant-actor', async (importOriginal) => {
  const orig = await importOriginal<typeof import('../../domain/contracts/participant-actor')>();
  return {
    ...orig,
    reassertAuthority: async (...args: Parameters<typeof orig.reassertAuthority>) => {
      if (hooks.before) await hooks.before();
      await orig.reassertAuthority(...args);
      if (hooks.after) await hooks.after();
    },
  };
});

import { applySignature } from '../../domain/contracts/apply-signature';
import { loadContract } from '../../domain/contracts/contract-access';
import { ContractMarkSchema } from '../../domain/contracts/contract-mark.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { markSize } from '../../domain/contracts/mark-geometry';
import { WillingnessConfirmationSchema } from '../../domain/contracts/willingness-confirmation.entity';
import { EnterpriseSchema } from '../../domain/enterprises/enterprise.entity';
import { removeMember } from '../../domain/enterprises/members';
import { MembershipSchema } from '../../domain/enterprises/membership.entity';
import { SealAuthorizationSchema, type Seal } from '../../domain/enterprises/seal.entities';
import { AppError } from '../../domain/errors';
import type { User } from '../../domain/identity/user.entity';
import { classifyActivityError } from '../../activities/activity-errors';
import { issueSealCertificate as issueRealSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { participantRow } from '../harness/contract-rows';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, makePdf } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { allSql } from '../../domain/persistence/plain-sql';
import { sqlDialect } from '../../domain/contracts/lists/sql-dialect';

let platform: TestPlatform;
let boss: User;
let initiator: User;
let enterprise: { id: string; name: string };
let contractSeal: Seal;
const em = () => platform.services.orm.em.fork();
const deps = () => ({ em: em(), store: platform.services.store, ca: platform.services.ca, masterKey: platform.config.masterKey });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const outcome = (p: Promise<unknown>) =>
  p.then(
    (v) => ({ ok: true, v: JSON.stringify(v) }),
    (e: unknown) => ({ ok: false, v: e instanceof AppError ? `AppError ${e.code}` : `${(e as Error).constructor.name}: ${String((e as Error).message).slice(0, 160)}`, err: e }),
  );

beforeAll(async () => {
  platform = await startTestPlatform();
  boss = await createUser(platform.services, '钱总');
  initiator = await createUser(platform.services, '孙发起');
  const e = await createCertifiedEnterprise(platform.services, boss, `探针科技有限公司${Date.now() % 10000}`, ['official', 'contract']);
  enterprise = { id: e.id, name: e.name };
  contractSeal = (await sealsOf(platform.services, e.id)).find((s) => s.type === 'contract')!;
  await issueRealSealCertificate(platform.services, platform.config.masterKey, contractSeal, e.name);
});
afterAll(async () => platform?.stop());

async function newMember(name: string) {
  const user = await createUser(platform.services, name);
  const m = await addMember(platform.services, enterprise.id, boss, user);
  const x = em();
  x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: enterprise.id, sealId: contractSeal.id, userId: user.id, grantedBy: boss.id, grantedAt: new Date(), expiresAt: null });
  await x.flush();
  return { user, membershipId: m.id };
}

async function newContract(named: string | null) {
  const id = randomUUID();
  const pdf = await makePdf(1);
  const storageKey = `contracts/${id}/v0-test.pdf`;
  await platform.services.store.put(storageKey, pdf);
  const now = new Date();
  const pid = randomUUID();
  await em().transactional(async (tx) => {
    tx.create(ContractSchema, { id, title: 'probe', contractNo: null, remarks: null, status: 'in_progress', voidReason: null, voidNote: null, initiatorId: initiator.id, initiatorEnterpriseId: null, lifecycle: 2, currentStep: 1, pageCount: 1, documentVersion: 0, trailSeq: 0, trailHead: null, createdAt: now, expiresAt: new Date(now.getTime() + 86400_000), completedAt: null, voidedAt: null });
    tx.create(ContractSignerSchema, participantRow(id, 1, { id: pid, kind: 'enterprise', userId: named, enterpriseId: enterprise.id, name: enterprise.name, mobile: '', status: 'pending' }));
    const size = markSize('seal', 'contract');
    tx.create(ContractMarkSchema, { id: randomUUID(), contractId: id, participantId: pid, kind: 'seal', sealType: 'contract', page: 1, x: 300, y: 560, width: size.width, height: size.height, pageFrom: null, pageTo: null, preset: true, appliedVersion: null, sealId: null });
    tx.create(DocumentVersionSchema, { id: randomUUID(), contractId: id, version: 0, storageKey, sha256: createHash('sha256').update(pdf).digest('hex'), size: pdf.byteLength, signerId: null, createdAt: now });
  });
  return { id, pid };
}

async function confirmation(contractId: string, participantId: string, userId: string) {
  const e = em();
  const c = e.create(WillingnessConfirmationSchema, { id: randomUUID(), contractId, signerId: participantId, userId, method: 'sms', confirmedAt: new Date(), usedAt: null, ip: null, codeHash: null });
  await e.flush();
  return c.id;
}

async function locksNow() {
  if (sqlDialect(em()) !== 'mysql') return [];
  return allSql(em(), 'select w.requesting_trx_id, r.trx_query as waiting_query, b.trx_query as blocking_query from information_schema.innodb_lock_waits w join information_schema.innodb_trx r on r.trx_id = w.requesting_trx_id join information_schema.innodb_trx b on b.trx_id = w.blocking_trx_id', []);
}

async function race(label: string, named: boolean, phase: 'after' | 'before') {
  const { user, membershipId } = await newMember(`探针${label}`);
  const c = await newContract(named ? user.id : null);
  const input = { contractId: c.id, participantId: c.pid, actorUserId: user.id, confirmationId: await confirmation(c.id, c.pid, user.id) };
  let removal: Promise<{ ok: boolean; v: string; err?: unknown }> | null = null;
  let waits: unknown[] = [];
  hooks[phase] = async () => {
    hooks[phase] = undefined;
    const x = em();
    const ent = await x.findOneOrFail(EnterpriseSchema, { id: enterprise.id });
    removal = outcome(removeMember(x, ent, membershipId, { id: boss.id, name: boss.name, ip: null }));
    await sleep(600);
    waits = await locksNow();
  };
  const sig = await outcome(applySignature(deps(), input));
  const rem = await removal!;
  const after = (await loadContract(em(), c.id))!;
  const p = after.signers[0]!;
  const m = await em().findOneOrFail(MembershipSchema, { id: membershipId });
  const classified = sig.ok ? null : classifyActivityError((sig as { err: unknown }).err);
  console.log(
    `PROBE ${label} (named=${named}, removal started ${phase} reassert): signature → ${sig.v}; removal → ${rem.v}\n` +
      `   lock waits seen mid-race: ${JSON.stringify(waits)}\n` +
      `   after: contract v${after.contract.documentVersion}, participant status=${p.status} userId=${p.userId} signedBy=${p.signedByUserId}; membership=${m.status}\n` +
      `   activity classification of the signature error: ${classified ? `${(classified as Error).constructor.name} nonRetryable=${(classified as { nonRetryable?: boolean }).nonRetryable} type=${(classified as { type?: string }).type}` : '-'}`,
  );
  return { sig, rem, p, m };
}

describe('probe', () => {
  it('explain the locking reads', async () => {
    if (sqlDialect(em()) !== 'mysql') return;
    const ex1 = await allSql(em(), "explain select 1 as ok from memberships where enterprise_id = ? and user_id = ? and status = 'active' lock in share mode", [enterprise.id, boss.id]);
    const ex2 = await allSql(em(), 'explain select s.status from seals s join seal_authorizations a on a.seal_id = s.id and a.user_id = ? join signing_certificates c on c.id = ? where s.id = ? lock in share mode', [boss.id, 'x', contractSeal.id]);
    console.log('PROBE explain memberships', JSON.stringify(ex1));
    console.log('PROBE explain seals join', JSON.stringify(ex2));
    const idx = await allSql(em(), "select table_name, index_name, group_concat(column_name order by seq_in_index) cols from information_schema.statistics where table_schema = database() and table_name in ('memberships','seal_authorizations') group by table_name, index_name", []);
    console.log('PROBE indexes', JSON.stringify(idx));
  });
  it('named operator: removal starts while the signature holds its locking reads', async () => {
    await race('A', true, 'after');
  });
  it('unnamed participant: removal starts while the signature holds its locking reads', async () => {
    await race('B', false, 'after');
  });
  it('named operator: removal starts just before the re-check', async () => {
    await race('C', true, 'before');
  });
});
