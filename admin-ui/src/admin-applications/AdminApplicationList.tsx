import { useState, type MouseEvent } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import DescriptionIcon from '@mui/icons-material/Description';
import { DataTable, List, useRecordContext, useTranslate } from 'react-admin';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { StatusChip } from '../../../ui-shared/src/components/StatusChip';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import { AuthorizationLetter } from '../reviews/AuthorizationLetter';
import { ReviewButtons } from '../reviews/ReviewButtons';
import { statusFilter } from '../reviews/StatusFilter';

export interface AdminApplication {
  id: string;
  enterpriseId: string;
  enterpriseName: string;
  applicantName: string;
  reason: string;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
  statusLabel: string;
  rejectReason: string | null;
  createdAt: string;
  authorizationLetterUrl: string;
}

const STATUSES = ['pending', 'approved', 'rejected'] as const;
const Body = createTestIdTableBody('admin-application-row');

const LetterField = () => {
  const r = useRecordContext<AdminApplication>();
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  if (!r) return null;
  return (
    <>
      <Button
        size="small"
        startIcon={<DescriptionIcon />}
        onClick={(e: MouseEvent) => {
          e.stopPropagation();
          setOpen(true);
        }}
        data-testid="letter-link"
        sx={{ whiteSpace: 'nowrap' }}
      >
        {translate('admin.review.view_letter')}
      </Button>
      <Dialog open={open} onClose={() => setOpen(false)} maxWidth="md" fullWidth data-testid="letter-dialog">
        <DialogTitle>
          {r.enterpriseName} · {r.applicantName}
        </DialogTitle>
        <DialogContent>
          <AuthorizationLetter url={r.authorizationLetterUrl} height={560} />
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)}>{translate('ra.action.close')}</Button>
        </DialogActions>
      </Dialog>
    </>
  );
};

const StatusField = () => {
  const r = useRecordContext<AdminApplication>();
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

const ReasonField = () => {
  const r = useRecordContext<AdminApplication>();
  return r ? (
    <Typography variant="body2" sx={{ maxWidth: 320, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {r.reason}
    </Typography>
  ) : null;
};

const Actions = () => {
  const r = useRecordContext<AdminApplication>();
  const translate = useTranslate();
  if (!r || r.status !== 'pending') return null;
  return <ReviewButtons apiPath="admin/admin-applications" id={r.id} subject={translate('admin.admin_applications.subject', { name: r.applicantName, enterprise: r.enterpriseName })} />;
};

/** 管理员申请审核: 待审核 first; the 授权书 opens in a dialog; 通过 / 驳回 per row. */
export const AdminApplicationList = () => {
  const translate = useTranslate();
  const label = (f: string) => translate(`resources.admin-applications.fields.${f}`);
  return (
    <List
      filters={[statusFilter(translate, 'application', STATUSES)]}
      filterDefaultValues={{ status: 'pending' }}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
      actions={false}
    >
      <DataTable<AdminApplication> rowClick={false} bulkActionButtons={false} body={Body} data-testid="admin-applications-table" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="createdAt" label={label('createdAt')}>
          <LocalDateField source="createdAt" />
        </DataTable.Col>
        <DataTable.Col source="enterpriseName" label={label('enterpriseName')} disableSort />
        <DataTable.Col source="applicantName" label={label('applicantName')} disableSort />
        <DataTable.Col label={label('reason')} disableSort>
          <ReasonField />
        </DataTable.Col>
        <DataTable.Col label={label('letter')} disableSort>
          <LetterField />
        </DataTable.Col>
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
