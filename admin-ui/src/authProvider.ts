import { createAuthProvider } from '../../ui-shared/src/auth/createAuthProvider';

/**
 * Any user may log in; what they see depends on who they are (see access.ts): platform
 * operators get 管理后台, users acting as 管理员/印章管理员 get 企业控制台, others a hint.
 */
export const authProvider = createAuthProvider();
