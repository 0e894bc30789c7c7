import { describe, expect, it } from 'vitest';
import { zipEntryName } from './download-contracts';

describe('zipEntryName', () => {
  it('replaces characters no file system takes and keeps the contract number and the id prefix', () => {
    expect(zipEntryName({ id: 'abcdef12-3456', title: '采购/合同:第1版?', contractNo: 'HT*01' })).toBe('采购_合同_第1版__HT_01_abcdef12.pdf');
  });

  it('cuts a long name at 180 characters by code point, never inside an emoji (a UTF-16 cut left U+FFFD)', () => {
    const name = zipEntryName({ id: 'abcdef12-3456', title: `${'合'.repeat(178)}😀😀`, contractNo: null });
    expect([...name.replace(/\.pdf$/, '')]).toHaveLength(180);
    expect(name).toBe(`${'合'.repeat(178)}😀😀.pdf`);
    expect(Buffer.from(name).toString()).toBe(name); // well-formed: no lone surrogate to turn into U+FFFD
    const cut = zipEntryName({ id: 'abcdef12-3456', title: `${'合'.repeat(179)}😀😀`, contractNo: null });
    expect(cut).toBe(`${'合'.repeat(179)}😀.pdf`);
    expect(Buffer.from(cut).toString()).toBe(cut);
  });
});
