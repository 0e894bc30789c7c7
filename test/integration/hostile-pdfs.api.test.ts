/**
 * Hostile and tampered PDFs through the real HTTP API (文件验证 and 发起合同): each bomb gets a clear
 * 4xx within a second while other requests are served; pre-signed uploads and clashing field names
 * are refused at upload; a page-count bomb over the page limit is 422 PDF_TOO_MANY_PAGES with nothing
 * written (that it is refused from /Count before the full parse: documents/pdf/inspect-pdf.test.ts); a
 * tampered completed contract is reported as modified per signature.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureDocumentWorkers, signPdf, warmDocumentWorkers } from '../../documents';
import { DEFAULT_DOCUMENT_WORKER_OPTIONS } from '../../documents/pool/pdf-tasks';
import { appendUpdate, byteRangeComments, fieldTreeBomb, flateBomb, pageTreeBomb, xrefStreamSizeBomb } from '../../documents/pdf/hostile-pdfs';
import { manyPages, manyPagesObjectStreams } from '../../documents/pdf/hostile-page-count';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { PDFArray, PDFDocument, PDFName, type PDFRef } from 'pdf-lib';
import { renderNameSeal } from '../../documents/seals/name-seal';
import { ApiClient } from '../harness/http-client';
import { contractForm, createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let alice: { id: string; mobile: string; name: string };
let client: ApiClient;

beforeAll(async () => {
  platform = await startTestPlatform();
  alice = await createUser(platform.services, '王小明');
  client = new ApiClient(platform.baseUrl);
  await client.login(alice.mobile, TEST_PASSWORD);
  await warmDocumentWorkers(); // steady state: the PDF threads are loaded
});
afterAll(async () => platform?.stop());

const inOneWeek = () => new Date(Date.now() + 7 * 24 * 3600_000);
const fileForm = (bytes: Uint8Array, name = 'upload.pdf') => {
  const form = new FormData();
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), name);
  return form;
};
const countContracts = () => platform.services.orm.em.fork().count(ContractSchema, {});

/** Sends `hostile`, and while it is in flight a GET /auth/me and a small verification; returns their timings. */
async function underLoad(hostile: () => Promise<{ status: number; json: any }>) {
  const small = await makePdf(1);
  const t0 = performance.now();
  const timed = async <T>(p: Promise<T>) => {
    const value = await p;
    return { value, ms: performance.now() - t0 };
  };
  const [bomb, me, verify] = await Promise.all([timed(hostile()), timed(client.get('/auth/me')), timed(client.post('/verifications', fileForm(small)))]);
  expect(me.value.status).toBe(200);
  expect(verify.value.status).toBe(200);
  return { bomb: bomb.value, bombMs: bomb.ms, meMs: me.ms, verifyMs: verify.ms };
}

const bombs: [string, () => Uint8Array, string, number][] = [
  ['page tree listing each node twice (2^24 pages)', () => pageTreeBomb(24), 'PDF_CORRUPT', 400],
  ['AcroForm with repeated kids (2^30 fields)', () => fieldTreeBomb(30), 'PDF_CORRUPT', 400],
  ['object stream inflating 1 MB → 1 GB', () => flateBomb(), 'PDF_TOO_COMPLEX', 422],
  ['cross-reference stream claiming 400 M entries', () => xrefStreamSizeBomb(), 'PDF_TOO_COMPLEX', 422],
];

describe('hostile PDFs: a clear 4xx within a second, other requests served meanwhile', () => {
  it.each(bombs)('文件验证 of a %s', async (name, build, code, status) => {
    const bytes = build();
    const r = await underLoad(() => client.post('/verifications', fileForm(bytes)));
    console.log(`verify ${name} (${(bytes.length / 1024).toFixed(1)} KB): ${r.bomb.status} ${r.bomb.json?.error?.code} in ${r.bombMs.toFixed(0)} ms; /auth/me in ${r.meMs.toFixed(0)} ms, small verification in ${r.verifyMs.toFixed(0)} ms`);
    expect(r.bomb.status).toBe(status);
    expect(r.bomb.json.error).toMatchObject({ code, message: expect.stringMatching(/[\u4e00-\u9fff]/), messageEn: expect.any(String) });
    expect(r.bombMs).toBeLessThan(1000);
    expect(r.meMs).toBeLessThan(1000);
  });

  it.each(bombs)('发起合同 with a %s', async (name, build, code, status) => {
    const bytes = build();
    const before = await countContracts();
    const form = contractForm(bytes, { title: '炸弹', expiresAt: inOneWeek(), signers: [{ mobile: alice.mobile, name: alice.name, page: 1, x: 100, y: 600 }] });
    const r = await underLoad(() => client.post('/contracts', form));
    console.log(`upload ${name}: ${r.bomb.status} ${r.bomb.json?.error?.code} in ${r.bombMs.toFixed(0)} ms; /auth/me in ${r.meMs.toFixed(0)} ms`);
    expect(r.bomb.status).toBe(status);
    expect(r.bomb.json.error.code).toBe(code);
    expect(r.bombMs).toBeLessThan(1000);
    expect(await countContracts()).toBe(before);
  });

  it('thousands of /ByteRange tokens in comments: verified in well under a second, reported as modified', async () => {
    const signed = await platformSigned(await makePdf(2), 1);
    const bomb = byteRangeComments(signed, 5000);
    const r = await underLoad(() => client.post('/verifications', fileForm(bomb)));
    console.log(`verify /ByteRange comment bomb (${(bomb.length / 1024).toFixed(0)} KB): ${r.bomb.status} in ${r.bombMs.toFixed(0)} ms; /auth/me in ${r.meMs.toFixed(0)} ms`);
    expect(r.bomb.status).toBe(200);
    expect(r.bomb.json).toMatchObject({ signatureCount: 1, status: 'modified' });
    expect(r.bombMs).toBeLessThan(1000);
  });
});

/** A "completed contract": `count` signatures by platform-issued certificates (what the workflow produces). */
async function platformSigned(pdf: Uint8Array, count: number, from = 1): Promise<Uint8Array> {
  const { ca } = platform.services;
  const { prepareForSigning } = await import('../../documents');
  let out = from === 1 ? await prepareForSigning(pdf) : pdf;
  for (let i = from; i < from + count; i++) {
    const name = ['张三', '李四', '王五', '赵六'][i - 1]!;
    const issued = await ca.issueSigningCertificate({ commonName: name, country: 'CN' });
    out = await signPdf({
      pdf: out,
      signer: { certificatePem: issued.certificatePem, privateKeyPem: issued.privateKeyPem, chainPem: ca.chainPem() },
      signerName: name,
      fieldName: `签署方${i}`,
      appearance: { page: 1, x: 60 + 80 * i, y: 600, width: 57, height: 57, png: await renderNameSeal(name) },
    });
  }
  return out;
}

describe('uploads that could never be signed are refused at upload', () => {
  it('a PDF that already carries signatures: 422 PDF_ALREADY_SIGNED, nothing written', async () => {
    const before = await countContracts();
    const signed = await platformSigned(await makePdf(1), 1);
    const r = await client.post('/contracts', contractForm(signed, { title: '已签文件', expiresAt: inOneWeek(), signers: [{ mobile: alice.mobile, name: alice.name, page: 1, x: 100, y: 600 }] }));
    expect(r.status).toBe(422);
    expect(r.json.error).toMatchObject({ code: 'PDF_ALREADY_SIGNED', message: expect.stringContaining('原始文件') });
    expect(await countContracts()).toBe(before);
  });

  it('a form field named 签署方1: 422 FIELD_NAME_TAKEN', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([595.28, 841.89]);
    doc.getForm().createTextField('签署方1').addToPage(page, { x: 50, y: 50, width: 100, height: 20 });
    const r = await client.post('/contracts', contractForm(await doc.save(), { title: '冲突', expiresAt: inOneWeek(), signers: [{ mobile: alice.mobile, name: alice.name, page: 1, x: 100, y: 600 }] }));
    expect(r.status).toBe(422);
    expect(r.json.error.code).toBe('FIELD_NAME_TAKEN');
  });
});

describe('发起合同 with more pages than the limit', () => {
  it.each([
    ['classic cross-reference table', () => manyPages(1500)],
    ['object + cross-reference streams', () => manyPagesObjectStreams(1500)],
  ])('1,500 pages (%s): 422 PDF_TOO_MANY_PAGES, nothing written', async (_layout, build) => {
    expect(platform.services.config.maxPages).toBeLessThan(1500);
    const count = () => platform.services.orm.em.fork().count(ContractSchema, {});
    const before = await count();
    const form = contractForm(build(), { title: '超页文件', expiresAt: new Date(Date.now() + 7 * 86_400_000), signers: [{ mobile: alice.mobile, name: alice.name, page: 1, x: 100, y: 600 }] });
    const r = await client.post('/contracts', form);
    expect(r.status).toBe(422);
    expect(r.json.error).toMatchObject({ code: 'PDF_TOO_MANY_PAGES', message: 'PDF 页数超出限制', messageEn: 'The PDF has too many pages' });
    expect(await count()).toBe(before);
  });
});

describe('文件验证 cannot be fooled by a later unsigned update', () => {
  it('completed contract + update rewriting page 1 (+ one more signature): "modified", per signature, with what changed', async () => {
    const completed = await platformSigned(await makePdf(2), 2);
    const doc = await PDFDocument.load(completed);
    const page = doc.getPages()[0]!;
    const raw = page.node.get(PDFName.of('Contents'));
    const contents = (raw instanceof PDFArray ? raw.get(0) : raw) as PDFRef;
    const font = /\/(Helvetica-\d+)/.exec(page.node.Resources()!.toString())![1];
    const evil = `BT /${font} 24 Tf 50 700 Td (Pay Mallory 1,000,000) Tj ET`;
    const tampered = appendUpdate(completed, [{ num: contents.objectNumber, body: `<< /Length ${evil.length} >>\nstream\n${evil}\nendstream` }]);

    // Uploading it as a new contract is refused (pre-signed); signing it once more outside changes nothing.
    const upload = await client.post('/contracts', contractForm(tampered, { title: '篡改', expiresAt: inOneWeek(), signers: [{ mobile: alice.mobile, name: alice.name, page: 1, x: 100, y: 600 }] }));
    expect(upload.json.error?.code).toBe('PDF_ALREADY_SIGNED');
    const resigned = await platformSigned(tampered, 1, 3);

    for (const file of [tampered, resigned]) {
      const r = await client.post('/verifications', fileForm(file));
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ status: 'modified', modifiedAfterSigning: true, intact: true, signedByPlatform: true });
      expect(r.json.summary).toContain('签署后被修改');
      const [first, second] = r.json.signatures;
      for (const s of [first, second]) expect(s).toMatchObject({ intact: true, modifiedAfterSigning: true, changes: [{ kind: 'page_content', pages: [1] }] });
    }
    const last = (await client.post('/verifications', fileForm(resigned))).json.signatures[2];
    expect(last).toMatchObject({ signerName: '王五', intact: true, modifiedAfterSigning: false, changes: [] });
  });

  it('an unreadable file is answered as unreadable (4xx), not as "no signatures"', async () => {
    const completed = await platformSigned(await makePdf(1), 1);
    const r = await client.post('/verifications', fileForm(completed.slice(0, 600)));
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: 'PDF_CORRUPT', message: expect.stringContaining('无法读取') });
  });
});

describe('overload of the PDF workers', () => {
  afterAll(async () => {
    await configureDocumentWorkers({ size: DEFAULT_DOCUMENT_WORKER_OPTIONS.size, maxQueue: DEFAULT_DOCUMENT_WORKER_OPTIONS.maxQueue });
  });

  it('a full queue answers 503 PDF_ENGINE_BUSY with Retry-After at once; the others are served', async () => {
    await configureDocumentWorkers({ size: 1, maxQueue: 0 });
    await warmDocumentWorkers();
    const heavy = byteRangeComments(await platformSigned(await makePdf(2), 1), 5000);
    // Four users (one user has at most 2 verifications in flight: REQUESTS_IN_PROGRESS, http-hardening.test.ts).
    const clients = await Promise.all(
      ['甲', '乙', '丙', '丁'].map(async (n) => {
        const c = new ApiClient(platform.baseUrl);
        await c.login((await createUser(platform.services, `排队用户${n}`)).mobile, TEST_PASSWORD);
        return c;
      }),
    );
    const results = await Promise.all(clients.map((c) => c.post('/verifications', fileForm(heavy))));
    const busy = results.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy[0]!.headers.get('retry-after')).toBe('2');
    expect(busy[0]!.json.error).toMatchObject({ code: 'PDF_ENGINE_BUSY', message: expect.stringContaining('稍后重试') });
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThan(0);
  });
});
