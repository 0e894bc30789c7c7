import { useMemo, type ReactNode } from 'react';
import { DataTable, List, useRecordContext, useTranslate, type TranslateFunction } from 'react-admin';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import type { AdminApplicationView, RealNameApplicationView } from '../../../domain/platform/review-views';
import { ReviewButtons } from './ReviewButtons';
import { statusFilter } from './StatusFilter';

/** What every review row has (the server's views, domain/platform/review-views.ts): id, status with its label, 驳回 reason, 提交时间. */
export type ReviewRecord = Pick<RealNameApplicationView | AdminApplicationView, 'id' | 'status' | 'statusLabel' | 'rejectReason' | 'createdAt'>;

const STATUSES = ['pending', 'approved', 'rejected'] as const;

/** What the reject dialog names, e.g. 「张三 · 110…」. */
type Subject<T> = (record: T, translate: TranslateFunction) => string;

function PendingReviewButtons<T extends ReviewRecord>({ apiPath, subject }: { apiPath: string; subject: Subject<T> }) {
  const r = useRecordContext<T>();
  const translate = useTranslate();
  if (!r || r.status !== 'pending') return null;
  return <ReviewButtons apiPath={apiPath} id={r.id} subject={subject(r, translate)} />;
}

interface Props<T> {
  /** Message key prefix of the column labels, e.g. resources.x.fields. */
  fieldsKey: string;
  tableTestId: string;
  rowTestId: string;
  /** POST /api/<apiPath>/<id>/approve | reject. */
  apiPath: string;
  subject: Subject<T>;
  /** The columns between 提交时间 and 操作. */
  children: ReactNode;
}

/** A review list: status filter (default 待审核), newest first; 提交时间, the given columns, then 通过 / 驳回 for pending rows. */
export function ReviewList<T extends ReviewRecord>({ fieldsKey, tableTestId, rowTestId, apiPath, subject, children }: Props<T>) {
  const translate = useTranslate();
  const body = useMemo(() => createTestIdTableBody(rowTestId), [rowTestId]);
  return (
    <List
      filters={[statusFilter(translate, 'application', STATUSES)]}
      filterDefaultValues={{ status: 'pending' }}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
      actions={false}
    >
      <DataTable<T> rowClick={false} bulkActionButtons={false} body={body} data-testid={tableTestId} sx={{ '& th': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="createdAt" label={translate(`${fieldsKey}.createdAt`)}>
          <LocalDateField source="createdAt" />
        </DataTable.Col>
        {children}
        <DataTable.Col label={translate('admin.review.actions')} disableSort>
          <PendingReviewButtons<T> apiPath={apiPath} subject={subject} />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
