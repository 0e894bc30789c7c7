/**
 * A reason the API or the worker cannot start (port taken, DATA_DIR not writable, database or
 * Temporal unreachable). The process prints its message as one line and exits non-zero.
 */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** One line for a log: newlines collapsed, nothing after the first line of a multi-line message. */
export function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

/** The short reason of a system or driver error: its code and message, without stack. */
export function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as { code?: unknown }).code;
  const message = oneLine(err.message);
  return typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
}
