// Shapes of the contract lifecycle v2 API the portal reads (docs/http-api.md): the contract view
// (GET /contracts/:id and every action's answer) is the server's own (domain/contracts/contract-view.ts),
// imported as types, as are its enums.
import type { MarkKind } from '../../../domain/contracts/contract-mark.entity';
import type { ParticipantKind, SignerStatus } from '../../../domain/contracts/contract-signer.entity';
import type { ContractStatus, VoidReason } from '../../../domain/contracts/contract-status';
import type { ContractMarkView, ParticipantView, UserContractView, ViewerAbilities } from '../../../domain/contracts/contract-view';
import type { UrgeOutcomeView } from '../../../domain/contracts/urge-view';

export { VOID_REASONS as VOID_REASONS_V2 } from '../../../domain/contracts/contract-status';

export type ContractStatusV2 = ContractStatus;
export type VoidReasonV2 = VoidReason;
export type ParticipantStatus = SignerStatus;
export type { ContractMarkView, MarkKind, ParticipantKind, ParticipantView, ViewerAbilities };
/** The portal asks as a user: `me` (what the viewer may do) is always set. */
export type ContractView = UserContractView;

/** POST /contracts/:id/urge and the outcome of one urged contract of POST /contracts/urge: the server's own view (domain/contracts/urge-view.ts); a skip's reason is NOT_PENDING | URGED_RECENTLY | DAILY_LIMIT, message / messageEn say it to the user. */
export type UrgeOutcome = UrgeOutcomeView;
