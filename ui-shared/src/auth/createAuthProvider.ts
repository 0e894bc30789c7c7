// Cookie-session authProvider: password or SMS-code login, registration (which logs in),
// GET /api/auth/me for identity and permissions, POST /api/auth/logout.
import type { AuthProvider } from 'react-admin';
import { ApiError, apiFetch } from '../api/apiFetch';
import { clearAllDrafts } from '../drafts';
import type { Permissions, SessionUser } from '../types';
import { forgetMe, loadMe } from './session';

/** What the login page (and the register page) hand to useLogin(). */
export type LoginParams =
  | { mobile: string; password: string }
  | { mobile: string; code: string }
  | { register: { mobile: string; code: string; password: string; name: string } };

const trim = (v: unknown) => String(v ?? '').trim();

export function createAuthProvider(): AuthProvider {
  return {
    async login(params: LoginParams) {
      forgetMe();
      clearAllDrafts();
      if ('register' in params) {
        const r = params.register;
        await apiFetch<{ user: SessionUser }>('/api/auth/register', {
          body: { mobile: trim(r.mobile), code: trim(r.code), password: r.password, name: trim(r.name) },
        });
      } else if ('code' in params) {
        await apiFetch<{ user: SessionUser }>('/api/auth/login/sms', { body: { mobile: trim(params.mobile), code: trim(params.code) } });
      } else {
        await apiFetch<{ user: SessionUser }>('/api/auth/login', { body: { mobile: trim(params.mobile), password: params.password } });
      }
    },

    async logout() {
      forgetMe();
      clearAllDrafts();
      await apiFetch('/api/auth/logout', { method: 'POST' }).catch(() => undefined);
    },

    async checkAuth() {
      await loadMe();
    },

    async checkError(error: unknown) {
      const status = (error as { status?: number } | null)?.status;
      if (status === 401) {
        forgetMe();
        throw error instanceof ApiError || error instanceof Error ? error : new Error('401');
      }
    },

    async getIdentity() {
      const me = await loadMe();
      return { id: me.user.id, fullName: me.user.name || me.user.mobile, mobile: me.user.mobile, me };
    },

    async getPermissions(): Promise<Permissions | null> {
      try {
        const me = await loadMe();
        return { platformRole: me.user.platformRole, actingRole: me.acting?.role ?? null, realNameStatus: me.user.realNameStatus ?? null };
      } catch {
        return null;
      }
    },
  };
}
