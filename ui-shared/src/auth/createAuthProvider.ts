// Cookie-session authProvider for POST /api/auth/login, GET /api/auth/me, POST /api/auth/logout.
import type { AuthProvider } from 'react-admin';
import { ApiError, apiFetch } from '../api/apiFetch';
import { clearAllDrafts } from '../drafts';
import type { SessionUser } from '../types';

export interface AuthOptions {
  /** Returns a translation key when this user may not use the app (e.g. not an operator). */
  refuse?: (user: SessionUser) => string | null;
}

const ME_TTL_MS = 5_000;

export function createAuthProvider({ refuse }: AuthOptions = {}): AuthProvider {
  let cached: { at: number; user: Promise<SessionUser> } | null = null;
  // True while the session belongs to someone refused here: leave their session alone on the
  // automatic logout (the portal and the console share one cookie).
  let refusedSession = false;

  const me = (): Promise<SessionUser> => {
    if (cached && Date.now() - cached.at < ME_TTL_MS) return cached.user;
    const user = apiFetch<{ user: SessionUser }>('/api/auth/me').then((r) => r.user);
    cached = { at: Date.now(), user };
    user.catch(() => {
      cached = null;
    });
    return user;
  };

  return {
    async login({ mobile, password }: { mobile: string; password: string }) {
      cached = null;
      clearAllDrafts();
      const { user } = await apiFetch<{ user: SessionUser }>('/api/auth/login', {
        body: { mobile: String(mobile ?? '').trim(), password },
      });
      const refusal = refuse?.(user);
      if (refusal) {
        await apiFetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
        throw new Error(refusal);
      }
      refusedSession = false;
      cached = { at: Date.now(), user: Promise.resolve(user) };
    },

    async logout() {
      cached = null;
      clearAllDrafts();
      if (refusedSession) {
        refusedSession = false;
        return;
      }
      await apiFetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    },

    async checkAuth() {
      const user = await me();
      const refusal = refuse?.(user);
      if (refusal) {
        refusedSession = true;
        throw { message: refusal };
      }
    },

    async checkError(error: unknown) {
      const status = (error as { status?: number } | null)?.status;
      if (status === 401) {
        cached = null;
        throw error instanceof ApiError || error instanceof Error ? error : new Error('401');
      }
    },

    async getIdentity() {
      const user = await me();
      return { id: user.id, fullName: user.name || user.mobile, mobile: user.mobile };
    },

    async getPermissions() {
      try {
        return (await me()).platformRole;
      } catch {
        return null;
      }
    },
  };
}
