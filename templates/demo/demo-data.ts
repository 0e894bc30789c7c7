import fs from 'node:fs/promises';
import type { Client } from '@temporalio/client';
import type { Services } from '../../bootstrap/services';
import type { AppEnv } from '../../config';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { startContract } from '../../domain/contracts/start-contract';
import { createUser } from '../../domain/identity/create-user';
import { UserSchema, type PlatformRole } from '../../domain/identity/user.entity';
import { createSmsSender } from '../../integrations/sms';
import { startContractWorkflow } from '../../workflows/clients/start-contract-workflow';
import { seedDemoTemplates } from './demo-templates';

const DEMO_USERS = [
  { name: '张三', mobile: '13800000001', password: 'Demo@123456', platformRole: null },
  { name: '李四', mobile: '13800000002', password: 'Demo@123456', platformRole: null },
  { name: '平台管理员', mobile: '13900000000', password: 'Admin@123456', platformRole: 'operator' as PlatformRole },
] as const;

/**
 * The demo users seeded in `appEnv`, with their published passwords. The operator with a published password only in
 * development: on a demonstration reachable by others it would read every SMS code in the outbox (and so log in as
 * anyone); there the first operator gets a generated password (bootstrap/first-operator.ts). Production has no demo data.
 */
export function demoUsersFor(appEnv: AppEnv): readonly (typeof DEMO_USERS)[number][] {
  if (appEnv === 'production') return [];
  return appEnv === 'development' ? DEMO_USERS : DEMO_USERS.filter((u) => u.platformRole === null);
}

export const DEMO_CONTRACT_TITLE = '设备采购合同（演示）';
const DEMO_PDF = new URL('./demo-contract.pdf', import.meta.url);

/** Seeds demo users and one contract waiting for signature. Idempotent: existing rows are kept. */
export async function seedDemoData(services: Services, temporal: Client): Promise<{ created: string[] }> {
  const users = demoUsersFor(services.config.appEnv);
  if (users.length === 0) throw new Error('no demo data in production');
  const em = services.orm.em.fork();
  const created: string[] = [];
  for (const u of users) {
    if (await em.findOne(UserSchema, { mobile: u.mobile })) continue;
    await createUser(em, { ...u, realNameStatus: 'verified' });
    created.push(`user ${u.name}`);
  }
  await em.flush();

  if (!(await em.findOne(ContractSchema, { title: DEMO_CONTRACT_TITLE }))) {
    const initiator = await em.findOneOrFail(UserSchema, { mobile: users[0]!.mobile });
    await startContract(
      {
        em,
        store: services.store,
        limits: { maxBytes: services.config.maxUploadBytes, maxPages: services.config.maxPages },
        sms: (e) => createSmsSender(services.config, e),
        publicUrl: services.config.publicUrl,
        startWorkflow: (contract, routing) => startContractWorkflow(temporal, services.config.temporal.taskQueue, contract, { routing }),
      },
      { id: initiator.id, name: initiator.name, ip: null },
      {
        title: DEMO_CONTRACT_TITLE,
        contractNo: 'DEMO-001',
        remarks: null,
        expiresAt: new Date(Date.now() + 30 * 24 * 3600_000),
        actAs: 'person',
        participants: [
          { kind: 'person', step: 1, mobile: DEMO_USERS[0].mobile, name: DEMO_USERS[0].name, canRefuse: false, note: null, placement: 'preset', marks: [{ kind: 'name_seal', page: 1, x: 130, y: 590 }] },
          { kind: 'person', step: 2, mobile: DEMO_USERS[1].mobile, name: DEMO_USERS[1].name, canRefuse: true, note: null, placement: 'preset', marks: [{ kind: 'name_seal', page: 1, x: 380, y: 590 }, { kind: 'date', page: 1, x: 380, y: 660 }] },
        ],
        cc: [],
      },
      new Uint8Array(await fs.readFile(DEMO_PDF)),
    );
    created.push(`contract ${DEMO_CONTRACT_TITLE}`);
  }
  // 从模板发起 (issue 11): a Word and a Web template of 张三, published and enabled.
  const owner = await em.findOneOrFail(UserSchema, { mobile: DEMO_USERS[0].mobile });
  created.push(...(await seedDemoTemplates({ em: services.orm.em, store: services.store, limits: { maxBytes: services.config.maxUploadBytes, maxPages: services.config.maxPages } }, owner)));
  return { created };
}
