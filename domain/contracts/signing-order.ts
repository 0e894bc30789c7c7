/**
 * Whose turn it is: ONE rule, used by the workflow's Update validator and handler and by the
 * API's pre-check. Pure functions over a minimal view of the signers so the workflow sandbox can
 * import them.
 *
 * The database records a signature (and the next signer's turn) in the signing activity's
 * transaction; the workflow learns of it when the activity result arrives. While a signature is
 * in flight the two may differ for a moment, so the workflow's validator passes `inFlightSignerId`:
 * the signer right after the one being signed is then accepted (and waits for the lock), exactly
 * as the database already shows it. After the lock is taken the rule is applied again without it.
 */
export interface SignerTurnView {
  signerId: string;
  /** null: an invited participant not registered yet (never v1). */
  userId: string | null;
  order: number;
  signed: boolean;
}

export type SignRefusalCode = 'CONTRACT_NOT_IN_PROGRESS' | 'CONTRACT_EXPIRED' | 'NOT_A_SIGNER' | 'ALREADY_SIGNED' | 'SIGNING_IN_PROGRESS' | 'NOT_YOUR_TURN';

export interface SignRefusal {
  code: SignRefusalCode;
  message: string;
  messageEn: string;
}

const REFUSALS: Record<SignRefusalCode, SignRefusal> = {
  CONTRACT_NOT_IN_PROGRESS: { code: 'CONTRACT_NOT_IN_PROGRESS', message: '合同不在签署中，无法签署', messageEn: 'The contract is not in progress' },
  CONTRACT_EXPIRED: { code: 'CONTRACT_EXPIRED', message: '合同已过期，无法签署', messageEn: 'The contract has expired' },
  NOT_A_SIGNER: { code: 'NOT_A_SIGNER', message: '您不是该合同的签署人', messageEn: 'You are not a signer of this contract' },
  ALREADY_SIGNED: { code: 'ALREADY_SIGNED', message: '您已签署该合同', messageEn: 'You have already signed this contract' },
  SIGNING_IN_PROGRESS: { code: 'SIGNING_IN_PROGRESS', message: '您的签署正在处理中，请稍候查看结果', messageEn: 'Your signature is being processed; check back shortly' },
  NOT_YOUR_TURN: { code: 'NOT_YOUR_TURN', message: '尚未轮到您签署', messageEn: 'It is not your turn to sign yet' },
};

export const signRefusal = (code: SignRefusalCode): SignRefusal => REFUSALS[code];

/** The signer whose turn it is: the lowest order number not yet signed. */
export function pendingSigner<T extends SignerTurnView>(signers: readonly T[]): T | undefined {
  return [...signers].sort((a, b) => a.order - b.order).find((s) => !s.signed);
}

export interface SigningState {
  /** 签署中 (and not being closed). */
  inProgress: boolean;
  /** The expiry time has passed (wins over everything else). */
  expired: boolean;
  signers: readonly SignerTurnView[];
  /** A signature being applied right now (workflow only). */
  inFlightSignerId?: string | null;
}

/** Why `userId` may not sign now, or null if they may. */
export function refuseSign(state: SigningState, userId: string): SignRefusal | null {
  if (state.expired) return REFUSALS.CONTRACT_EXPIRED;
  if (!state.inProgress) return REFUSALS.CONTRACT_NOT_IN_PROGRESS;
  const mine = state.signers.filter((s) => s.userId === userId);
  if (mine.length === 0) return REFUSALS.NOT_A_SIGNER;
  if (mine.every((s) => s.signed)) return REFUSALS.ALREADY_SIGNED;
  if (mine.some((s) => s.signerId === state.inFlightSignerId)) return REFUSALS.SIGNING_IN_PROGRESS;
  const assumingInFlightSigned = state.signers.map((s) => (s.signerId === state.inFlightSignerId ? { ...s, signed: true } : s));
  const next = pendingSigner(assumingInFlightSigned);
  if (!next || next.userId !== userId) return REFUSALS.NOT_YOUR_TURN;
  return null;
}
