import { createAuthProvider } from '../../ui-shared/src/auth/createAuthProvider';

/** Any registered user may use the portal. */
export const authProvider = createAuthProvider();
