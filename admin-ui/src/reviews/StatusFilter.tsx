import { SelectInput, useTranslate } from 'react-admin';
import type { StatusKind } from '../../../ui-shared/src/components/StatusChip';

/** The 状态 filter of a review list (default 待审核 is set by the list's filterDefaultValues). */
export const statusFilter = (translate: ReturnType<typeof useTranslate>, kind: StatusKind, statuses: readonly string[]) => (
  <SelectInput
    key="status"
    source="status"
    alwaysOn
    label={translate('admin.review.status')}
    emptyText={translate('admin.review.all_statuses')}
    choices={statuses.map((id) => ({ id, name: translate(`sf.status.${kind}.${id}`) }))}
    data-testid="status-filter"
  />
);
