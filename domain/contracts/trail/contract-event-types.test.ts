import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../audit/audit-actions';
import { CONTRACT_EVENT_META, CONTRACT_EVENT_TYPES, describeContractEvent, parseContractEventPayload, type ContractEventType } from './contract-event-types';

const P = '11111111-1111-4111-8111-111111111111';
const U = '22222222-2222-4222-8222-222222222222';

/** One valid payload per type, and one that its schema must refuse. */
const CASES: { [T in ContractEventType]: { valid: unknown; invalid: unknown } } = {
  created: {
    valid: {
      title: '采购合同',
      contractNo: 'HT-1',
      lifecycle: 2,
      pageCount: 3,
      expiresAt: '2026-12-31T00:00:00.000Z',
      actAs: 'enterprise',
      initiatorEnterpriseId: U,
      participants: [{ id: P, step: 1, kind: 'person', name: '张三' }],
      cc: [{ id: U, name: '138****0002' }, { userId: U, name: '李四' }],
    },
    invalid: { title: '采购合同', contractNo: null, lifecycle: 3, pageCount: 3, expiresAt: 'soon', actAs: 'person', initiatorEnterpriseId: null, participants: [], cc: [] },
  },
  viewed: { valid: {}, invalid: { extra: 1 } },
  downloaded: { valid: { documentVersion: 2 }, invalid: { documentVersion: -1 } },
  sms_code_sent: { valid: { participantId: P, name: '张三' }, invalid: { participantId: '' , name: '张三' } },
  willingness_confirmed: { valid: { participantId: P, name: '张三', method: 'sms' }, invalid: { participantId: P, name: '张三', method: 'face' } },
  signed: {
    valid: { participantId: P, name: '甲公司', step: 2, signedByName: '王五', documentVersion: 2, marks: ['seal', 'riding', 'date'] },
    invalid: { participantId: P, name: '甲公司', step: 2, signedByName: '王五', documentVersion: 0, marks: ['stamp'] },
  },
  step_started: { valid: { step: 2, participantIds: [P], names: ['张三'] }, invalid: { step: 0, participantIds: [], names: [] } },
  refused: { valid: { participantId: P, name: '张三', reason: '金额不对' }, invalid: { participantId: P, name: '张三', reason: '   ' } },
  revoked: { valid: { reason: '条款需修改' }, invalid: { reason: 'x'.repeat(501) } },
  urged: { valid: { participantIds: [P], names: ['张三'] }, invalid: { participantIds: [], names: [] } },
  expired: { valid: {}, invalid: { cause: 1 } },
  revoked_by_platform: { valid: { cause: 'workflow_cancelled' }, invalid: { reason: 'x' } },
  completed: { valid: { documentVersion: 3 }, invalid: {} },
  invitation_sent: { valid: { participantId: P, name: '赵六', mobileMasked: '138****0001' }, invalid: { participantId: P, name: '赵六' } },
  invitation_claimed: { valid: { participantId: P, userId: U, name: '赵六' }, invalid: { participantId: P, name: '赵六' } },
  cc_claimed: { valid: { ccId: P, userId: U }, invalid: { ccId: P, userId: U, name: '赵六' } },
};

describe('contract event payload schemas', () => {
  it.each(CONTRACT_EVENT_TYPES)('%s: accepts a valid payload, refuses a wrong one with the field named', (type) => {
    expect(() => parseContractEventPayload(type, CASES[type].valid)).not.toThrow();
    expect(() => parseContractEventPayload(type, CASES[type].invalid)).toThrow(new RegExp(`Invalid ${type} event payload`));
  });

  it.each(CONTRACT_EVENT_TYPES)('%s: has a zh/en label and summary and an existing audit action', (type) => {
    const d = describeContractEvent(type, CASES[type].valid);
    expect(d.label).toMatch(/\p{Script=Han}/u);
    expect(d.labelEn).toMatch(/[A-Za-z]/);
    expect(d.summary).toMatch(/\p{Script=Han}/u);
    expect(d.summaryEn).toMatch(/[A-Za-z]/);
    expect(Object.hasOwn(AUDIT_ACTIONS, CONTRACT_EVENT_META[type].audit)).toBe(true);
  });

  it('summaries carry the facts of the payload', () => {
    expect(describeContractEvent('refused', CASES.refused.valid).summary).toBe('张三 拒签，原因：金额不对');
    expect(describeContractEvent('signed', CASES.signed.valid).summary).toBe('甲公司 签署（经办人 王五），生成第 2 版文件');
    expect(describeContractEvent('step_started', { step: 2, participantIds: [P, U], names: ['张三', '乙公司'] }).summaryEn).toBe('Step 2 started: waiting for 张三, 乙公司');
  });

  it('an unknown type or an unreadable payload is described without failing', () => {
    expect(describeContractEvent('mystery', {})).toEqual({ label: 'mystery', labelEn: 'mystery', summary: '', summaryEn: '' });
    expect(describeContractEvent('refused', { reason: 1 }).summary).toBe('（内容无法识别）');
  });
});
