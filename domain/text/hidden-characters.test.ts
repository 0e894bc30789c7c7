import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { codePointLabel, firstHiddenCharacter, hasHiddenCharacter, hiddenCharacterProblem } from './hidden-characters';
import { multiLineText, noHiddenCharacters, singleLineText } from './safe-text';

const HIDDEN: [string, string][] = [
  ['lone high surrogate', '\uD800x'],
  ['lone low surrogate', 'x\uDC00'],
  ['right-to-left override', 'a\u202Eb'],
  ['left-to-right isolate', 'a\u2066b'],
  ['zero-width space', 'a\u200Bb'],
  ['zero-width joiner', 'a\u200Db'],
  ['byte order mark', '\uFEFFa'],
  ['soft hyphen', 'a\u00ADb'],
  ['NUL', 'a\u0000b'],
  ['bell', 'a\u0007b'],
  ['DEL', 'a\u007Fb'],
  ['C1 control', 'a\u0085b'],
  ['line separator', 'a\u2028b'],
  ['paragraph separator', 'a\u2029b'],
  ['private use', 'a\uE000b'],
];

describe('the no-hidden-characters rule', () => {
  it.each(HIDDEN)('refuses a %s on one line and over several', (_name, text) => {
    expect(hasHiddenCharacter(text)).toBe(true);
    expect(hasHiddenCharacter(text, { multiline: true })).toBe(true);
  });

  it('accepts visible text: Chinese, punctuation, spaces (also the ideographic one), emoji, rare CJK beyond the BMP', () => {
    for (const text of ['上海市浦东新区 世纪大道 100 号', '王五（联系人）', '金额：¥1,000.00', 'A\u3000B', '👍 好', '𠀀𪚥', 'Ünïcödé e\u0301']) {
      expect(firstHiddenCharacter(text), text).toBeNull();
      expect(firstHiddenCharacter(text, { multiline: true }), text).toBeNull();
    }
  });

  it('multi-line text takes tab, CR and LF; one line does not', () => {
    for (const text of ['第一行\n第二行', '第一行\r\n第二行', '项目\t金额']) {
      expect(hasHiddenCharacter(text, { multiline: true }), JSON.stringify(text)).toBe(false);
      expect(hasHiddenCharacter(text), JSON.stringify(text)).toBe(true);
    }
  });

  it('names the first hidden character by its code point (a lone surrogate is one character)', () => {
    expect(firstHiddenCharacter('a\u202Eb\u200B')).toBe('\u202E');
    expect(codePointLabel('\u202E')).toBe('U+202E');
    expect(codePointLabel(firstHiddenCharacter('\uD800x')!)).toBe('U+D800');
    expect(codePointLabel('\u0007')).toBe('U+0007');
    expect(hiddenCharacterProblem('a\u202Eb', '地址', 'The address')).toEqual({ zh: '地址含有不可见或控制字符（U+202E）', en: 'The address contains an invisible or control character (U+202E)' });
    expect(hiddenCharacterProblem('地址', '地址', 'The address')).toBeNull();
  });
});

describe('zod helpers', () => {
  it('singleLineText: NFC, trimmed, at most max characters (code points), no hidden or line-break characters', () => {
    const name = singleLineText(5, '名称', 'The name');
    expect(name.parse('  e\u0301一二  ')).toBe('\u00E9一二');
    expect(name.parse('𠀀𠀀𠀀𠀀𠀀')).toBe('𠀀𠀀𠀀𠀀𠀀'); // five characters, ten UTF-16 units
    expect(name.safeParse('一二三四五六').error?.issues[0]?.message).toBe('名称不能超过 5 个字');
    const hidden = name.safeParse('\uD800x').error?.issues[0];
    expect(hidden?.message).toBe('名称含有不可见或控制字符（U+D800）');
    expect(hidden?.code === 'custom' && hidden.params).toEqual({ code: 'INVISIBLE_CHARACTER', messageEn: 'The name contains an invisible or control character (U+D800)' });
    expect(name.safeParse('a\nb').success).toBe(false);
    expect(name.safeParse(5).error?.issues[0]?.message).toBe('名称须为文本');
  });

  it('multiLineText keeps line breaks and refuses the rest', () => {
    const note = multiLineText(100, '备注');
    expect(note.parse(' 第一行\n第二行 ')).toBe('第一行\n第二行');
    expect(note.safeParse('第一行\n第\u202E二行').error?.issues[0]?.message).toBe('备注含有不可见或控制字符（U+202E）');
  });

  it('noHiddenCharacters refines any string schema', () => {
    const reason = z.string().trim().min(1).superRefine(noHiddenCharacters('原因', { multiline: true }));
    expect(reason.parse('金额不对\n请修改')).toBe('金额不对\n请修改');
    expect(reason.safeParse('\uD800').error?.issues[0]?.message).toBe('原因含有不可见或控制字符（U+D800）');
    expect(reason.safeParse('a\u200Bb').success).toBe(false);
  });
});
