/**
 * Keeps secrets (MASTER_KEY, SMS_HTTP_SECRET, the database password, OPERATOR_PASSWORD; see
 * `secretValues` in config) out of everything the process writes to stdout/stderr — our own lines,
 * ORM and driver messages, stack traces — by replacing them with "***" before they are written.
 * Values in SQL statements are masked too (`redactSqlValues`): a failed statement's message carries
 * the statement with its values inlined — a new password hash, a code hash, an outbox SMS text.
 */

import { inspect, type InspectOptions } from 'node:util';
import { redactSqlValues } from '../domain/persistence/redact-sql-values';

const MASK = '***';

let installed: string[] | null = null;

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = redactSqlValues(text);
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
  }
  return out;
}

/**
 * How logged objects are printed once redaction is installed. With Node's default, a long string property with line
 * breaks (an error's `sql` holding a certificate PEM) is printed as one quoted piece per line joined by `+`, and a
 * statement's literal then spans several quoted pieces that the SQL redaction cannot read as one: lines of it were
 * printed unmasked. On one line, each string stays one quoted literal.
 */
export const LOG_INSPECT_OPTIONS: InspectOptions = { breakLength: Infinity };

/** Wraps process.stdout/stderr once; later calls add secrets. Logged objects are printed with LOG_INSPECT_OPTIONS. */
export function installSecretRedaction(secrets: readonly string[]): void {
  const longestFirst = (list: string[]) => [...new Set(list)].sort((a, b) => b.length - a.length);
  if (installed) {
    installed.splice(0, installed.length, ...longestFirst([...installed, ...secrets]));
    return;
  }
  const list = longestFirst([...secrets]);
  installed = list;
  Object.assign(inspect.defaultOptions, LOG_INSPECT_OPTIONS);
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string') return write(redactSecrets(chunk, list), ...rest);
      if (chunk instanceof Uint8Array) return write(Buffer.from(redactSecrets(Buffer.from(chunk).toString('utf8'), list), 'utf8'), ...rest);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}

