/**
 * Users of an API test, each with their own signed-in ApiClient:
 *   const users = signedInUsers(() => platform);
 *   const bob = await users.create('孙悟空');
 *   await users.as(bob).post(...);
 */
import { createCertifiedEnterprise } from './enterprise-fixtures';
import { createUser, TEST_PASSWORD } from './fixtures';
import { ApiClient } from './http-client';
import type { TestPlatform } from './platform';

export interface TestUser {
  id: string;
  mobile: string;
  name: string;
}

export function signedInUsers(platform: () => TestPlatform) {
  const clients = new Map<string, ApiClient>();
  return {
    async create(name: string): Promise<TestUser> {
      const u = await createUser(platform().services, name);
      const api = new ApiClient(platform().baseUrl);
      await api.login(u.mobile, TEST_PASSWORD);
      clients.set(u.id, api);
      return u;
    },
    as(u: TestUser): ApiClient {
      const api = clients.get(u.id);
      if (!api) throw new Error(`no signed-in client for ${u.name}`);
      return api;
    },
  };
}

/** A new user (a platform role if given) signed in with their own ApiClient `c`. */
export async function loggedInUser(platform: TestPlatform, name: string, platformRole: 'operator' | null = null) {
  const user = await createUser(platform.services, name, platformRole);
  const c = new ApiClient(platform.baseUrl);
  await c.login(user.mobile, TEST_PASSWORD);
  return { user, c };
}

/** A certified enterprise `name` whose administrator is signed in (`admin.c`) and acts for it. */
export async function enterpriseAdmin(platform: TestPlatform, name: string) {
  const admin = await loggedInUser(platform, `${name}管理员`);
  const enterprise = await createCertifiedEnterprise(platform.services, admin.user, name);
  const acting = await admin.c.post('/auth/acting', { enterpriseId: enterprise.id });
  if (acting.status !== 200) throw new Error(`acting for ${name} failed: ${acting.status}`);
  return { admin, enterprise };
}
