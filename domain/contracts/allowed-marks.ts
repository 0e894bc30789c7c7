/** Which marks each kind of participant may carry (a plain table: the start spec, template definitions, sign options and the portal's template editor read it). */
import type { MarkKind } from './contract-mark.entity';
import type { ParticipantKind } from './contract-signer.entity';

export const ALLOWED_MARKS: Record<ParticipantKind, readonly MarkKind[]> = {
  person: ['name_seal', 'handwritten', 'date'],
  enterprise: ['seal', 'riding', 'date'],
  department: ['seal', 'riding', 'date'],
};
