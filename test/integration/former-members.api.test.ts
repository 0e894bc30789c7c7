/**
 * Rights that end with a membership: a named operator (经办人) who is removed no longer reads the
 * enterprise's contract and their naming lapses (any authorised member signs for the participant);
 * a member who started contracts for the enterprise still sees them after leaving but can no longer
 * revoke (撤销) or urge (催办) them — over HTTP and in the workflow's own re-check.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { participantRecipient } from '../../domain/contracts/contract-notifications';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { refuseContract } from '../../domain/contracts/refuse-contract';
import { revokeContract } from '../../domain/contracts/revoke-contract';
import { urgeContract } from '../../domain/contracts/urge-contract';
import type { Enterprise } from '../../domain/enterprises/enterprise.entity';
import type { User } from '../../domain/identity/user.entity';
import { createSmsSender } from '../../integrations/sms';
import { ApiClient } from '../harness/http-client';
import { addMember, createCertifiedEnterprise } from '../harness/enterprise-fixtures';
import { contractForm, createUser, makePdf, TEST_PASSWORD } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
let admin: User;
let enterprise: Enterprise;
const em = () => platform.services.orm.em.fork();

beforeAll(async () => {
  platform = await startTestPlatform();
  admin = await createUser(platform.services, '离职测试管理员');
  enterprise = await createCertifiedEnterprise(platform.services, admin, '离职测试有限公司');
});
afterAll(async () => platform?.stop());

async function client(user: User, actingForEnterprise = false) {
  const c = new ApiClient(platform.baseUrl);
  await c.login(user.mobile, TEST_PASSWORD);
  if (actingForEnterprise) expect((await c.post('/auth/acting', { enterpriseId: enterprise.id })).status).toBe(200);
  return c;
}

async function member(name: string) {
  const user = await createUser(platform.services, name);
  const membership = await addMember(platform.services, enterprise.id, admin, user);
  return { user, membership };
}

const start = async (c: ApiClient, spec: Record<string, unknown>) => {
  const r = await c.post('/contracts', contractForm(await makePdf(1), { title: String(spec.title), spec }));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  return r.json as { id: string; participants: { id: string; kind: string }[] };
};

const removedAudit = async (userId: string) =>
  (await em().find(AuditEventSchema, { enterpriseId: enterprise.id, action: 'membership.removed' })).map((e) => JSON.parse(e.detail ?? '{}') as Record<string, unknown>).find((d) => d.user === userId);

describe('a removed named operator (经办人)', () => {
  it('no longer reads the contract, and the naming lapses: the members authorised for the seals act for the participant', async () => {
    const { user: op, membership } = await member('被指定经办人');
    const { user: colleague } = await member('同事');
    const alice = await createUser(platform.services, '发起人甲');
    const contract = await start(await client(alice), { title: '经办人合同', participants: [{ kind: 'enterprise', step: 1, enterpriseId: enterprise.id, operatorMobile: op.mobile, canRefuse: true, placement: 'free', marks: [] }] });

    const opActing = await client(op, true);
    expect((await opActing.get(`/contracts/${contract.id}`)).json.me).toMatchObject({ canSign: true });
    // Only while acting for the enterprise: the contract is the enterprise's, not the operator's own.
    expect((await (await client(op)).get(`/contracts/${contract.id}`)).status).toBe(404);
    expect((await (await client(colleague, true)).get(`/contracts/${contract.id}`)).json.me).toMatchObject({ canSign: false });

    expect((await (await client(admin, true)).request('DELETE', `/console/members/${membership.id}`)).status).toBe(200);
    for (const path of ['', '/document', '/trail']) expect((await (await client(op)).get(`/contracts/${contract.id}${path}`)).status).toBe(404);
    // The row keeps who was named; the naming lapsed with the membership: any authorised member acts, the administrator is notified.
    const participant = await em().findOneOrFail(ContractSignerSchema, { contractId: contract.id, kind: 'enterprise' });
    expect(participant.userId).toBe(op.id);
    expect(await removedAudit(op.id)).toBeDefined();
    expect((await (await client(colleague, true)).get(`/contracts/${contract.id}`)).json.me).toMatchObject({ canSign: true });
    expect(await participantRecipient(em(), participant)).toMatchObject({ userId: admin.id, enterpriseId: enterprise.id });
    // The workflow's refusal re-checks who acts: a request the API let through before the removal is refused.
    await expect(refuseContract(em(), { contractId: contract.id, participantId: participant.id, actorUserId: op.id, reason: '已离职' })).rejects.toMatchObject({ code: 'NOT_ENTERPRISE_MEMBER' });
    expect((await em().findOneOrFail(ContractSignerSchema, { id: participant.id })).status).toBe('pending');
  });
});

describe('a member who started contracts for the enterprise, then left', () => {
  it('still sees them, but can no longer revoke or urge them (the API, the view and the workflow re-check agree); the administrator can', async () => {
    const { user: initiator, membership } = await member('代企业发起人');
    const bob = await createUser(platform.services, '签署人乙');
    const contract = await start(await client(initiator, true), { title: '代企业发起的合同', actAs: 'enterprise', participants: [{ kind: 'person', step: 1, mobile: bob.mobile, name: bob.name, placement: 'free', marks: [] }] });
    expect((await (await client(initiator)).get(`/contracts/${contract.id}`)).json.me).toMatchObject({ canRevoke: true, canUrge: true });

    expect((await (await client(admin, true)).request('DELETE', `/console/members/${membership.id}`)).status).toBe(200);
    const former = await client(initiator);
    const seen = await former.get(`/contracts/${contract.id}`);
    expect(seen.status).toBe(200);
    expect(seen.json.me).toMatchObject({ canRevoke: false, canUrge: false });
    const revoke = await former.post(`/contracts/${contract.id}/revoke`, { reason: '我已离职' });
    expect([revoke.status, revoke.json.error?.code]).toEqual([403, 'NOT_INITIATOR']);
    const urge = await former.post(`/contracts/${contract.id}/urge`, {});
    expect([urge.status, urge.json.error?.code]).toEqual([403, 'NOT_ALLOWED_TO_URGE']);
    // The workflow's activities re-check it too (a request that passed the API before the removal).
    await expect(revokeContract(em(), { contractId: contract.id, actorUserId: initiator.id, reason: '我已离职' })).rejects.toMatchObject({ code: 'NOT_INITIATOR' });
    await expect(urgeContract({ em: em(), sms: (e) => createSmsSender(platform.services.config, e) }, { contractId: contract.id, actorUserId: initiator.id })).rejects.toMatchObject({ code: 'NOT_ALLOWED_TO_URGE' });
    expect((await former.get(`/contracts/${contract.id}`)).json.status).toBe('in_progress');
    // The enterprise's administrator still urges and revokes it.
    const adminC = await client(admin, true);
    expect((await adminC.get(`/contracts/${contract.id}`)).json.me).toMatchObject({ canRevoke: true, canUrge: true });
    expect((await adminC.post(`/contracts/${contract.id}/urge`, {})).status).toBe(200);
    const revoked = await adminC.post(`/contracts/${contract.id}/revoke`, { reason: '发起人已离职' });
    expect([revoked.status, revoked.json.status]).toEqual([200, 'voided']);
  });
});
