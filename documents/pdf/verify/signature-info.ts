/** What the verifier reads from one signature dictionary (both analysis paths produce it). */

export type ByteRange = [number, number, number, number];

export interface DictInfo {
  fieldName: string | null;
  time: Date | null;
  range: ByteRange | null;
  /** The dictionary's /Contents hex string as written between `<` and `>` (the gap of its range must be it); null when it is no hex string. */
  contents: string | null;
}

/** In file order of the ranges' ends (a missing range last); the sort is stable. */
export function sortByRangeEnd(infos: DictInfo[]): DictInfo[] {
  return infos.sort((a, b) => rangeEnd(a) - rangeEnd(b));
}

function rangeEnd(info: DictInfo): number {
  return info.range ? info.range[2] + info.range[3] : Infinity;
}
