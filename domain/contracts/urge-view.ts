/**
 * 催办's answers (POST /api/contracts/:id/urge and POST /api/contracts/urge; portal-ui imports the types): the names
 * urged and those skipped with why (NOT_PENDING, URGED_RECENTLY, DAILY_LIMIT in zh-CN and English; the workflow's
 * participant ids stay inside), and per contract of a batch its outcome or the refusal that stopped it.
 */
import type { UrgeResult } from '../../workflows/contract-lifecycle-api';
import type { AppError } from '../errors';

export const presentUrgeOutcome = (result: UrgeResult) => ({
  urged: result.urged,
  skipped: result.skipped.map((s) => ({ name: s.name, reason: s.reason, message: s.message, messageEn: s.messageEn })),
});
export type UrgeOutcomeView = ReturnType<typeof presentUrgeOutcome>;

/** One contract of a batch 催办 that was urged. */
export const presentUrgedContract = (id: string, title: string, outcome: UrgeOutcomeView) => ({ id, title, ...outcome });
export type UrgedContractView = ReturnType<typeof presentUrgedContract>;

/** One contract of a batch 催办 that a rule refused (not found, not the initiator, not in progress…). */
export const presentUrgeRefusal = (id: string, err: AppError) => ({ id, error: { code: err.code, message: err.message, messageEn: err.messageEn } });
export type UrgeRefusalView = ReturnType<typeof presentUrgeRefusal>;

/** POST /api/contracts/urge. */
export type BatchUrgeView = { results: (UrgedContractView | UrgeRefusalView)[] };
