/**
 * A column that holds another row's id, with a FOREIGN KEY in the schema (both dialects), while
 * the property stays a plain id string in code (`mapToPk`): `membership.userId` is a string, and
 * the database refuses a membership whose user does not exist.
 */
export function references(entity: string, column: string, options: { nullable?: boolean; index?: boolean } = {}) {
  return {
    kind: 'm:1',
    entity,
    mapToPk: true,
    fieldName: column,
    ...(options.nullable ? { nullable: true } : {}),
    ...(options.index ? { index: true } : {}),
  } as const;
}
