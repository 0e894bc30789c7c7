/**
 * Entity rows read and written by plain SQL, mapped by the entity's own MikroORM metadata (its
 * columns and their types): the objects `em.find` would answer, but as plain snapshots — not
 * managed, so nothing about them is tracked, compared or flushed. For the paths every contract runs
 * several times, which only read, or write through conditional statements: there MikroORM's query
 * building, hydration and identity map cost several times the statement itself (issue 12: a point
 * read ≈ 250 µs of CPU through `em.findOne`, ≈ 60 µs here). Lazy columns (encrypted keys) are never
 * read, as with `em.find`.
 */
import type { EntityManager, EntityMetadata, EntityProperty, EntitySchema } from '@mikro-orm/core';
import { dbDate, fromDbDate, sqlDialect, type SqlDialect } from './sql-dialect';
import { allSql, placeholders, runSql } from './plain-sql';

type Scalar = string | number | boolean | Date | null;
/** Equality per property; null → `is null`; an array → `in (…)` (an empty array matches nothing). */
export type RowFilter<T> = { [K in keyof T]?: Scalar | readonly Scalar[] };
export interface RowOptions<T> {
  orderBy?: ReadonlyArray<readonly [keyof T & string, 'asc' | 'desc']>;
  limit?: number;
}

interface Column {
  prop: string;
  field: string;
  fromDb(value: unknown): unknown;
  toDb(value: unknown, dialect: SqlDialect): unknown;
}

interface Mapping {
  table: string;
  /** The entity has lifecycle hooks (they run on ORM writes only): plain inserts are refused. */
  hooks: boolean;
  /** Every column `em.find` reads (lazy ones left out), by property name. */
  columns: Map<string, Column>;
  selectList: string;
}

/** The column's type as discovery leaves it: `string`, `integer`, `boolean`, `date` (orm.ts), `json` and `double` (custom types). */
const kindOf = (prop: EntityProperty) => String(prop.customType?.constructor.name ?? prop.type).toLowerCase().replace(/type$/, '');

function column(prop: EntityProperty): Column {
  const field = prop.fieldNames[0]!;
  const kind = kindOf(prop);
  const nullable = <A, B>(f: (v: A) => B) => (v: unknown) => (v === null || v === undefined ? null : f(v as A));
  if (kind === 'date' || kind === 'datetime') return { prop: prop.name, field, fromDb: nullable(fromDbDate), toDb: (v, d) => (v instanceof Date ? dbDate(d, v) : v) };
  if (kind === 'boolean') return { prop: prop.name, field, fromDb: nullable((v: unknown) => Boolean(Number(v))), toDb: (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v) };
  if (kind === 'json') return { prop: prop.name, field, fromDb: nullable((v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v)), toDb: (v) => (v === null ? null : JSON.stringify(v)) };
  if (kind === 'integer' || kind === 'double' || kind === 'number' || kind === 'float' || kind === 'smallint') return { prop: prop.name, field, fromDb: nullable(Number), toDb: (v) => v };
  return { prop: prop.name, field, fromDb: (v) => v ?? null, toDb: (v) => v };
}

const mappings = new WeakMap<EntityMetadata, Mapping>();

function mappingOf(em: EntityManager, schema: EntitySchema<never>): Mapping {
  const meta = em.getMetadata().get(schema.meta.className);
  let m = mappings.get(meta);
  if (!m) {
    const columns = new Map<string, Column>();
    for (const prop of meta.props) {
      // A reference kept as the other row's id (persistence/references.ts) is its id column.
      const idColumn = prop.kind === 'm:1' && prop.mapToPk;
      if (prop.kind !== 'scalar' && !idColumn) throw new Error(`plain-rows: ${meta.className}.${prop.name} is a relation; read it through the ORM`);
      if (prop.persist === false || prop.formula || !prop.fieldNames?.length) continue;
      columns.set(prop.name, idColumn ? { prop: prop.name, field: prop.fieldNames[0]!, fromDb: (v) => v ?? null, toDb: (v) => v } : column(prop));
    }
    const read = [...columns.values()].filter((c) => !meta.properties[c.prop as never]?.lazy);
    m = { table: meta.tableName, hooks: Object.values(meta.hooks ?? {}).some((h) => h?.length), columns, selectList: read.map((c) => `\`${c.field}\``).join(', ') };
    mappings.set(meta, m);
  }
  return m;
}

function columnOf(m: Mapping, prop: string): Column {
  const c = m.columns.get(prop);
  if (!c) throw new Error(`plain-rows: ${m.table} has no column for property ${prop}`);
  return c;
}

function whereClause<T>(m: Mapping, dialect: SqlDialect, filter: RowFilter<T>): { sql: string; params: unknown[] } {
  const terms: string[] = [];
  const params: unknown[] = [];
  for (const [prop, value] of Object.entries(filter) as [string, Scalar | readonly Scalar[] | undefined][]) {
    if (value === undefined) continue;
    const c = columnOf(m, prop);
    if (value === null) {
      terms.push(`\`${c.field}\` is null`);
    } else if (Array.isArray(value)) {
      if (value.length === 0) terms.push('1 = 0');
      else {
        terms.push(`\`${c.field}\` in (${placeholders(value.length)})`);
        params.push(...value.map((v) => c.toDb(v, dialect)));
      }
    } else {
      terms.push(`\`${c.field}\` = ?`);
      params.push(c.toDb(value, dialect));
    }
  }
  return { sql: terms.length ? ` where ${terms.join(' and ')}` : '', params };
}

function toEntity<T>(m: Mapping, row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const c of m.columns.values()) if (c.field in row) out[c.prop] = c.fromDb(row[c.field]);
  return out as T;
}

/** Rows of `schema` matching `filter`, as plain objects of the entity's type. */
export async function findRows<T>(em: EntityManager, schema: EntitySchema<T>, filter: RowFilter<T>, options: RowOptions<T> = {}): Promise<T[]> {
  const m = mappingOf(em, schema as unknown as EntitySchema<never>);
  const where = whereClause(m, sqlDialect(em), filter);
  const order = options.orderBy?.length ? ` order by ${options.orderBy.map(([p, dir]) => `\`${columnOf(m, p).field}\` ${dir === 'desc' ? 'desc' : 'asc'}`).join(', ')}` : '';
  const limit = options.limit !== undefined ? ` limit ${Math.max(0, Math.floor(options.limit))}` : '';
  const rows = await allSql(em, `select ${m.selectList} from \`${m.table}\`${where.sql}${order}${limit}`, where.params);
  return rows.map((row) => toEntity<T>(m, row));
}

/** The first row of `schema` matching `filter` (in `orderBy` order), or null. */
export async function findRow<T>(em: EntityManager, schema: EntitySchema<T>, filter: RowFilter<T>, options: Omit<RowOptions<T>, 'limit'> = {}): Promise<T | null> {
  return (await findRows(em, schema, filter, { ...options, limit: 1 }))[0] ?? null;
}

/** Inserts one row (within the EntityManager's transaction, if any); properties left undefined take the column's default. */
export async function insertRow<T extends object>(em: EntityManager, schema: EntitySchema<T>, row: T): Promise<void> {
  const m = mappingOf(em, schema as unknown as EntitySchema<never>);
  if (m.hooks) throw new Error(`plain-rows: ${m.table} has lifecycle hooks; write it through the ORM`);
  const dialect = sqlDialect(em);
  const fields: string[] = [];
  const params: unknown[] = [];
  for (const [prop, value] of Object.entries(row)) {
    if (value === undefined) continue;
    const c = columnOf(m, prop);
    fields.push(`\`${c.field}\``);
    params.push(c.toDb(value, dialect));
  }
  await runSql(em, `insert into \`${m.table}\` (${fields.join(', ')}) values (${placeholders(fields.length)})`, params);
}
