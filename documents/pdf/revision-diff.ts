import type * as base from 'pdf-lib';
import type { ObjectRoles, Role } from './object-roles';
import { libOf } from './pdf-structure';
import type { Definition, ParseRecord } from './safe-load';

/**
 * What changed after a signed revision (the file up to the end of a signature's byte range),
 * compared object by object with the final file. After a signature only these are allowed: new
 * signature fields and their widgets (added to /Fields and the page's /Annots), their appearances,
 * signature values, document security store (DSS) / validation data, AcroForm /SigFlags, /DR,
 * /DA. Everything else is reported, grouped by kind, with the pages and fields it touches.
 *
 * Every definition written after the signed revision is examined (not only the last one of
 * each object number, which is all pdf-lib keeps), cross-reference entries written later must
 * point at those definitions, and objects freed later count as removed: a reader that follows
 * the cross-reference table and pdf-lib, which reads the file in order, see the same changes.
 */

export type ChangeKind = 'page_content' | 'pages' | 'annotations' | 'form_fields' | 'signatures' | 'metadata' | 'document' | 'structure' | 'appended_data';

export interface RevisionChange {
  kind: ChangeKind;
  /** 1-based page numbers (page_content, annotations, pages). */
  pages: number[];
  /** Fully qualified field names (form_fields, signatures). */
  fields: string[];
  /** Objects involved (for support and logs). */
  objects: number[];
}

/** Budget: at most this many changed objects are examined per signature. */
const MAX_EXAMINED = 20_000;

const ALLOWED_ACROFORM_KEYS = new Set(['Fields', 'SigFlags', 'DR', 'DA']);
const ALLOWED_CATALOG_KEYS = new Set(['AcroForm', 'DSS', 'Extensions']);
const SIGNING_KEYS_OF_EMPTY_SIGNATURE_FIELD = new Set(['V', 'AP', 'AS', 'F', 'MK']);

function serialize(lib: typeof base, obj: base.PDFObject | undefined): string {
  if (obj === undefined) return '∅';
  if (obj instanceof lib.PDFRawStream) return `${obj.dict.toString()}#${Buffer.from(obj.contents).toString('base64')}`;
  return obj.toString();
}

export function changesAfter(doc: { context: unknown; catalog: unknown }, record: ParseRecord, roles: ObjectRoles, signedEnd: number, fileBytes: Uint8Array): RevisionChange[] {
  const lib = libOf(doc.context);
  const context = doc.context as base.PDFContext;
  const N = (s: string) => lib.PDFName.of(s);
  const found = new Map<string, RevisionChange>();
  const report = (kind: ChangeKind, objectNumber: number | null, extra: { pages?: Iterable<number>; fields?: Iterable<string> } = {}) => {
    const key = kind;
    let change = found.get(key);
    if (!change) found.set(key, (change = { kind, pages: [], fields: [], objects: [] }));
    for (const p of extra.pages ?? []) if (!change.pages.includes(p)) change.pages.push(p);
    for (const f of extra.fields ?? []) if (!change.fields.includes(f)) change.fields.push(f);
    if (objectNumber !== null && !change.objects.includes(objectNumber) && change.objects.length < 50) change.objects.push(objectNumber);
  };

  // The state every object number had in the signed revision, and what was written later.
  const before = new Map<number, Definition>();
  const later: Definition[] = [];
  for (const d of record.definitions) {
    if (d.offset < signedEnd) before.set(d.objectNumber, d);
    else later.push(d);
  }
  const containersBefore = new Map<number, number>();
  for (const c of record.containers) if (c.offset < signedEnd) containersBefore.set(c.objectNumber, c.offset);

  // A signed revision ends with %%EOF (and an end of line).
  const tail = Buffer.from(fileBytes.subarray(Math.max(0, signedEnd - 8), signedEnd)).toString('latin1');
  if (!/%%EOF\s*$/.test(tail)) report('structure', null);

  const laterSections = record.xrefSections.filter((s) => s.offset >= signedEnd);
  if (signedEnd < fileBytes.length && laterSections.length === 0 && !isWhitespace(fileBytes, signedEnd)) report('appended_data', null);
  // Data after the file's last %%EOF is not part of any revision.
  const lastEof = Buffer.from(fileBytes.buffer, fileBytes.byteOffset, fileBytes.byteLength).lastIndexOf('%%EOF', undefined, 'latin1');
  if (lastEof >= signedEnd - 6 && !isWhitespace(fileBytes, lastEof + 5)) report('appended_data', null);

  const oldLookup = (raw: base.PDFObject | undefined): base.PDFObject | undefined => (raw instanceof lib.PDFRef ? before.get(raw.objectNumber)?.object : raw);
  const newLookup = (raw: base.PDFObject | undefined): base.PDFObject | undefined => context.lookup(raw);
  const rolesOf = (n: number): Set<Role> => roles.roles.get(n) ?? new Set();
  const isNewSignatureField = (raw: base.PDFObject) =>
    raw instanceof lib.PDFRef && !before.has(raw.objectNumber) && rolesOf(raw.objectNumber).has('signature_field');

  /** Old elements all kept (same order not required), every added element a new signature field/widget. */
  const onlySignaturesAdded = (oldArr: base.PDFObject | undefined, newArr: base.PDFObject | undefined): boolean => {
    const oldItems = oldArr instanceof lib.PDFArray ? oldArr.asArray().map((o) => o.toString()) : [];
    if (!(newArr instanceof lib.PDFArray)) return oldItems.length === 0;
    const newItems = newArr.asArray();
    const newKeys = new Set(newItems.map((o) => o.toString()));
    if (!oldItems.every((k) => newKeys.has(k))) return false;
    const oldKeys = new Set(oldItems);
    return newItems.every((o) => oldKeys.has(o.toString()) || isNewSignatureField(o));
  };

  const entryOf = (dict: base.PDFObject | undefined, key: string, lookup: (raw: base.PDFObject | undefined) => base.PDFObject | undefined) =>
    dict instanceof lib.PDFDict ? lookup(dict.get(N(key))) : undefined;

  /** Keys whose values differ between two dictionaries. */
  const changedKeys = (a: base.PDFObject | undefined, b: base.PDFObject | undefined): string[] | null => {
    if (!(a instanceof lib.PDFDict) || !(b instanceof lib.PDFDict)) return null;
    const keys = new Set([...a.keys(), ...b.keys()].map((k) => k.decodeText()));
    return [...keys].filter((k) => serialize(lib, a.get(N(k))) !== serialize(lib, b.get(N(k))));
  };

  const classify = (n: number, old: base.PDFObject | undefined, now: base.PDFObject | undefined) => {
    const r = rolesOf(n);
    if (r.size === 0) return; // not reachable from the document any more: no effect
    const pages = roles.pages.get(n) ?? [];
    const fields = roles.fields.get(n) ?? [];
    const isNew = old === undefined;
    const removed = now === undefined;
    for (const role of r) {
      switch (role) {
        case 'dss':
        case 'form_resources':
          break; // validation data and form resources may change
        case 'signature':
        case 'signature_appearance':
          if (!isNew) report('signatures', n, { fields });
          break;
        case 'signature_field': {
          if (isNew) break;
          const keys = changedKeys(old, now);
          const wasEmpty = old instanceof lib.PDFDict && !old.has(N('V'));
          if (keys === null || removed) report('signatures', n, { fields });
          else if (keys.some((k) => k === 'Kids')) {
            if (!onlySignaturesAdded(entryOf(old, 'Kids', oldLookup), entryOf(now, 'Kids', newLookup))) report('signatures', n, { fields });
          } else if (keys.length > 0 && !(wasEmpty && keys.every((k) => SIGNING_KEYS_OF_EMPTY_SIGNATURE_FIELD.has(k)))) report('signatures', n, { fields });
          break;
        }
        case 'catalog': {
          const keys = changedKeys(old, now);
          if (keys === null) report('document', n);
          else
            for (const k of keys) {
              if (ALLOWED_CATALOG_KEYS.has(k)) continue;
              report(k === 'Pages' ? 'pages' : k === 'Metadata' ? 'metadata' : 'document', n);
            }
          break;
        }
        case 'acroform': {
          const keys = changedKeys(old, now);
          if (isNew) break; // a new AcroForm: its /Fields are checked through the catalog and fields
          if (keys === null) report('form_fields', n);
          else if (keys.some((k) => !ALLOWED_ACROFORM_KEYS.has(k))) report('form_fields', n);
          else if (keys.includes('Fields') && !onlySignaturesAdded(entryOf(old, 'Fields', oldLookup), entryOf(now, 'Fields', newLookup))) report('form_fields', n);
          break;
        }
        case 'fields_array':
          if (!onlySignaturesAdded(old, now)) report('form_fields', n);
          break;
        case 'annotations_array':
          if (!onlySignaturesAdded(old, now)) report('annotations', n, { pages });
          break;
        case 'page': {
          if (isNew || removed) {
            report('pages', n, { pages });
            break;
          }
          const keys = changedKeys(old, now) ?? ['?'];
          for (const k of keys) {
            if (k === 'Annots') {
              if (!onlySignaturesAdded(entryOf(old, 'Annots', oldLookup), entryOf(now, 'Annots', newLookup))) report('annotations', n, { pages });
            } else report('page_content', n, { pages });
          }
          break;
        }
        case 'page_tree':
          report('pages', n);
          break;
        case 'page_content':
          report('page_content', n, { pages });
          break;
        case 'annotation':
          report('annotations', n, { pages });
          break;
        case 'field':
        case 'field_value':
          report('form_fields', n, { fields });
          break;
        case 'metadata':
          report('metadata', n);
          break;
        case 'document':
          report('document', n);
          break;
      }
    }
  };

  // 1. Every definition written after the signature.
  let examined = 0;
  for (const d of later) {
    if (++examined > MAX_EXAMINED) {
      report('structure', null);
      break;
    }
    const old = before.get(d.objectNumber);
    if (old && serialize(lib, old.object) === serialize(lib, d.object)) continue;
    classify(d.objectNumber, old?.object, d.object);
  }

  // 2. Later cross-reference entries must point at the definitions seen (or at the signed one).
  const laterByNumber = new Map<number, Definition[]>();
  for (const d of later) laterByNumber.set(d.objectNumber, [...(laterByNumber.get(d.objectNumber) ?? []), d]);
  const laterContainers = new Map<number, Set<number>>();
  for (const c of record.containers) if (c.offset >= signedEnd) laterContainers.set(c.objectNumber, (laterContainers.get(c.objectNumber) ?? new Set()).add(c.offset));
  for (const section of laterSections) {
    if (section.entries === null) {
      report('structure', null);
      continue;
    }
    for (const e of section.entries) {
      if (e.objectNumber === 0) continue;
      const old = before.get(e.objectNumber);
      if (e.free) {
        if (old) classify(e.objectNumber, old.object, undefined);
        continue;
      }
      const candidates = laterByNumber.get(e.objectNumber) ?? [];
      const points = (d: Definition | undefined) =>
        d !== undefined &&
        (e.offset !== undefined ? !d.inStream && d.offset === e.offset : !!d.inStream && d.inStream.streamNumber === e.inStream!.streamNumber && d.inStream.index === e.inStream!.index);
      const container = e.offset !== undefined && (laterContainers.get(e.objectNumber)?.has(e.offset) || containersBefore.get(e.objectNumber) === e.offset);
      if (!candidates.some(points) && !points(old) && !container) {
        report('structure', e.objectNumber);
        classify(e.objectNumber, old?.object, undefined);
      }
    }
  }

  // 3. The catalog itself replaced.
  const rootBefore = [...record.trailers].reverse().find((t) => t.offset < signedEnd)?.root;
  if (rootBefore && context.trailerInfo.Root && rootBefore.toString() !== context.trailerInfo.Root.toString()) report('document', null);

  return [...found.values()].map((c) => ({ ...c, pages: c.pages.sort((a, b) => a - b) }));
}

function isWhitespace(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (![0x0a, 0x0d, 0x20, 0x09, 0x00, 0x0c].includes(bytes[i]!)) return false;
  return true;
}
