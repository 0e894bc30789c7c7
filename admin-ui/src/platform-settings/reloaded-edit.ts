/**
 * The 系统配置 page reloads the saved settings after any card's 保存. A field the operator has not
 * touched takes the newly saved value; a field they are still editing (its value differs from what
 * was saved before the reload) keeps their edit, so saving one card never wipes another card's input.
 */
export function reloadedEdit<T>(current: T, savedBefore: T | undefined, savedNow: T, same: (a: T, b: T) => boolean = Object.is): T {
  return savedBefore === undefined || same(current, savedBefore) ? savedNow : current;
}

/**
 * The version a card's next save sends (the server refuses it, 409, once another operator has saved since): the version
 * of the stored value the field started from. It moves to the loaded version only when the field shows the stored value
 * after the reload (untouched, just saved by this page, or reset after a 409); an edit kept across a reload keeps the
 * version it was begun on, so it cannot overwrite a save it never saw.
 */
export function reloadedBaseVersion(base: number | undefined, showsStored: boolean, loadedVersion: number): number {
  return showsStored || base === undefined ? loadedVersion : base;
}

/**
 * One card's field after the settings were read again, and the version its next save sends. `refused`: this card's
 * last save was refused (409: another operator saved it first). Its edit stays (the card shows what is stored now
 * beside it) and from now on starts from the loaded version, so saving it again overwrites that change deliberately;
 * before, the field was reset to the stored value and the operator's input was lost.
 */
export function reloadedField<T>(field: { current: T; savedBefore: T | undefined; savedNow: T; base: number | undefined; loadedVersion: number; refused: boolean; same?: (a: T, b: T) => boolean }): { value: T; base: number } {
  const { current, savedBefore, savedNow, base, loadedVersion, refused, same = Object.is } = field;
  if (refused) return { value: current, base: loadedVersion };
  const value = reloadedEdit(current, savedBefore, savedNow, same);
  return { value, base: reloadedBaseVersion(base, same(value, savedNow), loadedVersion) };
}

/** Seal type selections are sets: the order the boxes were ticked in does not matter. */
export const sameSelection = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
