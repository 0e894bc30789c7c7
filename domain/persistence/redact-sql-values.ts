/**
 * A failed statement's error message carries the statement with its values inlined (knex formats
 * them in): a new password hash, a code hash, an outbox SMS text, an encrypted key; MySQL's own
 * error text quotes the offending value (a duplicate mobile number). Logs and Temporal histories
 * get the message with those values masked.
 *
 * A value may span lines: SQLite's formatter inlines a certificate PEM with its line breaks, and
 * the encrypted key written after it then sits on a later line than the statement's keyword. So a
 * statement runs from its keyword to the first line break OUTSIDE a quoted literal, and every
 * literal in that stretch is masked (an unclosed one to the end of the text).
 *
 * The two dialects quote differently: MySQL/MariaDB escape a quote as \' and a backslash as \\,
 * SQLite only doubles quotes ('') and leaves a backslash as it is — read the MySQL way, a SQLite
 * value ending in a backslash would close no literal and put the next value outside the quotes. The
 * text does not say which dialect wrote it, so it is read both ways: a reading that leaves a quote
 * unclosed is the wrong one when the other closes them all; otherwise everything either reading puts
 * inside quotes is masked (more than needed on odd values, never less). Linear in the text's length.
 */

/**
 * Where an SQL statement starts (as knex and MikroORM put it into an error message; knex writes a statement's keywords
 * on one line — `insert ignore into`, `insert or replace into`, `update … as a set` and `update or ignore …` included),
 * or a MySQL / MariaDB error text that quotes a value (`sqlMessage: "Duplicate entry '138…' for key …"`,
 * "Incorrect integer value: '…' for column …"): its literals are masked the same way, to the end of the line.
 */
const SQL_STATEMENT = /\b(?:select\s[^\n]*?\sfrom|insert\s+(?:(?:ignore|or\s+\w+)\s+)?into|update\s+(?:or\s+\w+\s+)?\S+\s+(?:(?:as\s+)?\S+\s+)?set|delete\s+from|replace\s+into|duplicate\s+entry|incorrect\s+[\w ]{1,40}?\s+value)\b/gi;
/** Inside a statement, read the MySQL way: a literal ('…' with '' or \x inside, x'…' blobs), an unclosed one (group 1, to the end), or the line break that ends the statement. */
const MYSQL_TOKEN = /(?:\b[xX])?'(?:[^'\\]|\\[\s\S]|'')*'|((?:\b[xX])?'[\s\S]*$)|\n/g;
/** The same, read the SQLite way (a backslash is an ordinary character). */
const SQLITE_TOKEN = /(?:\b[xX])?'(?:[^']|'')*'|((?:\b[xX])?'[\s\S]*$)|\n/g;

interface Reading {
  ranges: [number, number][];
  /** Where the statement ends under this reading. */
  end: number;
  /** Every quote it opened it closed. */
  closed: boolean;
}

/** The quoted stretches of `text` from `start` under one reading. */
function read(text: string, start: number, token: RegExp): Reading {
  const ranges: [number, number][] = [];
  token.lastIndex = start;
  for (let t = token.exec(text); t; t = token.exec(text)) {
    if (t[0] === '\n') return { ranges, end: t.index, closed: true };
    ranges.push([t.index, token.lastIndex]);
    if (t[1] !== undefined) return { ranges, end: text.length, closed: false };
  }
  return { ranges, end: text.length, closed: true };
}

/** The reading to mask by: the one that closes every quote when only one does, else both together. */
function readings(text: string, start: number): Reading[] {
  const mysql = read(text, start, MYSQL_TOKEN);
  const sqlite = read(text, start, SQLITE_TOKEN);
  if (mysql.closed !== sqlite.closed) return [mysql.closed ? mysql : sqlite];
  return [mysql, sqlite];
}

/** Masks every quoted literal of the SQL statements in `text` (other text is left as it is). */
export function redactSqlValues(text: string): string {
  if (!text.includes("'")) return text;
  const out: string[] = [];
  let at = 0;
  SQL_STATEMENT.lastIndex = 0;
  for (let found = SQL_STATEMENT.exec(text); found; found = SQL_STATEMENT.exec(text)) {
    // The statement from its keyword, read both ways (readings): what the chosen readings put inside quotes is masked.
    const chosen = readings(text, found.index);
    const end = Math.max(...chosen.map((r) => r.end));
    const ranges = chosen.flatMap((r) => r.ranges).sort((x, y) => x[0] - y[0]);
    for (let i = 0; i < ranges.length; ) {
      const from = ranges[i]![0];
      let to = ranges[i]![1];
      for (i++; i < ranges.length && ranges[i]![0] < to; i++) to = Math.max(to, ranges[i]![1]);
      to = Math.min(to, end);
      out.push(text.slice(at, from), text[to - 1] === "'" && to - from > 1 ? "'***'" : "'***");
      at = to;
    }
    SQL_STATEMENT.lastIndex = Math.max(end, found.index + found[0].length);
  }
  out.push(text.slice(at));
  return out.join('');
}
