/**
 * Keeps secrets (MASTER_KEY, SMS_HTTP_SECRET, the database password, OPERATOR_PASSWORD; see
 * `secretValues` in config) out of everything the process writes to stdout/stderr — our own lines,
 * ORM and driver messages, stack traces — by replacing them with "***" before they are written.
 */

const MASK = '***';
let installed: string[] | null = null;

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (out.includes(secret)) out = out.split(secret).join(MASK);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret && out.includes(encoded)) out = out.split(encoded).join(MASK);
  }
  return out;
}

/** Wraps process.stdout/stderr once; later calls add secrets. */
export function installSecretRedaction(secrets: readonly string[]): void {
  const longestFirst = (list: string[]) => [...new Set(list)].sort((a, b) => b.length - a.length);
  if (installed) {
    installed.splice(0, installed.length, ...longestFirst([...installed, ...secrets]));
    return;
  }
  const list = longestFirst([...secrets]);
  installed = list;
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (list.length === 0) return write(chunk, ...rest);
      if (typeof chunk === 'string') return write(redactSecrets(chunk, list), ...rest);
      if (chunk instanceof Uint8Array) return write(Buffer.from(redactSecrets(Buffer.from(chunk).toString('utf8'), list), 'utf8'), ...rest);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}

