import { describe, expect, it } from 'vitest';
import { rowsAfterSignature } from './apply-signature-v2';
import type { ContractWithSigners } from './contract-access';
import { noticeAfterSignature } from './contract-notice';
import type { ContractSigner } from './contract-signer.entity';
import type { Contract } from './contract.entity';
import { afterSigned } from './routing';

const at = new Date('2026-12-02T08:00:00Z');
const user = { id: 'u-a', name: '张三' };

/** a (step 1, pending), b (step 2, waiting); contract at version 0, step 1. */
function contractOf(statuses: Record<'a' | 'b', ContractSigner['status']> = { a: 'pending', b: 'waiting' }): ContractWithSigners {
  const signer = (id: 'a' | 'b', step: number) => ({ id, contractId: 'c1', step, status: statuses[id], signedRounds: 0, signedAt: null, signedByUserId: null, signedByName: null, canRefuse: false, name: id }) as unknown as ContractSigner;
  return {
    contract: { id: 'c1', status: 'in_progress', currentStep: statuses.a === 'signed' ? 2 : 1, documentVersion: 0, completedAt: null } as unknown as Contract,
    signers: [signer('a', 1), signer('b', 2)],
  };
}
const routingFor = (found: ContractWithSigners, id: string) => afterSigned(found.signers.map((s) => ({ participantId: s.id, step: s.step, status: s.status, canRefuse: false })), id);

describe('rowsAfterSignature: the one place that says what a signature commits', () => {
  it('结束签署 of step 1: the participant is signed (who, when, round), the next step is pending, the contract at the new version and step', () => {
    const found = contractOf();
    const routing = routingFor(found, 'a');
    const rows = rowsAfterSignature(found, { participantId: 'a', user, finish: true, round: 1, routing, version: 1, at });
    expect(rows.participants.map((p) => [p.id, p.status, p.signedRounds])).toEqual([
      ['a', 'signed', 1],
      ['b', 'pending', 0],
    ]);
    expect(rows.participants[0]).toMatchObject({ signedAt: at, signedByUserId: 'u-a', signedByName: '张三' });
    expect(rows.contract).toMatchObject({ documentVersion: 1, currentStep: 2, status: 'in_progress', completedAt: null });
    expect(noticeAfterSignature('c1', routing)).toEqual({ contractId: 'c1', event: 'step_started', step: 2 });
    // The input rows are not changed (they are what the commit's conditions compare against).
    expect(found.signers[0]!.status).toBe('pending');
    expect(found.contract.documentVersion).toBe(0);
  });

  it('the last signature completes the contract (已完成 at the signing time) and leads to the completed notice', () => {
    const found = contractOf({ a: 'signed', b: 'pending' });
    const routing = routingFor(found, 'b');
    const rows = rowsAfterSignature(found, { participantId: 'b', user: { id: 'u-b', name: '李四' }, finish: true, round: 1, routing, version: 2, at });
    expect(rows.contract).toMatchObject({ status: 'completed', completedAt: at, documentVersion: 2, currentStep: 2 });
    expect(noticeAfterSignature('c1', routing)).toEqual({ contractId: 'c1', event: 'completed' });
  });

  it('继续签署 (finish false): only the round is counted; nobody else changes and no notice is due', () => {
    const found = contractOf();
    const routing = { nextStep: null, newlyPending: [], completed: false };
    const rows = rowsAfterSignature(found, { participantId: 'a', user, finish: false, round: 1, routing, version: 1, at });
    expect(rows.participants.map((p) => [p.id, p.status, p.signedRounds])).toEqual([
      ['a', 'pending', 1],
      ['b', 'waiting', 0],
    ]);
    expect(rows.contract).toMatchObject({ documentVersion: 1, currentStep: 1, status: 'in_progress' });
    expect(noticeAfterSignature('c1', routing)).toBeNull();
  });
});
