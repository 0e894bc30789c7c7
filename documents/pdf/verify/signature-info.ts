/** What the verifier reads from one signature dictionary (both analysis paths produce it). */

export type ByteRange = [number, number, number, number];

export interface DictInfo {
  fieldName: string | null;
  time: Date | null;
  range: ByteRange | null;
}

/** In file order of the ranges' ends (a missing range last); the sort is stable. */
export function sortByRangeEnd(infos: DictInfo[]): DictInfo[] {
  const end = (i: DictInfo) => (i.range ? i.range[2] + i.range[3] : Infinity);
  return infos.sort((a, b) => end(a) - end(b));
}
