import { Alert, Box, Card, CardContent, Grid, Typography } from '@mui/material';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { StatusChip } from '../../../ui-shared/src/components/StatusChip';
import { formatDateTime, joinNames } from '../../../ui-shared/src/format';
import { useOptionNames } from '../../../ui-shared/src/hooks/useOptionNames';
import { DetailField, type DetailFieldProps } from '../detail/DetailField';
import { DetailHeading } from '../detail/DetailHeading';
import { RecordShow } from '../detail/RecordShow';
import { AuthorizationLetter } from '../reviews/AuthorizationLetter';
import { ReviewButtons } from '../reviews/ReviewButtons';
import type { AdminEnterprise } from './types';

const Item = (props: DetailFieldProps) => <DetailField sx={{ mb: 1.5 }} breakAll {...props} />;

const EnterpriseDetail = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const r = useRecordContext<AdminEnterprise>();
  const sealTypeNames = useOptionNames('/api/config/seal-types');
  if (!r) return null;
  const label = (f: string) => translate(`resources.enterprises.fields.${f}`);
  return (
    <Grid container spacing={2} sx={{ mt: 1 }} data-testid="enterprise-show" data-id={r.id} data-status={r.status}>
      <Grid size={{ xs: 12, md: 5 }}>
        <Card>
          <CardContent>
            <DetailHeading title={r.name} titleTestId="enterprise-name">
              <StatusChip kind="enterprise" status={r.status} label={r.statusLabel} labelEn={r.statusLabelEn} testId="enterprise-status" size="medium" />
            </DetailHeading>
            <Item label={label('uscc')} testId="enterprise-uscc">
              <Box component="span" sx={{ fontFamily: 'monospace' }}>
                {r.uscc}
              </Box>
            </Item>
            <Item label={label('legalRepresentative')} testId="enterprise-legal">
              {r.legalRepresentative}
            </Item>
            <Item label={label('certifierName')} testId="enterprise-certifier">
              {r.certifierName || '—'}
            </Item>
            <Item label={label('sealTypes')} testId="enterprise-seal-types">
              {joinNames(sealTypeNames(r.sealTypes, r.sealTypeNames), locale) || '—'}
            </Item>
            <Item label={label('submittedAt')}>{formatDateTime(r.submittedAt, locale)}</Item>
            {r.certifiedAt && <Item label={label('certifiedAt')}>{formatDateTime(r.certifiedAt, locale)}</Item>}
            {r.status === 'rejected' && r.rejectReason && (
              <Alert severity="error" sx={{ mb: 2 }} data-testid="enterprise-reject-reason">
                {translate('admin.review.rejected_with', { reason: r.rejectReason })}
              </Alert>
            )}
            {r.status === 'pending' ? (
              <Box sx={{ mt: 2 }}>
                <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                  {translate('admin.enterprises.review_hint')}
                </Typography>
                <ReviewButtons apiPath="admin/enterprises" id={r.id} subject={translate('admin.enterprises.subject', { name: r.name, uscc: r.uscc })} size="medium" />
              </Box>
            ) : null}
          </CardContent>
        </Card>
      </Grid>
      <Grid size={{ xs: 12, md: 7 }}>
        <Card>
          <CardContent>
            <AuthorizationLetter url={r.authorizationLetterUrl ?? `/api/admin/enterprises/${encodeURIComponent(r.id)}/authorization-letter`} />
          </CardContent>
        </Card>
      </Grid>
    </Grid>
  );
};

/** 企业认证审核 detail: every field, the 授权书, 通过 / 驳回. */
export const EnterpriseShow = () => (
  <RecordShow titleField="name" titleFallbackKey="admin.enterprises.detail" shrinkable>
    <EnterpriseDetail />
  </RecordShow>
);
