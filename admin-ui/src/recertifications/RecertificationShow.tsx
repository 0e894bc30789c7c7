import { Alert, Box, Card, CardContent, Grid, Typography } from '@mui/material';
import { useLocaleState, useRecordContext, useTranslate } from 'react-admin';
import { formatDateTime } from '../../../ui-shared/src/format';
import { TemporalLink } from '../contracts/TemporalLink';
import { DetailField, type DetailFieldProps } from '../detail/DetailField';
import { DetailHeading } from '../detail/DetailHeading';
import { RecordShow } from '../detail/RecordShow';
import { ChangeStatusChip } from '../enterprise-info/ChangeStatusChip';
import { AuthorizationLetter } from '../reviews/AuthorizationLetter';
import { ReviewButtons } from '../reviews/ReviewButtons';
import type { AdminRecertification } from './types';

const Item = (props: DetailFieldProps) => <DetailField sx={{ mb: 1.5 }} breakAll {...props} />;

const TEST_IDS = { approve: 'recertification-approve', reject: 'recertification-reject', reason: 'recertification-reject-reason', confirm: 'recertification-reject-confirm' };

const RecertificationDetail = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const r = useRecordContext<AdminRecertification>();
  if (!r) return null;
  const label = (f: string) => translate(`resources.recertifications.fields.${f}`);
  const usccMismatch = !!(r.enterpriseUscc && r.uscc && r.enterpriseUscc !== r.uscc);
  const hasLetter = r.hasLetter ?? r.status !== 'drafting';
  return (
    <Grid container spacing={2} sx={{ mt: 1 }} data-testid="recertification-show" data-id={r.id} data-status={r.status}>
      <Grid size={{ xs: 12, md: 5 }}>
        <Card>
          <CardContent>
            <DetailHeading title={r.enterpriseName} titleTestId="recertification-enterprise">
              <ChangeStatusChip status={r.status} size="medium" />
              <TemporalLink variant="button" />
            </DetailHeading>
            <Item label={label('oldName')} testId="recertification-old-name">
              {r.oldValue}
            </Item>
            <Item label={label('newName')} testId="recertification-new-name">
              <Box component="span" sx={{ fontWeight: 600 }}>
                {r.newValue ?? '—'}
              </Box>
            </Item>
            <Item label={label('uscc')} testId="recertification-uscc">
              <Box component="span" sx={{ fontFamily: 'monospace' }}>
                {r.uscc ?? '—'}
              </Box>
              {r.enterpriseUscc && (
                <Typography variant="caption" color={usccMismatch ? 'error' : 'text.secondary'} component="div">
                  {translate(usccMismatch ? 'recertifications.uscc_mismatch' : 'recertifications.uscc_registered', { uscc: r.enterpriseUscc })}
                </Typography>
              )}
            </Item>
            {r.startedByName && <Item label={label('startedBy')}>{r.startedByName}</Item>}
            <Item label={label('createdAt')}>{formatDateTime(r.createdAt, locale)}</Item>
            {r.submittedAt && <Item label={label('submittedAt')}>{formatDateTime(r.submittedAt, locale)}</Item>}
            {r.reviewedAt && (
              <Item label={label('reviewedAt')}>
                {formatDateTime(r.reviewedAt, locale)}
                {r.reviewedByName ? ` · ${r.reviewedByName}` : ''}
              </Item>
            )}
            {r.rejectReason && (
              <Alert severity="error" sx={{ mb: 2 }} data-testid="recertification-reject-reason-shown">
                {translate('admin.review.rejected_with', { reason: r.rejectReason })}
              </Alert>
            )}
            {r.status === 'under_review' ? (
              <Box sx={{ mt: 2 }}>
                <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                  {translate('recertifications.review_hint')}
                </Typography>
                <ReviewButtons
                  apiPath="admin/recertifications"
                  id={r.id}
                  subject={translate('recertifications.subject', { from: r.oldValue, to: r.newValue ?? '' })}
                  size="medium"
                  testIds={TEST_IDS}
                  // The submission shown here is the one decided: the server refuses the decision (409) if it was superseded meanwhile.
                  decisionBody={{ submissionId: r.submissionId }}
                />
              </Box>
            ) : null}
          </CardContent>
        </Card>
      </Grid>
      <Grid size={{ xs: 12, md: 7 }}>
        <Card>
          <CardContent>
            {hasLetter ? (
              <AuthorizationLetter url={r.letterUrl ?? `/api/admin/recertifications/${encodeURIComponent(r.id)}/letter`} />
            ) : (
              <Typography variant="body2" color="text.secondary" data-testid="recertification-no-letter">
                {translate('recertifications.no_letter')}
              </Typography>
            )}
          </CardContent>
        </Card>
      </Grid>
    </Grid>
  );
};

/** 重新认证审核 detail: old → new name, USCC, the 授权书, 通过 / 驳回 (with reason). */
export const RecertificationShow = () => (
  <RecordShow titleField="enterpriseName" titleFallbackKey="recertifications.detail" shrinkable>
    <RecertificationDetail />
  </RecordShow>
);
