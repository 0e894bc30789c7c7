// The current session as GET /api/auth/me describes it (user, acting identity, enterprises),
// cached briefly so that checkAuth, getIdentity and getPermissions share one request.
import { apiFetch } from '../api/apiFetch';
import type { Me } from '../types';

const ME_TTL_MS = 5_000;

let cached: { at: number; me: Promise<Me> } | null = null;

export function loadMe(): Promise<Me> {
  if (cached && Date.now() - cached.at < ME_TTL_MS) return cached.me;
  const me = apiFetch<Me>('/api/auth/me');
  const entry = { at: Date.now(), me };
  cached = entry;
  me.catch(() => {
    if (cached === entry) cached = null;
  });
  return me;
}

/** Remember a fresh answer (POST /api/auth/acting returns the same shape as /auth/me). */
export function setMe(me: Me): void {
  cached = { at: Date.now(), me: Promise.resolve(me) };
}

/** Next loadMe() asks the API again (after changes to the user, a login or a logout). */
export function forgetMe(): void {
  cached = null;
}

/** 切换至个人 (null) / 切换至企业. */
export async function switchActing(enterpriseId: string | null): Promise<Me> {
  const me = await apiFetch<Me>('/api/auth/acting', { body: { enterpriseId } });
  setMe(me);
  return me;
}

/** What the UI derives permissions and menus from: user, platform role, real-name status, acting identity, enterprises. */
export function identityKey(me: Me | null | undefined): string {
  if (!me) return '';
  return JSON.stringify([
    me.user.id,
    me.user.platformRole,
    me.user.realNameStatus ?? null,
    me.acting ? [me.acting.enterpriseId, me.acting.enterpriseName, me.acting.role] : null,
    me.enterprises.map((e) => [e.id, e.name, e.role]),
  ]);
}
