/**
 * The access-control matrix: every API route is called as every kind of caller, and the server
 * must allow or refuse exactly as the route's declared access level says. The expected level of
 * each route is written here by hand, so a route whose declaration changes, or a new route that
 * is not listed, fails this test.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../api/deps';
import type { Access } from '../../api/http/route';
import { allRoutes } from '../../api/routes';
import { ApiClient } from '../harness/http-client';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { createUser, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

/** Expected access of every route, `METHOD path`. */
const EXPECTED: Record<string, Access> = {
  'POST /auth/login': 'public',
  'POST /auth/login/code': 'public',
  'POST /auth/login/sms': 'public',
  'POST /auth/register/code': 'public',
  'POST /auth/register': 'public',
  'POST /auth/logout': 'public',
  'GET /auth/me': 'user',
  'POST /auth/acting': 'user',
  'PUT /me/email': 'user',
  'POST /me/mobile/codes': 'user',
  'PUT /me/mobile': 'user',
  'POST /me/password/code': 'user',
  'PUT /me/password': 'user',
  'GET /me/real-name': 'user',
  'POST /me/real-name': 'user',
  'GET /me/signatures': 'user',
  'GET /me/signatures/name-seal': 'user',
  'GET /me/signatures/date-seal': 'user',
  'PUT /me/signatures/date-settings': 'user',
  'PUT /me/signatures/default': 'user',
  'GET /me/signatures/:id/image': 'user',
  'DELETE /me/signatures/:id': 'user',
  'POST /me/signature-captures': 'user',
  'GET /me/signature-captures/:id': 'user',
  'GET /me/signature-captures/:id/events': 'user',
  'GET /signature-captures/:token': 'public',
  'POST /signature-captures/:token': 'public',
  'GET /me/notifications': 'user',
  'POST /me/notifications/read-all': 'user',
  'POST /me/notifications/:id/read': 'user',
  'GET /config/seal-types': 'user',
  'GET /config/business-types': 'user',
  'POST /enterprises': 'verified',
  'POST /enterprises/:id/cancel': 'verified',
  'POST /enterprises/:id/resume': 'verified',
  'GET /enterprises/search': 'verified',
  'POST /enterprises/:id/join': 'verified',
  'POST /memberships/:id/withdraw': 'user',
  'POST /enterprises/:id/admin-applications': 'verified',
  'GET /my/enterprises': 'user',
  'POST /admin-transfers/:id/confirm': 'user',
  'POST /admin-transfers/:id/resend-code': 'user',
  'GET /console/join-applications': 'console',
  'POST /console/join-applications/:id/approve': 'console',
  'POST /console/join-applications/:id/reject': 'console',
  'POST /console/seal-grant-code': 'console',
  'GET /console/members': 'console',
  'GET /console/members/:id': 'console',
  'PUT /console/members/:id': 'enterprise_admin',
  'DELETE /console/members/:id': 'enterprise_admin',
  'GET /console/seals': 'console',
  'GET /console/seal-types': 'console',
  'GET /console/seals/:id': 'console',
  'GET /console/seals/:id/image': 'console',
  'POST /console/seals': 'enterprise_admin',
  'POST /console/seals/upload': 'enterprise_admin',
  'PUT /console/seals/:id/image': 'enterprise_admin',
  'POST /console/seals/:id/redraw': 'enterprise_admin',
  'POST /console/seals/:id/disable': 'enterprise_admin',
  'POST /console/seals/:id/enable': 'enterprise_admin',
  'POST /console/seals/:id/authorizations': 'enterprise_admin',
  'DELETE /console/seals/:id/authorizations/:authorizationId': 'enterprise_admin',
  'GET /console/audit-events': 'enterprise_admin',
  'POST /console/certificate-orders': 'enterprise_admin',
  'GET /console/certificate-orders': 'console',
  'GET /console/certificate-orders/:id': 'console',
  'POST /console/certificate-orders/:id/refresh': 'console',
  'POST /console/certificate-orders/:id/cancel': 'enterprise_admin',
  'GET /console/certificate-orders/:id/continue': 'console',
  'GET /console/certificates': 'console',
  'POST /console/certificates/renew': 'enterprise_admin',
  'GET /console/admin-transfer': 'enterprise_admin',
  'POST /console/admin-transfer': 'enterprise_admin',
  'POST /console/admin-transfer/cancel': 'enterprise_admin',
  'GET /console/enterprise-info': 'console',
  'PATCH /console/enterprise-info': 'enterprise_admin',
  'POST /console/enterprise-changes/rename': 'enterprise_admin',
  'POST /console/enterprise-changes/restart': 'enterprise_admin',
  'POST /console/enterprise-changes/:changeId/submit': 'enterprise_admin',
  'POST /console/enterprise-changes/:changeId/abandon': 'enterprise_admin',
  'POST /console/enterprise-changes/legal-representative': 'enterprise_admin',
  'GET /contracts': 'user',
  'GET /contracts/counts': 'user',
  'POST /contracts/batch-sign/check': 'verified',
  'POST /contracts/batch-sign/sms-code': 'verified',
  'POST /contracts/batch-sign': 'verified',
  'GET /contracts/batch-sign/:batchId': 'verified',
  'POST /contracts/download': 'user',
  'POST /contracts': 'verified',
  'GET /contracts/options': 'user',
  'GET /enterprises/lookup': 'verified',
  'GET /contracts/:id': 'user',
  'GET /contracts/:id/document': 'user',
  'GET /contracts/:id/audit': 'user',
  'GET /contracts/:id/trail': 'user',
  'GET /contracts/:id/trail/verify': 'user',
  'POST /contracts/:id/sms-code': 'verified',
  'POST /contracts/:id/sign': 'verified',
  'POST /contracts/:id/refuse': 'verified',
  'POST /contracts/:id/revoke': 'user',
  'POST /contracts/:id/urge': 'user',
  'GET /contracts/:id/sign-options': 'user',
  'GET /contracts/:id/seals/:sealId/image': 'user',
  'POST /contracts/urge': 'user',
  'POST /verifications': 'user',
  'GET /admin/contracts': 'operator',
  'GET /admin/contracts/:id': 'operator',
  'GET /admin/sms-outbox': 'operator',
  'GET /admin/audit-events': 'operator',
  'GET /admin/real-name-applications': 'operator',
  'POST /admin/real-name-applications/:id/approve': 'operator',
  'POST /admin/real-name-applications/:id/reject': 'operator',
  'GET /admin/enterprises': 'operator',
  'GET /admin/enterprises/:id': 'operator',
  'GET /admin/enterprises/:id/authorization-letter': 'operator',
  'POST /admin/enterprises/:id/approve': 'operator',
  'POST /admin/enterprises/:id/reject': 'operator',
  'GET /admin/admin-applications': 'operator',
  'GET /admin/admin-applications/:id/authorization-letter': 'operator',
  'POST /admin/admin-applications/:id/approve': 'operator',
  'POST /admin/admin-applications/:id/reject': 'operator',
  'GET /admin/users': 'operator',
  'GET /admin/platform-settings': 'operator',
  'PUT /admin/platform-settings/:key': 'operator',
  'GET /admin/certificate-orders': 'operator',
  'GET /admin/certificates': 'operator',
  'GET /admin/recertifications': 'operator',
  'GET /admin/recertifications/:changeId': 'operator',
  'GET /admin/recertifications/:changeId/letter': 'operator',
  'POST /admin/recertifications/:changeId/approve': 'operator',
  'POST /admin/recertifications/:changeId/reject': 'operator',
  'GET /admin/templates': 'operator',
  'GET /admin/templates/:id': 'operator',
  'POST /admin/templates/:id/enable': 'operator',
  'POST /admin/templates/:id/disable': 'operator',
  'GET /templates': 'verified',
  'POST /templates': 'verified',
  'GET /templates/:id': 'verified',
  'PUT /templates/:id': 'verified',
  'GET /templates/:id/source': 'verified',
  'PUT /templates/:id/source': 'verified',
  'POST /templates/:id/publish': 'verified',
  'POST /templates/:id/enable': 'verified',
  'POST /templates/:id/disable': 'verified',
  'DELETE /templates/:id': 'verified',
  'GET /templates/:id/shares': 'verified',
  'PUT /templates/:id/shares/:enterpriseId': 'verified',
  'DELETE /templates/:id/shares/:enterpriseId': 'verified',
  'GET /templates/:id/form': 'verified',
  'POST /templates/:id/preview': 'verified',
  'POST /contracts/from-template': 'verified',
  'GET /template-fields': 'verified',
  'POST /template-fields': 'verified',
  'PUT /template-fields/:id': 'verified',
  'DELETE /template-fields/:id': 'verified',
};

const ROLES = ['anonymous', 'unverified', 'otherEnterpriseMember', 'member', 'sealAdmin', 'admin', 'operator'] as const;
type Role = (typeof ROLES)[number];

/** Which callers each access level lets through. */
const ALLOWED: Record<Access, readonly Role[]> = {
  public: ROLES,
  user: ['unverified', 'otherEnterpriseMember', 'member', 'sealAdmin', 'admin', 'operator'],
  verified: ['otherEnterpriseMember', 'member', 'sealAdmin', 'admin', 'operator'],
  console: ['sealAdmin', 'admin'],
  enterprise_admin: ['admin'],
  operator: ['operator'],
};

let platform: TestPlatform;
const clients = {} as Record<Role, ApiClient>;
const routes = () => allRoutes({ services: platform.services, temporal: platform.temporal } as unknown as ApiDeps);

beforeAll(async () => {
  platform = await startTestPlatform();
  const s = platform.services;
  const [admin, sealAdmin, member, otherAdmin, otherMember, operator, unverified] = await Promise.all([
    createUser(s, '甲管理员'),
    createUser(s, '甲印章管理员'),
    createUser(s, '甲成员'),
    createUser(s, '乙管理员'),
    createUser(s, '乙成员'),
    createUser(s, '运营', 'operator'),
    createUser(s, '未实名', null, 'unverified'),
  ]);
  const a = await createCertifiedEnterprise(s, admin, '甲公司');
  const b = await createCertifiedEnterprise(s, otherAdmin, '乙公司');
  await addMember(s, a.id, admin, sealAdmin, 'seal_admin');
  await addMember(s, a.id, admin, member, 'member');
  await addMember(s, b.id, otherAdmin, otherMember, 'member');
  const logins: [Role, { mobile: string }, string | null][] = [
    ['unverified', unverified, null],
    ['otherEnterpriseMember', otherMember, b.id],
    ['member', member, a.id],
    ['sealAdmin', sealAdmin, a.id],
    ['admin', admin, a.id],
    ['operator', operator, null],
  ];
  clients.anonymous = new ApiClient(platform.baseUrl);
  for (const [role, user, enterpriseId] of logins) {
    const c = new ApiClient(platform.baseUrl);
    await c.login(user.mobile, TEST_PASSWORD);
    if (enterpriseId) expect((await c.post('/auth/acting', { enterpriseId })).status).toBe(200);
    clients[role] = c;
  }
});
afterAll(async () => platform?.stop());

describe('access-control matrix', () => {
  it('lists every route of the API, with the access level it declares', () => {
    const declared = Object.fromEntries(routes().map((r) => [`${r.method.toUpperCase()} ${r.path}`, r.access]));
    expect(declared).toEqual(EXPECTED);
  });

  it('allows and refuses every route for every caller as declared', async () => {
    // Logout ends the caller's session: call it last.
    const ordered = [...routes()].sort((x, y) => Number(x.path === '/auth/logout') - Number(y.path === '/auth/logout'));
    const failures: string[] = [];
    let cells = 0;
    for (const r of ordered) {
      const path = r.path.replace(/:id/g, randomUUID());
      for (const role of ROLES) {
        const res = await clients[role].request(r.method.toUpperCase(), path, r.method === 'get' || r.method === 'delete' ? undefined : {});
        cells++;
        const allowed = ALLOWED[r.access].includes(role);
        const refused = res.status === 401 || res.status === 403;
        const expectedStatus = role === 'anonymous' ? 401 : 403;
        if (allowed && refused) failures.push(`${r.method.toUpperCase()} ${r.path} as ${role}: expected allowed, got ${res.status} ${res.json?.error?.code}`);
        if (!allowed && res.status !== expectedStatus) failures.push(`${r.method.toUpperCase()} ${r.path} as ${role}: expected ${expectedStatus}, got ${res.status}`);
        if (res.status >= 500) failures.push(`${r.method.toUpperCase()} ${r.path} as ${role}: server error ${res.status}`);
      }
    }
    console.log(`access-control matrix: ${ordered.length} routes × ${ROLES.length} callers = ${cells} cells`);
    expect(failures).toEqual([]);
  }, 240_000); // over a thousand requests one after another: about 25 s alone, far longer while other lanes share the cores
});
