import type { ReactNode } from 'react';
import { Box, Button, Card, CardContent, Stack, Typography } from '@mui/material';
import EditIcon from '@mui/icons-material/Edit';
import { Link as RouterLink } from 'react-router-dom';
import { ListButton, Show, TopToolbar, useLocaleState, usePermissions, useRecordContext, useTranslate } from 'react-admin';
import { StatusChip, useRoleLabel } from '../../../ui-shared/src/components/StatusChip';
import { formatDateTime, joinNames } from '../../../ui-shared/src/format';
import type { Permissions } from '../../../ui-shared/src/types';
import { RemoveMemberButton } from './RemoveMemberButton';
import { isEnterpriseAdmin, type Member } from './types';
import { useBusinessTypeNames } from './useMemberOptions';

const Item = ({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) => (
  <Box sx={{ minWidth: 180 }}>
    <Typography variant="caption" color="text.secondary" component="div">
      {label}
    </Typography>
    <Typography variant="body1" component="div" data-testid={testId}>
      {children}
    </Typography>
  </Box>
);

const Detail = () => {
  const r = useRecordContext<Member>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const roleLabel = useRoleLabel();
  const businessTypeNames = useBusinessTypeNames();
  const { permissions } = usePermissions<Permissions>();
  if (!r) return null;
  const label = (f: string) => translate(`resources.members.fields.${f}`);
  return (
    <Card sx={{ mt: 1 }} data-testid="member-show" data-id={r.id} data-role={r.role}>
      <CardContent>
        <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', mb: 2, flexWrap: 'wrap', rowGap: 1 }}>
          <Typography variant="h5" component="h1">
            {r.name}
          </Typography>
          <StatusChip kind="realName" status={r.realNameStatus} />
          <Box sx={{ flex: 1 }} />
          {isEnterpriseAdmin(permissions) && (
            <>
              <Button variant="outlined" size="small" component={RouterLink} to={`/members/${encodeURIComponent(r.id)}`} startIcon={<EditIcon />} data-testid="member-edit">
                {translate('ra.action.edit')}
              </Button>
              {r.role !== 'admin' && <RemoveMemberButton member={r} redirectToList />}
            </>
          )}
        </Stack>
        <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 3 }}>
          <Item label={label('mobileMasked')}>{r.mobileMasked}</Item>
          <Item label={label('role')} testId="member-role">
            {roleLabel(r.role, r.roleLabel, r.roleLabelEn)}
          </Item>
          <Item label={label('businessTypes')} testId="member-business-types-value">
            {businessTypeNames(r.businessTypes) || '—'}
          </Item>
          <Item label={label('seals')} testId="member-seals">
            {joinNames(r.sealNames, locale) || '—'}
          </Item>
          <Item label={label('appliedAt')}>{formatDateTime(r.appliedAt, locale)}</Item>
          <Item label={label('joinedAt')}>{formatDateTime(r.decidedAt, locale)}</Item>
          {r.message && <Item label={label('message')}>{r.message}</Item>}
        </Stack>
      </CardContent>
    </Card>
  );
};

const Title = () => {
  const r = useRecordContext<Member>();
  const translate = useTranslate();
  return <>{r?.name ?? translate('admin.members.detail')}</>;
};

export const MemberShow = () => (
  <Show
    title={<Title />}
    component="div"
    actions={
      <TopToolbar>
        <ListButton />
      </TopToolbar>
    }
  >
    <Detail />
  </Show>
);
