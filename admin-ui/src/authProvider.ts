import { createAuthProvider } from '../../ui-shared/src/auth/createAuthProvider';

/** Only platform operators (GET /api/auth/me → platformRole "operator") may use the console. */
export const authProvider = createAuthProvider({
  refuse: (user) => (user.platformRole === 'operator' ? null : 'sf.auth.not_operator'),
});
