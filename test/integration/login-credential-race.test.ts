// @sqlite-too: a login racing a credential change.
/**
 * A login racing a password or number change (on the run's database, SQLite or MariaDB). The change
 * ends the user's other sessions; a login whose credentials were checked before the change committed
 * but whose session is inserted after that clean-up must not open a session that outlives the change.
 * The race is laid out step by step: the login's read of the user, the change (committed, other
 * sessions ended), then the login's session (startSession, what both logins call once the
 * credentials they read have checked out).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeMobile, changePassword, requestMobileChangeCodes } from '../../domain/identity/profile';
import { loginWithPassword, startSession } from '../../domain/identity/login';
import { SessionSchema } from '../../domain/identity/session.entity';
import { UserSchema } from '../../domain/identity/user.entity';
import { createSession } from '../../domain/identity/sessions';
import { createSmsSender } from '../../integrations/sms';
import { createUser, latestSmsCode, TEST_PASSWORD, uniqueMobile } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const em = () => platform.services.orm.em.fork();
const sessionIds = async (userId: string) => (await em().find(SessionSchema, { userId })).map((s) => s.id).sort();
const fresh = async (userId: string) => em().findOneOrFail(UserSchema, { id: userId });
const actor = (user: { id: string; name: string }) => ({ id: user.id, name: user.name, ip: '198.51.100.7' });

/** The victim, signed in once (the session the change keeps). */
async function victimWithSession(name: string) {
  const victim = await createUser(platform.services, name);
  await createSession(em(), victim.id, null);
  return { victim, ownId: (await sessionIds(victim.id))[0]! };
}

describe('a login racing a credential change', () => {
  it('a password login checked before a password change opens no session after it', async () => {
    const { victim, ownId } = await victimWithSession('改密竞态');
    const loginEm = em();
    const readByLogin = await loginEm.findOneOrFail(UserSchema, { mobile: victim.mobile }); // the login read the user, its password checks out…
    const e = em();
    await changePassword(e, await e.findOneOrFail(UserSchema, { id: victim.id }), ownId, { oldPassword: TEST_PASSWORD, newPassword: 'Newer#Pass9' }, actor(victim)); // …the change commits and ends the other sessions…
    await expect(startSession(loginEm, readByLogin, '203.0.113.5', 'password')).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' }); // …then the login's session
    expect(await sessionIds(victim.id)).toEqual([ownId]);
    // The new password logs in as usual.
    await expect(loginWithPassword(em(), victim.mobile, 'Newer#Pass9', '203.0.113.5')).resolves.toMatchObject({ user: { id: victim.id } });
  });

  it('an SMS login to the old number checked before a number change opens no session after it', async () => {
    const { victim, ownId } = await victimWithSession('换号竞态');
    const newMobile = uniqueMobile();
    {
      const e = em();
      await requestMobileChangeCodes(e, createSmsSender(platform.services.config, e), await fresh(victim.id), newMobile, null);
      await e.flush();
    }
    const [oldCode, newCode] = [await latestSmsCode(platform.services, victim.mobile), await latestSmsCode(platform.services, newMobile)];
    const loginEm = em();
    const readByLogin = await loginEm.findOneOrFail(UserSchema, { mobile: victim.mobile }); // the login's code to the old number checked out
    const e = em();
    await changeMobile(e, await e.findOneOrFail(UserSchema, { id: victim.id }), ownId, { newMobile, oldCode, newCode }, actor(victim));
    await expect(startSession(loginEm, readByLogin, '203.0.113.6', 'sms')).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    expect((await fresh(victim.id)).mobile).toBe(newMobile);
    expect(await sessionIds(victim.id)).toEqual([ownId]);
  });

  it('an unchanged login opens its session', async () => {
    const { victim } = await victimWithSession('正常登录');
    const loginEm = em();
    const read = await loginEm.findOneOrFail(UserSchema, { mobile: victim.mobile });
    await expect(startSession(loginEm, read, '203.0.113.7', 'password')).resolves.toMatchObject({ user: { id: victim.id } });
    expect(await sessionIds(victim.id)).toHaveLength(2);
  });
});
