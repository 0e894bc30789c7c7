import { Chip } from '@mui/material';
import { DataTable, List, SearchInput, useRecordContext, useTranslate } from 'react-admin';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { StatusChip } from '../../../ui-shared/src/components/StatusChip';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import type { AdminUserView } from '../../../domain/identity/admin-user-view';

/** A row of GET /api/admin/users: the server's own view (domain/identity/admin-user-view.ts). */
export type AdminUser = AdminUserView;

const UserBody = createTestIdTableBody('user-row');

const RealNameField = () => {
  const r = useRecordContext<AdminUser>();
  return r ? <StatusChip kind="realName" status={r.realNameStatus} label={r.realNameLabel} testId="user-realname-status" /> : null;
};

const FlagsField = () => {
  const r = useRecordContext<AdminUser>();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <>
      {r.platformRole === 'operator' && <Chip size="small" color="primary" label={translate('admin.users.operator')} sx={{ mr: 0.5 }} />}
      {r.locked && <Chip size="small" color="error" variant="outlined" label={translate('admin.users.locked')} data-testid="user-locked" sx={{ mr: 0.5 }} />}
      {r.smsLoginLocked && <Chip size="small" color="warning" variant="outlined" label={translate('admin.users.sms_login_locked')} title={translate('admin.users.sms_login_locked_hint')} data-testid="user-sms-login-locked" />}
    </>
  );
};

/** 用户: every account (admin/users), search by name or exact mobile number. */
export const UserList = () => {
  const translate = useTranslate();
  const label = (f: string) => translate(`resources.users.fields.${f}`);
  return (
    <List
      filters={[<SearchInput key="q" source="q" alwaysOn placeholder={translate('admin.users.search')} />]}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      exporter={false}
      actions={false}
    >
      <DataTable<AdminUser> rowClick={false} bulkActionButtons={false} body={UserBody} data-testid="users-table" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col source="name" label={label('name')} />
        <DataTable.Col source="mobileMasked" label={label('mobileMasked')} disableSort />
        <DataTable.Col source="email" label={label('email')} disableSort />
        <DataTable.Col label={label('realNameStatus')} disableSort>
          <RealNameField />
        </DataTable.Col>
        <DataTable.Col label={label('flags')} disableSort>
          <FlagsField />
        </DataTable.Col>
        <DataTable.Col source="createdAt" label={label('createdAt')}>
          <LocalDateField source="createdAt" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
