import { invalid } from '../../domain/errors';

/**
 * The text fields of a multipart form are plain strings, one per name. multer (append-field) reads a
 * name with brackets (`version[x]`, `spec[title]`, `spec[]`) as a path and builds a nested object
 * without a prototype or an array, and a name sent twice as an array: no route expects those, and
 * `z.coerce.*` (`Number()`, `new Date()`) throws a TypeError outside zod on an object without a
 * prototype. Such a field is refused (400 INVALID_FORM_FIELD) before any route reads the body.
 */

const MAX_SHOWN_NAME = 64;

/** The field's name as the message shows it: invisible or control characters replaced, at most 64 characters. */
function shownName(name: string): string {
  const visible = name.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\u2028\u2029]/gu, '?');
  const chars = [...visible];
  return chars.length > MAX_SHOWN_NAME ? `${chars.slice(0, MAX_SHOWN_NAME).join('')}…` : visible;
}

/** 400 naming the field. */
export function invalidFormField(name: string) {
  const shown = shownName(name);
  return invalid(
    'INVALID_FORM_FIELD',
    `表单字段“${shown}”无效：字段名不能含方括号，且每个字段只能出现一次`,
    `Invalid form field "${shown}": field names cannot contain brackets and each field may appear once`,
  );
}

/** Throws 400 INVALID_FORM_FIELD unless every field of a parsed multipart body is a single string. */
export function checkFormFields(body: unknown): void {
  if (body === undefined || body === null) return;
  if (typeof body !== 'object') throw invalidFormField('');
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') throw invalidFormField(name);
  }
}
