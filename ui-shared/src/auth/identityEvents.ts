// "The session's identity may have changed": raised when an API answer says so (a 403 such as
// CONSOLE_ONLY for a user whose cached identity still shows the console role) or when a page knows
// it (an administrator transfer completed). The layouts listen (useIdentitySync) and re-read
// /api/auth/me. No imports here, so that the low-level fetch helper can raise it.

/** 403 codes that mean the caller's role or acting identity is not what the UI assumed. */
export const IDENTITY_CODES: ReadonlySet<string> = new Set(['CONSOLE_ONLY', 'ENTERPRISE_ADMIN_ONLY', 'OPERATORS_ONLY', 'REAL_NAME_REQUIRED']);

type Listener = () => void;

const listeners = new Set<Listener>();

/** Tells the listeners (the mounted layout) to re-check the session. */
export function identityMayHaveChanged(): void {
  for (const listener of [...listeners]) listener();
}

/** Subscribes; returns the unsubscribe function. */
export function onIdentityMayHaveChanged(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}
