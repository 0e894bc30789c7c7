import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: '乙' } })).toBe('{"a":{"c":"乙","d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text whatever order the keys were inserted in', () => {
    const one = { title: '合同', step: 2, names: ['张三', '李四'] };
    const two = { names: ['张三', '李四'], step: 2, title: '合同' };
    expect(canonicalJson(one)).toBe(canonicalJson(two));
  });

  it('drops undefined members, writes undefined array items as null and -0 as 0', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, -0] })).toBe('{"b":[null,0]}');
  });

  it('escapes strings as JSON does (quotes, control characters, non-ASCII kept)', () => {
    expect(canonicalJson({ s: 'a"b\\c\n签' })).toBe('{"s":"a\\"b\\\\c\\n签"}');
  });

  it('round-trips: parsing the text and writing it again gives the same text', () => {
    const text = canonicalJson({ z: [1.5, 'x'], a: { n: -3, t: false } });
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it('refuses values JSON cannot carry faithfully', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/finite/);
    expect(() => canonicalJson({ n: Infinity })).toThrow(/finite/);
    expect(() => canonicalJson({ d: new Date(0) })).toThrow(/plain object/);
    expect(() => canonicalJson({ b: 1n })).toThrow(/bigint/);
  });
});
