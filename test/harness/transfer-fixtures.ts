/** An enterprise ready for 转让管理员: its administrator (logged in, acting for it) and a verified member as the target. */
import { addMember, createCertifiedEnterprise } from './enterprise-fixtures';
import { createUser, TEST_PASSWORD } from './fixtures';
import { ApiClient } from './http-client';
import type { TestPlatform } from './platform';

export async function setUpTransferParties(platform: TestPlatform, name: string) {
  const admin = await createUser(platform.services, `${name}管理员`);
  const target = await createUser(platform.services, `${name}受让人`);
  const enterprise = await createCertifiedEnterprise(platform.services, admin, `${name}有限公司`);
  const membership = await addMember(platform.services, enterprise.id, admin, target);
  const adminC = new ApiClient(platform.baseUrl);
  await adminC.login(admin.mobile, TEST_PASSWORD);
  await adminC.post('/auth/acting', { enterpriseId: enterprise.id });
  const targetC = new ApiClient(platform.baseUrl);
  await targetC.login(target.mobile, TEST_PASSWORD);
  return { admin, target, enterprise, membership, adminC, targetC };
}
