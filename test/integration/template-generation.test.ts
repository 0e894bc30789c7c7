/**
 * Generation and 从模板发起 on real LibreOffice (issue 11, part G), through the HTTP API, the
 * TemplateGenerationWorkflow and the real engine (docxtemplater, the warm soffice converter, pdfjs
 * keyword search, CJK text drawing):
 * - the demo Word template (Chinese text, a goods table, amounts in figures and in capitals) publishes
 *   and starts a contract whose PDF (pdftotext) carries the filled values, with each role's marks at
 *   its keyword's position (measured independently with pdftotext -bbox) plus the offset;
 * - the demo Web template draws its fields (page count unchanged), marks as placed;
 * - a keyword that is not in the document → 422 at publish naming role and keyword;
 * - a disabled / unpublished template → 409 TEMPLATE_NOT_USABLE (form and start), also when the 停用, a change of
 *   the template or a 取消共享 commits while the contract's document is generated (checked again in the start's
 *   transaction: no contract, no stored document); bad values → 400
 *   naming the field; a role left out → 400 naming the role; another user's template → 404;
 * - field values never enter Temporal history (only the generation row's id does);
 * - 20 concurrent generations all complete, each with its own values;
 * - the demo templates (seed) are published + enabled and start contracts.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import type { Initiator } from '../../domain/contracts/start-contract';
import { startContractFromTemplate, startFromTemplateSchema } from '../../domain/templates/start-from-template';
import { unshareTemplate } from '../../domain/templates/template-shares';
import { setTemplateEnabledByOperator } from '../../domain/templates/template-state';
import { updateTemplate } from '../../domain/templates/update-template';
import { createSmsSender } from '../../integrations/sms';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import type { User } from '../../domain/identity/user.entity';
import { templateGenerationDeps } from '../../api/routes/template-generation';
import { takeAttempt } from '../../domain/identity/attempt-throttle';
import { TemplateGenerationSchema } from '../../domain/templates/template-generation.entity';
import { requestTemplateDocument, TEMPLATE_GENERATION_RULE } from '../../domain/templates/template-generations';
import { DocumentTemplateSchema, type DocumentTemplate } from '../../domain/templates/template.entity';
import { templateGenerationWorkflowId } from '../../workflows/template-generation';
import {
  DEMO_WEB_DEFINITION,
  DEMO_WEB_PDF,
  DEMO_WEB_TEMPLATE_NAME,
  DEMO_WEB_VALUES,
  DEMO_WORD_DEFINITION,
  DEMO_WORD_DOCX,
  DEMO_WORD_TEMPLATE_NAME,
  DEMO_WORD_VALUES,
  seedDemoTemplates,
} from '../../templates/demo/demo-templates';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { currentDocument } from '../harness/pdf-checks';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let owner: User, buyer: User, seller: User, stranger: User;
let c: ApiClient;
const em = () => platform.services.orm.em.fork();
const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

async function login(u: User) {
  const client = new ApiClient(platform.baseUrl);
  await client.login(u.mobile, TEST_PASSWORD);
  return client;
}

beforeAll(async () => {
  platform = await startTestPlatform();
  [owner, buyer, seller, stranger] = (await Promise.all(['模板作者', '甲方张', '乙方李', '路人王'].map((n) => createUser(platform.services, n)))) as [User, User, User, User];
  c = await login(owner);
}, 120_000);
afterAll(async () => platform?.stop());

async function createTemplate(kind: 'word' | 'web', name: string, definition: unknown, client = c) {
  const form = new FormData();
  form.append('info', JSON.stringify({ kind, name, businessType: '采购', scenario: null }));
  const bytes = fs.readFileSync(kind === 'word' ? DEMO_WORD_DOCX : DEMO_WEB_PDF);
  form.append('file', new Blob([new Uint8Array(bytes)], { type: kind === 'word' ? DOCX_TYPE : 'application/pdf' }), kind === 'word' ? 't.docx' : 't.pdf');
  const created = await client.request('POST', '/templates', form);
  expect(created.status, JSON.stringify(created.json)).toBe(201);
  const put = await client.request('PUT', `/templates/${created.json.id}`, { version: created.json.version, name, businessType: '采购', scenario: null, definition });
  expect(put.status, JSON.stringify(put.json)).toBe(200);
  return put.json as { id: string; version: number };
}

async function publish(t: { id: string; version: number }, client = c) {
  return client.post(`/templates/${t.id}/publish`, { version: t.version });
}

/**
 * startContractFromTemplate as the API calls it, with `meanwhile` committing after the document was generated and
 * before the start's transaction: answers the start's error, the contract's title and the document keys it stored.
 */
async function startRacing(template: DocumentTemplate, starter: Initiator, meanwhile: () => Promise<unknown>, values: Record<string, unknown> = DEMO_WORD_VALUES) {
  const generation = templateGenerationDeps({ services: platform.services, temporal: platform.temporal }, em());
  const stored: string[] = [];
  const store: DocumentStore = {
    ...platform.services.store,
    async create(key, bytes) {
      stored.push(key);
      await platform.services.store.create(key, bytes);
    },
  };
  const title = `竞争发起-${randomUUID().slice(0, 8)}`;
  const request = startFromTemplateSchema.parse({ ...startBody(template.id, values), title });
  const error = await startContractFromTemplate(
    {
      em: em(),
      store,
      limits: { maxBytes: platform.config.maxUploadBytes, maxPages: platform.config.maxPages },
      sms: (e) => createSmsSender(platform.config, e),
      publicUrl: platform.config.publicUrl,
      startWorkflow: () => Promise.reject(new Error('no workflow may start for a contract that was not created')),
      generation: {
        ...generation,
        run: async (generationId) => {
          const outcome = await generation.run(generationId);
          await meanwhile();
          return outcome;
        },
      },
    },
    starter,
    template,
    request,
  ).then(
    () => null,
    (err: unknown) => err,
  );
  return { error, title, stored };
}

function pdftotext(bytes: Uint8Array, ...args: string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-tpl-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    fs.writeFileSync(file, bytes);
    return execFileSync('pdftotext', [...args, file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Where pdftotext -bbox finds a word starting with `text` (page 1-based, top-left points). */
function bboxOf(bytes: Uint8Array, text: string): { page: number; x: number; y: number }[] {
  const html = pdftotext(bytes, '-bbox');
  const out: { page: number; x: number; y: number }[] = [];
  html.split('<page ').slice(1).forEach((page, i) => {
    for (const m of page.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)<\/word>/g)) {
      if (m[3]!.startsWith(text)) out.push({ page: i + 1, x: Number(m[1]), y: Number(m[2]) });
    }
  });
  return out;
}

const plain = (s: string) => s.replace(/\s+/g, '');

const wordParticipants = () => [
  { roleId: 'r1', mobile: buyer.mobile, name: buyer.name },
  { roleId: 'r2', mobile: seller.mobile, name: seller.name },
];
const startBody = (templateId: string, values: Record<string, unknown>, participants = wordParticipants()) => ({
  templateId,
  values,
  title: '激光打印机采购合同',
  contractNo: 'CG-2026-0001',
  expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  actAs: 'person',
  participants,
});

describe('Word template on real LibreOffice', () => {
  let word: { id: string; version: number };

  it('publishes the demo purchase contract (sample values generate, every keyword found)', async () => {
    word = await createTemplate('word', '采购合同（测试）', DEMO_WORD_DEFINITION);
    const r = await publish(word);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    expect(r.json.status).toBe('published');
    word = r.json;
  });

  it('the fill form lists the fields (derived capitals flagged, no boxes) and the roles', async () => {
    const r = await (await login(owner)).get(`/templates/${word.id}/form`);
    expect(r.status).toBe(200);
    expect(r.json.fields.map((f: { key: string }) => f.key)).toEqual(DEMO_WORD_DEFINITION.fields!.map((f) => f.key));
    expect(r.json.fields.find((f: { key: string }) => f.key === '总金额大写')).toMatchObject({ type: 'amount_capital', derivedFrom: '总金额', derived: true });
    expect(r.json.fields.every((f: object) => !('box' in f))).toBe(true);
    expect(r.json.roles).toEqual([
      { id: 'r1', name: '甲方', kind: 'person', step: 1, canRefuse: false, markKinds: ['name_seal', 'date'] },
      { id: 'r2', name: '乙方', kind: 'person', step: 2, canRefuse: true, markKinds: ['name_seal'] },
    ]);
  });

  it('starts a contract: Chinese text, the table and the amount in capitals are in its PDF, each mark at its keyword + offset', async () => {
    const r = await c.request('POST', '/contracts/from-template', startBody(word.id, DEMO_WORD_VALUES), { 'Idempotency-Key': `tpl-${word.id}` });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.templateId).toBe(word.id);
    expect(r.json.participants.map((p: { name: string; step: number; canRefuse: boolean; placement: string }) => [p.name, p.step, p.canRefuse, p.placement])).toEqual([
      [buyer.name, 1, false, 'preset'],
      [seller.name, 2, true, 'preset'],
    ]);
    expect((await em().findOneOrFail(ContractSchema, { id: r.json.id })).templateId).toBe(word.id);

    const pdf = await currentDocument(platform.services, r.json.id);
    const text = plain(pdftotext(pdf));
    for (const v of ['CG-2026-0001', '星河科技有限公司', '远航设备制造有限公司', '2026年12月2日', '上海市浦东新区张江路88号', '激光打印机', 'LP-3000A4黑白', '2,345.60', '23,456.00', '贰万叁仟肆佰伍拾陆元整']) {
      expect(text, v).toContain(v);
    }
    expect(text).not.toMatch(/\{[^}]*\}/); // no tag left unfilled

    type Mark = { kind: string; page: number; x: number; y: number };
    const [buyerSide, sellerSide] = r.json.participants as { marks: Mark[] }[];
    const hitA = bboxOf(pdf, '甲方（盖章）：').at(-1)!;
    const hitB = bboxOf(pdf, '乙方（签字）：').at(-1)!;
    expect(hitA && hitB).toBeTruthy();
    const near = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(3);
    const [seal, date] = [...buyerSide!.marks].sort((a, b) => b.kind.localeCompare(a.kind)); // name_seal, date
    expect([seal!.kind, seal!.page, date!.kind, date!.page]).toEqual(['name_seal', hitA.page, 'date', hitA.page]);
    near(seal!.x, hitA.x + 90);
    near(seal!.y, hitA.y - 20);
    near(date!.x, hitA.x + 170);
    near(date!.y, hitA.y - 10);
    const [sellerSeal] = sellerSide!.marks;
    expect(sellerSeal!.page).toBe(hitB.page);
    near(sellerSeal!.x, hitB.x + 90);
    near(sellerSeal!.y, hitB.y - 20);

    // A retry with the same Idempotency-Key answers the same contract, without generating the document again.
    const generations = await em().count(TemplateGenerationSchema, { templateId: word.id });
    const again = await c.request('POST', '/contracts/from-template', startBody(word.id, DEMO_WORD_VALUES), { 'Idempotency-Key': `tpl-${word.id}` });
    expect([again.status, again.json.id]).toEqual([201, r.json.id]);
    expect(await em().count(TemplateGenerationSchema, { templateId: word.id })).toBe(generations);
  });

  it('field values never enter workflow history: the workflow carries the generation row id only', async () => {
    const rows = await em().find(TemplateGenerationSchema, { templateId: word.id, purpose: 'contract' });
    expect(rows.length).toBeGreaterThan(0);
    const row = rows[0]!;
    expect(row.values['甲方名称']).toBe('星河科技有限公司'); // stored on the row…
    const history = historyToJSON(await platform.temporal.workflow.getHandle(templateGenerationWorkflowId(row.id)).fetchHistory());
    const decoded = [...history.matchAll(/"data":\s*"([A-Za-z0-9+/=]+)"/g)].map((m) => Buffer.from(m[1]!, 'base64').toString('utf8')).join('\n');
    expect(decoded).toContain(row.id);
    for (const v of ['星河科技有限公司', '远航设备制造有限公司', '23,456.00', '贰万叁仟肆佰伍拾陆元整']) {
      expect(history).not.toContain(v); // …and not in the history
      expect(decoded).not.toContain(v);
    }
  });

  it('bad values → 400 naming the field; a role left out → 400 naming the role; nothing is generated', async () => {
    const before = await em().count(TemplateGenerationSchema, { templateId: word.id });
    const bad = await c.post('/contracts/from-template', startBody(word.id, { ...DEMO_WORD_VALUES, 单价: '12.345' }));
    expect([bad.status, bad.json.error.code]).toEqual([400, 'TEMPLATE_FIELD_INVALID']);
    expect(bad.json.error.message).toContain('单价（元）');
    const missing = await c.post('/contracts/from-template', startBody(word.id, DEMO_WORD_VALUES, [{ roleId: 'r1', mobile: buyer.mobile, name: buyer.name }]));
    expect([missing.status, missing.json.error.code]).toEqual([400, 'TEMPLATE_ROLE_UNMAPPED']);
    expect(missing.json.error.message).toContain('乙方');
    expect(await em().count(TemplateGenerationSchema, { templateId: word.id })).toBe(before);
  });

  it('another user does not find the template (404); preview of a usable template answers the PDF', async () => {
    const other = await login(stranger);
    expect((await other.get(`/templates/${word.id}/form`)).status).toBe(404);
    expect((await other.post(`/templates/${word.id}/preview`, { values: DEMO_WORD_VALUES })).status).toBe(404);
    const preview = await c.post(`/templates/${word.id}/preview`, { values: DEMO_WORD_VALUES });
    expect(preview.status).toBe(200);
    expect(preview.headers.get('content-type')).toContain('application/pdf');
    expect(plain(pdftotext(preview.bytes))).toContain('贰万叁仟肆佰伍拾陆元整');
  });

  it('20 concurrent generations complete, each with its own values', async () => {
    // Through the generation use case the preview route calls: one user has at most 2 heavy requests in flight
    // over HTTP (http-hardening.test.ts), and 20 requesters are 20 people here.
    const template = await em().findOneOrFail(DocumentTemplateSchema, { id: word.id });
    const requesters = await Promise.all(Array.from({ length: 20 }, (_, i) => createUser(platform.services, `并发${i}`)));
    const t0 = Date.now();
    const results = await Promise.all(
      requesters.map((u, i) =>
        requestTemplateDocument(templateGenerationDeps({ services: platform.services, temporal: platform.temporal }, em()), {
          template,
          values: { ...DEMO_WORD_VALUES, 合同编号: `CONC-${String(i).padStart(2, '0')}`, 总金额: String(1000 + i) },
          purpose: 'preview',
          requestedBy: u.id,
        }),
      ),
    );
    const ms = Date.now() - t0;
    expect(results).toHaveLength(20);
    results.forEach((r, i) => {
      const text = plain(pdftotext(r.pdf));
      expect(text).toContain(`CONC-${String(i).padStart(2, '0')}`);
      expect(text).toContain(`${(1000 + i).toLocaleString('en-US')}.00`);
    });
    console.log(`[template-generation] 20 concurrent Word generations in ${ms} ms`);
  }, 180_000);

  it('a requester over 30 generations a minute is refused (TEMPLATE_GENERATION_RATE_LIMITED) before a row is written or LibreOffice runs', async () => {
    const template = await em().findOneOrFail(DocumentTemplateSchema, { id: word.id });
    const busy = await createUser(platform.services, '频繁预览');
    const deps = templateGenerationDeps({ services: platform.services, temporal: platform.temporal }, em());
    const now = new Date();
    for (let i = 0; i < TEMPLATE_GENERATION_RULE.max; i++) expect((await takeAttempt(em(), `template-generation:${busy.id}`, TEMPLATE_GENERATION_RULE, now)).allowed).toBe(true);
    const before = await em().count(TemplateGenerationSchema, {});
    const refused = await requestTemplateDocument(deps, { template, values: DEMO_WORD_VALUES, purpose: 'preview', requestedBy: busy.id }).catch((err: unknown) => err);
    expect(refused).toMatchObject({ kind: 'rate_limited', code: 'TEMPLATE_GENERATION_RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
    expect(await em().count(TemplateGenerationSchema, {})).toBe(before);
    // Someone else is served meanwhile.
    const other = await createUser(platform.services, '正常预览');
    expect((await requestTemplateDocument(deps, { template, values: DEMO_WORD_VALUES, purpose: 'preview', requestedBy: other.id })).pdf.length).toBeGreaterThan(1000);
  });

  it('disabled → 409 TEMPLATE_NOT_USABLE (已停用) for the form and the start; enabled again, it starts', async () => {
    expect((await c.post(`/templates/${word.id}/disable`)).status).toBe(200);
    const form = await c.get(`/templates/${word.id}/form`);
    expect([form.status, form.json.error.code]).toEqual([409, 'TEMPLATE_NOT_USABLE']);
    const start = await c.post('/contracts/from-template', startBody(word.id, DEMO_WORD_VALUES));
    expect([start.status, start.json.error.code]).toEqual([409, 'TEMPLATE_NOT_USABLE']);
    expect(start.json.error.message).toContain('已停用');
    expect((await c.post(`/templates/${word.id}/enable`)).status).toBe(200);
    expect((await c.post('/contracts/from-template', startBody(word.id, DEMO_WORD_VALUES))).status).toBe(201);
  });

  it('停用 by an operator committing while the contract\'s document is generated → 409 TEMPLATE_NOT_USABLE: no contract, no stored document', async () => {
    const template = await em().findOneOrFail(DocumentTemplateSchema, { id: word.id });
    const operator = { id: null, name: '平台运营', ip: null };
    try {
      const raced = await startRacing(template, { id: owner.id, name: owner.name, ip: null, actingEnterpriseId: null }, () => setTemplateEnabledByOperator(em(), operator, word.id, false, '内容待核实'));
      expect(raced.error).toMatchObject({ kind: 'conflict', code: 'TEMPLATE_NOT_USABLE', details: { reason: 'disabled' } });
      expect(await em().count(ContractSchema, { title: raced.title })).toBe(0);
      expect(raced.stored).toHaveLength(1);
      await expect(platform.services.store.get(raced.stored[0]!)).rejects.toThrow();
    } finally {
      await setTemplateEnabledByOperator(em(), operator, word.id, true, '核实无误');
    }
  });

  it('a rename committing while the document is generated (same status, new version) → 409 TEMPLATE_CHANGED, no contract', async () => {
    const template = await em().findOneOrFail(DocumentTemplateSchema, { id: word.id });
    const self = { id: owner.id, name: owner.name, ip: null, acting: null };
    const rename = () => updateTemplate({ em: em() }, self, word.id, { version: template.version, name: `${template.name}（改名）`, businessType: template.businessType, scenario: template.scenario, definition: template.definition });
    const raced = await startRacing(template, { id: owner.id, name: owner.name, ip: null, actingEnterpriseId: null }, rename);
    expect(raced.error).toMatchObject({ kind: 'conflict', code: 'TEMPLATE_CHANGED' });
    expect(await em().count(ContractSchema, { title: raced.title })).toBe(0);
    expect((await em().findOneOrFail(DocumentTemplateSchema, { id: word.id })).status).toBe('published');
  });

  it('a keyword missing from the generated document → 422 at publish, naming role and keyword', async () => {
    const def = structuredClone(DEMO_WORD_DEFINITION);
    def.roles![1]!.marks![0]!.keyword = '丙方（签字）：';
    const t = await createTemplate('word', '采购合同（关键字缺失）', def);
    const r = await publish(t);
    expect([r.status, r.json.error.code]).toEqual([422, 'TEMPLATE_KEYWORD_MISSING']);
    expect(r.json.error.message).toContain('乙方');
    expect(r.json.error.message).toContain('丙方（签字）：');
    const start = await c.post('/contracts/from-template', startBody(t.id, DEMO_WORD_VALUES));
    expect([start.status, start.json.error.code]).toEqual([409, 'TEMPLATE_NOT_USABLE']); // still a draft
    expect(start.json.error.message).toContain('未发布');
  });
});

describe('Web template', () => {
  it('draws the values into their boxes on the uploaded PDF (page count unchanged) and keeps the placed marks', async () => {
    const t = await createTemplate('web', '设备采购合同（Web 测试）', DEMO_WEB_DEFINITION);
    const pub = await publish(t);
    expect(pub.status, JSON.stringify(pub.json)).toBe(200);
    const r = await c.post('/contracts/from-template', { ...startBody(t.id, DEMO_WEB_VALUES), title: '设备采购合同' });
    expect(r.status, JSON.stringify(r.json)).toBe(201);
    expect(r.json.pageCount).toBe(1);
    const pdf = await currentDocument(platform.services, r.json.id);
    const text = plain(pdftotext(pdf));
    for (const v of ['上海市黄浦区', '2026年12月2日', '设备到货后三日内完成安装。', '培训两次。']) expect(text, v).toContain(v);
    const place = bboxOf(pdf, '上海市黄浦区')[0]!;
    expect(place.page).toBe(1);
    expect(Math.abs(place.x - 56.8)).toBeLessThan(4);
    expect(place.y).toBeGreaterThanOrEqual(711);
    expect(place.y).toBeLessThan(730);
    const marks = (r.json.participants[0].marks as { kind: string; page: number; x: number; y: number }[]).map((m) => [m.kind, m.page, m.x, m.y]);
    expect(marks.sort()).toEqual([
      ['date', 1, 130, 650],
      ['name_seal', 1, 130, 565],
    ]);
  });
});

describe('a shared template', () => {
  it('取消共享 committing while the receiver\'s contract document is generated → 409 TEMPLATE_NOT_USABLE, no contract', async () => {
    const [ownerAdmin, receiverAdmin] = await Promise.all(['共享模板所有方管理员', '共享模板接收方管理员'].map((n) => createUser(platform.services, n)));
    const ownerEnterprise = await createCertifiedEnterprise(platform.services, ownerAdmin!, '共享模板所有方公司');
    const receiverEnterprise = await createCertifiedEnterprise(platform.services, receiverAdmin!, '共享模板接收方公司');
    const oc = await login(ownerAdmin!);
    expect((await oc.post('/auth/acting', { enterpriseId: ownerEnterprise.id })).status).toBe(200);
    const t = await createTemplate('web', '共享的设备采购合同', DEMO_WEB_DEFINITION, oc);
    expect((await publish(t, oc)).status).toBe(200);
    expect((await oc.request('PUT', `/templates/${t.id}/shares/${receiverEnterprise.id}`, { editable: false })).status).toBe(200);
    const template = await em().findOneOrFail(DocumentTemplateSchema, { id: t.id });
    const ownerActor = { id: ownerAdmin!.id, name: ownerAdmin!.name, ip: null, acting: { enterpriseId: ownerEnterprise.id, role: 'admin' as const } };
    const starter = { id: receiverAdmin!.id, name: receiverAdmin!.name, ip: null, actingEnterpriseId: receiverEnterprise.id };
    const raced = await startRacing(template, starter, () => unshareTemplate(em(), ownerActor, t.id, receiverEnterprise.id), DEMO_WEB_VALUES);
    expect(raced.error).toMatchObject({ kind: 'conflict', code: 'TEMPLATE_NOT_USABLE', details: { reason: 'not_shared' } });
    expect(await em().count(ContractSchema, { title: raced.title })).toBe(0);
  });
});

describe('demo data', () => {
  it('seeds a Word and a Web template for the demo user, published and enabled; both start contracts; seeding again adds nothing', async () => {
    const demoOwner = await createUser(platform.services, '演示张三');
    const deps = { em: platform.services.orm.em, store: platform.services.store, limits: { maxBytes: platform.config.maxUploadBytes, maxPages: platform.config.maxPages } };
    expect(await seedDemoTemplates(deps, demoOwner)).toEqual([`template ${DEMO_WORD_TEMPLATE_NAME}`, `template ${DEMO_WEB_TEMPLATE_NAME}`]);
    expect(await seedDemoTemplates(deps, demoOwner)).toEqual([]);
    const demo = await login(demoOwner);
    const list = await demo.get('/templates?usable=1');
    expect(list.status).toBe(200);
    const byName = new Map((list.json.data as { id: string; name: string; kind: string; status: string; enabled: boolean }[]).map((t) => [t.name, t]));
    expect([byName.get(DEMO_WORD_TEMPLATE_NAME)?.kind, byName.get(DEMO_WEB_TEMPLATE_NAME)?.kind]).toEqual(['word', 'web']);
    for (const [name, values] of [[DEMO_WORD_TEMPLATE_NAME, DEMO_WORD_VALUES], [DEMO_WEB_TEMPLATE_NAME, DEMO_WEB_VALUES]] as const) {
      const t = byName.get(name)!;
      expect([t.status, t.enabled]).toEqual(['published', true]);
      const r = await demo.post('/contracts/from-template', { ...startBody(t.id, values, [{ roleId: 'r1', mobile: demoOwner.mobile, name: demoOwner.name }, { roleId: 'r2', mobile: seller.mobile, name: seller.name }]), title: name });
      expect(r.status, JSON.stringify(r.json)).toBe(201);
      expect(r.json.templateId).toBe(t.id);
    }
  });
});
