import { useEffect, useRef, useState } from 'react';
import { Alert, Box, Button, Card, CardContent, CircularProgress, Grid, Stack, Typography } from '@mui/material';
import InfoOutlinedIcon from '@mui/icons-material/InfoOutlined';
import { Title, usePermissions, useTranslate } from 'react-admin';
import { identityMayHaveChanged } from '../../../ui-shared/src/auth/identityEvents';
import { ApiErrorAlert } from '../../../ui-shared/src/components/ApiErrorAlert';
import { useApiGet } from '../../../ui-shared/src/hooks/useApiGet';
import type { Permissions } from '../../../ui-shared/src/types';
import { DetailField } from '../detail/DetailField';
import { isEnterpriseAdmin } from '../members/types';
import { ChangeHistory } from './ChangeHistory';
import { StandingChip } from './ChangeStatusChip';
import { ContactForm } from './ContactForm';
import { OpenChangePanel } from './OpenChangePanel';
import { LEGAL_REPRESENTATIVE, NameChangeDialog, RENAME } from './NameChangeDialog';
import type { EnterpriseInfo } from './types';

/** While the operator reviews a submission, the outcome is looked up this often. */
const REVIEW_POLL_MS = 5000;

/**
 * 信息管理 (企业控制台): the enterprise's data and standing, contact details (管理员 edits),
 * 变更企业名称 (re-certification: draft → 提交重新认证 → platform review), 变更法人, the change history.
 * 印章管理员 see it read-only. data-testids: enterprise-info-page, enterprise-info-name,
 * enterprise-info-uscc, enterprise-info-legal-rep-value, enterprise-standing, enterprise-info-recertifying,
 * enterprise-info-rename, enterprise-info-legal-rep.
 */
export const EnterpriseInfoPage = () => {
  const translate = useTranslate();
  const { permissions } = usePermissions<Permissions>();
  const canEdit = isEnterpriseAdmin(permissions);
  const [version, setVersion] = useState(0);
  const { data: info, error, loading } = useApiGet<EnterpriseInfo>('/api/console/enterprise-info', version);
  const [renaming, setRenaming] = useState(false);
  const [changingLegalRep, setChangingLegalRep] = useState(false);
  const reload = () => setVersion((v) => v + 1);

  const underReview = info?.openChange?.status === 'under_review';
  useEffect(() => {
    if (!underReview) return;
    const timer = setInterval(reload, REVIEW_POLL_MS);
    return () => clearInterval(timer);
  }, [underReview]);
  // The enterprise's name is part of the acting identity (header, menu title): follow a rename.
  const name = info?.name;
  const shownName = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (name && shownName.current && shownName.current !== name) identityMayHaveChanged();
    shownName.current = name;
  }, [name]);

  const recertifying = info?.standing === 'recertifying';
  const hasOpenChange = !!info?.openChange;
  const label = (f: string) => translate(`enterpriseInfo.fields.${f}`);
  return (
    <Box sx={{ maxWidth: 1100, mt: 1 }} data-testid="enterprise-info-page" data-standing={info?.standing ?? ''}>
      <Title title={translate('admin.pages.enterprise-info')} />
      {loading && !info && !error && <CircularProgress size={24} />}
      <ApiErrorAlert error={error?.message} sx={{ mt: 0, mb: 2 }} />
      {info && (
        <Stack spacing={2}>
          <Card>
            <CardContent>
              <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, mb: 2 }}>
                <InfoOutlinedIcon />
                <Typography variant="h5" component="h1" data-testid="enterprise-info-name">
                  {info.name}
                </Typography>
                <StandingChip standing={info.standing} size="medium" />
              </Stack>
              {recertifying && (
                <Alert severity="warning" sx={{ mb: 2 }} data-testid="enterprise-info-recertifying">
                  {translate('enterpriseInfo.recertifying_notice')}
                </Alert>
              )}
              <Grid container spacing={2}>
                <Grid size={{ xs: 12, sm: 6, md: 4 }}>
                  <DetailField label={label('uscc')} testId="enterprise-info-uscc">
                    <Box component="span" sx={{ fontFamily: 'monospace' }}>
                      {info.uscc}
                    </Box>
                  </DetailField>
                </Grid>
                <Grid size={{ xs: 12, sm: 6, md: 4 }}>
                  <DetailField label={label('legalRepresentative')} testId="enterprise-info-legal-rep-value">
                    {info.legalRepresentative}
                  </DetailField>
                </Grid>
              </Grid>
              {canEdit && (
                <Stack direction="row" spacing={1} sx={{ mt: 2, flexWrap: 'wrap', rowGap: 1 }}>
                  <Button variant="outlined" color="warning" onClick={() => setRenaming(true)} disabled={recertifying || hasOpenChange} data-testid="enterprise-info-rename">
                    {translate('enterpriseInfo.rename.title')}
                  </Button>
                  <Button variant="outlined" onClick={() => setChangingLegalRep(true)} disabled={recertifying} data-testid="enterprise-info-legal-rep">
                    {translate('enterpriseInfo.legal_rep.title')}
                  </Button>
                </Stack>
              )}
              {canEdit && recertifying && (
                <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
                  {translate('enterpriseInfo.legal_rep.not_while_recertifying')}
                </Typography>
              )}
            </CardContent>
          </Card>

          {(hasOpenChange || recertifying) && (
            <Card>
              <CardContent>
                <OpenChangePanel info={info} canEdit={canEdit} onChanged={reload} />
              </CardContent>
            </Card>
          )}

          <Card>
            <CardContent>
              <ContactForm info={info} canEdit={canEdit} onSaved={reload} onReload={reload} />
            </CardContent>
          </Card>

          <Card>
            <CardContent>
              <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
                {translate('enterpriseInfo.history.title')}
              </Typography>
              <ChangeHistory rows={info.history} />
            </CardContent>
          </Card>
        </Stack>
      )}
      {renaming && info && (
        <NameChangeDialog
          kind={RENAME}
          current={info.name}
          onClose={() => setRenaming(false)}
          onDone={() => {
            setRenaming(false);
            reload();
          }}
        />
      )}
      {changingLegalRep && info && (
        <NameChangeDialog
          kind={LEGAL_REPRESENTATIVE}
          current={info.legalRepresentative}
          onClose={() => setChangingLegalRep(false)}
          onDone={() => {
            setChangingLegalRep(false);
            reload();
          }}
        />
      )}
    </Box>
  );
};
