import { describe, expect, it } from 'vitest';
import { reloadedEdit, sameSelection } from './reloaded-edit';

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
