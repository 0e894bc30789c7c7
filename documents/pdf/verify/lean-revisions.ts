import { serialize, type PdfValue } from '../incremental/pdf-syntax';
import { classifyChange, MAX_EXAMINED, type RevisionObjects } from '../revision-rules';
import { get, type LeanDefinition, type LeanFile, type LeanValue } from './lean-file';
import type { LeanRoles } from './lean-roles';

/**
 * Proves that changesAfter (revision-diff.ts) finds NOTHING after a signed revision, on a
 * LeanFile: the same steps (every later definition, every later cross-reference entry, the
 * catalog, the end of the revision and appended data), each answering only "this reports
 * nothing" or "it might report something". The lean path takes the file only when every checked
 * signature gets "nothing"; otherwise the general path computes the changes it reports.
 *
 * Equality of two values is judged on their source form (token for token: raw numbers, names,
 * strings; streams by their data bytes): equal here implies equal for pdf-lib's toString,
 * which the general path compares. Unequal here where pdf-lib would say equal only ever makes
 * this answer "might report", never the other way round.
 */


/**
 * The same value token for token (same raw numbers, names, strings, keywords, references; arrays
 * and dictionaries entry by entry in order): implies the same serialize() text, hence the same
 * pdf-lib toString. Two values that differ only in ways serialize() would hide count as different
 * (the caller then looks closer or leaves the file to the general path).
 */
function sameDirect(a: PdfValue, b: PdfValue): boolean {
  if (a === b) return true;
  switch (a.t) {
    case 'num':
    case 'name':
    case 'kw':
    case 'raw':
      return b.t === a.t && b.raw === a.raw;
    case 'str':
      return b.t === 'str' && b.hex === a.hex && b.raw === a.raw;
    case 'ref':
      return b.t === 'ref' && b.num === a.num && b.gen === a.gen;
    case 'arr':
      return b.t === 'arr' && b.items.length === a.items.length && a.items.every((x, i) => sameDirect(x, b.items[i]!));
    case 'dict': {
      if (b.t !== 'dict' || b.entries.size !== a.entries.size) return false;
      const other = b.entries.entries();
      for (const [k, v] of a.entries) {
        const [k2, v2] = other.next().value as [string, PdfValue];
        if (k !== k2 || !sameDirect(v, v2)) return false;
      }
      return true;
    }
  }
}

function sameValue(file: LeanFile, a: LeanValue | undefined, b: LeanValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (a.t === 'stream' || b.t === 'stream') {
    if (a.t !== 'stream' || b.t !== 'stream' || !sameDirect(a.dict, b.dict) || a.end - a.start !== b.end - b.start) return false;
    return Buffer.from(file.bytes.buffer, file.bytes.byteOffset, file.bytes.byteLength).compare(file.bytes, b.start, b.end, a.start, a.end) === 0;
  }
  return sameDirect(a, b);
}

function isWhitespace(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (![0x0a, 0x0d, 0x20, 0x09, 0x00, 0x0c].includes(bytes[i]!)) return false;
  return true;
}

/** The signed revision (old) and the final file (now) as revision-rules.ts reads them; methods, not closures. */
class LeanRevisionObjects implements RevisionObjects<LeanValue> {
  constructor(
    private readonly file: LeanFile,
    private readonly roles: LeanRoles,
    private readonly before: Map<number, LeanDefinition>,
  ) {}

  /** Set by note() during one quiet() call. */
  private reported = false;
  private readonly note = (): void => {
    this.reported = true;
  };

  private oldLookup(raw: LeanValue | undefined): LeanValue | undefined {
    return raw?.t === 'ref' ? this.before.get(raw.num)?.value : raw;
  }

  private newLookup(raw: LeanValue | undefined): LeanValue | undefined {
    return raw?.t === 'ref' ? this.file.objects.get(raw.num) : raw;
  }

  private isNewSignatureField(raw: PdfValue): boolean {
    return raw.t === 'ref' && !this.before.has(raw.num) && this.roles.isSignatureField(raw.num);
  }

  onlySignaturesAdded(oldArr: LeanValue | undefined, newArr: LeanValue | undefined): boolean {
    const oldItems = oldArr?.t === 'arr' ? oldArr.items.map(serialize) : [];
    if (newArr?.t !== 'arr') return oldItems.length === 0;
    const newKeys = new Set(newArr.items.map(serialize));
    if (!oldItems.every((k) => newKeys.has(k))) return false;
    const oldKeys = new Set(oldItems);
    return newArr.items.every((o) => oldKeys.has(serialize(o)) || this.isNewSignatureField(o));
  }

  /** Keys whose values differ (null unless both are dictionaries). */
  changedKeys(a: LeanValue | undefined, b: LeanValue | undefined): string[] | null {
    if (a?.t !== 'dict' || b?.t !== 'dict') return null;
    const keys = new Set([...a.entries.keys(), ...b.entries.keys()]);
    return [...keys].filter((k) => !sameValue(this.file, get(a, k), get(b, k)));
  }

  isDictWithoutValue(obj: LeanValue | undefined): boolean {
    return obj?.t === 'dict' && get(obj, 'V') === undefined;
  }

  oldEntry(old: LeanValue | undefined, key: string): LeanValue | undefined {
    return this.oldLookup(get(old, key));
  }

  newEntry(now: LeanValue | undefined, key: string): LeanValue | undefined {
    return this.newLookup(get(now, key));
  }

  /** The shared rule (revision-rules.ts) reports nothing for this object. */
  quiet(n: number, old: LeanValue | undefined, now: LeanValue | undefined): boolean {
    this.reported = false;
    classifyChange(this.roles.of(n), old, now, this, this.note);
    return !this.reported;
  }
}

export function nothingChangedAfter(file: LeanFile, roles: LeanRoles, signedEnd: number): boolean {
  const bytes = file.bytes;
  const before = new Map<number, LeanDefinition>();
  const later: LeanDefinition[] = [];
  for (const d of file.definitions) {
    if (d.offset < signedEnd) before.set(d.objectNumber, d);
    else later.push(d);
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!/%%EOF\s*$/.test(buf.toString('latin1', Math.max(0, signedEnd - 8), signedEnd))) return false;
  const laterSections: LeanFile['xrefSections'] = [];
  for (const section of file.xrefSections) if (section.offset >= signedEnd) laterSections.push(section);
  if (signedEnd < bytes.length && laterSections.length === 0 && !isWhitespace(bytes, signedEnd)) return false;
  const lastEof = buf.lastIndexOf('%%EOF', undefined, 'latin1');
  if (lastEof >= signedEnd - 6 && !isWhitespace(bytes, lastEof + 5)) return false;

  const objects = new LeanRevisionObjects(file, roles, before);

  // 1. Every definition written after the signature.
  if (later.length > MAX_EXAMINED) return false;
  for (const d of later) {
    const old = before.get(d.objectNumber);
    if (old && sameValue(file, old.value, d.value)) continue;
    if (!objects.quiet(d.objectNumber, old?.value, d.value)) return false;
  }

  // 2. Later cross-reference entries point at the definitions seen (or at the signed one).
  const laterOffsets = new Map<number, Set<number>>();
  for (const d of later) {
    let set = laterOffsets.get(d.objectNumber);
    if (!set) laterOffsets.set(d.objectNumber, (set = new Set()));
    set.add(d.offset);
  }
  for (const section of laterSections) {
    for (const e of section.entries) {
      if (e.objectNumber === 0) continue;
      const old = before.get(e.objectNumber);
      if (e.free) {
        if (old && !objects.quiet(e.objectNumber, old.value, undefined)) return false;
        continue;
      }
      if (!laterOffsets.get(e.objectNumber)?.has(e.offset!) && old?.offset !== e.offset) return false;
    }
  }

  // 3. The catalog itself replaced.
  let rootBefore: PdfValue | undefined;
  for (const t of file.trailers) if (t.offset < signedEnd) rootBefore = t.root;
  if (rootBefore && file.root && serialize(rootBefore) !== serialize(file.root)) return false;
  return true;
}
