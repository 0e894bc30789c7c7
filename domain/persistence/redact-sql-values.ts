/**
 * A failed statement's error message carries the statement with its values inlined (knex formats
 * them in): a new password hash, a code hash, an outbox SMS text, an encrypted key. Logs and
 * Temporal histories get the message with those values masked.
 *
 * A value may span lines: SQLite's formatter inlines a certificate PEM with its line breaks, and
 * the encrypted key written after it then sits on a later line than the statement's keyword. So a
 * statement runs from its keyword to the first line break OUTSIDE a quoted literal, and every
 * literal in that stretch is masked (an unclosed one to the end of the text).
 */

/** Where an SQL statement starts (as knex and MikroORM put it into an error message). */
const SQL_STATEMENT = /\b(?:select\s[\s\S]*?\sfrom|insert\s+into|update\s+\S+\s+set|delete\s+from|replace\s+into)\b/i;
/** Inside a statement: a quoted literal ('…' with '' or \' inside, x'…' blobs), an unclosed one (to the end), or the line break that ends the statement. */
const STATEMENT_TOKEN = /(?:\b[xX])?'(?:[^'\\]|\\.|'')*'|(?:\b[xX])?'[\s\S]*$|\n/g;

/** Masks every quoted literal of the SQL statements in `text` (other text is left as it is). */
export function redactSqlValues(text: string): string {
  if (!text.includes("'")) return text;
  let out = '';
  let rest = text;
  for (let found = SQL_STATEMENT.exec(rest); found; found = SQL_STATEMENT.exec(rest)) {
    out += rest.slice(0, found.index);
    rest = rest.slice(found.index);
    let end = rest.length;
    let masked = '';
    let from = 0;
    STATEMENT_TOKEN.lastIndex = 0;
    for (let token = STATEMENT_TOKEN.exec(rest); token; token = STATEMENT_TOKEN.exec(rest)) {
      if (token[0] === '\n') {
        end = token.index;
        break;
      }
      masked += `${rest.slice(from, token.index)}${token[0].endsWith("'") && token[0].length > 1 ? "'***'" : "'***"}`;
      from = STATEMENT_TOKEN.lastIndex;
    }
    out += masked + rest.slice(from, end);
    rest = rest.slice(end);
  }
  return out + rest;
}
