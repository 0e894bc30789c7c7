import { describe, expect, it } from 'vitest';
import { startContractSchema } from './start-contract';

const valid = { title: '合同', expiresAt: '2030-01-01T00:00:00Z', signers: [{ mobile: '13800000001', page: 1, x: 10, y: 20 }] };

describe('发起合同 input validation', () => {
  it('accepts a valid form (numbers may arrive as strings from multipart)', () => {
    const r = startContractSchema.parse({ ...valid, signers: [{ mobile: '13800000001', page: '2', x: '10.5', y: '20' }] });
    expect(r.signers[0]).toEqual({ mobile: '13800000001', page: 2, x: 10.5, y: 20 });
    expect(r.expiresAt).toBeInstanceOf(Date);
  });
  it('normalises the title (NFC, one line)', () => {
    expect(startContractSchema.parse({ ...valid, title: '  Cafe\u0301\n 合同 ' }).title).toBe('Café 合同');
  });
  it.each([
    [{ title: '' }, '请输入标题'],
    [{ title: 'x'.repeat(201) }, '标题不能超过 200 个字'],
    [{ title: '采购合同\u202e甲方' }, '标题含有不可见或控制字符（U+202E）'],
    [{ title: '采购\u200b合同' }, '标题含有不可见或控制字符（U+200B）'],
    [{ expiresAt: 'soon' }, '截止时间格式不正确'],
    [{ signers: [] }, '至少需要一位签署人'],
    [{ signers: Array.from({ length: 11 }, () => valid.signers[0]) }, '签署人不能超过 10 位'],
    [{ signers: [{ mobile: '12345', page: 1, x: 0, y: 0 }] }, '签署人手机号格式不正确'],
    [{ signers: [{ mobile: '13800000001', page: 0, x: 0, y: 0 }] }, '页码从 1 开始'],
    [{ signers: [{ mobile: '13800000001', page: 1, x: -1, y: 0 }] }, '坐标不能为负'],
  ])('rejects %j with a Chinese message', (patch, message) => {
    const r = startContractSchema.safeParse({ ...valid, ...patch });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(message);
  });
});
