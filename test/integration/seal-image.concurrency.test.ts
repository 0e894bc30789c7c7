// @sqlite-too: the first drawing's conditional update and the redraw's version check differ by dialect.
/**
 * A seal from before seal images is drawn on first access (`ensureSealImage`) while an
 * administrator redraws it (`replaceSealImage`), on the run's database. The first drawing used to
 * write `version = <its read> + 1` conditioned only on "no image yet": from a read older than a
 * grant's version hold the version did not advance, the redraw's version check passed, and it
 * replaced the image and 防伪码 the first access had just handed out (a document stamped with that
 * code no longer matched the seal) and orphaned its file. Now the drawing is conditioned on the
 * version it read and advances it in SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealSchema, type Seal } from '../../domain/enterprises/seal.entities';
import { flushHoldingVersions, hold } from '../../domain/persistence/concurrency';
import { ensureSealImage } from '../../domain/seals/seal-image';
import { replaceSealImage } from '../../domain/seals/seal-status';
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
