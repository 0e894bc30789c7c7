import { describe, expect, it } from 'vitest';
import { zipEntryName } from './download-contracts';

describe('zipEntryName', () => {
  it('replaces characters no file system takes and keeps the contract number and the id prefix', () => {
    expect(zipEntryName({ id: 'abcdef12-3456', title: '采购/合同:第1版?', contractNo: 'HT*01' })).toBe('采购_合同_第1版__HT_01_abcdef12.pdf');
  });

  it('cuts a long title by code point (never inside an emoji: a UTF-16 cut left U+FFFD), keeping the id prefix at the end', () => {
    const name = zipEntryName({ id: 'abcdef12-3456', title: `${'合'.repeat(169)}😀😀`, contractNo: null });
    expect([...name.replace(/\.pdf$/, '')]).toHaveLength(180);
    expect(name).toBe(`${'合'.repeat(169)}😀😀_abcdef12.pdf`);
    expect(Buffer.from(name).toString()).toBe(name); // well-formed: no lone surrogate to turn into U+FFFD
    const cut = zipEntryName({ id: 'abcdef12-3456', title: `${'合'.repeat(170)}😀😀`, contractNo: null });
    expect(cut).toBe(`${'合'.repeat(170)}😀_abcdef12.pdf`);
    expect(Buffer.from(cut).toString()).toBe(cut);
  });

  it('two contracts whose names collide (long equal titles, one id prefix) still get different entries: the number is never cut off', () => {
    const long = { title: '合'.repeat(200), contractNo: 'N'.repeat(64) };
    const a = zipEntryName({ id: 'abcdef12-0001', ...long });
    expect(zipEntryName({ id: 'abcdef12-0002', ...long })).toBe(a);
    const names = new Set([a, zipEntryName({ id: 'abcdef12-0002', ...long }, 2), zipEntryName({ id: 'abcdef12-0003', ...long }, 3)]);
    expect(names.size).toBe(3);
    for (const name of names) expect([...name.replace(/\.pdf$/, '')].length).toBeLessThanOrEqual(180);
  });
});
