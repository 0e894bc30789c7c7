/**
 * AdminTransferWorkflow (workflow id `admin-transfer:<enterpriseId>`), M6 转让管理员:
 * the administrator confirms with an SMS code, then the new administrator accepts with theirs;
 * then the roles change hands and the old administrator leaves the enterprise. The deadline or
 * the administrator's cancel ends it without changes. Codes never enter this workflow: the
 * activities generate and check them, the Updates carry only submission ids.
 */
import { ActivityFailure, allHandlersFinished, ApplicationFailure, condition, defineQuery, defineUpdate, proxyActivities, setHandler } from '@temporalio/workflow';
import type { AdminTransferActivities } from '../activities/admin-transfer-activities';

export interface AdminTransferInput {
  transferId: string;
  enterpriseId: string;
  adminUserId: string;
  targetUserId: string;
  /** ISO date-time after which the transfer is cancelled. */
  deadline: string;
}

export type TransferStep = 'awaiting_admin_code' | 'awaiting_target_code' | 'accepted' | 'completed' | 'expired' | 'cancelled';

export interface ConfirmTransferRequest {
  userId: string;
  submissionId: string;
}

export const confirmTransferUpdate = defineUpdate<{ step: TransferStep }, [ConfirmTransferRequest]>('confirm');
export const resendTransferCodeUpdate = defineUpdate<void, [{ userId: string }]>('resendCode');
export const cancelTransferUpdate = defineUpdate<void, [{ userId: string }]>('cancel');
export const transferStepQuery = defineQuery<TransferStep>('step');

const activities = proxyActivities<AdminTransferActivities>({ startToCloseTimeout: '1 minute', retry: { initialInterval: '1 second', maximumInterval: '30 seconds' } });

const refuse = (code: string, message: string, messageEn: string) => ApplicationFailure.create({ type: code, message, details: [{ code, message, messageEn }], nonRetryable: true });

/** Re-throws a business failure of an activity as the Update's own failure. */
function asUpdateFailure(err: unknown): unknown {
  if (err instanceof ActivityFailure && err.cause instanceof ApplicationFailure) {
    return ApplicationFailure.create({ type: err.cause.type ?? 'FAILED', message: err.cause.message, details: err.cause.details as unknown[], nonRetryable: true });
  }
  return err;
}

export async function adminTransferWorkflow(input: AdminTransferInput): Promise<TransferStep> {
  let step = 'awaiting_admin_code' as TransferStep;
  let busy = false;
  const party = () => (step === 'awaiting_admin_code' ? 'admin' : 'target') as 'admin' | 'target';
  const expectedUser = () => (party() === 'admin' ? input.adminUserId : input.targetUserId);
  const assertTurn = (userId: string) => {
    if (step !== 'awaiting_admin_code' && step !== 'awaiting_target_code') throw refuse('TRANSFER_FINISHED', '该转让已结束', 'This transfer has ended');
    if (userId !== expectedUser()) throw refuse('NOT_YOUR_STEP', '当前不是您的确认步骤', 'This confirmation step is not yours');
  };

  setHandler(transferStepQuery, () => step);
  setHandler(
    confirmTransferUpdate,
    async ({ userId, submissionId }) => {
      await condition(() => !busy);
      assertTurn(userId);
      busy = true;
      try {
        const current = party();
        const result = await activities.checkTransferCode({ transferId: input.transferId, party: current, submissionId });
        if (!result.ok) throw refuse(result.code, result.message, result.messageEn);
        if (current === 'admin') {
          step = 'awaiting_target_code';
          await activities.sendTransferCode({ transferId: input.transferId, party: 'target' });
        } else {
          step = 'accepted';
        }
        return { step };
      } catch (err) {
        throw asUpdateFailure(err);
      } finally {
        busy = false;
      }
    },
    { validator: ({ userId }) => assertTurn(userId) },
  );
  setHandler(
    resendTransferCodeUpdate,
    async ({ userId }) => {
      assertTurn(userId);
      try {
        await activities.sendTransferCode({ transferId: input.transferId, party: party() });
      } catch (err) {
        throw asUpdateFailure(err);
      }
    },
    { validator: ({ userId }) => assertTurn(userId) },
  );
  setHandler(
    cancelTransferUpdate,
    async () => {
      step = 'cancelled';
    },
    {
      validator: ({ userId }) => {
        if (userId !== input.adminUserId) throw refuse('NOT_ADMIN', '只有发起转让的管理员可以取消', 'Only the administrator who started it can cancel');
        if (step !== 'awaiting_admin_code' && step !== 'awaiting_target_code') throw refuse('TRANSFER_FINISHED', '该转让已结束', 'This transfer has ended');
      },
    },
  );

  await activities.sendTransferCode({ transferId: input.transferId, party: 'admin' });
  const remainingMs = Math.max(0, Date.parse(input.deadline) - Date.now());
  const decided = await condition(() => !busy && (step === 'accepted' || step === 'cancelled'), remainingMs);
  if (!decided) {
    await condition(() => !busy);
    if (step !== 'accepted') step = 'expired';
  }
  if (step === 'accepted') {
    await activities.completeTransfer({ transferId: input.transferId });
    step = 'completed';
  } else {
    await activities.endTransfer({ transferId: input.transferId, outcome: step === 'cancelled' ? 'cancelled' : 'expired' });
  }
  await condition(allHandlersFinished);
  return step;
}
