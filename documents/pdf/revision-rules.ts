import type { Role } from './object-roles';
import type { ChangeKind } from './revision-diff';

/**
 * The rule of what may change after a signature, in one place for both readers of a file (the
 * general pdf-lib path, revision-diff.ts, and the lean path, verify/lean-revisions.ts): given the
 * roles of an object and its state in the signed revision and in the final file, which changes it
 * reports. Allowed after a signature: new signature fields and their widgets (added to /Fields and
 * the page's /Annots), their appearances, signature values, DSS / validation data, form resources,
 * AcroForm /SigFlags, /DR, /DA. Each reader supplies its object model through RevisionObjects.
 */

/** Budget: at most this many changed objects are examined per signature. */
export const MAX_EXAMINED = 20_000;

const ALLOWED_ACROFORM_KEYS = new Set(['Fields', 'SigFlags', 'DR', 'DA']);
const ALLOWED_CATALOG_KEYS = new Set(['AcroForm', 'DSS', 'Extensions']);
const SIGNING_KEYS_OF_EMPTY_SIGNATURE_FIELD = new Set(['V', 'AP', 'AS', 'F', 'MK']);

/** One reader's view of objects (`V`) in the signed revision (old) and in the final file (now). */
export interface RevisionObjects<V> {
  /** Keys whose values differ (null unless both are dictionaries). */
  changedKeys(old: V | undefined, now: V | undefined): string[] | null;
  /** A dictionary without /V (an empty signature field). */
  isDictWithoutValue(obj: V | undefined): boolean;
  /** The entry `key` of the old object, references resolved in the signed revision. */
  oldEntry(old: V | undefined, key: string): V | undefined;
  /** The entry `key` of the new object, references resolved in the final file. */
  newEntry(now: V | undefined, key: string): V | undefined;
  /** Old elements all kept (same order not required), every added element a new signature field/widget. */
  onlySignaturesAdded(old: V | undefined, now: V | undefined): boolean;
}

/** Which page/field list a reported change names. */
export type ChangeScope = 'pages' | 'fields' | null;

/** The array under `key` kept its old elements and gained only signature fields/widgets. */
function keptSignatures<V>(objects: RevisionObjects<V>, old: V | undefined, now: V | undefined, key: string): boolean {
  return objects.onlySignaturesAdded(objects.oldEntry(old, key), objects.newEntry(now, key));
}

/** Reports (through `report`) what an object with these roles changing from `old` to `now` changes; nothing when allowed. */
export function classifyChange<V>(roles: Iterable<Role>, old: V | undefined, now: V | undefined, objects: RevisionObjects<V>, report: (kind: ChangeKind, scope: ChangeScope) => void): void {
  const isNew = old === undefined;
  const removed = now === undefined;
  for (const role of roles) {
    switch (role) {
      case 'dss':
      case 'form_resources':
        break; // validation data and form resources may change
      case 'signature':
      case 'signature_appearance':
        if (!isNew) report('signatures', 'fields');
        break;
      case 'signature_field': {
        if (isNew) break;
        const keys = objects.changedKeys(old, now);
        if (keys === null || removed) report('signatures', 'fields');
        else if (keys.includes('Kids')) {
          if (!keptSignatures(objects, old, now, 'Kids')) report('signatures', 'fields');
        } else if (keys.length > 0 && !(objects.isDictWithoutValue(old) && keys.every((k) => SIGNING_KEYS_OF_EMPTY_SIGNATURE_FIELD.has(k)))) report('signatures', 'fields');
        break;
      }
      case 'catalog': {
        const keys = objects.changedKeys(old, now);
        if (keys === null) report('document', null);
        else
          for (const k of keys) {
            if (ALLOWED_CATALOG_KEYS.has(k)) continue;
            report(k === 'Pages' ? 'pages' : k === 'Metadata' ? 'metadata' : 'document', null);
          }
        break;
      }
      case 'acroform': {
        if (isNew) break; // a new AcroForm: its /Fields are checked through the catalog and fields
        const keys = objects.changedKeys(old, now);
        if (keys === null) report('form_fields', null);
        else if (keys.some((k) => !ALLOWED_ACROFORM_KEYS.has(k))) report('form_fields', null);
        else if (keys.includes('Fields') && !keptSignatures(objects, old, now, 'Fields')) report('form_fields', null);
        break;
      }
      case 'fields_array':
        if (!objects.onlySignaturesAdded(old, now)) report('form_fields', null);
        break;
      case 'annotations_array':
        if (!objects.onlySignaturesAdded(old, now)) report('annotations', 'pages');
        break;
      case 'page': {
        if (isNew || removed) {
          report('pages', 'pages');
          break;
        }
        for (const k of objects.changedKeys(old, now) ?? ['?']) {
          if (k === 'Annots') {
            if (!keptSignatures(objects, old, now, 'Annots')) report('annotations', 'pages');
          } else report('page_content', 'pages');
        }
        break;
      }
      case 'page_tree':
        report('pages', null);
        break;
      case 'page_content':
        report('page_content', 'pages');
        break;
      case 'annotation':
        report('annotations', 'pages');
        break;
      case 'field':
      case 'field_value':
        report('form_fields', 'fields');
        break;
      case 'metadata':
        report('metadata', null);
        break;
      case 'document':
        report('document', null);
        break;
    }
  }
}
