/**
 * A page-count bomb through the real HTTP API (发起合同): a 1,500-page PDF over the page limit is
 * refused with 422 PDF_TOO_MANY_PAGES (zh-CN + English) and nothing is written. That the refusal
 * comes from /Count before the full parse is shown in documents/pdf/inspect-pdf.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warmDocumentWorkers } from '../../documents';
import { manyPages, manyPagesObjectStreams } from '../../documents/pdf/hostile-page-count';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { ApiClient } from '../harness/http-client';
import { contractForm, createUser, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let alice: { id: string; mobile: string; name: string };
let client: ApiClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  alice = await createUser(platform.services, '王小明');
  client = new ApiClient(platform.baseUrl);
  await client.login(alice.mobile, TEST_PASSWORD);
  await warmDocumentWorkers();
});
afterAll(async () => platform?.stop());

describe('发起合同 with more pages than the limit', () => {
  it.each([
    ['classic cross-reference table', () => manyPages(1500)],
    ['object + cross-reference streams', () => manyPagesObjectStreams(1500)],
  ])('1,500 pages (%s): 422 PDF_TOO_MANY_PAGES, nothing written', async (_layout, build) => {
    expect(platform.services.config.maxPages).toBeLessThan(1500);
    const count = () => platform.services.orm.em.fork().count(ContractSchema, {});
    const before = await count();
    const form = contractForm(build(), { title: '超页文件', expiresAt: new Date(Date.now() + 7 * 86_400_000), signers: [{ mobile: alice.mobile, page: 1, x: 100, y: 600 }] });
    const r = await client.post('/contracts', form);
    expect(r.status).toBe(422);
    expect(r.json.error).toMatchObject({ code: 'PDF_TOO_MANY_PAGES', message: 'PDF 页数超出限制', messageEn: 'The PDF has too many pages' });
    expect(await count()).toBe(before);
  });
});
