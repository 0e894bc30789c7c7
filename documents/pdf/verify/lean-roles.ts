import { Unsupported, type PdfValue } from '../incremental/pdf-syntax';
import type { Role } from '../object-roles';
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

export function leanObjectRoles(file: LeanFile, catalog: Dict, fields: LeanField[]): Map<number, Set<Role>> {
  const pages = leanPages(file, catalog);
  // Upper bound of the general walk's visits: per (role, page, field) key, each value at most
  // twice (a reference and its lookup), plus the start values.
  const keys = 4 * pages.length + 5 * fields.length + 16;
  if (keys * (2 * file.valueCount + 64) >= GENERAL_MAX_VISITS) throw new Unsupported('the object graph is too large for the lean path');

  const roles = new Map<number, Set<Role>>();
  const tag = (num: number, role: Role) => {
    let set = roles.get(num);
    if (!set) roles.set(num, (set = new Set()));
    set.add(role);
  };
  const tagIfRef = (raw: LeanValue | undefined, role: Role) => {
    if (raw?.t === 'ref') tag(raw.num, role);
  };
  const marked = new Map<Role, Set<number>>();
  const mark = (start: LeanValue | undefined, role: Role) => {
    let seen = marked.get(role);
    if (!seen) marked.set(role, (seen = new Set()));
    const stack: (LeanValue | undefined)[] = [start];
    while (stack.length > 0) {
      const obj = stack.pop();
      if (obj === undefined) continue;
      switch (obj.t) {
        case 'ref':
          if (seen.has(obj.num)) break;
          seen.add(obj.num);
          tag(obj.num, role);
          stack.push(file.objects.get(obj.num));
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
  };
  const isSignatureValue = (raw: LeanValue | undefined) => {
    const v = resolve(file, raw);
    return v?.t === 'dict' && get(v, 'ByteRange') !== undefined;
  };

  tagIfRef(file.root, 'catalog');

  const markTree = (raw: LeanValue | undefined, depth: number) => {
    const node = resolve(file, raw);
    if (!isPageTree(node) || depth > 64) return;
    tagIfRef(raw, 'page_tree');
    const kids = resolve(file, get(node, 'Kids'));
    if (kids?.t === 'arr') {
      tagIfRef(get(node, 'Kids'), 'page_tree');
      for (const kid of kids.items) markTree(kid, depth + 1);
    }
    for (const key of ['Resources', 'MediaBox', 'CropBox', 'Rotate']) mark(get(node, key), 'page_content');
  };
  markTree(get(catalog, 'Pages'), 0);

  const signedKids = new Set<number>();
  for (const f of fields) {
    if (f.type !== 'Sig' || !f.signature) continue;
    const arr = resolve(file, get(f.dict, 'Kids'));
    if (arr?.t === 'arr') for (const kid of arr.items) if (kid.t === 'ref') signedKids.add(kid.num);
  }
  const isSignatureWidget = (annot: Dict): boolean => {
    let node: LeanValue | undefined = annot;
    let signed = false;
    for (let depth = 0; node?.t === 'dict' && depth < 33; depth++) {
      signed ||= isSignatureValue(get(node, 'V'));
      const ft = resolve(file, get(node, 'FT'));
      if (ft?.t === 'name') return ft.v === 'Sig' && signed;
      node = resolve(file, get(node, 'Parent'));
    }
    return false;
  };

  for (const page of pages) {
    tag(page.ref, 'page');
    const leaf = page.node;
    for (const [key, value] of leaf.entries) if (key !== 'Annots' && key !== 'Parent') mark(value, 'page_content');
    // getInheritableAttribute('Resources'): the first node up the /Parent chain that has it.
    let inherited: PdfValue | undefined;
    for (let node: LeanValue | undefined = leaf; node?.t === 'dict' && inherited === undefined; node = resolve(file, get(node, 'Parent'))) inherited = get(node, 'Resources');
    mark(inherited, 'page_content');
    const annotsRaw = get(leaf, 'Annots');
    tagIfRef(annotsRaw, 'annotations_array');
    const annots = resolve(file, annotsRaw);
    if (annots?.t !== 'arr') continue;
    for (const a of annots.items) {
      const annot = resolve(file, a);
      if (annot?.t !== 'dict') continue;
      const isSigWidget = isSignatureWidget(annot) || (a.t === 'ref' && signedKids.has(a.num));
      if (a.t === 'ref') tag(a.num, isSigWidget ? 'signature_field' : 'annotation');
      for (const [key, value] of annot.entries) {
        if (BACK_LINK_KEYS.has(key) || key === 'V') continue;
        mark(value, isSigWidget ? (key === 'AP' ? 'signature_appearance' : 'signature_field') : 'annotation');
      }
    }
  }

  const acroRaw = get(catalog, 'AcroForm');
  tagIfRef(acroRaw, 'acroform');
  const acroForm = resolve(file, acroRaw);
  if (acroForm?.t === 'dict') {
    mark(get(acroForm, 'DR'), 'form_resources');
    const fieldsRaw = get(acroForm, 'Fields');
    tagIfRef(fieldsRaw, 'fields_array');
    const seen = new Set<LeanValue>();
    const walk = (raw: LeanValue | undefined, type: string | null, depth: number, parentSigned: boolean) => {
      const arr = resolve(file, raw);
      if (arr?.t !== 'arr' || depth > 32) return;
      for (const item of arr.items) {
        const field = resolve(file, item);
        if (field?.t !== 'dict' || seen.has(field)) continue;
        seen.add(field);
        const ft = resolve(file, get(field, 'FT'));
        const fieldType = ft?.t === 'name' ? ft.v : type;
        const signed = parentSigned || isSignatureValue(get(field, 'V'));
        const isSig = fieldType === 'Sig' && signed;
        if (item.t === 'ref') tag(item.num, isSig ? 'signature_field' : 'field');
        for (const [k, value] of field.entries) {
          if (BACK_LINK_KEYS.has(k) || k === 'Kids') continue;
          if (isSig) mark(value, k === 'V' ? 'signature' : k === 'AP' ? 'signature_appearance' : 'signature_field');
          else mark(value, k === 'V' || k === 'AP' || k === 'AS' ? 'field_value' : 'field');
        }
        walk(get(field, 'Kids'), fieldType, depth + 1, signed);
        tagIfRef(get(field, 'Kids'), isSig ? 'signature_field' : 'field');
      }
    };
    walk(fieldsRaw, null, 0, false);
  }

  mark(get(catalog, 'DSS'), 'dss');
  mark(get(catalog, 'Metadata'), 'metadata');
  mark(file.info, 'metadata');
  for (const [key, value] of catalog.entries) if (!['Pages', 'AcroForm', 'DSS', 'Metadata', 'Type'].includes(key)) mark(value, 'document');
  return roles;
}
