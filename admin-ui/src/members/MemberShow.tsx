import { Box, Button, Card, CardContent, Stack } from '@mui/material';
import EditIcon from '@mui/icons-material/Edit';
import { Link as RouterLink } from 'react-router-dom';
import { useLocaleState, usePermissions, useRecordContext, useTranslate } from 'react-admin';
import { StatusChip, useRoleLabel } from '../../../ui-shared/src/components/StatusChip';
import { formatDateTime, joinNames } from '../../../ui-shared/src/format';
import type { Permissions } from '../../../ui-shared/src/types';
import { DetailField, type DetailFieldProps } from '../detail/DetailField';
import { DetailHeading } from '../detail/DetailHeading';
import { RecordShow } from '../detail/RecordShow';
import { RemoveMemberButton } from './RemoveMemberButton';
import { isEnterpriseAdmin, type Member } from './types';
import { useBusinessTypeNames } from './useMemberOptions';

const Item = (props: DetailFieldProps) => <DetailField sx={{ minWidth: 180 }} {...props} />;

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
        <DetailHeading title={r.name}>
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
        </DetailHeading>
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

export const MemberShow = () => (
  <RecordShow titleField="name" titleFallbackKey="admin.members.detail">
    <Detail />
  </RecordShow>
);
