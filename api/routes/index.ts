import type { ApiDeps } from '../deps';
import type { RouteDef } from '../http/route';
import { adminRoutes } from './admin';
import { authRoutes } from './auth';
import { contractRoutes } from './contracts';
import { verificationRoutes } from './verifications';

/** Every API route (mounted under /api). The access-control test walks this list. */
export function allRoutes(deps: ApiDeps): RouteDef[] {
  return [...authRoutes(deps), ...contractRoutes(deps), ...verificationRoutes(deps), ...adminRoutes(deps)];
}
