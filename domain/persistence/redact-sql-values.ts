/**
 * A failed statement's error message carries the statement with its values inlined (knex formats
 * them in): a new password hash, a code hash, an outbox SMS text, an encrypted key. Logs and
 * Temporal histories get the message with those values masked.
 */

/** A line that holds an SQL statement (as knex and MikroORM put it into an error message). */
const SQL_STATEMENT = /\b(?:select\s[\s\S]*?\sfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|replace\s+into)\b/i;
/** A quoted SQL literal: '…' with '' or \' inside, and x'…' blobs. */
const SQL_LITERAL = /(?:\b[xX])?'(?:[^'\\]|\\.|'')*'/g;

/** Masks every quoted literal of the lines of `text` that hold an SQL statement. */
export function redactSqlValues(text: string): string {
  if (!text.includes("'") || !SQL_STATEMENT.test(text)) return text;
  return text
    .split('\n')
    .map((line) => (SQL_STATEMENT.test(line) ? line.replace(SQL_LITERAL, "'***'") : line))
    .join('\n');
}
