/**
 * 签署轨迹 in Chromium: the contract page lists the hash-chained events and shows 轨迹完整; after one
 * row is edited in the database the badge turns to 轨迹被篡改 and names that event; a replaced
 * document is reported too. Screenshots in test-artifacts/screenshots/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { recordContractEventAlone } from '../../domain/contracts/trail/record-contract-event';
import { launchBrowser, newUserSession, releaseBrowser, screenshot, signInThroughApi, type UserSession } from '../harness/browser';
import { actorOf, appendTrailViews, completeTrailContract, newTrailContract, sha256, signTrailContract, type TrailUser } from '../harness/contract-trail-fixtures';
import { createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let browser: Browser;
let alice: TrailUser;
let bob: TrailUser;
let session: UserSession;

beforeAll(async () => {
  if (!fs.existsSync(path.resolve('dist/portal-ui/index.html'))) throw new Error('the UIs are not built: run `npm run build:ui` first');
  [platform, browser] = await Promise.all([startTestPlatform(), launchBrowser()]);
  alice = await createUser(platform.services, '冯发起');
  bob = await createUser(platform.services, '陈签署');
  session = await newUserSession(browser, platform.baseUrl);
  await signInThroughApi(session.page, { mobile: alice.mobile, password: TEST_PASSWORD }, '/');
});

afterAll(async () => {
  await releaseBrowser(browser);
  await platform?.stop();
});

async function openTrail(id: string) {
  const { page } = session;
  await page.goto(`/contracts/${id}/show`);
  await page.locator(`[data-testid="contract-show"][data-contract-id="${id}"]`).waitFor();
  const badge = page.getByTestId('contract-trail').getByTestId('trail-badge');
  await badge.waitFor();
  return badge;
}

describe('签署轨迹 badge', () => {
  it('轨迹完整 for an untouched trail; 轨迹被篡改 naming the edited event after a row is changed in the database', async () => {
    const c = await newTrailContract(platform.services, `轨迹合同-${Date.now().toString(36)}`, alice, bob);
    await recordContractEventAlone(platform.services.orm.em.fork(), actorOf(bob), { contractId: c.id, type: 'viewed', payload: {} });
    await recordContractEventAlone(platform.services.orm.em.fork(), actorOf(alice), { contractId: c.id, type: 'urged', payload: { participantIds: [c.signerId], names: [bob.name] } });

    const badge = await openTrail(c.id);
    expect(await badge.getAttribute('data-state')).toBe('intact');
    expect(await badge.textContent()).toContain('轨迹完整');
    const rows = session.page.getByTestId('trail-row');
    const types = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-type')));
    // Opening the page records its own `viewed` event (after the check ran or before; either way the chain holds).
    expect(types.slice(0, 3)).toEqual(['created', 'viewed', 'urged']);
    expect(await rows.nth(2).textContent()).toContain(`催办 ${bob.name}`);
    await screenshot(session.page, 'contract-trail-intact');

    await platform.services.orm.em.fork().nativeUpdate(ContractEventSchema, { contractId: c.id, seq: 3 }, { payload: `{"names":["某某"],"participantIds":["${c.signerId}"]}` });
    const tampered = await openTrail(c.id);
    await expect.poll(() => tampered.getAttribute('data-state')).toBe('tampered');
    expect(await tampered.getAttribute('data-broken-seq')).toBe('3');
    const text = await tampered.textContent();
    expect(text).toContain('轨迹被篡改');
    expect(text).toContain('第 3 条记录（催办');
    expect(text).toContain('内容已被修改');
    await screenshot(session.page, 'contract-trail-tampered');
  });

  it('a completed contract whose signed file was replaced: 轨迹被篡改 with the document named', async () => {
    const c = await newTrailContract(platform.services, `换文件合同-${Date.now().toString(36)}`, alice, bob);
    const { signed, storageKey } = await signTrailContract(platform.services, c, bob);
    await completeTrailContract(platform.services, c, sha256(signed));
    expect(await (await openTrail(c.id)).getAttribute('data-state')).toBe('intact');

    await platform.services.store.put(storageKey, await makePdf(3));
    const badge = await openTrail(c.id);
    await expect.poll(() => badge.getAttribute('data-state')).toBe('tampered');
    expect(await badge.textContent()).toContain('当前合同文件与签署轨迹记录的文件哈希不一致');
  });

  it('a long trail shows 200 entries and 加载更多 loads the rest; an edited entry beyond them is still named with its label', async () => {
    const c = await newTrailContract(platform.services, `长轨迹合同-${Date.now().toString(36)}`, alice, bob);
    await appendTrailViews(platform.services, c.id, 259, actorOf(bob)); // 260 events
    await platform.services.orm.em.fork().nativeUpdate(ContractEventSchema, { contractId: c.id, seq: 240 }, { actorName: '冒名者' });
    const badge = await openTrail(c.id);
    await expect.poll(() => badge.getAttribute('data-state')).toBe('tampered');
    expect(await badge.getAttribute('data-broken-seq')).toBe('240');
    expect(await badge.textContent()).toContain('第 240 条记录（查看合同');
    const rows = session.page.getByTestId('trail-row');
    await expect.poll(() => rows.count()).toBe(200);
    expect(await session.page.getByTestId('trail-shown').textContent()).toContain('已显示前 200 条记录');
    await session.page.getByTestId('trail-load-more').click();
    // The rest, with this page's own 查看 event if it came after the first page.
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(260);
    expect(await session.page.getByTestId('trail-load-more').count()).toBe(0);
    const seqs = await rows.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-seq'))));
    expect(seqs.slice(0, 260)).toEqual(Array.from({ length: 260 }, (_, i) => i + 1));
    await screenshot(session.page, 'contract-trail-load-more');
  });
});
