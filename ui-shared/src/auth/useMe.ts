import { useCallback } from 'react';
import { useGetIdentity, useRefresh } from 'react-admin';
import type { Me } from '../types';
import { forgetMe } from './session';

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
