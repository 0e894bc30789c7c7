import { Unsupported, type PdfValue } from '../incremental/pdf-syntax';
import { ROLES, type Role } from '../object-roles';
import { get, resolve, type LeanFile, type LeanValue } from './lean-file';
import { isPageTree, leanPages, type LeanField } from './lean-structure';

/**
 * The role SETS of objectRoles (object-roles.ts) over a LeanFile: the same walk from the catalog,
 * the same roles per object number. Pages and field names per object are not kept (the lean path
 * only ever answers "nothing changed", which reports neither). The general walk re-walks per
 * (role, page, field); this one walks once per role, which gives the same sets. Its visit budget
 * (2 M visits → PDF_TOO_COMPLEX) is honoured by refusing files where the general walk could come
 * near it.
 */

/** objectRoles' default visit budget. */
const GENERAL_MAX_VISITS = 2_000_000;

const BACK_LINK_KEYS = new Set(['Parent', 'P', 'Prev', 'Next', 'First', 'Last', 'Dest', 'A', 'StructParent', 'StructParents']);

type Dict = PdfValue & { t: 'dict' };

const BIT = new Map<Role, number>(ROLES.map((r, i) => [r, 1 << i]));
const bitOf = (role: Role): number => BIT.get(role)!;
const SIGNATURE_FIELD = bitOf('signature_field');

/**
 * Sets of roles per object number as bit masks: a typed array for the numbers the file defines,
 * a Map beyond them (references to numbers no object has).
 */
class RoleBits {
  private readonly low: Uint32Array;
  private readonly high = new Map<number, number>();

  /** `store` is zeroed over [0, size) and owned by this object until the next walk. */
  constructor(store: Uint32Array, size: number) {
    this.low = store.subarray(0, size).fill(0);
  }

  get(num: number): number {
    return num < this.low.length ? this.low[num]! : (this.high.get(num) ?? 0);
  }

  /** Adds `bit`; false when it was already there. */
  add(num: number, bit: number): boolean {
    const before = this.get(num);
    if (before & bit) return false;
    if (num < this.low.length) this.low[num] = before | bit;
    else this.high.set(num, before | bit);
    return true;
  }
}

/** The roles the walk gave each object number (what objectRoles' `roles` holds, as sets). */
export class LeanRoles {
  constructor(private readonly bits: RoleBits) {}

  /** The roles of object `num` (in a fixed order; empty when it has none). */
  of(num: number): Role[] {
    const bits = this.bits.get(num);
    const out: Role[] = [];
    for (let i = 0; bits >>> i !== 0; i++) if (bits & (1 << i)) out.push(ROLES[i]!);
    return out;
  }

  isSignatureField(num: number): boolean {
    return (this.bits.get(num) & SIGNATURE_FIELD) !== 0;
  }
}

/** Scratch space for the walks' marks (a walk is synchronous: one at a time), grown on demand. */
let markStore = new Uint32Array(256);

/** The walk's state; methods rather than closures (no function objects made per verification). */
class RoleWalk {
  readonly roles: RoleBits;
  /** Per object number, the roles whose mark() already walked it. */
  private readonly marked: RoleBits;
  private readonly stack: (LeanValue | undefined)[] = [];
  signedKids = new Set<number>();

  constructor(private readonly file: LeanFile) {
    let size = 0;
    for (const d of file.definitions) if (d.objectNumber >= size) size = d.objectNumber + 1;
    if (markStore.length < size) markStore = new Uint32Array(2 * size);
    // The roles outlive the walk (the caller reads them): a fresh array for them, the reused one for marks.
    this.roles = new RoleBits(new Uint32Array(size), size);
    this.marked = new RoleBits(markStore, size);
  }

  tag(num: number, role: Role): void {
    this.roles.add(num, bitOf(role));
  }

  tagIfRef(raw: LeanValue | undefined, role: Role): void {
    if (raw?.t === 'ref') this.tag(raw.num, role);
  }

  /** Marks every object reachable from `start` (not through back links) with `role`. */
  mark(start: LeanValue | undefined, role: Role): void {
    if (start === undefined) return;
    const bit = bitOf(role);
    const stack = this.stack;
    stack.push(start);
    while (stack.length > 0) {
      const obj = stack.pop();
      if (obj === undefined) continue;
      switch (obj.t) {
        case 'ref':
          if (!this.marked.add(obj.num, bit)) break;
          this.roles.add(obj.num, bit);
          stack.push(this.file.objects.get(obj.num));
          break;
        case 'arr':
          for (const item of obj.items) stack.push(item);
          break;
        case 'dict':
          for (const [key, value] of obj.entries) if (!BACK_LINK_KEYS.has(key)) stack.push(value);
          break;
        case 'stream':
          stack.push(obj.dict);
          break;
      }
    }
  }

  isSignatureValue(raw: LeanValue | undefined): boolean {
    const v = resolve(this.file, raw);
    return v?.t === 'dict' && get(v, 'ByteRange') !== undefined;
  }

  markTree(raw: LeanValue | undefined, depth: number): void {
    const node = resolve(this.file, raw);
    if (!isPageTree(node) || depth > 64) return;
    this.tagIfRef(raw, 'page_tree');
    const kids = resolve(this.file, get(node, 'Kids'));
    if (kids?.t === 'arr') {
      this.tagIfRef(get(node, 'Kids'), 'page_tree');
      for (const kid of kids.items) this.markTree(kid, depth + 1);
    }
    for (const key of TREE_KEYS) this.mark(get(node, key), 'page_content');
  }

  /** A widget of a SIGNED signature field (FT and V may sit on a parent field). */
  isSignatureWidget(annot: Dict): boolean {
    let node: LeanValue | undefined = annot;
    let signed = false;
    for (let depth = 0; node?.t === 'dict' && depth < 33; depth++) {
      signed ||= this.isSignatureValue(get(node, 'V'));
      const ft = resolve(this.file, get(node, 'FT'));
      if (ft?.t === 'name') return ft.v === 'Sig' && signed;
      node = resolve(this.file, get(node, 'Parent'));
    }
    return false;
  }

  page(ref: number, leaf: Dict): void {
    const file = this.file;
    this.tag(ref, 'page');
    for (const [key, value] of leaf.entries) if (key !== 'Annots' && key !== 'Parent') this.mark(value, 'page_content');
    // getInheritableAttribute('Resources'): the first node up the /Parent chain that has it.
    let inherited: PdfValue | undefined;
    for (let node: LeanValue | undefined = leaf; node?.t === 'dict' && inherited === undefined; node = resolve(file, get(node, 'Parent'))) inherited = get(node, 'Resources');
    // The leaf's own /Resources was marked with its other entries just above (marking is idempotent).
    if (inherited !== get(leaf, 'Resources')) this.mark(inherited, 'page_content');
    const annotsRaw = get(leaf, 'Annots');
    this.tagIfRef(annotsRaw, 'annotations_array');
    const annots = resolve(file, annotsRaw);
    if (annots?.t !== 'arr') return;
    for (const a of annots.items) {
      const annot = resolve(file, a);
      if (annot?.t !== 'dict') continue;
      const isSigWidget = this.isSignatureWidget(annot) || (a.t === 'ref' && this.signedKids.has(a.num));
      if (a.t === 'ref') this.tag(a.num, isSigWidget ? 'signature_field' : 'annotation');
      for (const [key, value] of annot.entries) {
        if (BACK_LINK_KEYS.has(key) || key === 'V') continue;
        this.mark(value, isSigWidget ? (key === 'AP' ? 'signature_appearance' : 'signature_field') : 'annotation');
      }
    }
  }

  fieldTree(raw: LeanValue | undefined, type: string | null, depth: number, parentSigned: boolean, seen: Set<LeanValue>): void {
    const arr = resolve(this.file, raw);
    if (arr?.t !== 'arr' || depth > 32) return;
    for (const item of arr.items) {
      const field = resolve(this.file, item);
      if (field?.t !== 'dict' || seen.has(field)) continue;
      seen.add(field);
      const ft = resolve(this.file, get(field, 'FT'));
      const fieldType = ft?.t === 'name' ? ft.v : type;
      const signed = parentSigned || this.isSignatureValue(get(field, 'V'));
      const isSig = fieldType === 'Sig' && signed;
      if (item.t === 'ref') this.tag(item.num, isSig ? 'signature_field' : 'field');
      for (const [k, value] of field.entries) {
        if (BACK_LINK_KEYS.has(k) || k === 'Kids') continue;
        if (isSig) this.mark(value, k === 'V' ? 'signature' : k === 'AP' ? 'signature_appearance' : 'signature_field');
        else this.mark(value, k === 'V' || k === 'AP' || k === 'AS' ? 'field_value' : 'field');
      }
      this.fieldTree(get(field, 'Kids'), fieldType, depth + 1, signed, seen);
      this.tagIfRef(get(field, 'Kids'), isSig ? 'signature_field' : 'field');
    }
  }
}

const TREE_KEYS = ['Resources', 'MediaBox', 'CropBox', 'Rotate'];
const CATALOG_WALKED_KEYS = new Set(['Pages', 'AcroForm', 'DSS', 'Metadata', 'Type']);

export function leanObjectRoles(file: LeanFile, catalog: Dict, fields: LeanField[]): LeanRoles {
  const pages = leanPages(file, catalog);
  // Upper bound of the general walk's visits: per (role, page, field) key, each value at most
  // twice (a reference and its lookup), plus the start values.
  const keys = 4 * pages.length + 5 * fields.length + 16;
  if (keys * (2 * file.valueCount + 64) >= GENERAL_MAX_VISITS) throw new Unsupported('the object graph is too large for the lean path');

  const walk = new RoleWalk(file);
  walk.tagIfRef(file.root, 'catalog');
  walk.markTree(get(catalog, 'Pages'), 0);
  for (const f of fields) {
    if (f.type !== 'Sig' || !f.signature) continue;
    const arr = resolve(file, get(f.dict, 'Kids'));
    if (arr?.t === 'arr') for (const kid of arr.items) if (kid.t === 'ref') walk.signedKids.add(kid.num);
  }
  for (const page of pages) walk.page(page.ref, page.node);

  const acroRaw = get(catalog, 'AcroForm');
  walk.tagIfRef(acroRaw, 'acroform');
  const acroForm = resolve(file, acroRaw);
  if (acroForm?.t === 'dict') {
    walk.mark(get(acroForm, 'DR'), 'form_resources');
    const fieldsRaw = get(acroForm, 'Fields');
    walk.tagIfRef(fieldsRaw, 'fields_array');
    walk.fieldTree(fieldsRaw, null, 0, false, new Set());
  }

  walk.mark(get(catalog, 'DSS'), 'dss');
  walk.mark(get(catalog, 'Metadata'), 'metadata');
  walk.mark(file.info, 'metadata');
  for (const [key, value] of catalog.entries) if (!CATALOG_WALKED_KEYS.has(key)) walk.mark(value, 'document');
  return new LeanRoles(walk.roles);
}
