import { useMemo } from 'react';

const PREFIX = 'sealflow.first-seen:';
const memory = new Map<string, number>();

function read(key: string): number | null {
  const known = memory.get(key);
  if (known) return known;
  try {
    const stored = Number(globalThis.sessionStorage?.getItem(PREFIX + key));
    return Number.isFinite(stored) && stored > 0 ? stored : null;
  } catch {
    return null;
  }
}

function write(key: string, at: number): void {
  memory.set(key, at);
  try {
    globalThis.sessionStorage?.setItem(PREFIX + key, String(at));
  } catch {
    // storage unavailable (private mode): the in-memory value is enough
  }
}

/**
 * When this tab first saw `key` (epoch ms), remembered for the browser session, e.g. the moment a
 * 管理员转让 became my turn, which is when the system sent my code. null when key is null.
 */
export function useFirstSeen(key: string | null): number | null {
  return useMemo(() => {
    if (!key) return null;
    const at = read(key) ?? Date.now();
    write(key, at); // idempotent: a second render reads the same moment back
    return at;
  }, [key]);
}
