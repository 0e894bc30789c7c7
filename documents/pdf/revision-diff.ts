import type * as base from 'pdf-lib';
import type { ObjectRoles, Role } from './object-roles';
import { classifyChange, MAX_EXAMINED, type RevisionObjects } from './revision-rules';
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


function serialize(lib: typeof base, obj: base.PDFObject | undefined): string {
  if (obj === undefined) return '∅';
  if (obj instanceof lib.PDFRawStream) return `${obj.dict.toString()}#${Buffer.from(obj.contents).toString('base64')}`;
  return obj.toString();
}

export function changesAfter(doc: { context: unknown; catalog: unknown }, record: ParseRecord, roles: ObjectRoles, signedEnd: number, fileBytes: Uint8Array): RevisionChange[] {
  const lib = libOf(doc.context);
  const context = doc.context as base.PDFContext;
  const N = (s: string) => lib.PDFName.of(s);
  // Sets, not arrays: a hostile update reports thousands of objects, each with up to every page.
  const found = new Map<ChangeKind, { pages: Set<number>; fields: Set<string>; objects: Set<number> }>();
  const report = (kind: ChangeKind, objectNumber: number | null, extra: { pages?: Iterable<number>; fields?: Iterable<string> } = {}) => {
    let change = found.get(kind);
    if (!change) found.set(kind, (change = { pages: new Set(), fields: new Set(), objects: new Set() }));
    for (const p of extra.pages ?? []) change.pages.add(p);
    for (const f of extra.fields ?? []) change.fields.add(f);
    if (objectNumber !== null && change.objects.size < 50) change.objects.add(objectNumber);
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

  const objects: RevisionObjects<base.PDFObject> = {
    changedKeys,
    isDictWithoutValue: (obj) => obj instanceof lib.PDFDict && !obj.has(N('V')),
    oldEntry: (old, key) => entryOf(old, key, oldLookup),
    newEntry: (now, key) => entryOf(now, key, newLookup),
    onlySignaturesAdded,
  };
  const classify = (n: number, old: base.PDFObject | undefined, now: base.PDFObject | undefined) =>
    classifyChange(rolesOf(n), old, now, objects, (kind, scope) =>
      report(kind, n, scope === 'pages' ? { pages: roles.pages.get(n) ?? [] } : scope === 'fields' ? { fields: roles.fields.get(n) ?? [] } : {}),
    );

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
  checkLaterEntries();

  /**
   * The entries that do not, and the objects freed, are classified: at most MAX_EXAMINED of them, then the
   * report gives up examining one by one ('structure'). A cross-reference stream lists 400,000 entries
   * pointing nowhere in a few bytes, and the sections are walked once per signature.
   */
  function checkLaterEntries(): void {
    let classified = 0;
    const overBudget = () => {
      if (++classified <= MAX_EXAMINED) return false;
      report('structure', null);
      return true;
    };
    // Where the later definitions are, as an xref entry would name them: one lookup per entry (an object
    // defined thousands of times must not be searched once per entry, nor copied once per definition).
    const placeOf = (n: number, at: { offset?: number; inStream?: { streamNumber: number; index: number } | null }) =>
      at.offset !== undefined ? `${n}@${at.offset}` : `${n}#${at.inStream!.streamNumber}:${at.inStream!.index}`;
    const laterPlaces = new Set(later.map((d) => placeOf(d.objectNumber, d.inStream ? { inStream: d.inStream } : { offset: d.offset })));
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
          if (!old) continue;
          if (overBudget()) return;
          classify(e.objectNumber, old.object, undefined);
          continue;
        }
        const points = (d: Definition | undefined) =>
          d !== undefined &&
          (e.offset !== undefined ? !d.inStream && d.offset === e.offset : !!d.inStream && d.inStream.streamNumber === e.inStream!.streamNumber && d.inStream.index === e.inStream!.index);
        const container = e.offset !== undefined && (laterContainers.get(e.objectNumber)?.has(e.offset) || containersBefore.get(e.objectNumber) === e.offset);
        if (!laterPlaces.has(placeOf(e.objectNumber, e)) && !points(old) && !container) {
          if (overBudget()) return;
          report('structure', e.objectNumber);
          classify(e.objectNumber, old?.object, undefined);
        }
      }
    }
  }

  // 3. The catalog itself replaced.
  const rootBefore = [...record.trailers].reverse().find((t) => t.offset < signedEnd)?.root;
  if (rootBefore && context.trailerInfo.Root && rootBefore.toString() !== context.trailerInfo.Root.toString()) report('document', null);

  return [...found].map(([kind, c]) => ({ kind, pages: [...c.pages].sort((a, b) => a - b), fields: [...c.fields], objects: [...c.objects] }));
}

function isWhitespace(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (![0x0a, 0x0d, 0x20, 0x09, 0x00, 0x0c].includes(bytes[i]!)) return false;
  return true;
}
