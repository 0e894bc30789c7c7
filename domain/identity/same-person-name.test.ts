import { describe, expect, it } from 'vitest';
import { samePersonName } from './same-person-name';

describe('samePersonName', () => {
  it('matches the same name written with other spaces, case, middle dot or Unicode form', () => {
    expect(samePersonName('张三', '张三')).toBe(true);
    expect(samePersonName(' 张 三 ', '张三')).toBe(true);
    expect(samePersonName('mary smith', 'Mary Smith')).toBe(true);
    expect(samePersonName('阿卜杜•热合曼', '阿卜杜·热合曼')).toBe(true);
    expect(samePersonName('e\u0301mile', '\u00e9mile')).toBe(true);
    expect(samePersonName('周五', '周\u200b五')).toBe(true);
  });

  it('does not match another name, a prefix, or an empty one', () => {
    expect(samePersonName('张三', '张三丰')).toBe(false);
    expect(samePersonName('张三', '李四')).toBe(false);
    expect(samePersonName('', '')).toBe(false);
    expect(samePersonName('  ', '张三')).toBe(false);
    expect(samePersonName('\u200b', '\u200d')).toBe(false);
  });
});
