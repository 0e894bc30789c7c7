import { Box, Button, Chip } from '@mui/material';
import BusinessIcon from '@mui/icons-material/Business';
import AdminPanelSettingsIcon from '@mui/icons-material/AdminPanelSettings';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import { useTranslate } from 'react-admin';
import { useMe } from '../../../ui-shared/src/auth/useMe';
import { useRoleLabel } from '../../../ui-shared/src/components/StatusChip';
import { isConsoleRole } from '../../../ui-shared/src/types';

/**
 * App bar: the acting enterprise and role (企业控制台), or 平台运营; and a link back to the
 * signing portal (where the identity is switched).
 */
export const ActingIdentity = () => {
  const translate = useTranslate();
  const roleLabel = useRoleLabel();
  const { me } = useMe();
  if (!me) return null;
  const acting = me.acting && isConsoleRole(me.acting.role) ? me.acting : null;
  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mx: 1, minWidth: 0 }}>
      {acting && (
        <Chip
          icon={<BusinessIcon />}
          label={`${acting.enterpriseName} · ${roleLabel(acting.role, acting.roleLabel, acting.roleLabelEn)}`}
          variant="outlined"
          data-testid="acting-identity"
          data-enterprise-id={acting.enterpriseId}
          data-role={acting.role}
          sx={{ color: 'inherit', borderColor: 'currentColor', maxWidth: { xs: 160, sm: 360 }, '& .MuiChip-icon': { color: 'inherit' } }}
        />
      )}
      {me.user.platformRole === 'operator' && (
        <Chip
          icon={<AdminPanelSettingsIcon />}
          label={translate('admin.identity.operator')}
          variant="outlined"
          data-testid="operator-identity"
          sx={{ color: 'inherit', borderColor: 'currentColor', display: { xs: 'none', sm: 'inline-flex' }, '& .MuiChip-icon': { color: 'inherit' } }}
        />
      )}
      <Button color="inherit" size="small" href="/" endIcon={<OpenInNewIcon />} data-testid="portal-link" sx={{ whiteSpace: 'nowrap', display: { xs: 'none', md: 'inline-flex' } }}>
        {translate('sf.common.portal')}
      </Button>
    </Box>
  );
};
