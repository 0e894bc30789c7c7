import { expect } from 'vitest';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { contractForm, createUser, makePdf, TEST_PASSWORD } from './fixtures';
import { ApiClient } from './http-client';
import type { TestPlatform } from './platform';
import { eventually } from './workflow-env';

export interface SignedInUser {
  id: string;
  mobile: string;
  name: string;
  api: ApiClient;
}

/** A new user, signed in through the API. */
export async function signedInUser(platform: TestPlatform, name: string): Promise<SignedInUser> {
  const user = await createUser(platform.services, name);
  const api = new ApiClient(platform.baseUrl);
  await api.login(user.mobile, TEST_PASSWORD);
  return { id: user.id, mobile: user.mobile, name: user.name, api };
}

/** `initiator` starts a v2 contract: `first` (step 1, may refuse), `second` (step 2, may refuse when `canRefuse`); answers its id once it is 签署中. */
export async function startTwoStepContract(platform: TestPlatform, parties: { initiator: SignedInUser; first: { mobile: string; name: string }; second: { mobile: string; name: string; canRefuse?: boolean } }, title: string): Promise<string> {
  const participants = [
    { kind: 'person', step: 1, mobile: parties.first.mobile, name: parties.first.name, canRefuse: true, marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }] },
    { kind: 'person', step: 2, mobile: parties.second.mobile, name: parties.second.name, ...(parties.second.canRefuse ? { canRefuse: true } : {}), marks: [{ kind: 'name_seal', page: 1, x: 300, y: 600 }] },
  ];
  const r = await parties.initiator.api.post('/contracts', contractForm(await makePdf(1), { title, spec: { participants } }));
  expect(r.status, JSON.stringify(r.json)).toBe(201);
  const id = r.json.id as string;
  await eventually(async () => (await platform.services.orm.em.fork().findOne(ContractSchema, { id }))?.status === 'in_progress', 15_000, 'contract in progress');
  return id;
}
