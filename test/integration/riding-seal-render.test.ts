/**
 * 骑缝章 as rendered: an enterprise signs a 6-page contract with its 合同专用章 as a 骑缝章 over pages
 * 1–5 (placed at signing time, chosen by seal id) through the signing engine; each page of the
 * result is rendered with `pdftoppm -r 50` to a PPM and the red pixels are counted in a strip at
 * the right edge of the page: the strips are there on pages 1–5 and nothing is on page 6; left of
 * the strip the page is clean; pdfsig shows the enterprise's signature valid.
 */
import { spawnSync } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applySignature } from '../../domain/contracts/apply-signature';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { markSize } from '../../domain/contracts/mark-geometry';
import { WillingnessConfirmationSchema } from '../../domain/contracts/willingness-confirmation.entity';
import { SealAuthorizationSchema, type Seal } from '../../domain/enterprises/seal.entities';
import type { User } from '../../domain/identity/user.entity';
import { pdfsig } from '../../documents/pdf/test-helpers';
import { issueSealCertificate, sealsOf } from '../harness/certificate-fixtures';
import { participantRow } from '../harness/contract-rows';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, makePdf } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

const DPI = 50;
const PX_PER_PT = DPI / 72;
const RIDING_Y = 320;

interface Ppm {
  width: number;
  height: number;
  rgb: Buffer;
}

/** Every page of `pdf` rendered by `pdftoppm -r 50` as binary PPM (P6), decoded. */
function renderAll(pdf: Uint8Array): Ppm[] {
  const dir = mkdtempSync(join(tmpdir(), 'riding-render-'));
  try {
    writeFileSync(join(dir, 'doc.pdf'), pdf);
    const r = spawnSync('pdftoppm', ['-r', String(DPI), join(dir, 'doc.pdf'), join(dir, 'page')], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`pdftoppm failed: ${r.stderr}`);
    return readdirSync(dir)
      .filter((f) => f.endsWith('.ppm'))
      .sort((a, b) => Number(/(\d+)\.ppm$/.exec(a)![1]) - Number(/(\d+)\.ppm$/.exec(b)![1]))
      .map((f) => {
        const data = readFileSync(join(dir, f));
        const header = /^P6\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 50).toString('latin1'));
        if (!header) throw new Error(`${f} is not a binary PPM`);
        return { width: Number(header[1]), height: Number(header[2]), rgb: data.subarray(header[0].length) };
      });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Red pixels (the seal's ink) in a rectangle given in PDF points from the page's top-left corner. */
function redIn(page: Ppm, box: { x: number; y: number; width: number; height: number }): number {
  let n = 0;
  const [x0, y0] = [Math.floor(box.x * PX_PER_PT), Math.floor(box.y * PX_PER_PT)];
  const [x1, y1] = [Math.min(page.width, Math.ceil((box.x + box.width) * PX_PER_PT)), Math.min(page.height, Math.ceil((box.y + box.height) * PX_PER_PT))];
  for (let y = Math.max(0, y0); y < y1; y++) {
    for (let x = Math.max(0, x0); x < x1; x++) {
      const i = (y * page.width + x) * 3;
      if (page.rgb[i]! > 150 && page.rgb[i + 1]! < 110 && page.rgb[i + 2]! < 110) n++;
    }
  }
  return n;
}

let platform: TestPlatform;
let boss: User;
let operator: User;
let initiator: User;
let enterprise: { id: string; name: string };
let contractSeal: Seal;
const em = () => platform.services.orm.em.fork();

beforeAll(async () => {
  platform = await startTestPlatform();
  [boss, operator, initiator] = (await Promise.all(['钱董', '骑缝经办', '骑缝发起'].map((n) => createUser(platform.services, n)))) as [User, User, User];
  const e = await createCertifiedEnterprise(platform.services, boss, `骑缝印章测试${Date.now() % 100000}有限公司`, ['official', 'contract']);
  enterprise = { id: e.id, name: e.name };
  await addMember(platform.services, e.id, boss, operator);
  contractSeal = (await sealsOf(platform.services, e.id)).find((s) => s.type === 'contract')!;
  await issueSealCertificate(platform.services, platform.config.masterKey, contractSeal, enterprise.name);
  const x = em();
  x.create(SealAuthorizationSchema, { id: randomUUID(), enterpriseId: e.id, sealId: contractSeal.id, userId: operator.id, grantedBy: boss.id, grantedAt: new Date(), expiresAt: null });
  await x.flush();
});
afterAll(async () => platform?.stop());

/** A 签署中 v2 contract of `pages` pages whose one participant is the enterprise, free placement. */
async function enterpriseContract(pages: number) {
  const id = randomUUID();
  const participantId = randomUUID();
  const pdf = await makePdf(pages);
  const storageKey = `contracts/${id}/v0-test.pdf`;
  await platform.services.store.put(storageKey, pdf);
  const now = new Date();
  await em().transactional(async (tx) => {
    tx.create(ContractSchema, {
      id, title: '骑缝章渲染', contractNo: null, remarks: null, status: 'in_progress', voidReason: null, voidNote: null, initiatorId: initiator.id, initiatorEnterpriseId: null,
      lifecycle: 2, currentStep: 1, pageCount: pages, documentVersion: 0, trailSeq: 0, trailHead: null, createdAt: now, expiresAt: new Date(now.getTime() + 86400_000), completedAt: null, voidedAt: null,
    });
    tx.create(ContractSignerSchema, { ...participantRow(id, 1, { id: participantId, kind: 'enterprise', enterpriseId: enterprise.id, name: enterprise.name, status: 'pending' }), placement: 'free' });
    tx.create(DocumentVersionSchema, { id: randomUUID(), contractId: id, version: 0, storageKey, sha256: createHash('sha256').update(pdf).digest('hex'), size: pdf.byteLength, signerId: null, createdAt: now });
  });
  const e = em();
  const confirmation = e.create(WillingnessConfirmationSchema, { id: randomUUID(), contractId: id, signerId: participantId, userId: operator.id, method: 'sms', confirmedAt: now, usedAt: null, ip: null, codeHash: null });
  await e.flush();
  return { id, participantId, confirmationId: confirmation.id };
}

describe('骑缝章 rendered', () => {
  it('an enterprise 骑缝章 over pages 1–5 of a 6-page PDF: red strips at the right edge of pages 1–5, none on page 6', async () => {
    const c = await enterpriseContract(6);
    const deps = { em: em(), store: platform.services.store, ca: platform.services.ca, masterKey: platform.config.masterKey };
    const result = await applySignature(deps, {
      contractId: c.id,
      participantId: c.participantId,
      actorUserId: operator.id,
      confirmationId: c.confirmationId,
      marks: [{ kind: 'riding', sealId: contractSeal.id, pageFrom: 1, pageTo: 5, y: RIDING_Y }],
    });
    expect(result).toMatchObject({ documentVersion: 1, completed: true });
    const pdf = await platform.services.store.get((await em().findOneOrFail(DocumentVersionSchema, { contractId: c.id, version: 1 })).storageKey);

    const pages = renderAll(pdf);
    expect(pages).toHaveLength(6);
    const seal = markSize('riding', 'contract');
    const strip = seal.width / 5;
    const counts = pages.map((page) => {
      const pageWidthPt = page.width / PX_PER_PT;
      return {
        strip: redIn(page, { x: pageWidthPt - strip, y: RIDING_Y, width: strip, height: seal.height }),
        left: redIn(page, { x: pageWidthPt - strip - 60, y: RIDING_Y, width: 55, height: seal.height }),
        elsewhere: redIn(page, { x: 0, y: 0, width: pageWidthPt, height: RIDING_Y - 5 }),
      };
    });
    console.log('red pixels per page (strip / left of it / above):', counts.map((c, i) => `${i + 1}: ${c.strip}/${c.left}/${c.elsewhere}`).join('  '));
    // A strip is ≈ 22 × 113 pt ≈ 15 × 78 px at 50 dpi; the seal's ring and text cover well over 10 % of it.
    for (const page of [1, 2, 3, 4, 5]) expect(counts[page - 1]!.strip, `strip on page ${page}`).toBeGreaterThan(60);
    expect(counts[5]!.strip, 'nothing at the right edge of page 6').toBe(0);
    for (const page of [1, 2, 3, 4, 5, 6]) {
      expect(counts[page - 1]!.left, `left of the strip on page ${page}`).toBe(0);
      expect(counts[page - 1]!.elsewhere, `above the strip on page ${page}`).toBe(0);
    }

    const { signatures } = pdfsig(pdf, platform.services.ca.rootCertificatePem());
    expect(signatures).toHaveLength(1);
    expect(signatures[0]).toContain('Signature is Valid.');
    expect(signatures[0]).toContain(`Signer Certificate Common Name: ${contractSeal.name}`);
  });
});
