import { useState } from 'react';
import { Box, Button, Card, CardContent, CircularProgress, Stack, Typography } from '@mui/material';
import BlockIcon from '@mui/icons-material/Block';
import BusinessIcon from '@mui/icons-material/Business';
import { Navigate } from 'react-router-dom';
import { NotFound, Title, usePermissions, useTranslate } from 'react-admin';
import { switchActing } from '../../../ui-shared/src/auth/session';
import { useMe } from '../../../ui-shared/src/auth/useMe';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { useRoleLabel } from '../../../ui-shared/src/components/StatusChip';
import { isConsoleRole, type Permissions } from '../../../ui-shared/src/types';
import { audiencesOf } from '../access';

/** Neither operator nor acting as 管理员/印章管理员: say so, link to the portal, offer a direct switch. */
const NoConsoleAccess = () => {
  const translate = useTranslate();
  const roleLabel = useRoleLabel();
  const { me } = useMe();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const choices = (me?.enterprises ?? []).filter((e) => isConsoleRole(e.role));

  const enter = async (enterpriseId: string) => {
    setBusy(enterpriseId);
    setError(null);
    try {
      await switchActing(enterpriseId);
      // Resources depend on the identity: load the console afresh.
      window.location.assign('/admin/');
    } catch (e) {
      setError(errorMessage(e));
      setBusy(null);
    }
  };

  return (
    <Box sx={{ display: 'flex', justifyContent: 'center', mt: 6 }}>
      <Title title={translate('admin.no_access.title')} />
      <Card sx={{ maxWidth: 560 }} data-testid="no-console-access">
        <CardContent sx={{ textAlign: 'center', py: 5 }}>
          <BlockIcon sx={{ fontSize: 56, color: 'text.disabled' }} />
          <Typography variant="h6" gutterBottom>
            {translate('admin.no_access.title')}
          </Typography>
          <Typography color="text.secondary" sx={{ mb: 3 }} data-testid="no-console-access-message">
            {translate('admin.no_access.message')}
          </Typography>
          {choices.length > 0 && (
            <Stack spacing={1} sx={{ mb: 3, alignItems: 'center' }}>
              <Typography variant="body2">{translate('admin.no_access.switch_here')}</Typography>
              {choices.map((e) => (
                <Button
                  key={e.id}
                  variant="outlined"
                  startIcon={busy === e.id ? <CircularProgress size={16} /> : <BusinessIcon />}
                  disabled={busy !== null}
                  onClick={() => enter(e.id)}
                  data-testid={`console-switch-${e.id}`}
                >
                  {e.name} · {roleLabel(e.role, e.roleLabel, e.roleLabelEn)}
                </Button>
              ))}
            </Stack>
          )}
          <Button variant="contained" href="/" data-testid="no-access-portal-link">
            {translate('admin.no_access.go_portal')}
          </Button>
          <ApiErrorAlert error={error} />
        </CardContent>
      </Card>
    </Box>
  );
};

/**
 * /admin/: operators go to 合同, enterprise consoles to 加入企业审核; anyone else is told to
 * switch to an enterprise identity in the portal first.
 */
export const ConsoleHome = () => {
  const { permissions, isPending } = usePermissions<Permissions>();
  if (isPending) return <CircularProgress sx={{ m: 4 }} />;
  const audiences = audiencesOf(permissions);
  if (audiences.has('operator')) return <Navigate to="/contracts" replace />;
  if (audiences.has('console')) return <Navigate to="/join-applications" replace />;
  return <NoConsoleAccess />;
};

/**
 * Unknown URLs. A user without any console access (e.g. just removed from the enterprise, or after
 * handing over the 管理员 role, whose pages then disappear) gets the same hint as on /admin/.
 */
export const ConsoleCatchAll = () => {
  const { permissions, isPending } = usePermissions<Permissions>();
  if (isPending) return <CircularProgress sx={{ m: 4 }} />;
  return audiencesOf(permissions).size === 0 ? <NoConsoleAccess /> : <NotFound />;
};
