// @sqlite-too: a failed start rolls its rows back.
/** 发起合同 is all or nothing: if the workflow cannot start, no contract, signer, version or file is left behind. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { ContractCcSchema } from '../../domain/contracts/contract-cc.entity';
import { ContractMarkSchema } from '../../domain/contracts/contract-mark.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { startContract, startContractSpecSchema } from '../../domain/contracts/start-contract';
import { createSmsSender } from '../../integrations/sms';
import { AppError } from '../../domain/errors';
import { createUser, makePdf } from '../harness/fixtures';
import { startTestPlatform, type TestPlatform } from '../harness/platform';

let platform: TestPlatform;
beforeAll(async () => {
  platform = await startTestPlatform();
});
afterAll(async () => platform?.stop());

it('removes everything it wrote when the workflow does not start', async () => {
  const user = await createUser(platform.services, '回滚');
  const em = platform.services.orm.em.fork();
  let started: string | null = null;
  const attempt = startContract(
    {
      em,
      store: platform.services.store,
      limits: { maxBytes: platform.config.maxUploadBytes, maxPages: platform.config.maxPages },
      sms: (e) => createSmsSender(platform.config, e),
      publicUrl: platform.config.publicUrl,
      async startWorkflow(contract) {
        started = contract.id;
        throw new Error('Temporal is unreachable');
      },
    },
    { id: user.id, name: user.name, ip: null },
    startContractSpecSchema.parse({ title: '不会存在的合同', expiresAt: new Date(Date.now() + 3600_000), participants: [{ kind: 'person', step: 1, mobile: user.mobile, name: user.name, marks: [{ kind: 'name_seal', page: 1, x: 10, y: 10 }] }], cc: [{ mobile: user.mobile }] }),
    await makePdf(1),
  );
  // 503 with Retry-After (retry later; nothing was kept), not a generic 409/500.
  await expect(attempt).rejects.toMatchObject({ code: 'WORKFLOW_START_FAILED', kind: 'unavailable', details: { retryAfterSeconds: 5 } });
  await expect(attempt).rejects.toBeInstanceOf(AppError);
  expect(started).toBeTruthy();
  const check = platform.services.orm.em.fork();
  expect(await check.count(ContractSchema, { id: started! })).toBe(0);
  expect(await check.count(ContractSignerSchema, { contractId: started! })).toBe(0);
  expect(await check.count(ContractMarkSchema, { contractId: started! })).toBe(0);
  expect(await check.count(ContractCcSchema, { contractId: started! })).toBe(0);
  expect(await check.count(DocumentVersionSchema, { contractId: started! })).toBe(0);
  expect(fs.existsSync(path.join(platform.config.dataDir, 'documents', 'contracts', started!, 'v0.pdf'))).toBe(false);
  // What was removed is audited with it: who started what, and why it is gone.
  const audit = await check.find(AuditEventSchema, { action: 'contract.start_abandoned', targetId: started! });
  expect(audit.map((a) => [a.actorId, JSON.parse(a.detail!)])).toEqual([[user.id, expect.objectContaining({ cause: 'workflow_start_failed', title: '不会存在的合同', initiator: user.id })]]);
});
