import { Alert, Button } from '@mui/material';
import { Link as RouterLink } from 'react-router-dom';
import { useTranslate } from 'react-admin';
import { useMe } from '../../../ui-shared/src/auth/useMe';

/**
 * A hint on pages that need 实名认证 (发起合同, 认证企业, 加入企业) while the user is not
 * verified; links to 实名认证. The API refuses anyway (403 REAL_NAME_REQUIRED).
 */
export const RealNameRequired = ({ actionKey }: { actionKey: string }) => {
  const translate = useTranslate();
  const { me } = useMe();
  const status = me?.user.realNameStatus;
  if (!me || !status || status === 'verified') return null;
  return (
    <Alert
      severity="warning"
      sx={{ mb: 2 }}
      data-testid="realname-required"
      data-status={status}
      action={
        <Button component={RouterLink} to="/real-name" color="inherit" size="small" data-testid="realname-required-link">
          {translate('portal.realname.go')}
        </Button>
      }
    >
      {translate(status === 'pending' ? 'portal.realname.required_pending' : 'portal.realname.required', { action: translate(actionKey) })}
    </Alert>
  );
};

/** True once the user is known to be verified. */
export const useIsVerified = () => useMe().me?.user.realNameStatus === 'verified';
