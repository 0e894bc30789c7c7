/**
 * Contract lifecycle v2 end to end in Chromium against the real platform (API + worker, Temporal
 * dev server, the run's database, the built portal):
 * - 发起合同 from a PDF with the marks dragged onto the pdf.js pages: step 1 a person, step 2 an
 *   enterprise (its authorised operator signs with the 合同专用章 + 日期章, the seal's certificate)
 *   and a person in parallel, then the CC recipient finds it in 抄送我的 once it is 已完成; the
 *   签署轨迹 reads 轨迹完整 and pdfsig shows three valid signatures with the right certificates;
 * - an SMS invitation to an unregistered number: its owner follows the link, registers, passes
 *   实名认证 and finds the contract waiting in 待我签署, then signs it;
 * - a contract whose expiry passes is voided by its workflow's timer: 已作废（过期）.
 * 拒签, 撤销, 催办 and 批量下载 run in contract-lists.e2e.test.ts.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { markSize } from '../../domain/contracts/mark-geometry';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { startContractSpecSchema } from '../../domain/contracts/start-contract';
import { SealAuthorizationSchema } from '../../domain/enterprises/seal.entities';
import { RealNameApplicationSchema } from '../../domain/identity/real-name-application.entity';
import { reviewRealName } from '../../domain/identity/real-name';
import type { User } from '../../domain/identity/user.entity';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, UI_TIMEOUT_MS, waitForDialogToClose, type UserSession } from '../harness/browser';
import { issueSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, makePdf, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { dropPoint, drag } from '../harness/placement';
import { currentDocument, pdfsigSignatures } from '../harness/pdf-checks';
import { startContractThroughDomain } from '../harness/domain-contracts';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { codeSentBy, idNumberFrom, registerAndSubmitRealName, smsSentBy, type Registrant } from '../harness/registration';

let platform: TestPlatform;
let browser: Browser;
let tmpDir: string;
let initiator: User;
let first: User;
let parallel: User;
let operator: User;
let ccUser: User;
let enterprise: { id: string; name: string };
const sessions: Record<'initiator' | 'first' | 'parallel' | 'operator' | 'cc' | 'invitee', UserSession> = {} as never;

const RUN = Date.now().toString(36).slice(-5);
const TITLE = `三方采购合同-${RUN}`;

const em = () => platform.services.orm.em.fork();
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: UI_TIMEOUT_MS, interval: 250 });

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/portal-ui/index.html'))) throw new Error('the UIs are not built: run `npm run build:ui` first');
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-lifecycle-'));
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  initiator = await createUser(platform.services, '陶发起');
  first = await createUser(platform.services, '韩先签');
  parallel = await createUser(platform.services, '蒋并签');
  operator = await createUser(platform.services, '沈经办');
  ccUser = await createUser(platform.services, '杨抄送');
  const boss = await createUser(platform.services, '秦法人');
  const e = await createCertifiedEnterprise(platform.services, boss, `苏州链签供应链有限公司${RUN}`, ['official', 'contract']);
  enterprise = { id: e.id, name: e.name };
  await addMember(platform.services, e.id, boss, operator);
  // The 合同专用章 has an issued certificate and the operator is authorised to use it.
  const seal = (await sealsOf(platform.services, e.id)).find((s) => s.type === 'contract')!;
  await issueSealCertificate(platform.services, platform.config.masterKey, seal, e.name);
  const x = em();
  x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: e.id, sealId: seal.id, userId: operator.id, grantedBy: boss.id, grantedAt: new Date(), expiresAt: null });
  await x.flush();
  for (const k of Object.keys({ initiator, first, parallel, operator, cc: 0, invitee: 0 }) as (keyof typeof sessions)[]) sessions[k] = await newUserSession(browser, platform.baseUrl);
  for (const [k, u] of [['initiator', initiator], ['first', first], ['parallel', parallel], ['operator', operator], ['cc', ccUser]] as const) {
    await signInThroughApi(sessions[k].page, { mobile: u.mobile, password: TEST_PASSWORD }, '/');
  }
}, 180_000);

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

async function openContract(page: Page, id: string) {
  await page.goto(`/contracts/${id}/show`);
  await page.locator(`[data-testid="contract-show"][data-contract-id="${id}"]`).waitFor();
}

const statusOf = (page: Page) => page.getByTestId('contract-status').first().getAttribute('data-status');

/** 签署 on the contract page: 获取验证码 → the code from the SMS → 确认签署; the dialog closes on success. */
async function signThroughUi(page: Page, mobile: string, contractId: string) {
  await openContract(page, contractId);
  await page.getByTestId('sign-button').click();
  const dialog = page.getByTestId('sign-dialog');
  await dialog.waitFor();
  const code = await codeSentBy(platform.services, mobile, () => dialog.getByTestId('sms-send').click());
  await dialog.getByTestId('sms-code-input').fill(code);
  await dialog.getByTestId('sign-confirm').click();
  await waitForDialogToClose(dialog, 60_000);
}

describe('contract lifecycle v2 in the portal', () => {
  let contractId = '';

  it('发起合同: a person, then an enterprise and a person in parallel, a CC — marks dragged onto the pages', async () => {
    const { page } = sessions.initiator;
    await page.getByTestId('menu-create').click();
    await page.getByTestId('create-form').waitFor();
    const pdfFile = path.join(tmpDir, 'purchase.pdf');
    await fs.promises.writeFile(pdfFile, await makePdf(3));
    await page.getByTestId('create-file-input').setInputFiles(pdfFile);
    await page.getByTestId('create-file-input-name').waitFor();
    await page.getByTestId('wizard-next').click();

    // Step 1: the first signer. Step 2: the enterprise and a second person, in parallel.
    await page.getByTestId('participants-step').waitFor();
    await page.getByTestId('participant-mobile-0').fill(first.mobile);
    await page.getByTestId('participant-name-0').fill(first.name);
    await page.getByTestId('add-step').click();
    await page.getByTestId('add-step-enterprise').click();
    await page.getByTestId('participant-enterprise-1').fill(enterprise.name.slice(0, 6));
    await page.getByTestId('participant-enterprise-1-option').filter({ hasText: enterprise.name }).click();
    await page.getByTestId('add-to-step-2').click();
    await page.getByTestId('add-to-step-2-person').click();
    await page.getByTestId('participant-mobile-2').fill(parallel.mobile);
    await page.getByTestId('participant-name-2').fill(parallel.name);
    await page.getByTestId('wizard-next').click();

    await page.getByTestId('placement-step').waitFor();
    await page.locator('[data-pdf-page="1"] [data-testid="pdf-page-canvas"][data-drawn="true"]').waitFor();
    const [p0, p1, p2] = [0, 1, 2].map((i) => page.getByTestId('placement-participant').nth(i)) as [Locator, Locator, Locator];
    await drag(page, p0.locator('[data-testid="palette-item"][data-kind="name_seal"]'), () => dropPoint(page, 1, markSize('name_seal'), { x: 80, y: 620 }));
    await drag(page, p1.locator('[data-testid="palette-item"][data-kind="seal"][data-seal-type="contract"]'), () => dropPoint(page, 3, markSize('seal', 'contract'), { x: 360, y: 560 }));
    await drag(page, p1.locator('[data-testid="palette-item"][data-kind="date"]'), () => dropPoint(page, 3, markSize('date'), { x: 360, y: 700 }));
    await drag(page, p2.locator('[data-testid="palette-item"][data-kind="name_seal"]'), () => dropPoint(page, 3, markSize('name_seal'), { x: 80, y: 600 }));
    await eventually(() => page.getByTestId('placed-mark').count()).toBe(4);
    await page.getByTestId('wizard-next').click();

    await page.getByTestId('details-step').waitFor();
    await page.getByTestId('create-title').fill(TITLE);
    await page.getByTestId('cc-mobile').fill(ccUser.mobile);
    await page.getByTestId('cc-add').click();
    await page.getByTestId('cc-chip').waitFor();
    await page.getByTestId('create-submit').click();
    await page.waitForURL(/\/contracts\/[^/]+\/show/);
    contractId = decodeURIComponent(/\/contracts\/([^/]+)\/show/.exec(page.url())![1]!);
    await eventually(() => page.getByTestId('step').evaluateAll((els) => els.map((e) => [e.getAttribute('data-step'), e.getAttribute('data-current')]))).toEqual([
      ['1', 'true'],
      ['2', 'false'],
    ]);
    await screenshot(page, 'lifecycle-01-started');
  });

  it('step 1 signs; then the enterprise operator (acting as the enterprise) and the second person sign step 2 in parallel', async () => {
    // Step 2 is not open yet: the second person has nothing to sign.
    await openContract(sessions.parallel.page, contractId);
    expect(await sessions.parallel.page.getByTestId('sign-button').count()).toBe(0);

    await signThroughUi(sessions.first.page, first.mobile, contractId);
    await sessions.first.page.locator(`[data-testid="participant-row"][data-status="signed"]`).first().waitFor();

    // The operator switches to the enterprise; the contract waits in the enterprise's 待我签署.
    const op = sessions.operator.page;
    await op.getByTestId('identity-switch').click();
    await op.getByTestId(`identity-option-${enterprise.id}`).click();
    await eventually(() => op.getByTestId('identity-current').textContent()).toContain(enterprise.name);
    await op.getByTestId('menu-todo').click();
    await op.locator(`[data-testid="contract-row"][data-id="${contractId}"]`).waitFor();
    await signThroughUi(op, operator.mobile, contractId);

    await signThroughUi(sessions.parallel.page, parallel.mobile, contractId);
    await eventually(() => statusOf(sessions.parallel.page)).toBe('completed');
    await screenshot(sessions.parallel.page, 'lifecycle-02-completed');

    // Three PAdES signatures, all valid: the two persons' and the enterprise seal's certificate.
    const signatures = pdfsigSignatures(await currentDocument(platform.services, contractId));
    expect(signatures).toHaveLength(3);
    expect(signatures.every((s) => s.valid)).toBe(true);
    expect(signatures[0]!.signer).toContain(first.name);
    expect(signatures.slice(1).map((s) => s.signer).join('|')).toContain(parallel.name);
    expect(signatures.some((s) => s.signer.includes('合同专用章') || s.signer.includes(enterprise.name))).toBe(true);
  });

  it('the CC recipient finds it in 抄送我的, read-only, with 轨迹完整', async () => {
    const page = sessions.cc.page;
    await page.getByTestId('menu-cc').click();
    await page.locator(`[data-testid="contract-row"][data-id="${contractId}"]`).waitFor();
    await openContract(page, contractId);
    await page.getByTestId('cc-hint').waitFor();
    expect(await statusOf(page)).toBe('completed');
    expect(await page.getByTestId('sign-button').count()).toBe(0);
    await page.locator('[data-testid="trail-badge"][data-state="intact"]').waitFor();
    const types = await page.getByTestId('trail-row').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    expect(types).toEqual(expect.arrayContaining(['created', 'signed', 'step_started', 'completed']));
    expect(types.filter((t) => t === 'signed')).toHaveLength(3);
    await screenshot(page, 'lifecycle-03-cc-trail');
  });

  it('an invitation to an unregistered number: register, 实名认证, the contract waits in 待我签署, signed', async () => {
    const invitee: Registrant = { name: '曹受邀', mobile: uniqueMobile(), idNumber: idNumberFrom('32050119900101123'), id: '' };
    const spec = {
      title: `邀请签署合同-${RUN}`,
      actAs: 'person',
      participants: [{ step: 1, kind: 'person', mobile: invitee.mobile, name: invitee.name, canRefuse: false, placement: 'preset', marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] }],
      cc: [],
    };
    const pdf = await makePdf(1);
    let invitedId = '';
    const link = await smsSentBy(
      platform.services,
      invitee.mobile,
      async () => {
        const res = await sessions.initiator.page.request.post('/api/contracts', {
          multipart: { file: { name: 'invite.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) }, spec: JSON.stringify(spec) },
        });
        expect(res.status()).toBe(201);
        invitedId = ((await res.json()) as { id: string }).id;
      },
      /(https?:\/\/\S+?\/register)/,
    );

    const page = sessions.invitee.page;
    await registerAndSubmitRealName(page, platform.services, invitee, { path: new URL(link).pathname });
    // The operator approves the 实名认证 (its console flow runs in enterprise.e2e.test.ts).
    const application = await em().findOneOrFail(RealNameApplicationSchema, { userId: invitee.id, status: 'pending' });
    await reviewRealName(em(), application.id, { approve: true }, { id: null, name: '平台运营', ip: null });

    await page.goto('/contracts/todo');
    await page.locator(`[data-testid="contract-row"][data-id="${invitedId}"]`).waitFor();
    await signThroughUi(page, invitee.mobile, invitedId);
    await eventually(() => statusOf(page)).toBe('completed');
    const signatures = pdfsigSignatures(await currentDocument(platform.services, invitedId));
    expect(signatures.map((s) => [s.signer.includes(invitee.name), s.valid])).toEqual([[true, true]]);
  });

  it('a contract past its expiry is voided by its workflow: 已作废（过期）', async () => {
    const spec = startContractSpecSchema.parse({
      title: `即将过期合同-${RUN}`,
      expiresAt: new Date(Date.now() + 8_000).toISOString(),
      actAs: 'person',
      participants: [{ step: 1, kind: 'person', mobile: first.mobile, name: first.name, canRefuse: false, placement: 'preset', marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] }],
      cc: [],
    });
    // Through the domain with a short minimum lifetime (the API insists on 10 minutes).
    const contract = await startContractThroughDomain(platform, initiator, spec, await makePdf(1));
    const page = sessions.first.page;
    await openContract(page, contract.id);
    // The workflow's timer voids it at expiry; then the page, reloaded, says so. (One reload: a poll
    // that reloads and reads the banner would wait out the locator's timeout on every early try.)
    await eventually(async () => (await em().findOneOrFail(ContractSchema, { id: contract.id })).voidReason).toBe('expired');
    await page.reload();
    await page.locator(`[data-testid="contract-show"][data-contract-id="${contract.id}"]`).waitFor();
    expect(await page.getByTestId('void-banner').getAttribute('data-void-reason')).toBe('expired');
    expect(await page.getByTestId('void-banner').textContent()).toContain('过期');
    expect(await page.getByTestId('sign-button').count()).toBe(0);
    await screenshot(page, 'lifecycle-04-expired');
  });
});
