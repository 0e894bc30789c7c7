// @sqlite-too: the date bounds keep both databases answering alike.
/**
 * Hostile values in parameters, each answered with a 4xx JSON error and nothing written (found by fuzzing the API):
 * an empty acting-enterprise id (a 500 from the ORM before), date-times with impossible offsets (a 500 on MariaDB, a
 * silently empty list on SQLite), days the calendar does not have (2030-02-30 stored as 2 March), years outside
 * 1970–9999 in operator filters, and HTTP framing Node cannot parse (a bare status line before).
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SealAuthorizationSchema } from '../../domain/enterprises/seal.entities';
import { addMember } from '../harness/enterprise-fixtures';
import { createUser } from '../harness/fixtures';
import { ApiClient } from '../harness/http-client';
import { startTestPlatform, type TestPlatform } from '../harness/platform';
import { enterpriseAdmin, loggedInUser } from '../harness/signed-in-users';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

const loggedIn = (name: string, role: 'operator' | null = null) => loggedInUser(platform, name, role);

describe('parameters', () => {
  it('切换身份 to an empty enterprise id is a 400; the session stays as it was', async () => {
    const { c } = await loggedIn('空企业切换');
    const r = await c.post('/auth/acting', { enterpriseId: '' });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    expect((await c.get('/auth/me')).json.acting).toBeNull();
  });

  it('contract lists: a date-time with an impossible offset is a 400 (not a 500 on MariaDB, not an empty list on SQLite)', async () => {
    const { c } = await loggedIn('列表偏移');
    for (const q of ['from=2020-01-01T00:00:00%2B99:99', 'to=2020-01-01T00:00:00-99:59', 'from=%2B275760-09-13T00:00:00Z']) {
      const r = await c.get(`/contracts?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.json.error.message, q).toBeTruthy();
    }
    expect((await c.get('/contracts?from=2020-01-01T00:00:00%2B08:00')).status).toBe(200);
  });

  it('印章授权 ending on a day the calendar does not have (2030-02-30) is a 400, nothing granted (it was stored as 2 March)', async () => {
    const { admin: { user: admin, c }, enterprise } = await enterpriseAdmin(platform, '授权日期有限公司');
    const member = await createUser(platform.services, '授权日期成员');
    await addMember(platform.services, enterprise.id, admin, member);
    const seal = (await c.get('/console/seals')).json.find((s: { type: string }) => s.type === 'contract');
    const r = await c.post(`/console/seals/${seal.id}/authorizations`, { userId: member.id, expiresAt: '2030-02-30', code: '000000' });
    expect(r.status).toBe(400);
    expect(r.json.error.message).toContain('授权有效期格式不正确');
    expect(await platform.services.orm.em.fork().count(SealAuthorizationSchema, { sealId: seal.id, userId: member.id })).toBe(0);
  });

  it('operator certificate filters: years outside 1970–9999 and impossible days are a 400, so both databases answer alike', async () => {
    const { c } = await loggedIn('证书检索运营', 'operator');
    const lists: [string, Record<string, string>][] = [
      ['certificates', { expiringBefore: '10000-01-01' }],
      ['certificates', { expiringBefore: '2030-02-30' }],
      ['certificate-orders', { from: '99999-01-01' }],
      ['certificate-orders', { to: '-271821-04-20T00:00:00Z' }],
    ];
    for (const [list, filter] of lists) {
      const r = await c.get(`/admin/${list}?filter=${encodeURIComponent(JSON.stringify(filter))}`);
      expect(r.status, JSON.stringify(filter)).toBe(400);
      expect(r.json.error.code).toBe('BAD_DATE');
    }
    expect((await c.get(`/admin/certificates?filter=${encodeURIComponent(JSON.stringify({ expiringBefore: '2030-02-28' }))}`)).status).toBe(200);
  });
});

describe('HTTP framing', () => {
  it('a request Node cannot parse (negative Content-Length) gets a JSON 400 and the connection closes; the server goes on serving', async () => {
    const { port } = new URL(platform.baseUrl);
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1', () => socket.write('POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -1\r\n\r\n{}'));
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toEqual({ error: { code: 'MALFORMED_REQUEST', message: '请求格式不正确', messageEn: 'Malformed HTTP request' } });
    expect((await new ApiClient(platform.baseUrl).get('/auth/me')).status).toBe(401);
  });
});
