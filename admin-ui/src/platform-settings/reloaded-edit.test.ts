import { describe, expect, it } from 'vitest';
import { reloadedBaseVersion, reloadedEdit, reloadedField, sameSelection } from './reloaded-edit';

describe('reloadedEdit', () => {
  it('takes the saved value on the first load and for untouched fields', () => {
    expect(reloadedEdit('', undefined, '300')).toBe('300');
    expect(reloadedEdit('300', '300', '120')).toBe('120');
  });

  it('keeps a field the operator is editing when another card saved meanwhile', () => {
    // 保存 on the seal types reloads everything while the CA poll interval reads 5 (saved: 300).
    expect(reloadedEdit('5', '300', '300')).toBe('5');
  });

  it('compares seal type selections as sets', () => {
    expect(reloadedEdit(['contract', 'official'], ['official', 'contract'], ['official'], sameSelection)).toEqual(['official']);
    expect(reloadedEdit(['official'], ['official', 'contract'], ['official', 'contract'], sameSelection)).toEqual(['official']);
  });
});

describe('reloadedBaseVersion', () => {
  it('the first load and a field showing the stored value take the loaded version', () => {
    expect(reloadedBaseVersion(undefined, false, 3)).toBe(3);
    expect(reloadedBaseVersion(1, true, 2)).toBe(2);
  });

  it('an edit kept across a reload keeps the version it was begun on: saved, it is refused if another operator saved meanwhile', () => {
    // Seal types loaded at version 1 and being edited; another operator saves them (version 2); this operator saves the
    // CA poll card, which reloads the page: the seal-type edit stays, and its save must still say version 1.
    expect(reloadedBaseVersion(1, false, 2)).toBe(1);
  });
});

describe('reloadedField', () => {
  it('a field whose save was refused (409) keeps the input and starts from the loaded version: saving again overwrites deliberately', () => {
    // Loaded 300 at version 1; another operator saved 600 (version 2); this operator's 120 was refused.
    expect(reloadedField({ current: '120', savedBefore: '300', savedNow: '600', base: 1, loadedVersion: 2, refused: true })).toEqual({ value: '120', base: 2 });
  });

  it('otherwise follows reloadedEdit and reloadedBaseVersion', () => {
    expect(reloadedField({ current: '300', savedBefore: '300', savedNow: '600', base: 1, loadedVersion: 2, refused: false })).toEqual({ value: '600', base: 2 });
    expect(reloadedField({ current: '5', savedBefore: '300', savedNow: '600', base: 1, loadedVersion: 2, refused: false })).toEqual({ value: '5', base: 1 });
    expect(reloadedField({ current: ['b', 'a'], savedBefore: ['a'], savedNow: ['a', 'b'], base: 1, loadedVersion: 2, refused: false, same: sameSelection })).toEqual({ value: ['b', 'a'], base: 2 });
  });
});
