import { useState, type MouseEvent } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import DescriptionIcon from '@mui/icons-material/Description';
import { DataTable, useRecordContext, useTranslate } from 'react-admin';
import { ApplicationStatusField } from '../reviews/ApplicationStatusField';
import { AuthorizationLetter } from '../reviews/AuthorizationLetter';
import type { AdminApplicationView } from '../../../domain/platform/review-views';
import { ReviewList } from '../reviews/ReviewList';

/** A row of GET /api/admin/admin-applications: the server's own view (domain/platform/review-views.ts). */
export type AdminApplication = AdminApplicationView;

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

const ReasonField = () => {
  const r = useRecordContext<AdminApplication>();
  return r ? (
    <Typography variant="body2" sx={{ maxWidth: 320, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {r.reason}
    </Typography>
  ) : null;
};

/** 管理员申请审核: 待审核 first; the 授权书 opens in a dialog; 通过 / 驳回 per row. */
export const AdminApplicationList = () => {
  const translate = useTranslate();
  const fieldsKey = 'resources.admin-applications.fields';
  const label = (f: string) => translate(`${fieldsKey}.${f}`);
  return (
    <ReviewList<AdminApplication>
      fieldsKey={fieldsKey}
      tableTestId="admin-applications-table"
      rowTestId="admin-application-row"
      apiPath="admin/admin-applications"
      subject={(r, t) => t('admin.admin_applications.subject', { name: r.applicantName, enterprise: r.enterpriseName })}
    >
      <DataTable.Col source="enterpriseName" label={label('enterpriseName')} disableSort />
      <DataTable.Col source="applicantName" label={label('applicantName')} disableSort />
      <DataTable.Col label={label('reason')} disableSort>
        <ReasonField />
      </DataTable.Col>
      <DataTable.Col label={label('letter')} disableSort>
        <LetterField />
      </DataTable.Col>
      <DataTable.Col label={label('status')} disableSort>
        <ApplicationStatusField />
      </DataTable.Col>
    </ReviewList>
  );
};
