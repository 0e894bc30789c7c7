import { Typography } from '@mui/material';
import { DataTable, List, useRecordContext, useTranslate } from 'react-admin';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { StatusChip } from '../../../ui-shared/src/components/StatusChip';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import { ReviewButtons } from '../reviews/ReviewButtons';
import { statusFilter } from '../reviews/StatusFilter';

export interface RealNameApplication {
  id: string;
  userId: string;
  accountName: string;
  name: string;
  idNumberMasked: string;
  mobileMasked: string;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  statusLabel: string;
  rejectReason: string | null;
  createdAt: string;
  reviewedAt: string | null;
}

const STATUSES = ['pending', 'approved', 'rejected'] as const;
const Body = createTestIdTableBody('real-name-application-row');

const StatusField = () => {
  const r = useRecordContext<RealNameApplication>();
  if (!r) return null;
  return (
    <>
      <StatusChip kind="application" status={r.status} label={r.statusLabel} />
      {r.rejectReason && (
        <Typography variant="caption" color="error" component="div">
          {r.rejectReason}
        </Typography>
      )}
    </>
  );
};

const Actions = () => {
  const r = useRecordContext<RealNameApplication>();
  const translate = useTranslate();
  if (!r || r.status !== 'pending') return null;
  return <ReviewButtons apiPath="admin/real-name-applications" id={r.id} subject={translate('admin.real_name.subject', { name: r.name, id: r.idNumberMasked })} />;
};

/** 实名认证审核: 待审核 first (status filter), 通过 / 驳回 (with a reason) per row. */
export const RealNameApplicationList = () => {
  const translate = useTranslate();
  const label = (f: string) => translate(`resources.real-name-applications.fields.${f}`);
  return (
    <List
      filters={[statusFilter(translate, 'application', STATUSES)]}
      filterDefaultValues={{ status: 'pending' }}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
      actions={false}
    >
      <DataTable<RealNameApplication> rowClick={false} bulkActionButtons={false} body={Body} data-testid="real-name-applications-table" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="createdAt" label={label('createdAt')}>
          <LocalDateField source="createdAt" />
        </DataTable.Col>
        <DataTable.Col source="accountName" label={label('accountName')} disableSort />
        <DataTable.Col source="name" label={label('name')} disableSort />
        <DataTable.Col source="idNumberMasked" label={label('idNumberMasked')} disableSort cellSx={() => ({ fontFamily: 'monospace' })} />
        <DataTable.Col source="mobileMasked" label={label('mobileMasked')} disableSort />
        <DataTable.Col label={label('status')} disableSort>
          <StatusField />
        </DataTable.Col>
        <DataTable.Col label={translate('admin.review.actions')} disableSort>
          <Actions />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
