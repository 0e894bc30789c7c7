/**
 * A login racing a password or number change (on the run's database, SQLite or MariaDB). The change
 * ends the user's other sessions; a login whose credentials were checked before the change committed
 * but whose session is inserted after that clean-up must not open a session that outlives the change.
 * The race is made deterministic: the change runs at the last moment before the login inserts its
 * session (a pass-through wrapper of createSession).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { changeMobile, changePassword, requestMobileChangeCodes } from '../../domain/identity/profile';
import { loginWithPassword, loginWithSmsCode, requestLoginCode } from '../../domain/identity/login';
import { SessionSchema } from '../../domain/identity/session.entity';
import { UserSchema } from '../../domain/identity/user.entity';
import { createSession } from '../../domain/identity/sessions';
import { createSmsSender } from '../../integrations/sms';
import { createUser, latestSmsCode, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

const race = vi.hoisted(() => ({ beforeSessionInsert: null as null | (() => Promise<void>) }));

vi.mock('../../domain/identity/sessions', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../domain/identity/sessions')>();
  return {
    ...real,
    createSession: async (...args: Parameters<typeof real.createSession>) => {
      const change = race.beforeSessionInsert;
      race.beforeSessionInsert = null;
      if (change) await change();
      return real.createSession(...args);
    },
  };
});

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const sessionIds = async (userId: string) => (await em().find(SessionSchema, { userId })).map((s) => s.id).sort();
const fresh = async (userId: string) => em().findOneOrFail(UserSchema, { id: userId });
const actor = (user: { id: string; name: string }) => ({ id: user.id, name: user.name, ip: '198.51.100.7' });

describe('a login racing a credential change', () => {
  it('a password login checked before a password change opens no session after it', async () => {
    const victim = await createUser(platform.services, '改密竞态');
    const own = await createSession(em(), victim.id, null);
    const ownId = (await sessionIds(victim.id))[0]!;
    race.beforeSessionInsert = async () => {
      const e = em();
      await changePassword(e, await e.findOneOrFail(UserSchema, { id: victim.id }), ownId, { oldPassword: TEST_PASSWORD, newPassword: 'Newer#Pass9' }, actor(victim));
    };
    await expect(loginWithPassword(em(), victim.mobile, TEST_PASSWORD, '203.0.113.5')).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    expect(race.beforeSessionInsert).toBeNull(); // the change did run inside the login
    expect(await sessionIds(victim.id)).toEqual([ownId]);
    expect(own.token).toBeTruthy();
    // The new password logs in as usual.
    await expect(loginWithPassword(em(), victim.mobile, 'Newer#Pass9', '203.0.113.5')).resolves.toMatchObject({ user: { id: victim.id } });
  });

  it('an SMS login to the old number checked before a number change opens no session after it', async () => {
    const victim = await createUser(platform.services, '换号竞态');
    await createSession(em(), victim.id, null);
    const ownId = (await sessionIds(victim.id))[0]!;
    const newMobile = uniqueMobile();
    // The victim's change codes, and a login code to the old number (the lost phone's).
    {
      const e = em();
      await requestMobileChangeCodes(e, createSmsSender(platform.services.config, e), await fresh(victim.id), newMobile, null);
      await e.flush();
    }
    const oldCode = await latestSmsCode(platform.services, victim.mobile);
    const newCode = await latestSmsCode(platform.services, newMobile);
    {
      const e = em();
      await requestLoginCode(e, createSmsSender(platform.services.config, e), victim.mobile, '203.0.113.6');
      await e.flush();
    }
    const loginCode = await latestSmsCode(platform.services, victim.mobile);
    race.beforeSessionInsert = async () => {
      const e = em();
      await changeMobile(e, await e.findOneOrFail(UserSchema, { id: victim.id }), ownId, { newMobile, oldCode, newCode }, actor(victim));
    };
    await expect(loginWithSmsCode(em(), victim.mobile, loginCode, '203.0.113.6')).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    expect(race.beforeSessionInsert).toBeNull();
    expect((await fresh(victim.id)).mobile).toBe(newMobile);
    expect(await sessionIds(victim.id)).toEqual([ownId]);
  });
});
