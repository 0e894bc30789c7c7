import { createAuthProvider } from '../../ui-shared/src/auth/createAuthProvider';

/** Any registered user may use the portal (password or SMS login; /register logs in too). */
export const authProvider = createAuthProvider();
