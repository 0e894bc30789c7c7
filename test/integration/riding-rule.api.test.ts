// @sqlite-too: the contract_marks.riding_rule column (its migration per dialect) written at the start and read by the signing engine.
/**
 * 骑缝规则 through the API (real database, Temporal dev server, workflow): a contract started with a
 * preset 骑缝章 on the odd pages (奇数页) of pages 1–4 for an enterprise; the view, the sign options
 * and the stored mark carry the rule; the enterprise's operator signs with an SMS code, and the
 * signed PDF has the seal's strips on pages 1 and 3 only (two widgets, each half the seal), its
 * signature valid. A range the rule leaves without pages is refused with a clear message before
 * anything is created. Placed at signing time (free placement), the rule travels with the sign request
 * through the workflow: 偶数页 of 1–4 lands on pages 2 and 4.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractMarkSchema } from '../../domain/contracts/contract-mark.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { markSize } from '../../domain/contracts/mark-geometry';
import { SealAuthorizationSchema, type Seal } from '../../domain/enterprises/seal.entities';
import type { User } from '../../domain/identity/user.entity';
import { A4, signatureWidgets } from '../../documents/pdf/test-helpers';
import { issueSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { contractForm, createUser, latestSmsCode, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { currentDocument, pdfsigSignatures } from '../harness/pdf-checks';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let alice: User, boss: User, op: User;
let enterprise: { id: string; name: string };
let contractSeal: Seal;
const em = () => platform.services.orm.em.fork();
const RIDING_Y = 300;

async function login(u: User, enterpriseId?: string) {
  const c = new ApiClient(platform.baseUrl);
  await c.login(u.mobile, TEST_PASSWORD);
  if (enterpriseId) expect((await c.post('/auth/acting', { enterpriseId })).status).toBe(200);
  return c;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  [alice, boss, op] = (await Promise.all(['发起人骑缝', '企业管理骑缝', '经办人骑缝'].map((n) => createUser(platform.services, n)))) as [User, User, User];
  const e = await createCertifiedEnterprise(platform.services, boss, `云签骑缝科技${Date.now() % 100000}有限公司`, ['official', 'contract']);
  enterprise = { id: e.id, name: e.name };
  await addMember(platform.services, e.id, boss, op);
  contractSeal = (await sealsOf(platform.services, e.id)).find((s) => s.type === 'contract')!;
  await issueSealCertificate(platform.services, platform.config.masterKey, contractSeal, enterprise.name);
  const x = em();
  x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: e.id, sealId: contractSeal.id, userId: op.id, grantedBy: boss.id, grantedAt: new Date(), expiresAt: null });
  await x.flush();
});
afterAll(async () => platform?.stop());

const spec = (riding: Record<string, unknown>) => ({
  title: '双面打印的采购合同',
  participants: [{ kind: 'enterprise', step: 1, enterpriseId: enterprise.id, marks: [{ kind: 'riding', sealType: 'contract', y: RIDING_Y, ...riding }] }],
});
const start = async (s: ReturnType<typeof spec>, pages = 4) => (await login(alice)).post('/contracts', contractForm(await makePdf(pages), { title: s.title, spec: s }));

describe('骑缝规则 奇数页 through the API', () => {
  it('starts with a preset odd-page 骑缝章, signs for the enterprise, and the strips land on pages 1 and 3 only', async () => {
    const started = await start(spec({ pageFrom: 1, pageTo: 4, ridingRule: 'odd' }));
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    const contractId = started.json.id as string;
    const participant = started.json.participants[0];
    expect(participant.marks).toEqual([expect.objectContaining({ kind: 'riding', sealType: 'contract', pageFrom: 1, pageTo: 4, ridingRule: 'odd', y: RIDING_Y, applied: false })]);
    const stored = await em().findOneOrFail(ContractMarkSchema, { contractId });
    expect(stored).toMatchObject({ kind: 'riding', pageFrom: 1, pageTo: 4, ridingRule: 'odd', preset: true, appliedVersion: null });

    const api = await login(op, enterprise.id);
    const options = await api.get(`/contracts/${contractId}/sign-options?participantId=${participant.id}`);
    expect(options.status, JSON.stringify(options.json)).toBe(200);
    expect(options.json.presetMarks).toEqual([expect.objectContaining({ kind: 'riding', pageFrom: 1, pageTo: 4, ridingRule: 'odd' })]);

    const sent = await api.post(`/contracts/${contractId}/sms-code`, { participantId: participant.id });
    expect(sent.status, JSON.stringify(sent.json)).toBe(200);
    const signed = await api.post(`/contracts/${contractId}/sign`, { code: await latestSmsCode(platform.services, op.mobile), participantId: participant.id });
    expect(signed.status, JSON.stringify(signed.json)).toBe(200);
    expect(signed.json).toMatchObject({ status: 'completed', documentVersion: 1 });
    expect(signed.json.participants[0].marks).toEqual([expect.objectContaining({ kind: 'riding', ridingRule: 'odd', applied: true })]);
    expect(await em().findOneOrFail(ContractMarkSchema, { contractId })).toMatchObject({ ridingRule: 'odd', appliedVersion: 1, sealId: contractSeal.id });

    const pdf = await currentDocument(platform.services, contractId);
    const widgets = await signatureWidgets(pdf);
    expect(widgets.map((w) => w.page)).toEqual([1, 3]);
    const seal = markSize('riding', 'contract');
    for (const w of widgets) {
      const [x1, y1, x2, y2] = w.rect as [number, number, number, number];
      expect(x2 - x1).toBeCloseTo(seal.width / 2, 1);
      expect(x2).toBeCloseTo(A4[0], 1);
      expect(y2).toBeCloseTo(A4[1] - RIDING_Y, 1);
      expect(y2 - y1).toBeCloseTo(seal.height, 1);
    }
    expect(pdfsigSignatures(pdf)).toEqual([{ signer: expect.stringContaining(enterprise.name), valid: true }]);
  });

  it('free placement: a 骑缝章 on the even pages placed at signing time lands on pages 2 and 4; a rule leaving one page is refused before the code is used', async () => {
    const s = { title: '签署时放置的骑缝章', participants: [{ kind: 'enterprise', step: 1, enterpriseId: enterprise.id, placement: 'free', marks: [] }] };
    const started = await start(s as unknown as ReturnType<typeof spec>);
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    const contractId = started.json.id as string;
    const participantId = started.json.participants[0].id as string;
    const api = await login(op, enterprise.id);
    expect((await api.post(`/contracts/${contractId}/sms-code`, { participantId })).status).toBe(200);
    const code = await latestSmsCode(platform.services, op.mobile);
    const riding = { kind: 'riding', sealId: contractSeal.id, pageFrom: 2, pageTo: 3, y: RIDING_Y };
    const refused = await api.post(`/contracts/${contractId}/sign`, { code, participantId, marks: [{ ...riding, ridingRule: 'odd' }] });
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({ code: 'RIDING_RULE_TOO_FEW_PAGES', message: expect.stringContaining('只有 1 个奇数页') });
    const signed = await api.post(`/contracts/${contractId}/sign`, { code, participantId, marks: [{ ...riding, pageFrom: 1, pageTo: 4, ridingRule: 'even' }] });
    expect(signed.status, JSON.stringify(signed.json)).toBe(200);
    expect(signed.json.participants[0].marks).toEqual([expect.objectContaining({ kind: 'riding', pageFrom: 1, pageTo: 4, ridingRule: 'even', preset: false, applied: true })]);
    expect(await em().findOneOrFail(ContractMarkSchema, { contractId })).toMatchObject({ ridingRule: 'even', preset: false, appliedVersion: 1 });
    expect((await signatureWidgets(await currentDocument(platform.services, contractId))).map((w) => w.page)).toEqual([2, 4]);
  });

  it('a 骑缝章 without a rule is on every page of its range (全部页), as before', async () => {
    const started = await start(spec({ pageFrom: 2, pageTo: 4 }));
    expect(started.status, JSON.stringify(started.json)).toBe(201);
    expect(started.json.participants[0].marks[0]).toMatchObject({ pageFrom: 2, pageTo: 4, ridingRule: 'all' });
    expect(await em().findOneOrFail(ContractMarkSchema, { contractId: started.json.id })).toMatchObject({ ridingRule: 'all' });
  });

  it('refuses a range the rule leaves without pages (400, zh and en), and creates nothing', async () => {
    const before = await em().count(ContractSchema, { initiatorId: alice.id });
    const none = await start(spec({ pageFrom: 3, pageTo: 3, ridingRule: 'even' }));
    expect(none.status).toBe(400);
    expect(none.json.error).toMatchObject({
      code: 'RIDING_RULE_TOO_FEW_PAGES',
      message: '第 1 个签署方：骑缝区间第 3–3 页中没有偶数页，请调整骑缝区间或骑缝规则',
      messageEn: 'Participant 1: pages 3–3 have no even page; change the range or the rule',
    });
    const one = await start(spec({ pageFrom: 1, pageTo: 2, ridingRule: 'even' }));
    expect(one.status).toBe(400);
    expect(one.json.error).toMatchObject({ code: 'RIDING_RULE_TOO_FEW_PAGES', message: expect.stringContaining('只有 1 个偶数页') });
    const unknown = await start(spec({ pageFrom: 1, pageTo: 4, ridingRule: 'first' }));
    expect(unknown.status).toBe(400);
    expect(unknown.json.error.message).toBe('骑缝规则须为全部页、奇数页或偶数页');
    expect(await em().count(ContractSchema, { initiatorId: alice.id })).toBe(before);
  });
});
