/**
 * 联系信息 after the enterprise record was read again (a newer version: saved here, 重新加载 after 已被他人修改, or any
 * other change such as a rename started on the same page): a field the administrator has not touched (it still shows
 * the value read before) takes the new value; a field being edited keeps the input, so nothing typed is lost.
 * `ownSave`: the reload follows this form's own save, whose values are now stored: every field shows the stored value.
 */
export function reloadedValues<K extends string>(current: Record<K, string>, before: Record<K, string>, now: Record<K, string>, ownSave = false): Record<K, string> {
  const next = { ...now };
  if (ownSave) return next;
  for (const key of Object.keys(now) as K[]) if (current[key] !== before[key]) next[key] = current[key];
  return next;
}
