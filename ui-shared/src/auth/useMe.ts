import { useCallback, useEffect, useRef } from 'react';
import { useGetIdentity, useRefresh } from 'react-admin';
import type { Me } from '../types';
import { onIdentityMayHaveChanged } from './identityEvents';
import { forgetMe, identityKey, loadMe } from './session';

/** The session (user, acting identity, enterprises) from the authProvider's getIdentity. */
export function useMe(): { me: Me | undefined; isPending: boolean } {
  const { identity, isPending } = useGetIdentity();
  return { me: (identity as { me?: Me } | undefined)?.me, isPending };
}

/** Re-reads /api/auth/me and refreshes every query (after the user or the identity changed). */
export function useReloadSession(): () => void {
  const refresh = useRefresh();
  return useCallback(() => {
    forgetMe();
    refresh();
  }, [refresh]);
}

/**
 * Mounted once by the layout: when something says the identity may have changed (an API answer
 * such as 403 CONSOLE_ONLY, a completed administrator transfer), /api/auth/me is read again and,
 * if the user's roles or acting identity differ from what the UI shows, identity, permissions and
 * data are refreshed, so that the header, the menu and the routes follow without a reload.
 * Unchanged answers refresh nothing (no loop when a page keeps getting a 403).
 */
export function useIdentitySync(): void {
  const { me } = useMe();
  const refresh = useRefresh();
  const shown = useRef('');
  shown.current = identityKey(me);
  useEffect(() => {
    let checking = false;
    let again = false;
    const check = async () => {
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          forgetMe();
          const fresh = await loadMe().catch(() => null);
          // Logged out: react-admin's own auth checks take over.
          if (fresh && identityKey(fresh) !== shown.current) {
            shown.current = identityKey(fresh);
            refresh();
          }
        } while (again);
      } finally {
        checking = false;
      }
    };
    return onIdentityMayHaveChanged(() => void check());
  }, [refresh]);
}
