// @sqlite-too: the first drawing's conditional update and the redraw's version check differ by dialect.
/**
 * A seal from before seal images is drawn on first access (`ensureSealImage`) while an
 * administrator redraws it (`replaceSealImage`), on the run's database. The first drawing used to
 * write `version = <its read> + 1` conditioned only on "no image yet": from a read older than a
 * grant's version hold the version did not advance, the redraw's version check passed, and it
 * replaced the image and 防伪码 the first access had just handed out (a document stamped with that
 * code no longer matched the seal) and orphaned its file. Now the drawing is conditioned on the
 * version it read and advances it in SQL. The drawing commits with its audit row: one whose row cannot be
 * written leaves the seal undrawn and deletes its file; only a seal that had no 防伪码 is audited as a backfill.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { SealSchema, type Seal } from '../../domain/enterprises/seal.entities';
import { flushHoldingVersions, hold } from '../../domain/persistence/concurrency';
import { ensureSealImage } from '../../domain/seals/seal-image';
import { replaceSealImage } from '../../domain/seals/seal-status';
import { AUDIT_REJECTED, rejectAuditAction } from '../harness/audit-failure';
import { activeMembership, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { actorOf as actor, forkRacedBeforeWrite, outcomeOf as outcome } from '../harness/race-hooks';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();

/** The image files stored for a seal. */
async function storedImages(seal: Pick<Seal, 'id' | 'enterpriseId'>): Promise<string[]> {
  const keys: string[] = [];
  for await (const entry of platform.services.store.list(`seals/${seal.enterpriseId}/${seal.id}/`)) if (!entry.partial) keys.push(entry.key);
  return keys;
}

/**
 * A contract seal as it was before seal images (no image, 防伪码 or size), read by a request about
 * to stamp it (`stale`), whose version a grant's hold then advanced.
 */
async function undrawnSealReadBeforeAHold(label: string) {
  const admin = await createUser(platform.services, `${label}管理员`);
  const e = await createCertifiedEnterprise(platform.services, admin, `${label}有限公司`);
  const seal = await em().findOneOrFail(SealSchema, { enterpriseId: e.id, type: 'contract' });
  for (const key of await storedImages(seal)) await platform.services.store.delete(key);
  await em().nativeUpdate(SealSchema, { id: seal.id }, { imageKey: null, imageSha256: null, securityCode: null, widthMm: null, heightMm: null });
  const reader = em();
  const stale = await reader.findOneOrFail(SealSchema, { id: seal.id });
  const granting = em();
  await flushHoldingVersions(granting, [hold(SealSchema, await granting.findOneOrFail(SealSchema, { id: seal.id }), { status: 'active' })]);
  return { admin, seal, reader, stale };
}

describe('a seal\'s first drawing and a redraw', () => {
  it('a redraw that read the seal before a first drawing from a stale read commits is refused (409); the drawn image and 防伪码 stay', async () => {
    const { admin, seal, reader, stale } = await undrawnSealReadBeforeAHold('首绘竞态');
    let drawn: Seal | undefined;
    const redraw = forkRacedBeforeWrite(platform.services.orm.em, async () => {
      drawn = await ensureSealImage(reader, platform.services.store, stale);
    });
    expect(await outcome(replaceSealImage(redraw, platform.services.store, { enterpriseId: seal.enterpriseId, sealId: seal.id, actor: actor(admin), actingMembership: await activeMembership(redraw, seal.enterpriseId, admin) }))).toBe('conflict CONCURRENT_CHANGE');
    const after = await em().findOneOrFail(SealSchema, { id: seal.id });
    expect(drawn?.securityCode).toMatch(/^\d{13}$/);
    expect({ imageKey: after.imageKey, securityCode: after.securityCode }).toEqual({ imageKey: drawn?.imageKey, securityCode: drawn?.securityCode });
    // No orphan: the losing redraw deleted its file; the drawn one is the seal's.
    expect(await storedImages(seal)).toEqual([after.imageKey]);
  });

  it('in parallel: the 防伪码 a first drawing hands out is the seal\'s, whichever commits first, and no file is orphaned', async () => {
    for (let round = 0; round < 3; round++) {
      const { admin, seal, reader, stale } = await undrawnSealReadBeforeAHold(`并行首绘${round}`);
      const actingMembership = await activeMembership(em(), seal.enterpriseId, admin);
      const [drawn, redrawn] = await Promise.all([
        ensureSealImage(reader, platform.services.store, stale),
        outcome(replaceSealImage(em(), platform.services.store, { enterpriseId: seal.enterpriseId, sealId: seal.id, actor: actor(admin), actingMembership })),
      ]);
      expect(redrawn === 'ok' || redrawn === 'conflict CONCURRENT_CHANGE', redrawn).toBe(true);
      const after = await em().findOneOrFail(SealSchema, { id: seal.id });
      expect(after.securityCode, `round ${round}: ${redrawn}`).toBe(drawn.securityCode);
      expect(await storedImages(seal)).toEqual([after.imageKey]);
    }
  });
});

describe('a seal\'s first drawing and its audit row', () => {
  const drawnAudits = async (sealId: string) =>
    (await em().find(AuditEventSchema, { action: 'seal.image_generated', targetId: sealId })).map((a) => JSON.parse(a.detail!) as Record<string, unknown>);

  it('a drawing whose audit row cannot be written leaves the seal undrawn and no file behind; a new seal is not audited as a backfill', async () => {
    const admin = await createUser(platform.services, '首绘审计管理员');
    const e = await createCertifiedEnterprise(platform.services, admin, '首绘审计有限公司');
    // A seal from before seal images: no 防伪码 yet.
    const old = await em().findOneOrFail(SealSchema, { enterpriseId: e.id, type: 'contract' });
    for (const key of await storedImages(old)) await platform.services.store.delete(key);
    await em().nativeUpdate(SealSchema, { id: old.id }, { imageKey: null, imageSha256: null, securityCode: null, widthMm: null, heightMm: null });
    const allowAudit = await rejectAuditAction(platform.services, 'seal.image_generated', old.id);
    let failed: string;
    try {
      const reader = em();
      failed = await outcome(ensureSealImage(reader, platform.services.store, await reader.findOneOrFail(SealSchema, { id: old.id })));
    } finally {
      await allowAudit();
    }
    expect(failed).toContain(AUDIT_REJECTED);
    expect(await em().findOneOrFail(SealSchema, { id: old.id })).toMatchObject({ imageKey: null, imageSha256: null, securityCode: null });
    expect(await storedImages(old)).toEqual([]);
    expect(await drawnAudits(old.id)).toEqual([]);
    // Drawn at the next access: audited once, as the backfill it is.
    const reader = em();
    const drawn = await ensureSealImage(reader, platform.services.store, await reader.findOneOrFail(SealSchema, { id: old.id }));
    expect(drawn.securityCode).toMatch(/^\d{13}$/);
    expect(await storedImages(old)).toEqual([drawn.imageKey]);
    expect(await drawnAudits(old.id)).toEqual([expect.objectContaining({ sha256: drawn.imageSha256, backfill: true })]);

    // A new seal got its 防伪码 when it was created: its first drawing is no backfill.
    const fresh = await em().findOneOrFail(SealSchema, { enterpriseId: e.id, type: 'official' });
    expect([fresh.imageKey, fresh.securityCode]).toEqual([null, expect.stringMatching(/^\d{13}$/)]);
    const freshDrawn = await ensureSealImage(em(), platform.services.store, fresh);
    expect(freshDrawn.securityCode).toBe(fresh.securityCode);
    const audits = await drawnAudits(fresh.id);
    expect(audits).toEqual([expect.objectContaining({ sha256: freshDrawn.imageSha256 })]);
    expect(audits[0]).not.toHaveProperty('backfill');
  });
});
