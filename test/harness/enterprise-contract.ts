/**
 * A 签署中 v2 contract written straight to the database with one enterprise (or department)
 * participant in step 1 (a 合同专用章 / 部门章 mark on page 1) and a person in step 2, plus the
 * 意愿认证 row the API writes after an SMS code: what the signing engine (applySignature) needs.
 * Used by the revocation and re-certification blocking tests (issue 9).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Services } from '../../bootstrap/services';
import { ContractMarkSchema } from '../../domain/contracts/contract-mark.entity';
import { ContractSignerSchema } from '../../domain/contracts/contract-signer.entity';
import { ContractSchema } from '../../domain/contracts/contract.entity';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { markSize } from '../../domain/contracts/mark-geometry';
import { WillingnessConfirmationSchema } from '../../domain/contracts/willingness-confirmation.entity';
import type { User } from '../../domain/identity/user.entity';
import { participantRow } from './contract-rows';
import { makePdf } from './fixtures';

export interface EnterpriseContract {
  id: string;
  /** Step 1: the enterprise (or department) participant. */
  enterpriseParticipant: string;
  /** Step 2: the person. */
  personParticipant: string;
}

export async function newEnterpriseContract(
  services: Services,
  args: { title: string; initiator: User; enterprise: { id: string; name: string }; person: User; department?: string; sealType?: string },
): Promise<EnterpriseContract> {
  const id = randomUUID();
  const pdf = await makePdf(2);
  const storageKey = `contracts/${id}/v0-test.pdf`;
  await services.store.put(storageKey, pdf);
  const now = new Date();
  const enterpriseParticipant = randomUUID();
  const personParticipant = randomUUID();
  const sealType = args.department ? 'department' : (args.sealType ?? 'contract');
  await services.orm.em.fork().transactional(async (tx) => {
    tx.create(ContractSchema, {
      id,
      title: args.title,
      contractNo: null,
      remarks: null,
      status: 'in_progress',
      voidReason: null,
      voidNote: null,
      initiatorId: args.initiator.id,
      initiatorEnterpriseId: null,
      lifecycle: 2,
      currentStep: 1,
      pageCount: 2,
      documentVersion: 0,
      trailSeq: 0,
      trailHead: null,
      createdAt: now,
      expiresAt: new Date(now.getTime() + 86_400_000),
      completedAt: null,
      voidedAt: null,
    });
    await tx.flush();
    tx.create(
      ContractSignerSchema,
      participantRow(id, 1, {
        id: enterpriseParticipant,
        kind: args.department ? 'department' : 'enterprise',
        enterpriseId: args.enterprise.id,
        departmentName: args.department ?? null,
        name: args.department ? `${args.enterprise.name}·${args.department}` : args.enterprise.name,
        status: 'pending',
      }),
    );
    tx.create(ContractSignerSchema, participantRow(id, 2, { id: personParticipant, kind: 'person', userId: args.person.id, name: args.person.name, mobile: args.person.mobile }));
    const size = markSize('seal', sealType);
    tx.create(ContractMarkSchema, {
      id: randomUUID(),
      contractId: id,
      participantId: enterpriseParticipant,
      kind: 'seal',
      sealType,
      page: 1,
      x: 300,
      y: 500,
      width: size.width,
      height: size.height,
      pageFrom: null,
      pageTo: null,
      preset: true,
      appliedVersion: null,
      sealId: null,
    });
    const nameSize = markSize('name_seal');
    tx.create(ContractMarkSchema, {
      id: randomUUID(),
      contractId: id,
      participantId: personParticipant,
      kind: 'name_seal',
      sealType: null,
      page: 2,
      x: 60,
      y: 100,
      width: nameSize.width,
      height: nameSize.height,
      pageFrom: null,
      pageTo: null,
      preset: true,
      appliedVersion: null,
      sealId: null,
    });
    tx.create(DocumentVersionSchema, { id: randomUUID(), contractId: id, version: 0, storageKey, sha256: createHash('sha256').update(pdf).digest('hex'), size: pdf.byteLength, signerId: null, createdAt: now });
  });
  return { id, enterpriseParticipant, personParticipant };
}

/** 意愿认证 as the API records it after the SMS code checked out. */
export async function willingnessConfirmation(services: Services, contractId: string, participantId: string, userId: string): Promise<string> {
  const em = services.orm.em.fork();
  const c = em.create(WillingnessConfirmationSchema, { id: randomUUID(), contractId, signerId: participantId, userId, method: 'sms', confirmedAt: new Date(), usedAt: null, ip: '203.0.113.9', codeHash: null });
  await em.flush();
  return c.id;
}
