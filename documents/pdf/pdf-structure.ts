import * as base from 'pdf-lib';
import * as incremental from 'pdf-lib-incremental-save';
import { DocumentError } from '../errors';

/**
 * Bounded walks over a parsed PDF, run BEFORE pdf-lib's own recursive walks (getPages, forms),
 * which have no visit set: a page tree or field tree that lists the same node twice doubles the
 * work at every level (2^depth). Each walk visits a node at most once, stops at a depth and a
 * count, and refuses repeated or cyclic nodes.
 */

export interface StructureLimits {
  maxPages: number;
  maxFields: number;
  /** Nesting depth of the page tree and of the field tree. */
  maxDepth: number;
}

export const DEFAULT_STRUCTURE_LIMITS: StructureLimits = { maxPages: 2000, maxFields: 2000, maxDepth: 32 };

type Lib = typeof base;
/** The classes of whichever pdf-lib build parsed this context (plain or incremental-save). */
export const libOf = (context: unknown): Lib => (context instanceof base.PDFContext ? base : (incremental as unknown as Lib));

interface DocLike {
  context: unknown;
  catalog: unknown;
}

function parts(doc: DocLike) {
  return { lib: libOf(doc.context), context: doc.context as base.PDFContext, catalog: doc.catalog as base.PDFDict };
}

/**
 * Checks the page tree: the root's /Count first, then every node once (repeats and cycles are
 * PDF_CORRUPT, more than maxPages leaves PDF_TOO_MANY_PAGES as soon as they are counted), and every
 * page's /Parent chain (pdf-lib follows it for inherited attributes). Returns the page count.
 */
export function checkPageTree(doc: DocLike, limits: Pick<StructureLimits, 'maxPages' | 'maxDepth'>): number {
  const { lib, context, catalog } = parts(doc);
  const corrupt = (why: string) => new DocumentError('PDF_CORRUPT', `the PDF page tree is broken: ${why}`);
  const tooMany = (n: number) => new DocumentError('PDF_TOO_MANY_PAGES', `the PDF has ${n} pages; the limit is ${limits.maxPages}`);
  const root = catalog instanceof lib.PDFDict ? context.lookup(catalog.get(lib.PDFName.of('Pages'))) : undefined;
  if (!(root instanceof lib.PDFPageTree)) throw corrupt('the catalog has no page tree');
  const declared = root.lookup(lib.PDFName.of('Count'));
  if (declared instanceof lib.PDFNumber && declared.asNumber() > limits.maxPages) throw tooMany(declared.asNumber());

  const visited = new Set<base.PDFObject>([root]);
  const stack: [base.PDFPageTree, number][] = [[root, 0]];
  let pages = 0;
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    const kids = node.lookup(lib.PDFName.of('Kids'));
    if (!(kids instanceof lib.PDFArray)) throw corrupt('a page tree node has no /Kids array');
    for (let i = 0; i < kids.size(); i++) {
      const kid = context.lookup(kids.get(i));
      if (!(kid instanceof lib.PDFPageTree) && !(kid instanceof lib.PDFPageLeaf)) continue; // pdf-lib skips these too
      if (visited.has(kid)) throw corrupt('a page or page tree node is listed more than once');
      visited.add(kid);
      if (kid instanceof lib.PDFPageLeaf) {
        if (++pages > limits.maxPages) throw tooMany(pages);
      } else {
        if (depth + 1 > limits.maxDepth) throw corrupt(`the page tree is deeper than ${limits.maxDepth} levels`);
        stack.push([kid, depth + 1]);
      }
      if (visited.size > 2 * limits.maxPages + 64) throw new DocumentError('PDF_TOO_COMPLEX', 'the page tree has too many nodes');
    }
  }
  // Inherited attributes are looked up through /Parent: that chain must end, without cycles.
  for (const node of visited) {
    const seen = new Set<base.PDFObject>();
    let current: base.PDFObject | undefined = node;
    while (current instanceof lib.PDFDict) {
      if (seen.has(current) || seen.size > limits.maxDepth + 1) throw corrupt('a /Parent chain loops or is too long');
      seen.add(current);
      const parent: base.PDFObject | undefined = context.lookup(current.get(lib.PDFName.of('Parent')));
      if (parent !== undefined && !(parent instanceof lib.PDFPageTree)) throw corrupt('a /Parent is not a page tree node');
      current = parent;
    }
  }
  return pages;
}

export interface FieldInfo {
  /** Fully qualified name (partial names joined by "."), "" for unnamed widgets. */
  name: string;
  dict: base.PDFDict;
  /** Field type, inherited from ancestors (Tx, Btn, Ch, Sig). */
  type: string | null;
  /** For signature fields with a value: the signature dictionary. */
  signature: base.PDFDict | null;
}

const textOf = (lib: Lib, o: unknown) => (o instanceof lib.PDFString || o instanceof lib.PDFHexString ? o.decodeText() : null);

/**
 * Every field and widget of the AcroForm, each at most once (a repeated or cyclic kid is
 * PDF_CORRUPT; more than maxFields is PDF_TOO_COMPLEX).
 */
export function listFields(doc: DocLike, limits: Pick<StructureLimits, 'maxFields' | 'maxDepth'>): FieldInfo[] {
  const { lib, context, catalog } = parts(doc);
  const N = (s: string) => lib.PDFName.of(s);
  const acroForm = catalog instanceof lib.PDFDict ? context.lookup(catalog.get(N('AcroForm'))) : undefined;
  if (!(acroForm instanceof lib.PDFDict)) return [];
  const fields = context.lookup(acroForm.get(N('Fields')));
  if (!(fields instanceof lib.PDFArray)) return [];

  const out: FieldInfo[] = [];
  const visited = new Set<base.PDFObject>();
  const stack: { kids: base.PDFArray; prefix: string; type: string | null; depth: number }[] = [{ kids: fields, prefix: '', type: null, depth: 0 }];
  while (stack.length > 0) {
    const { kids, prefix, type, depth } = stack.pop()!;
    for (let i = 0; i < kids.size(); i++) {
      const field = context.lookup(kids.get(i));
      if (!(field instanceof lib.PDFDict)) continue;
      if (visited.has(field)) throw new DocumentError('PDF_CORRUPT', 'the form field tree lists a field more than once');
      visited.add(field);
      if (visited.size > limits.maxFields) throw new DocumentError('PDF_TOO_COMPLEX', `the PDF has more than ${limits.maxFields} form fields`);
      const partial = textOf(lib, field.get(N('T')));
      const name = partial === null ? prefix : prefix ? `${prefix}.${partial}` : partial;
      const ft = field.lookup(N('FT'));
      const fieldType = ft instanceof lib.PDFName ? ft.decodeText() : type;
      const v = fieldType === 'Sig' ? context.lookup(field.get(N('V'))) : undefined;
      const signature = v instanceof lib.PDFDict && v.has(N('ByteRange')) ? v : null;
      out.push({ name, dict: field, type: fieldType, signature });
      const children = context.lookup(field.get(N('Kids')));
      if (children instanceof lib.PDFArray) {
        if (depth + 1 > limits.maxDepth) throw new DocumentError('PDF_CORRUPT', `the form field tree is deeper than ${limits.maxDepth} levels`);
        stack.push({ kids: children, prefix: name, type: fieldType, depth: depth + 1 });
      }
    }
  }
  return out;
}

/** Signature fields that carry a signature (one entry per signature dictionary). */
export function signedFields(fields: FieldInfo[]): (FieldInfo & { signature: base.PDFDict })[] {
  const seen = new Set<base.PDFDict>();
  return fields.filter((f): f is FieldInfo & { signature: base.PDFDict } => {
    if (!f.signature || seen.has(f.signature)) return false;
    seen.add(f.signature);
    return true;
  });
}
