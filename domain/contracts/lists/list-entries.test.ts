import { describe, expect, it } from 'vitest';
import { listEntriesFor, type ListSource } from './list-entries';

const now = new Date('2026-12-01T12:00:00Z');

function source(over: Partial<ListSource['contract']> = {}, participants: ListSource['participants'] = [], cc: ListSource['cc'] = []): ListSource {
  return {
    contract: {
      id: 'c1',
      title: '采购合同',
      contractNo: 'HT-1',
      status: 'in_progress',
      voidReason: null,
      initiatorId: 'u-init',
      initiatorEnterpriseId: null,
      createdAt: new Date('2026-12-01T10:00:00Z'),
      expiresAt: new Date('2026-12-31T10:00:00Z'),
      ...over,
    },
    participants,
    cc,
    initiatorName: '发起人',
    initiatorEnterpriseName: over.initiatorEnterpriseId ? '甲公司' : null,
  };
}

const boxes = (s: ListSource) =>
  listEntriesFor(s, now)
    .map((e) => `${e.partyType}:${e.partyId}:${e.box}`)
    .sort();

describe('listEntriesFor', () => {
  const steps: ListSource['participants'] = [
    { kind: 'person', userId: 'u-a', enterpriseId: null, name: '张三', status: 'signed' },
    { kind: 'enterprise', userId: null, enterpriseId: 'e-b', name: '乙公司', status: 'pending' },
    { kind: 'department', userId: 'u-op', enterpriseId: 'e-c', name: '丙公司·法务部', status: 'pending' },
    { kind: 'person', userId: 'u-d', enterpriseId: null, name: '李四', status: 'pending' },
    { kind: 'person', userId: 'u-e', enterpriseId: null, name: '王五', status: 'waiting' },
    { kind: 'person', userId: null, enterpriseId: null, name: '未注册', status: 'waiting' },
  ];

  it('puts pending participants in 待我签署 and everyone else involved in 待他人签署; CC in 抄送我的', () => {
    expect(boxes(source({}, steps, [{ userId: 'u-cc' }, { userId: null }]))).toEqual(
      [
        'user:u-init:waiting',
        'user:u-a:waiting',
        'enterprise:e-b:todo',
        'enterprise:e-c:todo',
        'user:u-d:todo',
        'user:u-e:waiting',
        'user:u-cc:cc',
      ].sort(),
    );
  });

  it('files an enterprise-initiated contract under the enterprise and the initiating user', () => {
    expect(boxes(source({ initiatorEnterpriseId: 'e-a' }, [steps[3]!]))).toEqual(['enterprise:e-a:waiting', 'user:u-d:todo', 'user:u-init:waiting']);
  });

  it('an initiator who is also the pending signer has it in 待我签署 only', () => {
    expect(boxes(source({}, [{ kind: 'person', userId: 'u-init', enterpriseId: null, name: '发起人', status: 'pending' }]))).toEqual(['user:u-init:todo']);
  });

  it('ended contracts go to 已完成签署 / 已作废 (with the reason) for every party; CC keeps its own box', () => {
    const voided = listEntriesFor(source({ status: 'voided', voidReason: 'refused' }, steps, [{ userId: 'u-cc' }]), now);
    expect(new Set(voided.map((e) => e.box))).toEqual(new Set(['voided', 'cc']));
    expect(voided.every((e) => e.voidReason === 'refused' && e.status === 'voided')).toBe(true);
    expect(boxes(source({ status: 'completed' }, [steps[0]!]))).toEqual(['user:u-a:completed', 'user:u-init:completed']);
  });

  it('a CC row without a user (a number not registered and verified yet) lists nothing for anyone', () => {
    expect(boxes(source({}, [steps[3]!], [{ userId: null }]))).toEqual(['user:u-d:todo', 'user:u-init:waiting']);
  });

  it('has no rows while the contract is 创建中', () => {
    expect(listEntriesFor(source({ status: 'starting' }, steps, [{ userId: 'u-cc' }]), now)).toEqual([]);
  });

  it('makes initiator, enterprises and participants searchable, each name once', () => {
    const [entry] = listEntriesFor(source({ initiatorEnterpriseId: 'e-a' }, [...steps, { ...steps[0]!, userId: 'u-x' }]), now);
    expect(entry!.counterparties).toBe('甲公司、发起人、张三、乙公司、丙公司·法务部、李四、王五、未注册');
  });
});
