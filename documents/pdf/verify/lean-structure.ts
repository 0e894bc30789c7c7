import { PDFHexString, PDFString } from 'pdf-lib';
import { Unsupported, type PdfValue } from '../incremental/pdf-syntax';
import { DEFAULT_STRUCTURE_LIMITS, MAX_FIELD_NAME_LENGTH } from '../pdf-structure';
import { get, hasType, resolve, type LeanFile, type LeanValue } from './lean-file';
import { sortByRangeEnd, type DictInfo, type ByteRange } from './signature-info';

/**
 * The structure walks of pdf-structure.ts (page tree check, page order, form fields) and the
 * signature dictionaries of verify-pdf.ts over a LeanFile, step for step. Where the general path
 * would throw a DocumentError (a broken page tree, a repeated field, a budget), these throw
 * Unsupported instead: the general path then runs and reports exactly what it reports today.
 */

type Dict = PdfValue & { t: 'dict' };

const limits = DEFAULT_STRUCTURE_LIMITS;
const isDict = (v: LeanValue | undefined): v is Dict => v?.t === 'dict';
export const isPageTree = (v: LeanValue | undefined): v is Dict => hasType(v, 'Pages');
export const isPageLeaf = (v: LeanValue | undefined): v is Dict => hasType(v, 'Page');

/** The catalog pdf-lib would use without recovery: /Root resolves to a dictionary with /Type /Catalog. */
export function catalogOf(file: LeanFile): Dict {
  const catalog = resolve(file, file.root);
  if (!hasType(catalog, 'Catalog')) throw new Unsupported('/Root is not a catalog');
  return catalog as Dict;
}

/** checkPageTree of pdf-structure.ts: its refusals become Unsupported. */
export function checkLeanPageTree(file: LeanFile, catalog: Dict): void {
  const root = resolve(file, get(catalog, 'Pages'));
  if (!isPageTree(root)) throw new Unsupported('no page tree');
  const declared = resolve(file, get(root, 'Count'));
  if (declared?.t === 'num' && declared.v > limits.maxPages) throw new Unsupported('too many pages');
  const visited = new Set<LeanValue>([root]);
  const stack: [Dict, number][] = [[root, 0]];
  let pages = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    const kids = resolve(file, get(node, 'Kids'));
    if (kids?.t !== 'arr') throw new Unsupported('a page tree node has no /Kids array');
    for (const item of kids.items) {
      const kid = resolve(file, item);
      if (!isPageTree(kid) && !isPageLeaf(kid)) continue;
      if (visited.has(kid)) throw new Unsupported('a page tree node is listed twice');
      visited.add(kid);
      if (isPageLeaf(kid)) {
        if (++pages > limits.maxPages) throw new Unsupported('too many pages');
      } else {
        if (depth + 1 > limits.maxDepth) throw new Unsupported('page tree too deep');
        stack.push([kid, depth + 1]);
      }
      if (visited.size > 2 * limits.maxPages + 64) throw new Unsupported('page tree too large');
    }
  }
  for (const node of visited) {
    const seen = new Set<LeanValue>();
    let current: LeanValue | undefined = node;
    while (isDict(current)) {
      if (seen.has(current) || seen.size > limits.maxDepth + 1) throw new Unsupported('a /Parent chain loops');
      seen.add(current);
      const parent: LeanValue | undefined = resolve(file, get(current, 'Parent'));
      if (parent !== undefined && !isPageTree(parent)) throw new Unsupported('a /Parent is not a page tree node');
      current = parent;
    }
  }
}

export interface LeanPage {
  ref: number;
  node: Dict;
}

/** pdf-lib's getPages(): leaves in the order PDFPageTree.traverse visits them (after checkLeanPageTree). */
export function leanPages(file: LeanFile, catalog: Dict): LeanPage[] {
  const pages: LeanPage[] = [];
  collectPages(file, resolve(file, get(catalog, 'Pages')) as Dict, pages);
  return pages;
}

function collectPages(file: LeanFile, node: Dict, pages: LeanPage[]): void {
  const kids = resolve(file, get(node, 'Kids'));
  if (kids?.t !== 'arr') throw new Unsupported('a page tree node has no /Kids array');
  for (const item of kids.items) {
    const kid = resolve(file, item);
    if (isPageTree(kid)) collectPages(file, kid, pages);
    if (isPageLeaf(kid)) {
      if (item.t !== 'ref') throw new Unsupported('a page that is not an indirect object');
      pages.push({ ref: item.num, node: kid });
    }
  }
}

/**
 * pdf-lib's decoding of a string token depends only on its raw text: field names and dates repeat
 * across the files a process verifies, so the answers are kept (bounded; emptied when full).
 */
const MEMO_SIZE = 1024;
const decodedTexts = new Map<string, string | null>();
const decodedDates = new Map<string, number | null>();

function remember<V>(memo: Map<string, V>, key: string, value: V): V {
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(key, value);
  return value;
}

/**
 * decodeText of pdf-lib's PDFString / PDFHexString for a string token; null for anything else. Only field
 * names are decoded: one longer than listFields takes is Unsupported, before it is decoded.
 */
export function textOf(v: PdfValue | undefined): string | null {
  if (v?.t !== 'str') return null;
  if (v.raw.length - 2 > MAX_FIELD_NAME_LENGTH) throw new Unsupported('a field name longer than listFields takes');
  const key = v.raw; // '<…>' or '(…)': hex and literal strings never share a key
  const known = decodedTexts.get(key);
  if (known !== undefined) {
    if (known === null) throw new Unsupported('undecodable string');
    return known;
  }
  const inner = v.raw.slice(1, -1);
  try {
    return remember(decodedTexts, key, v.hex ? PDFHexString.of(inner).decodeText() : PDFString.of(inner).decodeText());
  } catch {
    remember(decodedTexts, key, null);
    throw new Unsupported('undecodable string');
  }
}

/** decodeDate of pdf-lib's PDFString for a literal string token (null when it throws or gives an invalid date). */
export function dateOf(raw: string): Date | null {
  let time = decodedDates.get(raw);
  if (time === undefined) {
    let date: Date | null = null;
    try {
      date = PDFString.of(raw.slice(1, -1)).decodeDate();
    } catch {
      /* unparsable /M */
    }
    time = remember(decodedDates, raw, date && !Number.isNaN(date.getTime()) ? date.getTime() : null);
  }
  return time === null ? null : new Date(time);
}

export interface LeanField {
  name: string;
  dict: Dict;
  type: string | null;
  signature: Dict | null;
}

const hasKey = (d: Dict, key: string) => get(d, key) !== undefined;

/** listFields of pdf-structure.ts. */
export function listLeanFields(file: LeanFile, catalog: Dict): LeanField[] {
  const acroForm = resolve(file, get(catalog, 'AcroForm'));
  if (!isDict(acroForm)) return [];
  const fields = resolve(file, get(acroForm, 'Fields'));
  if (fields?.t !== 'arr') return [];
  const out: LeanField[] = [];
  const visited = new Set<LeanValue>();
  const stack: { kids: PdfValue[]; prefix: string; type: string | null; depth: number }[] = [{ kids: fields.items, prefix: '', type: null, depth: 0 }];
  while (stack.length > 0) {
    const { kids, prefix, type, depth } = stack.pop()!;
    for (const item of kids) {
      const field = resolve(file, item);
      if (!isDict(field)) continue;
      if (visited.has(field)) throw new Unsupported('a field is listed twice');
      visited.add(field);
      if (visited.size > limits.maxFields) throw new Unsupported('too many fields');
      const partial = textOf(get(field, 'T'));
      const name = partial === null ? prefix : prefix ? `${prefix}.${partial}` : partial;
      if (name.length > MAX_FIELD_NAME_LENGTH) throw new Unsupported('a field name longer than listFields takes');
      const ft = resolve(file, get(field, 'FT'));
      const fieldType = ft?.t === 'name' ? ft.v : type;
      const v = fieldType === 'Sig' ? resolve(file, get(field, 'V')) : undefined;
      const signature = isDict(v) && hasKey(v, 'ByteRange') ? v : null;
      out.push({ name, dict: field, type: fieldType, signature });
      const children = resolve(file, get(field, 'Kids'));
      if (children?.t === 'arr') {
        if (depth + 1 > limits.maxDepth) throw new Unsupported('field tree too deep');
        stack.push({ kids: children.items, prefix: name, type: fieldType, depth: depth + 1 });
      }
    }
  }
  return out;
}

/** signatureDictionaries of verify-pdf.ts: one entry per signature dictionary, by the end of its range. */
export function leanSignatureInfos(file: LeanFile, fields: LeanField[]): DictInfo[] {
  const seen = new Set<Dict>();
  const infos: DictInfo[] = [];
  for (const f of fields) {
    if (!f.signature || seen.has(f.signature)) continue;
    seen.add(f.signature);
    const br = resolve(file, get(f.signature, 'ByteRange'));
    const numbers =
      br?.t === 'arr'
        ? br.items.map((n) => {
            if (n.t !== 'num') return NaN;
            if (!/^\d{1,15}$/.test(n.raw)) throw new Unsupported('a /ByteRange number in an unusual form');
            return n.v;
          })
        : [];
    const range = numbers.length === 4 && numbers.every((n) => Number.isSafeInteger(n) && n >= 0) ? (numbers as ByteRange) : null;
    const m = get(f.signature, 'M');
    const contents = resolve(file, get(f.signature, 'Contents'));
    infos.push({ fieldName: f.name || null, time: m?.t === 'str' && !m.hex ? dateOf(m.raw) : null, range, contents: contents?.t === 'str' && contents.hex ? contents.raw.slice(1, -1) : null });
  }
  return sortByRangeEnd(infos);
}
