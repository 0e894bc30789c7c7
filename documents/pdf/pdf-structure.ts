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

/**
 * The longest field name taken: a partial name (/T) as written, in bytes, and a fully qualified name, in
 * characters. Real names are a few dozen characters. pdf-lib decodes a string with one
 * String.fromCodePoint.apply over all its characters, which overflows the stack past ~100,000 of them (a
 * 1 MB /T made an upload fail as an internal error), and a name is repeated in every descendant's name.
 */
export const MAX_FIELD_NAME_LENGTH = 8 * 1024;

const fieldNameTooLong = () => new DocumentError('PDF_TOO_COMPLEX', `the PDF has a form field name longer than ${MAX_FIELD_NAME_LENGTH} bytes`);

/** A field's partial name (/T) decoded, refused (PDF_TOO_COMPLEX) past MAX_FIELD_NAME_LENGTH before pdf-lib decodes it; null when it is no string. */
export function partialFieldName(lib: Lib, t: unknown): string | null {
  if (!(t instanceof lib.PDFString || t instanceof lib.PDFHexString)) return null;
  if (t.asString().length > MAX_FIELD_NAME_LENGTH) throw fieldNameTooLong();
  return t.decodeText();
}

/** The fully qualified name of a field: its parent's, then its partial name (none: the parent's), within MAX_FIELD_NAME_LENGTH. */
export function qualifiedFieldName(prefix: string, partial: string | null): string {
  const name = partial === null ? prefix : prefix ? `${prefix}.${partial}` : partial;
  if (name.length > MAX_FIELD_NAME_LENGTH) throw fieldNameTooLong();
  return name;
}

/**
 * Every field and widget of the AcroForm, each at most once (a repeated or cyclic kid is
 * PDF_CORRUPT; more than maxFields, or a name past MAX_FIELD_NAME_LENGTH, is PDF_TOO_COMPLEX).
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
      const name = qualifiedFieldName(prefix, partialFieldName(lib, field.get(N('T'))));
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

/**
 * The shapes the signer (sign-pdf.ts: the AcroForm, its /Fields, a page's /Annots) and the text
 * drawer (draw-text-fields.ts, through pdf-lib's page normalization: /Resources with its /Font,
 * /XObject and /ExtGState, /Annots, /Contents) read with pdf-lib's typed lookups, which throw on
 * anything else. An upload that breaks one could be stored but never signed or filled, so it is
 * refused here, as PDF_CORRUPT (`pages`: the page dictionaries, after checkPageTree).
 *  - /AcroForm, /Fields, /Annots: absent or a direct null (the signer replaces those), else
 *    resolving to a dictionary / an array / an array;
 *  - /Resources (inherited as pdf-lib inherits it: from the nearest node that has the key) and
 *    its /Font, /XObject, /ExtGState: absent or null (pdf-lib reads null as absent), else a
 *    dictionary;
 *  - /Contents: absent or null (an empty page), else a stream or an array whose every element
 *    resolves to a stream;
 *  - in all of these, a reference to an object the file does not have (see `resolve`).
 * Bounded like the walks above: each page once, each /Parent chain at most maxDepth + 1 long (as
 * checkPageTree verified), and each resource dictionary and /Contents array once however many
 * pages share it, so the work stays within what the parse budget let the file hold.
 */
export function checkObjectShapes(doc: DocLike, pages: readonly base.PDFDict[], limits: Pick<StructureLimits, 'maxDepth'>): void {
  const { lib, context, catalog } = parts(doc);
  const N = (s: string) => lib.PDFName.of(s);
  const corrupt = (why: string) => new DocumentError('PDF_CORRUPT', `the PDF structure is broken: ${why}`);
  /** A reference must name an object of the file: pdf-lib numbers the objects it adds (signature, widgets, fonts) after the largest, so a dangling one would come to point at one of them. */
  const resolve = (v: base.PDFObject | undefined, what: string) => {
    if (!(v instanceof lib.PDFRef)) return v;
    const target = context.lookup(v);
    if (target === undefined) throw corrupt(`${what} refers to object ${v.objectNumber}, which does not exist`);
    return target;
  };
  const kindOf = (v: base.PDFObject): string => {
    if (v === lib.PDFNull) return 'null';
    if (v instanceof lib.PDFDict) return 'a dictionary';
    if (v instanceof lib.PDFArray) return 'an array';
    if (v instanceof lib.PDFStream) return 'a stream';
    if (v instanceof lib.PDFNumber) return 'a number';
    if (v instanceof lib.PDFName) return 'a name';
    if (v instanceof lib.PDFString || v instanceof lib.PDFHexString) return 'a string';
    return 'another kind of object';
  };
  /** For the signer's entries: absent or a direct null, else resolving to the expected kind. */
  const strict = <T extends base.PDFObject>(raw: base.PDFObject | undefined, is: (v: unknown) => v is T, expected: string, what: string): T | undefined => {
    if (raw === undefined || raw === lib.PDFNull) return undefined;
    const v = resolve(raw, what);
    if (!is(v)) throw corrupt(`${what} is ${kindOf(v!)}, not ${expected}`);
    return v;
  };
  const isDict = (v: unknown): v is base.PDFDict => v instanceof lib.PDFDict;
  const isArray = (v: unknown): v is base.PDFArray => v instanceof lib.PDFArray;
  /** For resource entries: absent or null (pdf-lib's lookupMaybe), else a dictionary. */
  const dictOrAbsent = (raw: base.PDFObject | undefined, what: string): base.PDFDict | undefined => {
    const v = resolve(raw, what);
    if (v === undefined || v === lib.PDFNull) return undefined;
    if (!(v instanceof lib.PDFDict)) throw corrupt(`${what} is ${kindOf(v)}, not a dictionary`);
    return v;
  };

  const acroForm = catalog instanceof lib.PDFDict ? strict(catalog.get(N('AcroForm')), isDict, 'a dictionary', 'the catalog’s /AcroForm') : undefined;
  if (acroForm) strict(acroForm.get(N('Fields')), isArray, 'an array', 'the /AcroForm’s /Fields');

  const checkedResources = new Set<base.PDFDict>();
  const checkedContents = new Set<base.PDFArray>();
  pages.forEach((page, index) => {
    const where = `page ${index + 1}`;
    strict(page.get(N('Annots')), isArray, 'an array', `the /Annots of ${where}`);

    const contents = resolve(page.get(N('Contents')), `the /Contents of ${where}`);
    if (contents instanceof lib.PDFArray) {
      if (!checkedContents.has(contents)) {
        checkedContents.add(contents);
        for (let i = 0; i < contents.size(); i++) {
          const part = resolve(contents.get(i), `the /Contents of ${where}`);
          if (!(part instanceof lib.PDFStream)) throw corrupt(`the /Contents of ${where} lists ${part === undefined ? 'nothing' : kindOf(part)}, not a stream`);
        }
      }
    } else if (contents !== undefined && contents !== lib.PDFNull && !(contents instanceof lib.PDFStream)) {
      throw corrupt(`the /Contents of ${where} is ${kindOf(contents)}, not a stream or an array of streams`);
    }

    // Inherited: the nearest node of the /Parent chain that has the key (pdf-lib's getInheritableAttribute).
    let node: base.PDFObject | undefined = page;
    let raw: base.PDFObject | undefined;
    for (let depth = 0; node instanceof lib.PDFDict && depth <= limits.maxDepth + 1; depth++) {
      raw = node.get(N('Resources'));
      if (raw !== undefined) break;
      node = context.lookup(node.get(N('Parent')));
    }
    const resources = dictOrAbsent(raw, `the /Resources of ${where}`);
    if (resources && !checkedResources.has(resources)) {
      checkedResources.add(resources);
      for (const key of ['Font', 'XObject', 'ExtGState']) dictOrAbsent(resources.get(N(key)), `the /Resources /${key} of ${where}`);
    }
  });
}

/**
 * What an exception raised while pdf-lib reads or writes a document's objects becomes: a
 * DocumentError as it is; a RangeError (an allocation that failed, a stack overflow), an error
 * with a system `code` or a non-Error as they are (not the document's shape: the caller treats
 * them as infrastructure); anything else — pdf-lib's UnexpectedObjectTypeError, a TypeError on an
 * object of the wrong kind — is a malformed document, PDF_CORRUPT: permanent, so it is answered
 * at once instead of being retried as an infrastructure failure.
 */
export function asStructureError(err: unknown, what: string): unknown {
  if (err instanceof DocumentError || err instanceof RangeError || !(err instanceof Error)) return err;
  if (typeof (err as { code?: unknown }).code === 'string') return err;
  return new DocumentError('PDF_CORRUPT', `the PDF structure is broken (${what}): ${err.message}`, { cause: err });
}

/** Runs `fn` (reading the document's objects), answering its exceptions through asStructureError. */
export function readingStructure<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw asStructureError(err, what);
  }
}

/** The same for an asynchronous step (saving the document). */
export async function readingStructureAsync<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw asStructureError(err, what);
  }
}
