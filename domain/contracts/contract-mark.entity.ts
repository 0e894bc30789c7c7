import { EntitySchema, type Opt } from '@mikro-orm/core';
import { references } from '../persistence/references';
import type { RidingRule } from './riding-rule';

export const MARK_KINDS = ['personal', 'name_seal', 'handwritten', 'date', 'seal', 'riding'] as const;
/**
 * personal: v1 behaviour (default handwritten signature, else 人名章; only migrated v1 rows);
 * name_seal 人名章; handwritten 手写签名; date 日期章; seal an enterprise seal of `sealType`;
 * riding 骑缝章 of `sealType` over the pages of pageFrom..pageTo its 骑缝规则 `ridingRule` selects.
 */
export type MarkKind = (typeof MARK_KINDS)[number];

/**
 * One mark a participant puts on the document. Coordinates are PDF points from the page's
 * TOP-LEFT corner (as signPdf's appearance). riding: `y` = top of the seal, width/height = the
 * whole seal, `page` null.
 */
export interface ContractMark {
  id: string;
  contractId: string;
  participantId: string;
  kind: MarkKind;
  sealType: string | null;
  page: number | null;
  x: number | null;
  y: number | null;
  width: number | null;
  height: number | null;
  pageFrom: number | null;
  pageTo: number | null;
  /** riding: 骑缝规则 'all' | 'odd' | 'even' (domain/contracts/riding-rule.ts); null on other kinds and on riding rows from before the rule ('all'). */
  ridingRule: RidingRule | null;
  /** true: set by the initiator; false: placed by the signer at signing time. */
  preset: Opt<boolean>;
  /** Document version whose signature stamped this mark. */
  appliedVersion: number | null;
  /** Enterprise seal used (seal / riding). */
  sealId: string | null;
  /** Handwritten signature stamped (handwritten): the one the signer chose, else their default / latest. No FK: the signature row is soft-deleted only. */
  signatureId: string | null;
}

export const ContractMarkSchema = new EntitySchema<ContractMark>({
  name: 'ContractMark',
  tableName: 'contract_marks',
  properties: {
    id: { type: 'string', length: 36, primary: true },
    contractId: references('Contract', 'contract_id', { index: true }),
    participantId: references('ContractSigner', 'participant_id', { index: true }),
    kind: { type: 'string', length: 20 },
    sealType: { type: 'string', length: 20, nullable: true },
    page: { type: 'integer', nullable: true },
    x: { type: 'double', nullable: true },
    y: { type: 'double', nullable: true },
    width: { type: 'double', nullable: true },
    height: { type: 'double', nullable: true },
    pageFrom: { type: 'integer', nullable: true },
    pageTo: { type: 'integer', nullable: true },
    ridingRule: { type: 'string', length: 8, nullable: true, fieldName: 'riding_rule' },
    preset: { type: 'boolean', default: true },
    appliedVersion: { type: 'integer', nullable: true },
    sealId: references('Seal', 'seal_id', { nullable: true }),
    signatureId: { type: 'string', length: 36, nullable: true, fieldName: 'signature_id' },
  },
});
