import { useState, type MouseEvent } from 'react';
import { Box, Button, Stack, Typography } from '@mui/material';
import CheckIcon from '@mui/icons-material/Check';
import CloseIcon from '@mui/icons-material/Close';
import InboxIcon from '@mui/icons-material/Inbox';
import { DataTable, List, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { ReasonDialog } from '../../../ui-shared/src/components/ReasonDialog';
import { StatusChip } from '../../../ui-shared/src/components/StatusChip';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import type { Member } from '../members/types';
import { ApproveDialog } from './ApproveDialog';

const Body = createTestIdTableBody('join-application-row');

const RealNameField = () => {
  const r = useRecordContext<Member>();
  return r ? <StatusChip kind="realName" status={r.realNameStatus} testId="applicant-realname-status" /> : null;
};

const MessageField = () => {
  const r = useRecordContext<Member>();
  return r?.message ? (
    <Typography variant="body2" sx={{ maxWidth: 320, whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
      {r.message}
    </Typography>
  ) : (
    <>—</>
  );
};

const Actions = () => {
  const r = useRecordContext<Member>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const [approving, setApproving] = useState(false);
  const [rejecting, setRejecting] = useState(false);
  if (!r) return null;
  const stop = (e: MouseEvent) => e.stopPropagation();

  const reject = async (reason: string) => {
    await apiFetch(`/api/console/join-applications/${encodeURIComponent(r.id)}/reject`, { body: { reason } });
    setRejecting(false);
    notify(translate('admin.join.rejected', { name: r.name }), { type: 'info' });
    refresh();
  };

  return (
    <Box onClick={stop}>
      <Stack direction="row" spacing={1} sx={{ whiteSpace: 'nowrap' }}>
        <Button size="small" variant="contained" color="success" startIcon={<CheckIcon />} onClick={() => setApproving(true)} data-testid="review-approve">
          {translate('sf.review.approve')}
        </Button>
        <Button size="small" variant="outlined" color="error" startIcon={<CloseIcon />} onClick={() => setRejecting(true)} data-testid="review-reject">
          {translate('sf.review.reject')}
        </Button>
      </Stack>
      {approving && (
        <ApproveDialog
          application={r}
          onClose={() => setApproving(false)}
          onDone={() => {
            setApproving(false);
            refresh();
          }}
        />
      )}
      <ReasonDialog
        open={rejecting}
        title={translate('admin.join.reject_title')}
        subject={`${r.name} · ${r.mobileMasked}`}
        onClose={() => setRejecting(false)}
        onConfirm={reject}
      />
    </Box>
  );
};

const Empty = () => {
  const translate = useTranslate();
  return (
    <Box sx={{ textAlign: 'center', py: 8, width: '100%' }} data-testid="join-applications-empty">
      <InboxIcon sx={{ fontSize: 64, color: 'text.disabled' }} />
      <Typography color="text.secondary">{translate('admin.join.empty')}</Typography>
    </Box>
  );
};

/** 加入企业审核: pending applications to the acting enterprise; 通过 (role, 业务类型, 印章) / 驳回. */
export const JoinApplicationList = () => {
  const translate = useTranslate();
  const label = (f: string) => translate(`resources.join-applications.fields.${f}`);
  return (
    <List actions={false} pagination={false} perPage={1000} exporter={false} empty={<Empty />} sort={{ field: 'appliedAt', order: 'ASC' }}>
      <DataTable<Member> rowClick={false} bulkActionButtons={false} body={Body} data-testid="join-applications-table" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="name" label={label('name')} disableSort />
        <DataTable.Col source="mobileMasked" label={label('mobileMasked')} disableSort />
        <DataTable.Col label={label('realNameStatus')} disableSort>
          <RealNameField />
        </DataTable.Col>
        <DataTable.Col label={label('message')} disableSort>
          <MessageField />
        </DataTable.Col>
        <DataTable.Col source="appliedAt" label={label('appliedAt')} disableSort>
          <LocalDateField source="appliedAt" />
        </DataTable.Col>
        <DataTable.Col label={translate('admin.review.actions')} disableSort>
          <Actions />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
