/**
 * Sequential signing rules, shared by the workflow (its Update validator) and the API.
 * Pure functions over a minimal view of the signers so the workflow sandbox can import them.
 */
export interface SignerTurnView {
  signerId: string;
  userId: string;
  order: number;
  signed: boolean;
}

export type SignRefusal =
  | { code: 'CONTRACT_NOT_IN_PROGRESS'; message: string; messageEn: string }
  | { code: 'NOT_A_SIGNER'; message: string; messageEn: string }
  | { code: 'ALREADY_SIGNED'; message: string; messageEn: string }
  | { code: 'NOT_YOUR_TURN'; message: string; messageEn: string };

/** The signer whose turn it is: the lowest order number not yet signed. */
export function pendingSigner<T extends SignerTurnView>(signers: readonly T[]): T | undefined {
  return [...signers].sort((a, b) => a.order - b.order).find((s) => !s.signed);
}

/** Why `userId` may not sign now, or null if they may. */
export function refuseSign(inProgress: boolean, signers: readonly SignerTurnView[], userId: string): SignRefusal | null {
  if (!inProgress) return { code: 'CONTRACT_NOT_IN_PROGRESS', message: '合同不在签署中，无法签署', messageEn: 'The contract is not in progress' };
  const mine = signers.filter((s) => s.userId === userId);
  if (mine.length === 0) return { code: 'NOT_A_SIGNER', message: '您不是该合同的签署人', messageEn: 'You are not a signer of this contract' };
  if (mine.every((s) => s.signed)) return { code: 'ALREADY_SIGNED', message: '您已签署该合同', messageEn: 'You have already signed this contract' };
  const next = pendingSigner(signers);
  if (!next || next.userId !== userId) return { code: 'NOT_YOUR_TURN', message: '尚未轮到您签署', messageEn: 'It is not your turn to sign yet' };
  return null;
}
