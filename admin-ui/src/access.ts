// Who sees what in the console: platform operators (管理后台) and, acting as an enterprise,
// its 管理员 / 印章管理员 (企业控制台). One user may be both.
import type { Permissions } from '../../ui-shared/src/types';

/** `operator`: platform operator; `console`: 管理员 or 印章管理员 of the acting enterprise; `enterprise_admin`: its 管理员. */
export type Audience = 'operator' | 'console' | 'enterprise_admin';

export function audiencesOf(p: Permissions | null | undefined): Set<Audience> {
  const out = new Set<Audience>();
  if (!p) return out;
  if (p.platformRole === 'operator') out.add('operator');
  if (p.actingRole === 'admin' || p.actingRole === 'seal_admin') out.add('console');
  if (p.actingRole === 'admin') out.add('enterprise_admin');
  return out;
}
