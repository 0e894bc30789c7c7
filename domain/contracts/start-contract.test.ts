import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { MARK_SIZES, sealMarkSize } from './mark-geometry';
import { checkMarks, checkStartSpec, startContractSpecSchema, type StartContractSpec } from './start-contract-spec';

const A4 = { width: 595, height: 842 };
const pages = Array.from({ length: 5 }, () => A4);
const enabled = ['official', 'contract', 'department'];
const E1 = '11111111-1111-4111-8111-111111111111';

const person = (over: Record<string, unknown> = {}) => ({ kind: 'person', step: 1, mobile: '13800000001', name: '张三', marks: [{ kind: 'name_seal', page: 1, x: 100, y: 600 }], ...over });
const enterprise = (over: Record<string, unknown> = {}) => ({ kind: 'enterprise', step: 2, enterpriseId: E1, marks: [{ kind: 'seal', sealType: 'contract', page: 1, x: 300, y: 600 }], ...over });
const spec = (over: Record<string, unknown> = {}) => ({ title: '采购合同', participants: [person(), enterprise()], ...over });

const parse = (raw: unknown): StartContractSpec => startContractSpecSchema.parse(raw);
function refusal(raw: unknown): { code: string; message: string } {
  try {
    checkStartSpec(parse(raw), pages, enabled);
  } catch (err) {
    if (err instanceof AppError) return { code: err.code, message: err.message };
    throw err;
  }
  throw new Error('accepted');
}

describe('发起合同 v2 spec: parsing', () => {
  it('accepts the documented example shape and fills defaults', () => {
    const s = parse(
      spec({
        contractNo: ' HT-2026-001 ',
        cc: [{ mobile: '13900000009' }],
        participants: [
          person({ canRefuse: true, name: '张三' }),
          enterprise({ marks: [{ kind: 'seal', sealType: 'contract', page: 1, x: 300, y: 600 }, { kind: 'riding', sealType: 'contract', pageFrom: 1, pageTo: 5, y: 300 }, { kind: 'date', page: 1, x: 300, y: 720 }] }),
          { kind: 'department', step: 2, enterpriseId: E1, departmentName: '法务部', placement: 'free', marks: [] },
        ],
      }),
    );
    expect(s.actAs).toBe('person');
    expect(s.contractNo).toBe('HT-2026-001');
    expect(s.remarks).toBeNull();
    expect(s.participants[0]).toMatchObject({ canRefuse: true, placement: 'preset', note: null });
    expect(s.participants[1]).toMatchObject({ canRefuse: false });
  });
  it('keeps multi-line remarks and a person\'s name in their normalised form (the real-name normalisation)', () => {
    const s = parse(spec({ remarks: '  第一行\r\n第二行\t完 ', participants: [person({ name: '  李  四 ' }), person({ step: 2, mobile: '13800000002', name: '阿卜杜•热合曼' })] }));
    expect(s.remarks).toBe('第一行\r\n第二行\t完');
    expect(s.participants[0]).toMatchObject({ name: '李 四' });
    expect(s.participants[1]).toMatchObject({ name: '阿卜杜·热合曼' });
  });
  it.each([undefined, null, '', '   '])('refuses a person named %j: every person is named by the initiator', (name) => {
    const result = startContractSpecSchema.safeParse(spec({ participants: [person({ name })] }));
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]).toMatchObject({ path: ['participants', 0, 'name'], message: '请填写签署人姓名' });
  });
  it.each([
    [{ participants: [] }, '至少需要一个签署方'],
    [{ participants: Array.from({ length: 21 }, (_, i) => person({ mobile: `138000000${String(i).padStart(2, '0')}` })) }, '签署方不能超过 20 个'],
    [{ participants: [person({ mobile: '123' })] }, '签署人手机号格式不正确'],
    [{ participants: [{ ...person(), kind: 'robot' }] }, '签署方类型须为个人、企业或部门'],
    [{ participants: [person({ step: 0 })] }, '签署顺序从 1 开始'],
    [{ participants: [person({ marks: [{ kind: 'name_seal', page: 1, x: -1, y: 0 }] })] }, '坐标不能为负'],
    [{ title: '采购\u200b合同' }, '标题含有不可见或控制字符（U+200B）'],
    [{ contractNo: 'x'.repeat(65) }, '合同编号不能超过 64 个字符'],
    [{ contractNo: 'HT-\uD800' }, '合同编号含有不可见或控制字符（U+D800）'],
    [{ remarks: '备'.repeat(501) }, '备注不能超过 500 个字'],
    [{ expiresAt: 'soon' }, '截止时间格式不正确'],
    [{ cc: [{ mobile: '1' }] }, '抄送人手机号格式不正确'],
    // An invited signer's name is shown to every party and written to the trail: the display-name rule.
    [{ participants: [person({ name: '张\u202Eexe.三' })] }, '姓名含有不可见或控制字符（U+202E）'],
    [{ participants: [person({ name: '张三\u0007' })] }, '姓名含有不可见或控制字符（U+0007）'],
    [{ participants: [person({ name: '张'.repeat(31) })] }, '姓名不能超过 30 个字'],
    [{ remarks: '第一行\n第二\u202E行' }, '备注含有不可见或控制字符（U+202E）'],
    [{ participants: [person({ note: '请\u200B签' })] }, '签署说明含有不可见或控制字符（U+200B）'],
  ])('rejects %j with a Chinese message', (patch, message) => {
    const r = startContractSpecSchema.safeParse(spec(patch));
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(message);
  });
});

describe('发起合同 v2 spec: routing and marks', () => {
  it('answers each participant’s marks with the fixed sizes from mark-geometry', () => {
    const marks = checkStartSpec(parse(spec({ participants: [person({ marks: [{ kind: 'handwritten', page: 2, x: 10, y: 20 }, { kind: 'date', page: 2, x: 10, y: 100 }] }), enterprise({ marks: [{ kind: 'seal', sealType: 'official', page: 1, x: 300, y: 600 }, { kind: 'riding', sealType: 'official', pageFrom: 2, pageTo: 4, y: 100 }] })] })), pages, enabled);
    expect(marks[0]).toEqual([
      { kind: 'handwritten', sealType: null, page: 2, x: 10, y: 20, ...MARK_SIZES.handwritten, pageFrom: null, pageTo: null, ridingRule: null },
      { kind: 'date', sealType: null, page: 2, x: 10, y: 100, ...MARK_SIZES.date, pageFrom: null, pageTo: null, ridingRule: null },
    ]);
    expect(marks[1]![0]).toMatchObject({ kind: 'seal', sealType: 'official', ...sealMarkSize('official') });
    expect(sealMarkSize('official').width).toBeCloseTo((42 / 25.4) * 72);
    expect(marks[1]![1]).toMatchObject({ kind: 'riding', page: null, x: null, y: 100, pageFrom: 2, pageTo: 4 });
  });
  it('a department’s seal is its 部门章 whatever type was sent as none; free placement carries no marks', () => {
    const marks = checkStartSpec(parse(spec({ participants: [person(), { kind: 'department', step: 2, enterpriseId: E1, departmentName: '法务部', marks: [{ kind: 'seal', page: 1, x: 0, y: 0 }] }, { kind: 'person', step: 3, mobile: '13800000002', name: '李四', placement: 'free' }] })), pages, enabled);
    expect(marks[1]![0]).toMatchObject({ kind: 'seal', sealType: 'department' });
    expect(marks[2]).toEqual([]);
  });
  it.each([
    ['steps with a gap', { participants: [person(), enterprise({ step: 3 })] }, 'STEPS_NOT_CONTIGUOUS'],
    ['steps not starting at 1', { participants: [person({ step: 2 })] }, 'STEPS_NOT_CONTIGUOUS'],
    ['the same person twice', { participants: [person(), person({ step: 2 })] }, 'DUPLICATE_PARTICIPANT'],
    ['the same enterprise twice', { participants: [person(), enterprise(), enterprise({ step: 3 })] }, 'DUPLICATE_PARTICIPANT'],
    ['the same CC twice', { cc: [{ mobile: '13900000009' }, { mobile: '13900000009' }] }, 'DUPLICATE_CC'],
    ['a person with an enterprise seal', { participants: [person({ marks: [{ kind: 'seal', sealType: 'contract', page: 1, x: 0, y: 0 }] })] }, 'MARK_REQUIRED'],
    ['a person with a name seal and a riding seal', { participants: [person({ marks: [{ kind: 'name_seal', page: 1, x: 0, y: 0 }, { kind: 'riding', sealType: 'contract', pageFrom: 1, pageTo: 2, y: 0 }] })] }, 'MARK_NOT_ALLOWED'],
    ['an enterprise with a name seal', { participants: [person(), enterprise({ marks: [{ kind: 'seal', sealType: 'contract', page: 1, x: 0, y: 0 }, { kind: 'name_seal', page: 1, x: 0, y: 0 }] })] }, 'MARK_NOT_ALLOWED'],
    ['an enterprise with only a date', { participants: [person(), enterprise({ marks: [{ kind: 'date', page: 1, x: 0, y: 0 }] })] }, 'MARK_REQUIRED'],
    ['a seal type that is not enabled', { participants: [person(), enterprise({ marks: [{ kind: 'seal', sealType: 'finance', page: 1, x: 0, y: 0 }] })] }, 'SEAL_TYPE_NOT_ALLOWED'],
    ['an enterprise with a 部门章', { participants: [person(), enterprise({ marks: [{ kind: 'seal', sealType: 'department', page: 1, x: 0, y: 0 }] })] }, 'SEAL_TYPE_NOT_ALLOWED'],
    ['a department with another seal type', { participants: [{ kind: 'department', step: 1, enterpriseId: E1, departmentName: '法务部', marks: [{ kind: 'seal', sealType: 'contract', page: 1, x: 0, y: 0 }] }] }, 'SEAL_TYPE_NOT_ALLOWED'],
    ['a seal without a type', { participants: [person(), enterprise({ marks: [{ kind: 'seal', page: 1, x: 0, y: 0 }] })] }, 'SEAL_TYPE_REQUIRED'],
    ['free placement with marks', { participants: [person({ placement: 'free' })] }, 'MARKS_WITH_FREE_PLACEMENT'],
    ['a page that does not exist', { participants: [person({ marks: [{ kind: 'name_seal', page: 6, x: 0, y: 0 }] })] }, 'POSITION_OUT_OF_PAGE'],
    ['a mark over the right edge', { participants: [person({ marks: [{ kind: 'name_seal', page: 1, x: A4.width - 50, y: 0 }] })] }, 'POSITION_OUT_OF_PAGE'],
    ['a date over the bottom edge', { participants: [person({ marks: [{ kind: 'name_seal', page: 1, x: 0, y: 0 }, { kind: 'date', page: 1, x: 0, y: A4.height - 30 }] })] }, 'POSITION_OUT_OF_PAGE'],
    ['a mark without a position', { participants: [person({ marks: [{ kind: 'name_seal', page: 1 }] })] }, 'POSITION_REQUIRED'],
    ['a riding seal over one page', { participants: [person(), enterprise({ marks: [{ kind: 'seal', sealType: 'contract', page: 1, x: 0, y: 0 }, { kind: 'riding', sealType: 'contract', pageFrom: 2, pageTo: 2, y: 0 }] })] }, 'RIDING_RANGE_INVALID'],
    ['a riding seal past the last page', { participants: [person(), enterprise({ marks: [{ kind: 'seal', sealType: 'contract', page: 1, x: 0, y: 0 }, { kind: 'riding', sealType: 'contract', pageFrom: 4, pageTo: 6, y: 0 }] })] }, 'POSITION_OUT_OF_PAGE'],
    ['a riding seal over two billion pages (counted, never listed)', { participants: [person(), enterprise({ marks: [{ kind: 'seal', sealType: 'contract', page: 1, x: 0, y: 0 }, { kind: 'riding', sealType: 'contract', pageFrom: 1, pageTo: 2_000_000_000, ridingRule: 'odd', y: 0 }] })] }, 'POSITION_OUT_OF_PAGE'],
    ['a riding seal below the page', { participants: [person(), enterprise({ marks: [{ kind: 'seal', sealType: 'contract', page: 1, x: 0, y: 0 }, { kind: 'riding', sealType: 'contract', pageFrom: 1, pageTo: 2, y: A4.height - 50 }] })] }, 'POSITION_OUT_OF_PAGE'],
    ['a riding seal without a range', { participants: [person(), enterprise({ marks: [{ kind: 'seal', sealType: 'contract', page: 1, x: 0, y: 0 }, { kind: 'riding', sealType: 'contract', y: 10 }] })] }, 'RIDING_RANGE_REQUIRED'],
  ])('refuses %s', (_name, patch, code) => {
    const r = refusal(spec(patch));
    expect(r.code).toBe(code);
    expect(r.message).toMatch(/[\u4e00-\u9fff]/);
  });
  it('names the participant in the message', () => {
    expect(refusal(spec({ participants: [person(), enterprise({ marks: [{ kind: 'seal', sealType: 'finance', page: 1, x: 0, y: 0 }] })] })).message).toBe('第 2 个签署方：印章类型 finance 未启用');
  });
});

describe('发起合同 v2 spec: 骑缝规则 of a 骑缝章', () => {
  const seal = { kind: 'seal', sealType: 'contract', page: 1, x: 0, y: 0 };
  const withRiding = (riding: Record<string, unknown>) => spec({ participants: [person(), enterprise({ marks: [seal, { kind: 'riding', sealType: 'contract', y: 100, ...riding }] })] });
  const ridingOf = (raw: unknown) => checkStartSpec(parse(raw), pages, enabled)[1]![1]!;

  it('answers the rule: 全部页 when none is given, 奇数页 / 偶数页 as asked', () => {
    expect(ridingOf(withRiding({ pageFrom: 1, pageTo: 5 }))).toMatchObject({ kind: 'riding', pageFrom: 1, pageTo: 5, ridingRule: 'all' });
    expect(ridingOf(withRiding({ pageFrom: 1, pageTo: 4, ridingRule: 'odd' }))).toMatchObject({ pageFrom: 1, pageTo: 4, ridingRule: 'odd' });
    expect(ridingOf(withRiding({ pageFrom: 1, pageTo: 4, ridingRule: 'even' }))).toMatchObject({ ridingRule: 'even' });
    expect(ridingOf(withRiding({ pageFrom: 2, pageTo: 3, ridingRule: 'all' }))).toMatchObject({ ridingRule: 'all' });
  });

  it.each([
    ['no even page in 3–3', { pageFrom: 3, pageTo: 3, ridingRule: 'even' }, 'RIDING_RULE_TOO_FEW_PAGES', '第 2 个签署方：骑缝区间第 3–3 页中没有偶数页，请调整骑缝区间或骑缝规则'],
    ['one odd page in 2–3', { pageFrom: 2, pageTo: 3, ridingRule: 'odd' }, 'RIDING_RULE_TOO_FEW_PAGES', '第 2 个签署方：骑缝章至少跨两页：骑缝区间第 2–3 页中只有 1 个奇数页，请扩大骑缝区间或改用全部页'],
    ['one even page in 1–2', { pageFrom: 1, pageTo: 2, ridingRule: 'even' }, 'RIDING_RULE_TOO_FEW_PAGES', '第 2 个签署方：骑缝章至少跨两页：骑缝区间第 1–2 页中只有 1 个偶数页，请扩大骑缝区间或改用全部页'],
    ['one page for all pages', { pageFrom: 3, pageTo: 3, ridingRule: 'all' }, 'RIDING_RANGE_INVALID', '第 2 个签署方：骑缝章至少跨两页'],
    ['a range backwards', { pageFrom: 4, pageTo: 2, ridingRule: 'odd' }, 'RIDING_RANGE_INVALID', '第 2 个签署方：骑缝章至少跨两页'],
  ])('refuses a range whose rule selects fewer than two pages: %s', (_name, riding, code, message) => {
    const r = refusal(withRiding(riding));
    expect(r).toEqual({ code, message });
  });

  it('the English message says which pages are missing', () => {
    try {
      checkStartSpec(parse(withRiding({ pageFrom: 3, pageTo: 3, ridingRule: 'even' })), pages, enabled);
      throw new Error('accepted');
    } catch (err) {
      expect((err as AppError).messageEn).toBe('Participant 2: pages 3–3 have no even page; change the range or the rule');
    }
  });

  it('refuses an unknown rule (the schema, and the check itself for marks placed at signing time) and a rule on another kind', () => {
    expect(startContractSpecSchema.safeParse(withRiding({ pageFrom: 1, pageTo: 4, ridingRule: 'first' })).error?.issues[0]?.message).toBe('骑缝规则须为全部页、奇数页或偶数页');
    const placed = { kind: 'enterprise', step: 1, enterpriseId: E1, placement: 'preset', marks: [seal, { kind: 'riding', sealType: 'contract', y: 100, pageFrom: 1, pageTo: 4, ridingRule: 'first' }] } as unknown as Parameters<typeof checkMarks>[0];
    expect(() => checkMarks(placed, 0, pages, enabled)).toThrow(expect.objectContaining({ code: 'RIDING_RULE_INVALID' }));
    expect(refusal(spec({ participants: [person(), enterprise({ marks: [{ ...seal, ridingRule: 'odd' }] })] }))).toEqual({ code: 'RIDING_RULE_NOT_ALLOWED', message: '第 2 个签署方：企业印章不需要骑缝规则' });
  });

  it('checks the seal against the selected pages only', () => {
    // Page 2 is too short for the seal at y = 700; the odd pages 1, 3, 5 hold it.
    const mixed = [A4, { width: 595, height: 700 }, A4, A4, A4];
    const raw = withRiding({ pageFrom: 1, pageTo: 5, ridingRule: 'odd', y: 650 });
    expect(checkStartSpec(parse(raw), mixed, enabled)[1]![1]).toMatchObject({ ridingRule: 'odd', y: 650 });
    expect(() => checkStartSpec(parse(withRiding({ pageFrom: 1, pageTo: 5, y: 650 })), mixed, enabled)).toThrow(expect.objectContaining({ code: 'POSITION_OUT_OF_PAGE' }));
  });
});

describe('发起合同 v2 spec: numbers and dates are what they say', () => {
  const mark = (over: Record<string, unknown>) => ({ kind: 'name_seal', page: 1, x: 100, y: 600, ...over });
  const withMark = (over: Record<string, unknown>) => spec({ participants: [person({ marks: [mark(over)] }), enterprise()] });
  const nullProto = () => Object.assign(Object.create(null) as object, { x: '1' });

  // z.coerce.number read true as 1 and "" / [] as 0: a contract started with them.
  it.each([
    ['step true', spec({ participants: [person({ step: true }), enterprise()] }), ['participants', 0, 'step'], '签署顺序须为数字'],
    ['step ""', spec({ participants: [person({ step: '' }), enterprise()] }), ['participants', 0, 'step'], '签署顺序须为数字'],
    ['step [1]', spec({ participants: [person({ step: [1] }), enterprise()] }), ['participants', 0, 'step'], '签署顺序须为数字'],
    ['step {}', spec({ participants: [person({ step: {} }), enterprise()] }), ['participants', 0, 'step'], '签署顺序须为数字'],
    ['step "1e0"', spec({ participants: [person({ step: '1e0' }), enterprise()] }), ['participants', 0, 'step'], '签署顺序须为数字'],
    ['step "0x1"', spec({ participants: [person({ step: '0x1' }), enterprise()] }), ['participants', 0, 'step'], '签署顺序须为数字'],
    ['page true', withMark({ page: true }), ['participants', 0, 'marks', 0, 'page'], '页码须为数字'],
    ['page false', withMark({ page: false }), ['participants', 0, 'marks', 0, 'page'], '页码须为数字'],
    ['x ""', withMark({ x: '' }), ['participants', 0, 'marks', 0, 'x'], '坐标须为数字'],
    ['x "  "', withMark({ x: '  ' }), ['participants', 0, 'marks', 0, 'x'], '坐标须为数字'],
    ['y []', withMark({ y: [] }), ['participants', 0, 'marks', 0, 'y'], '坐标须为数字'],
    ['y [5]', withMark({ y: [5] }), ['participants', 0, 'marks', 0, 'y'], '坐标须为数字'],
    ['x {}', withMark({ x: {} }), ['participants', 0, 'marks', 0, 'x'], '坐标须为数字'],
    ['x "Infinity"', withMark({ x: 'Infinity' }), ['participants', 0, 'marks', 0, 'x'], '坐标须为数字'],
    ['width true', withMark({ width: true }), ['participants', 0, 'marks', 0, 'width'], '尺寸须为数字'],
    ['pageFrom true', spec({ participants: [person(), enterprise({ marks: [{ kind: 'riding', sealType: 'contract', pageFrom: true, pageTo: 2, y: 0 }] })] }), ['participants', 1, 'marks', 0, 'pageFrom'], '页码须为数字'],
    ['expiresAt true', spec({ expiresAt: true }), ['expiresAt'], '截止时间格式不正确'],
    ['expiresAt ""', spec({ expiresAt: '' }), ['expiresAt'], '截止时间格式不正确'],
    ['expiresAt []', spec({ expiresAt: [] }), ['expiresAt'], '截止时间格式不正确'],
    ['expiresAt ["2030-01-01"]', spec({ expiresAt: ['2030-01-01'] }), ['expiresAt'], '截止时间格式不正确'],
    ['expiresAt {}', spec({ expiresAt: {} }), ['expiresAt'], '截止时间格式不正确'],
    ['expiresAt 0', spec({ expiresAt: 0 }), ['expiresAt'], '截止时间格式不正确'],
  ])('refuses %s with a message naming what is wrong', (_label, raw, path, message) => {
    const r = startContractSpecSchema.safeParse(raw);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]).toMatchObject({ path, message });
  });

  // A form's field without a prototype (multer's bracket names) made z.coerce throw a TypeError outside zod.
  it.each([
    ['step', spec({ participants: [person({ step: nullProto() }), enterprise()] }), '签署顺序须为数字'],
    ['x', withMark({ x: nullProto() }), '坐标须为数字'],
    ['expiresAt', spec({ expiresAt: nullProto() }), '截止时间格式不正确'],
  ])('refuses an object without a prototype as %s (no TypeError)', (_label, raw, message) => {
    const r = startContractSpecSchema.safeParse(raw);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(message);
  });

  it('reads numbers, plain decimal strings (a form’s text), dates and ISO strings', () => {
    const s = parse(spec({ expiresAt: '2030-01-02T03:04:05.000Z', participants: [person({ step: '1', marks: [mark({ page: ' 2 ', x: '10.5', y: 20, width: '64' })] }), enterprise()] }));
    expect(s.expiresAt).toEqual(new Date('2030-01-02T03:04:05.000Z'));
    expect(s.participants[0]).toMatchObject({ step: 1, marks: [{ page: 2, x: 10.5, y: 20, width: 64 }] });
    expect(parse(spec({ expiresAt: new Date(Date.UTC(2030, 0, 1)) })).expiresAt).toEqual(new Date(Date.UTC(2030, 0, 1)));
    expect(parse(spec({ expiresAt: null })).expiresAt).toBeNull();
    expect(parse(spec({ participants: [person({ marks: [mark({ width: null, height: undefined })] }), enterprise()] })).participants[0]!.marks[0]).toMatchObject({ width: null });
    // Still bounded as before: a negative decimal string is a negative coordinate.
    expect(startContractSpecSchema.safeParse(withMark({ x: '-1' })).error?.issues[0]?.message).toBe('坐标不能为负');
    expect(startContractSpecSchema.safeParse(spec({ participants: [person({ step: '1.5' }), enterprise()] })).error?.issues[0]?.message).toBe('签署顺序必须是整数');
  });

  it('a missing step says so', () => {
    const { step: _step, ...noStep } = person();
    expect(startContractSpecSchema.safeParse(spec({ participants: [noStep, enterprise()] })).error?.issues[0]).toMatchObject({ path: ['participants', 0, 'step'], message: '请填写签署顺序' });
  });
});
