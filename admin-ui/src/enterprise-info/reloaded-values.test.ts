import { describe, expect, it } from 'vitest';
import { reloadedValues } from './reloaded-values';

const before = { contactName: '王晓明', address: '文三路 100 号' };

describe('reloadedValues', () => {
  it('untouched fields take the newly read values', () => {
    expect(reloadedValues(before, before, { contactName: '王晓明', address: '江南大道 1 号' })).toEqual({ contactName: '王晓明', address: '江南大道 1 号' });
  });

  it('a field being edited keeps the input (a 409 then 重新加载, or a rename meanwhile)', () => {
    // Typed 王晓红; another administrator changed the address: the reload shows their address and keeps 王晓红.
    expect(reloadedValues({ ...before, contactName: '王晓红' }, before, { contactName: '王晓明', address: '江南大道 1 号' })).toEqual({ contactName: '王晓红', address: '江南大道 1 号' });
    // The same field changed by both: the input stays (saving it again overwrites deliberately).
    expect(reloadedValues({ ...before, address: '学院路 8 号' }, before, { contactName: '王晓明', address: '江南大道 1 号' }).address).toBe('学院路 8 号');
  });

  it('after this form saved, every field shows the stored value (as normalized by the server)', () => {
    expect(reloadedValues({ contactName: ' 王晓红 ', address: '文三路 100 号' }, before, { contactName: '王晓红', address: '文三路 100 号' }, true)).toEqual({ contactName: '王晓红', address: '文三路 100 号' });
  });
});
