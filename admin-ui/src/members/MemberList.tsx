import { Box, Button, Stack } from '@mui/material';
import EditIcon from '@mui/icons-material/Edit';
import { Link as RouterLink } from 'react-router-dom';
import { DataTable, List, useLocaleState, usePermissions, useRecordContext, useTranslate } from 'react-admin';
import { StatusChip, useRoleLabel } from '../../../ui-shared/src/components/StatusChip';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import { formatDateTime, joinNames } from '../../../ui-shared/src/format';
import type { Permissions } from '../../../ui-shared/src/types';
import { RemoveMemberButton } from './RemoveMemberButton';
import { isEnterpriseAdmin, type Member } from './types';
import { useBusinessTypeNames } from './useMemberOptions';

const Body = createTestIdTableBody('member-row');

const RoleField = () => {
  const r = useRecordContext<Member>();
  const roleLabel = useRoleLabel();
  return r ? (
    <span data-testid="member-role" data-role={r.role}>
      {roleLabel(r.role, r.roleLabel, r.roleLabelEn)}
    </span>
  ) : null;
};

const BusinessTypesField = () => {
  const r = useRecordContext<Member>();
  const names = useBusinessTypeNames();
  return r ? <>{names(r.businessTypes) || '—'}</> : null;
};

const SealsField = () => {
  const r = useRecordContext<Member>();
  const [locale] = useLocaleState();
  return r ? <span data-testid="member-seals">{joinNames(r.sealNames, locale) || '—'}</span> : null;
};

const JoinedField = () => {
  const r = useRecordContext<Member>();
  const [locale] = useLocaleState();
  return r ? <span style={{ whiteSpace: 'nowrap' }}>{formatDateTime(r.decidedAt ?? r.appliedAt, locale)}</span> : null;
};

/** Row actions for the 管理员 only: 编辑, 移除 (not for the 管理员 themself). */
const Actions = () => {
  const r = useRecordContext<Member>();
  const translate = useTranslate();
  const { permissions } = usePermissions<Permissions>();
  if (!r || !isEnterpriseAdmin(permissions)) return null;
  return (
    <Stack direction="row" spacing={1} onClick={(e) => e.stopPropagation()} sx={{ whiteSpace: 'nowrap' }}>
      <Button size="small" component={RouterLink} to={`/members/${encodeURIComponent(r.id)}`} startIcon={<EditIcon />} data-testid="member-edit">
        {translate('ra.action.edit')}
      </Button>
      {r.role !== 'admin' && <RemoveMemberButton member={r} />}
    </Stack>
  );
};

/** 人员管理: active members of the acting enterprise; open a row for details. */
export const MemberList = () => {
  const translate = useTranslate();
  const label = (f: string) => translate(`resources.members.fields.${f}`);
  return (
    <List actions={false} pagination={false} perPage={1000} exporter={false} sort={{ field: 'appliedAt', order: 'ASC' }}>
      <DataTable<Member> rowClick="show" bulkActionButtons={false} body={Body} data-testid="members-table" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="name" label={label('name')} disableSort />
        <DataTable.Col source="mobileMasked" label={label('mobileMasked')} disableSort />
        <DataTable.Col label={label('role')} disableSort>
          <RoleField />
        </DataTable.Col>
        <DataTable.Col label={label('realNameStatus')} disableSort>
          <MemberRealName />
        </DataTable.Col>
        <DataTable.Col label={label('businessTypes')} disableSort>
          <BusinessTypesField />
        </DataTable.Col>
        <DataTable.Col label={label('seals')} disableSort>
          <SealsField />
        </DataTable.Col>
        <DataTable.Col label={label('joinedAt')} disableSort>
          <JoinedField />
        </DataTable.Col>
        <DataTable.Col label={translate('admin.review.actions')} disableSort>
          <Box>
            <Actions />
          </Box>
        </DataTable.Col>
      </DataTable>
    </List>
  );
};

const MemberRealName = () => {
  const r = useRecordContext<Member>();
  return r ? <StatusChip kind="realName" status={r.realNameStatus} testId="member-realname-status" /> : null;
};
