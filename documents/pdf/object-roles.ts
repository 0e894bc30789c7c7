import type * as base from 'pdf-lib';
import { DocumentError } from '../errors';
import { DEFAULT_STRUCTURE_LIMITS, libOf, listFields, partialFieldName, qualifiedFieldName } from './pdf-structure';

/**
 * What each indirect object is FOR in the final document: page content, annotation, form field,
 * signature, validation data… Found by walking from the catalog with a visit budget. The revision
 * analysis classifies every change after a signature by these roles.
 */

/** Every role, in one list (verify/lean-roles.ts numbers them as bits). */
export const ROLES = [
  'catalog',
  'page_tree',
  'page',
  'page_content',
  'annotations_array',
  'annotation',
  'acroform',
  'form_resources',
  'fields_array',
  'field',
  'field_value',
  'signature_field',
  'signature',
  'signature_appearance',
  'dss',
  'metadata',
  'document',
] as const;

export type Role = (typeof ROLES)[number];

export interface ObjectRoles {
  roles: Map<number, Set<Role>>;
  /** 1-based page numbers an object belongs to (page dicts, their content, annotations). */
  pages: Map<number, Set<number>>;
  /** Fully qualified names of the fields an object belongs to. */
  fields: Map<number, Set<string>>;
  pageCount: number;
}

/** Keys never followed when marking what an object reaches (back links and chains to other pages). */
const BACK_LINK_KEYS = ['Parent', 'P', 'Prev', 'Next', 'First', 'Last', 'Dest', 'A', 'StructParent', 'StructParents'];

export function objectRoles(doc: { context: unknown; catalog: unknown; getPages(): { ref: base.PDFRef; node: base.PDFDict }[] }, maxVisits = 2_000_000): ObjectRoles {
  const lib = libOf(doc.context);
  const context = doc.context as base.PDFContext;
  const N = (s: string) => lib.PDFName.of(s);
  // PDFName.of interns names: keys compare by identity, without decoding each one.
  const BACK_LINKS = new Set(BACK_LINK_KEYS.map(N));
  const [ANNOTS, PARENT, V, AP, KIDS] = ['Annots', 'Parent', 'V', 'AP', 'Kids'].map(N);
  const out: ObjectRoles = { roles: new Map(), pages: new Map(), fields: new Map(), pageCount: 0 };
  let visits = 0;
  const add = <T>(map: Map<number, Set<T>>, n: number, v: T) => {
    let set = map.get(n);
    if (!set) map.set(n, (set = new Set()));
    set.add(v);
  };
  const tag = (ref: base.PDFRef, role: Role, page?: number, field?: string) => {
    add(out.roles, ref.objectNumber, role);
    if (page !== undefined) add(out.pages, ref.objectNumber, page);
    if (field !== undefined) add(out.fields, ref.objectNumber, field);
  };

  /**
   * Objects already marked per (role, page, field): everything reachable from such an object was
   * marked with the same tags when it was first reached, so a later walk stops there.
   */
  const marked = new Map<string, Set<number>>();
  /** Marks every object reachable from `start` (not through back links) with `role`. */
  const mark = (start: base.PDFObject | undefined, role: Role, page?: number, field?: string) => {
    const key = `${role}\u0000${page ?? '-'}\u0000${field === undefined ? '-' : `+${field}`}`;
    let seen = marked.get(key);
    if (!seen) marked.set(key, (seen = new Set<number>()));
    const stack: (base.PDFObject | undefined)[] = [start];
    while (stack.length > 0) {
      const obj = stack.pop();
      if (++visits > maxVisits) throw new DocumentError('PDF_TOO_COMPLEX', 'the PDF object graph is too large to analyse');
      if (obj instanceof lib.PDFRef) {
        if (seen.has(obj.objectNumber)) continue;
        seen.add(obj.objectNumber);
        tag(obj, role, page, field);
        stack.push(context.lookup(obj));
      } else if (obj instanceof lib.PDFArray) {
        // One push per element: spreading an array of the file's size into push() overflows the stack.
        for (let i = 0; i < obj.size(); i++) stack.push(obj.get(i));
      } else if (obj instanceof lib.PDFDict) {
        for (const [key, value] of obj.entries()) if (!BACK_LINKS.has(key)) stack.push(value);
      } else if (obj instanceof lib.PDFStream) {
        stack.push(obj.dict);
      }
    }
  };
  const tagIfRef = (raw: base.PDFObject | undefined, role: Role, page?: number, field?: string) => {
    if (raw instanceof lib.PDFRef) tag(raw, role, page, field);
  };

  const rootRef = context.trailerInfo.Root;
  tagIfRef(rootRef, 'catalog');
  const catalog = doc.catalog as base.PDFDict;

  // Pages: tree nodes, each page, its content and resources, its annotations.
  const pagesRaw = catalog.get(N('Pages'));
  const markTree = (raw: base.PDFObject | undefined, depth: number) => {
    const node = context.lookup(raw);
    if (!(node instanceof lib.PDFPageTree) || depth > 64) return;
    tagIfRef(raw, 'page_tree');
    const kids = node.lookup(N('Kids'));
    if (kids instanceof lib.PDFArray) {
      tagIfRef(node.get(N('Kids')), 'page_tree');
      for (const kid of kids.asArray()) markTree(kid, depth + 1);
    }
    for (const key of ['Resources', 'MediaBox', 'CropBox', 'Rotate']) mark(node.get(N(key)), 'page_content');
  };
  markTree(pagesRaw, 0);
  const pages = doc.getPages();
  out.pageCount = pages.length;
  const signatureWidgets = new Set<number>();
  const signedKids = kidsOfSignedSignatureFields();
  pages.forEach((page, i) => {
    const n = i + 1;
    tag(page.ref, 'page', n);
    const leaf = page.node;
    for (const [key, value] of leaf.entries()) {
      if (key === ANNOTS || key === PARENT) continue;
      mark(value, 'page_content', n);
    }
    const inheritedResources = (leaf as unknown as { getInheritableAttribute(name: base.PDFName): base.PDFObject | undefined }).getInheritableAttribute(N('Resources'));
    mark(inheritedResources, 'page_content', n);
    const annotsRaw = leaf.get(N('Annots'));
    tagIfRef(annotsRaw, 'annotations_array', n);
    const annots = context.lookup(annotsRaw);
    if (!(annots instanceof lib.PDFArray)) return;
    for (const a of annots.asArray()) {
      const annot = context.lookup(a);
      if (!(annot instanceof lib.PDFDict)) continue;
      const isSigWidget = isSignatureWidget(annot) || (a instanceof lib.PDFRef && signedKids.has(a.objectNumber));
      if (a instanceof lib.PDFRef) {
        if (isSigWidget) signatureWidgets.add(a.objectNumber);
        tag(a, isSigWidget ? 'signature_field' : 'annotation', n);
      }
      for (const [key, value] of annot.entries()) {
        if (BACK_LINKS.has(key) || key === V) continue;
        mark(value, isSigWidget ? (key === AP ? 'signature_appearance' : 'signature_field') : 'annotation', n);
      }
    }
  });

  /**
   * A widget of a SIGNED signature field (FT and V may sit on a parent field). Unsigned signature
   * fields count as ordinary annotations/fields: an empty field added later could paint anything.
   */
  function isSignatureWidget(annot: base.PDFDict): boolean {
    let node: base.PDFObject | undefined = annot;
    let signed = false;
    for (let depth = 0; node instanceof lib.PDFDict && depth < 33; depth++) {
      signed ||= isSignatureValue(node.get(N('V')));
      const ft = node.lookup(N('FT'));
      if (ft instanceof lib.PDFName) return ft.decodeText() === 'Sig' && signed;
      node = context.lookup(node.get(N('Parent')));
    }
    return false;
  }

  /**
   * Widgets listed in the /Kids of a signed signature field. signPdf writes a signature with
   * several marks as one field whose kids have no /Parent (poppler would take kids with a /Parent
   * for separate, unsigned fields), so the walk up from the widget cannot find the field.
   */
  function kidsOfSignedSignatureFields(): Set<number> {
    const kids = new Set<number>();
    for (const f of listFields(doc, DEFAULT_STRUCTURE_LIMITS)) {
      if (f.type !== 'Sig' || !f.signature) continue;
      const arr = context.lookup(f.dict.get(N('Kids')));
      if (arr instanceof lib.PDFArray) for (const kid of arr.asArray()) if (kid instanceof lib.PDFRef) kids.add(kid.objectNumber);
    }
    return kids;
  }

  function isSignatureValue(raw: base.PDFObject | undefined): boolean {
    const v = context.lookup(raw);
    return v instanceof lib.PDFDict && v.has(N('ByteRange'));
  }

  // Form: AcroForm, its resources, every field; signature values and appearances.
  const acroRaw = catalog.get(N('AcroForm'));
  tagIfRef(acroRaw, 'acroform');
  const acroForm = context.lookup(acroRaw);
  if (acroForm instanceof lib.PDFDict) {
    mark(acroForm.get(N('DR')), 'form_resources');
    const fieldsRaw = acroForm.get(N('Fields'));
    tagIfRef(fieldsRaw, 'fields_array');
    const seen = new Set<base.PDFObject>();
    const walk = (raw: base.PDFObject | undefined, prefix: string, type: string | null, depth: number, parentSigned: boolean) => {
      const arr = context.lookup(raw);
      if (!(arr instanceof lib.PDFArray) || depth > 32) return;
      for (const item of arr.asArray()) {
        const field = context.lookup(item);
        if (!(field instanceof lib.PDFDict) || seen.has(field)) continue;
        seen.add(field);
        const name = qualifiedFieldName(prefix, partialFieldName(lib, field.lookup(N('T'))));
        const ft = field.lookup(N('FT'));
        const fieldType = ft instanceof lib.PDFName ? ft.decodeText() : type;
        // Only signed signature fields (a value with a byte range, here or on the parent) count as signatures.
        const signed = parentSigned || isSignatureValue(field.get(N('V')));
        const isSig = fieldType === 'Sig' && signed;
        if (item instanceof lib.PDFRef) tag(item, isSig ? 'signature_field' : 'field', undefined, name);
        for (const [key, value] of field.entries()) {
          if (BACK_LINKS.has(key) || key === KIDS) continue;
          const k = key.decodeText();
          if (isSig) mark(value, k === 'V' ? 'signature' : k === 'AP' ? 'signature_appearance' : 'signature_field', undefined, name);
          else mark(value, k === 'V' || k === 'AP' || k === 'AS' ? 'field_value' : 'field', undefined, name);
        }
        walk(field.get(N('Kids')), name, fieldType, depth + 1, signed);
        tagIfRef(field.get(N('Kids')), isSig ? 'signature_field' : 'field', undefined, name);
      }
    };
    walk(fieldsRaw, '', null, 0, false);
  }

  mark(catalog.get(N('DSS')), 'dss');
  mark(catalog.get(N('Metadata')), 'metadata');
  mark(context.trailerInfo.Info, 'metadata');
  for (const [key, value] of catalog.entries()) {
    if (!['Pages', 'AcroForm', 'DSS', 'Metadata', 'Type'].includes(key.decodeText())) mark(value, 'document');
  }
  return out;
}
