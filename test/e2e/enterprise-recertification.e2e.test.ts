/**
 * 变更企业名称 and 重新认证 end to end in Chromium against the real platform (API + worker, Temporal
 * dev server with the EnterpriseRecertificationWorkflow, the run's database, the built UIs):
 * - the 管理员 opens 信息管理 in the console and starts 变更企业名称: the enterprise is 待重新认证
 *   at once (nothing voided yet);
 * - its authorised operator cannot sign a contract waiting for it (a clear message), the contract
 *   stays waiting and its initiator sees why;
 * - the 管理员 submits the new name, the USCC and the authorisation letter (the point of no return):
 *   every seal voided, every authorisation removed, the seal certificate revoked;
 * - a platform operator approves in 管理后台 重新认证审核: the enterprise is certified again under the
 *   new name and its seals are drawn again with it (the stored images are exactly the drawings of
 *   the new name);
 * - after a new certificate and a new authorisation the waiting contract is signed with the new
 *   合同专用章 (pdfsig: valid, the new seal's certificate).
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SigningCertificateSchema } from '../../domain/certificates/certificate.entities';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { startContractSpecSchema } from '../../domain/contracts/start-contract';
import { EnterpriseChangeSchema } from '../../domain/enterprises/enterprise-change.entity';
import { EnterpriseSchema, type Enterprise } from '../../domain/enterprises/enterprise.entity';
import { SealAuthorizationSchema, SealSchema } from '../../domain/enterprises/seal.entities';
import type { User } from '../../domain/identity/user.entity';
import { drawSealImage } from '../../domain/seals/seal-image';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, UI_TIMEOUT_MS, type UserSession } from '../harness/browser';
import { issueSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { currentDocument, pdfsigSignatures } from '../harness/pdf-checks';
import { startContractThroughDomain } from '../harness/domain-contracts';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { codeSentBy } from '../harness/registration';

let platform: TestPlatform;
let browser: Browser;
let tmpDir: string;
let boss: User;
let signer: User;
let initiator: User;
let reviewer: User;
let enterprise: Enterprise;
let contractId = '';
const sessions: Record<'boss' | 'signer' | 'initiator' | 'reviewer', UserSession> = {} as never;

const RUN = Date.now().toString(36).slice(-5);
const OLD_NAME = `宁波甬签贸易有限公司${RUN}`;
const NEW_NAME = `宁波甬签国际贸易有限公司${RUN}`;

const em = () => platform.services.orm.em.fork();
const eventually = <T>(read: () => Promise<T>, timeout = UI_TIMEOUT_MS) => expect.poll(read, { timeout, interval: 250 });
const enterpriseRow = () => em().findOneOrFail(EnterpriseSchema, { id: enterprise.id });
const openChange = () => em().findOne(EnterpriseChangeSchema, { enterpriseId: enterprise.id, kind: 'rename' }, { orderBy: { seq: 'desc' } });

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/admin-ui/index.html'))) throw new Error('the UIs are not built: run `npm run build:ui` first');
  tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sealflow-recert-'));
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  const { services, config } = platform;
  boss = await createUser(services, '蔡管理');
  signer = await createUser(services, '魏经办');
  initiator = await createUser(services, '孔发起');
  reviewer = await createUser(services, '严审核', 'operator');
  enterprise = await createCertifiedEnterprise(services, boss, OLD_NAME, ['official', 'contract']);
  await addMember(services, enterprise.id, boss, signer);
  // The operator may use the 合同专用章, which has an issued certificate.
  const seal = (await sealsOf(services, enterprise.id)).find((s) => s.type === 'contract')!;
  await issueSealCertificate(services, config.masterKey, seal, OLD_NAME);
  const x = em();
  x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: enterprise.id, sealId: seal.id, userId: signer.id, grantedBy: boss.id, grantedAt: new Date(), expiresAt: null });
  await x.flush();

  // A contract waiting for the enterprise's 合同专用章 (started by a person through the domain).
  const spec = startContractSpecSchema.parse({
    title: `年度供货合同-${RUN}`,
    actAs: 'person',
    participants: [{ step: 1, kind: 'enterprise', enterpriseId: enterprise.id, canRefuse: false, placement: 'preset', marks: [{ kind: 'seal', sealType: 'contract', page: 1, x: 360, y: 560 }] }],
    cc: [],
  });
  const contract = await startContractThroughDomain(platform, initiator, spec, await makePdf(1));
  contractId = contract.id;

  for (const k of ['boss', 'signer', 'initiator', 'reviewer'] as const) sessions[k] = await newUserSession(browser, platform.baseUrl);
  await signInThroughApi(sessions.boss.page, { mobile: boss.mobile, password: TEST_PASSWORD }, '/admin/');
  await signInThroughApi(sessions.signer.page, { mobile: signer.mobile, password: TEST_PASSWORD }, '/');
  await signInThroughApi(sessions.initiator.page, { mobile: initiator.mobile, password: TEST_PASSWORD }, '/');
  await signInThroughApi(sessions.reviewer.page, { mobile: reviewer.mobile, password: TEST_PASSWORD }, '/admin/');
}, 180_000);

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
  if (tmpDir) fs.rmSync(tmpDir, { recursive: true, force: true });
});

/** The 管理员 acts as the enterprise in the console and opens 信息管理. */
async function openEnterpriseInfo(page: Page) {
  await page.goto('/admin/');
  await page.getByTestId(`console-switch-${enterprise.id}`).or(page.getByTestId('acting-identity')).first().waitFor();
  if (await page.getByTestId(`console-switch-${enterprise.id}`).isVisible()) await page.getByTestId(`console-switch-${enterprise.id}`).click();
  await page.getByTestId('acting-identity').waitFor();
  await page.goto('/admin/enterprise-info');
  await page.getByTestId('enterprise-standing').waitFor();
}

async function openContract(page: Page) {
  await page.goto(`/contracts/${contractId}/show`);
  await page.locator(`[data-testid="contract-show"][data-contract-id="${contractId}"]`).waitFor();
}

describe('变更企业名称 → 待重新认证 → 提交 → 审核通过 → new seals', () => {
  it('信息管理: 变更企业名称 makes the enterprise 待重新认证 at once; nothing is voided yet', async () => {
    const { page } = sessions.boss;
    await openEnterpriseInfo(page);
    await page.getByTestId('enterprise-info-rename').click();
    await page.getByTestId('enterprise-info-rename-name').fill(NEW_NAME);
    await page.getByTestId('enterprise-info-rename-confirm').click();
    await eventually(() => page.getByTestId('enterprise-standing').textContent()).toContain('待重新认证');
    await screenshot(page, 'recertification-01-drafting');

    expect((await enterpriseRow()).standing).toBe('recertifying');
    expect((await openChange())?.status).toBe('drafting');
    // Before the submission nothing is lost: both seals live, the authorisation kept.
    expect(await em().count(SealSchema, { enterpriseId: enterprise.id, status: 'active' })).toBe(2);
    expect(await em().count(SealAuthorizationSchema, { enterpriseId: enterprise.id })).toBe(1);
  });

  it('the operator cannot sign for the enterprise (a clear message); the contract waits and its initiator sees why', async () => {
    const page = sessions.signer.page;
    await page.getByTestId('identity-switch').click();
    await page.getByTestId(`identity-option-${enterprise.id}`).click();
    await eventually(() => page.getByTestId('identity-current').textContent()).toContain(OLD_NAME);
    await openContract(page);
    const blocked = page.getByText(/正在重新认证/).first();
    // Either the page already withholds 签署 and says why, or the attempt answers with the reason.
    if (await page.getByTestId('sign-button').count()) {
      await page.getByTestId('sign-button').click();
      const dialog = page.getByTestId('sign-dialog');
      await dialog.waitFor();
      await dialog.getByTestId('sms-send').click();
    }
    await blocked.waitFor();
    await screenshot(page, 'recertification-02-signing-blocked');
    expect(await em().count(ContractSchema, { id: contractId, status: 'in_progress' })).toBe(1);

    const own = sessions.initiator.page;
    await openContract(own);
    await eventually(() => own.getByTestId('participant-row').first().textContent()).toContain('重新认证');
  });

  it('提交重新认证 (the point of no return): every seal voided, the authorisation removed, the certificate revoked', async () => {
    const { page } = sessions.boss;
    await openEnterpriseInfo(page);
    const letter = path.join(tmpDir, 'authorization-letter.pdf');
    await fs.promises.writeFile(letter, await makePdf(1));
    await page.getByTestId('recertification-submit-name').fill(NEW_NAME);
    await page.getByTestId('recertification-submit-uscc').fill(enterprise.uscc);
    await page.getByTestId('recertification-submit-letter').setInputFiles(letter);
    // Leaving the page with the form filled asks first (the page's 联系信息 form has a guard of its own, unchanged).
    await page.getByTestId('menu-members').click();
    await page.getByTestId('leave-dialog').waitFor();
    await page.getByTestId('leave-stay').click();
    await page.getByTestId('leave-dialog').waitFor({ state: 'hidden' });
    expect(await page.getByTestId('recertification-submit-name').inputValue()).toBe(NEW_NAME);
    await page.getByTestId('recertification-submit').click();
    // The confirmation names what cannot be undone.
    const confirm = page.getByTestId('recertification-submit-confirm');
    await confirm.waitFor();
    expect(await page.getByRole('dialog').last().textContent()).toMatch(/作废/);
    await confirm.click();
    await eventually(async () => (await openChange())?.status).toBe('under_review');
    await eventually(() => page.getByTestId('recertification-status').textContent()).toMatch(/审核/);
    await screenshot(page, 'recertification-03-under-review');

    expect(await em().count(SealSchema, { enterpriseId: enterprise.id, status: { $ne: 'voided' } })).toBe(0);
    expect(await em().count(SealAuthorizationSchema, { enterpriseId: enterprise.id })).toBe(0);
    const certificates = await em().find(SigningCertificateSchema, { enterpriseId: enterprise.id });
    expect(certificates.map((c) => c.status)).toEqual(['revoked']);
  });

  it('管理后台 重新认证审核: the operator approves; the seals are drawn again with the new name', async () => {
    const change = (await openChange())!;
    const { page } = sessions.reviewer;
    await page.goto('/admin/recertifications');
    await page.getByText(NEW_NAME).first().waitFor();
    await page.goto(`/admin/recertifications/${change.id}/show`);
    await page.getByText(OLD_NAME).first().waitFor();
    await page.getByTestId('recertification-approve').click();
    await eventually(async () => (await openChange())?.status).toBe('approved');

    const renamed = await enterpriseRow();
    expect(renamed.name).toBe(NEW_NAME);
    expect(renamed.standing).toBe('normal');
    // One new live seal per voided one, named and drawn with the new name.
    await eventually(async () => (await em().find(SealSchema, { enterpriseId: enterprise.id, status: 'active', imageKey: { $ne: null } })).length, 60_000).toBe(2);
    const live = await em().find(SealSchema, { enterpriseId: enterprise.id, status: 'active' }, { orderBy: { type: 'asc' } });
    expect(live.map((s) => s.type)).toEqual(['contract', 'official']);
    for (const seal of live) {
      expect(seal.name.startsWith(NEW_NAME)).toBe(true);
      const drawn = await drawSealImage(seal, renamed);
      expect(seal.imageSha256).toBe(createHash('sha256').update(drawn.png).digest('hex'));
      const withOldName = await drawSealImage(seal, { ...renamed, name: OLD_NAME });
      expect(createHash('sha256').update(withOldName.png).digest('hex')).not.toBe(seal.imageSha256);
    }

    // The 管理员 sees them in 印章管理, next to the voided ones.
    const admin = sessions.boss.page;
    await openEnterpriseInfo(admin);
    await eventually(() => admin.getByTestId('enterprise-standing').textContent()).not.toContain('待重新认证');
    await admin.goto('/admin/seals');
    await eventually(() => admin.getByTestId('seal-row').filter({ hasText: `${NEW_NAME}合同专用章` }).count()).toBe(1);
    await screenshot(admin, 'recertification-04-new-seals');
  });

  it('the waiting contract is signed with the new 合同专用章 once it has a certificate and the operator is authorised again', async () => {
    const { services, config } = platform;
    const seal = (await sealsOf(services, enterprise.id)).find((s) => s.type === 'contract' && s.status === 'active')!;
    await issueSealCertificate(services, config.masterKey, seal, NEW_NAME);
    const x = em();
    x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: enterprise.id, sealId: seal.id, userId: signer.id, grantedBy: boss.id, grantedAt: new Date(), expiresAt: null });
    await x.flush();

    const page = sessions.signer.page;
    await openContract(page);
    await page.getByTestId('sign-button').click();
    const dialog = page.getByTestId('sign-dialog');
    await dialog.waitFor();
    const code = await codeSentBy(services, signer.mobile, () => dialog.getByTestId('sms-send').click());
    await dialog.getByTestId('sms-code-input').fill(code);
    await dialog.getByTestId('sign-confirm').click();
    await dialog.waitFor({ state: 'detached', timeout: 60_000 });
    await eventually(async () => (await em().findOneOrFail(ContractSchema, { id: contractId })).status).toBe('completed');

    const signatures = pdfsigSignatures(await currentDocument(platform.services, contractId));
    expect(signatures).toHaveLength(1);
    expect(signatures[0]!.valid).toBe(true);
    expect(signatures[0]!.signer).toContain(NEW_NAME);
  });
});
