// GET /api/my/enterprises and friends (docs/http-api.md, 我的企业).
// Their rows are the server's own views (domain/enterprises/enterprise-view.ts, join-enterprise.ts), imported as types.
import type { EnterpriseStatus } from '../../../domain/enterprises/enterprise.entity';
import type { JoinedEnterpriseView, MyEnterprisesView, PendingTransferView } from '../../../domain/enterprises/enterprise-view';
import type { EnterpriseSearchResultView } from '../../../domain/enterprises/join-enterprise';

export type { EnterpriseStatus };
/** One of my certification applications (`isAdministrator`: I am its administrator now). */
export type MyEnterprise = MyEnterprisesView['certified'][number];
export type JoinedEnterprise = JoinedEnterpriseView;
export type PendingTransfer = PendingTransferView;
export type MyEnterprises = MyEnterprisesView;
export type EnterpriseSearchResult = EnterpriseSearchResultView;

/** 授权书: PDF, PNG or JPEG, at most 10 MB (checked again by the API, by content). */
export const LETTER_ACCEPT = 'application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg';
export const LETTER_MAX_BYTES = 10 * 1024 * 1024;

export function letterProblem(file: File | null, required: boolean): string | null {
  if (!file) return required ? 'letter_required' : null;
  const okType = ['application/pdf', 'image/png', 'image/jpeg'].includes(file.type) || /\.(pdf|png|jpe?g)$/i.test(file.name);
  if (!okType) return 'letter_type';
  if (file.size > LETTER_MAX_BYTES) return 'letter_size';
  return null;
}
