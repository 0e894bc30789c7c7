/**
 * Activities of the EnterpriseRecertificationWorkflow (workflows/enterprise-recertification.ts):
 * thin adapters to domain/enterprises/recertification/*. Each runs one domain action in its own
 * transaction and answers the change's status and deadline as the database has them (the
 * workflow adopts that answer). The workflow's Updates carry user ids only; the audit actor is read
 * here. The CA push of revocations is X's `pushRevocations` (activities/revocation-activities.ts).
 */
import type { EntityManager, MikroORM } from '@mikro-orm/core';
import type { AuditActor } from '../domain/audit/record-audit';
import { EnterpriseChangeSchema, type EnterpriseChange, type EnterpriseChangeStatus } from '../domain/enterprises/enterprise-change.entity';
import { abandonChange, cancelChangeByPlatform, expireChange } from '../domain/enterprises/recertification/end';
import { drawRecertifiedSeals, reviewRecertification } from '../domain/enterprises/recertification/review';
import { submitRecertification } from '../domain/enterprises/recertification/submit';
import { notFound } from '../domain/errors';
import { UserSchema } from '../domain/identity/user.entity';
import type { DocumentStore } from '../integrations/storage/document-store';
import { asActivityFailure } from './activity-errors';

/** The change as the database has it, for the workflow. */
export interface ChangeSnapshot {
  status: EnterpriseChangeStatus;
  /** ISO date-time, or null (under review, ended). */
  deadlineAt: string | null;
}

export interface RecertificationActivityDeps {
  orm: MikroORM;
  store: DocumentStore;
}

const snapshot = (c: Pick<EnterpriseChange, 'status' | 'deadlineAt'>): ChangeSnapshot => ({ status: c.status, deadlineAt: c.deadlineAt?.toISOString() ?? null });

async function loadChange(em: EntityManager, changeId: string) {
  const change = await em.findOne(EnterpriseChangeSchema, { id: changeId });
  if (!change) throw notFound('CHANGE_NOT_FOUND', '变更不存在', 'Change not found');
  return change;
}

async function actorOf(em: EntityManager, userId: string): Promise<AuditActor> {
  const user = await em.findOne(UserSchema, { id: userId });
  return { id: userId, name: user?.name ?? '', ip: null };
}

/** Runs a domain action on a fresh EntityManager, then answers the change as committed. */
async function thenSnapshot(em: EntityManager, changeId: string, action: (em: EntityManager) => Promise<unknown>): Promise<ChangeSnapshot> {
  await action(em);
  return snapshot(await loadChange(em.fork(), changeId));
}

export function createRecertificationActivities(deps: RecertificationActivityDeps) {
  const em = () => deps.orm.em.fork();
  return {
    async loadRecertification(input: { changeId: string }): Promise<ChangeSnapshot> {
      return asActivityFailure(async () => snapshot(await loadChange(em(), input.changeId)));
    },
    /**
     * 提交重新认证: the point of no return; answers the certificates revoked locally (to push to the CA).
     * `submissionId` (the API's id of the request; absent from Updates recorded before it) makes the same submission
     * arriving again — a retry after a commit whose answer was lost, the Update delivered again after an operator's
     * Reset — answer that commit and change nothing; `previousSubmissionId` refuses one superseded meanwhile. Without
     * it, `submittedAt` (ISO, the workflow's time of the request) does the retry's part (submit.ts).
     */
    async submitRecertification(input: {
      changeId: string;
      actorUserId: string;
      name: string;
      uscc: string;
      letterKey: string | null;
      letterType: string | null;
      submittedAt?: string;
      submissionId?: string;
      previousSubmissionId?: string | null;
    }): Promise<ChangeSnapshot & { certificateIds: string[] }> {
      return asActivityFailure(async () => {
        const e = em();
        const letter = input.letterKey && input.letterType ? { key: input.letterKey, type: input.letterType } : null;
        const submittedAt = input.submittedAt ? new Date(input.submittedAt) : undefined;
        const named = input.submissionId === undefined ? {} : { submissionId: input.submissionId, ...(input.previousSubmissionId === undefined ? {} : { previousSubmissionId: input.previousSubmissionId }) };
        const result = await submitRecertification(e, { changeId: input.changeId, actor: await actorOf(e, input.actorUserId), name: input.name, uscc: input.uscc, letter, ...(submittedAt ? { submittedAt } : {}), ...named });
        return { ...snapshot(result.change), certificateIds: result.revokedCertificateIds };
      });
    },
    async abandonRecertification(input: { changeId: string; actorUserId: string }): Promise<ChangeSnapshot> {
      return asActivityFailure(async () => {
        const e = em();
        const actor = await actorOf(e, input.actorUserId);
        return thenSnapshot(e, input.changeId, (x) => abandonChange(x, { changeId: input.changeId, actor }));
      });
    },
    /**
     * The operator's decision; answers the seals created on approval (their images are drawn next). A retry that finds
     * this decision committed answers it again; one naming a submission that is no longer the change's current one
     * (`submissionId`, absent from Updates recorded before it) is refused (review.ts).
     */
    async reviewRecertification(input: { changeId: string; operatorId: string; approve: boolean; reason: string | null; submissionId?: string | null }): Promise<ChangeSnapshot & { createdSealIds: string[] }> {
      return asActivityFailure(async () => {
        const e = em();
        const named = input.submissionId === undefined ? {} : { submissionId: input.submissionId };
        const result = await reviewRecertification(e, { changeId: input.changeId, approve: input.approve, reason: input.reason, actor: await actorOf(e, input.operatorId), ...named });
        return { ...snapshot(result.change), createdSealIds: result.createdSealIds };
      });
    },
    /** The draft / resubmission deadline passed: drafting → abandoned (expired), later → lapsed. */
    async expireRecertification(input: { changeId: string }): Promise<ChangeSnapshot> {
      return asActivityFailure(() => thenSnapshot(em(), input.changeId, (x) => expireChange(x, { changeId: input.changeId })));
    },
    /** Cancelled from Temporal UI. */
    async cancelRecertification(input: { changeId: string }): Promise<ChangeSnapshot> {
      return asActivityFailure(() => thenSnapshot(em(), input.changeId, (x) => cancelChangeByPlatform(x, { changeId: input.changeId })));
    },
    async drawRecertifiedSeals(input: { sealIds: string[] }): Promise<void> {
      await asActivityFailure(() => drawRecertifiedSeals(em(), deps.store, input.sealIds));
    },
  };
}

export type RecertificationActivities = ReturnType<typeof createRecertificationActivities>;
