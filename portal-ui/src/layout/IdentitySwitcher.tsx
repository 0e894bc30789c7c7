import { useState } from 'react';
import { Box, Button, CircularProgress, Divider, ListItemIcon, ListItemText, Menu, MenuItem, Typography } from '@mui/material';
import PersonIcon from '@mui/icons-material/Person';
import BusinessIcon from '@mui/icons-material/Business';
import CheckIcon from '@mui/icons-material/Check';
import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import AdminPanelSettingsIcon from '@mui/icons-material/AdminPanelSettings';
import { useNavigate } from 'react-router-dom';
import { useNotify, useTranslate } from 'react-admin';
import { switchActing } from '../../../ui-shared/src/auth/session';
import { confirmDiscardEdits } from '../../../ui-shared/src/components/LeaveGuard';
import { useMe, useReloadSession } from '../../../ui-shared/src/auth/useMe';
import { errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { useRoleLabel } from '../../../ui-shared/src/components/StatusChip';
import { isConsoleRole } from '../../../ui-shared/src/types';

/**
 * App-bar identity: 个人 or "企业名 · 角色"; lists the enterprises from /api/auth/me and switches
 * with POST /api/auth/acting. Acting as 管理员/印章管理员 adds a link to 企业控制台 (/admin/).
 */
export const IdentitySwitcher = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const navigate = useNavigate();
  const roleLabel = useRoleLabel();
  const reloadSession = useReloadSession();
  const { me } = useMe();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [busy, setBusy] = useState(false);
  if (!me) return null;
  const acting = me.acting;
  const current = acting ? `${acting.enterpriseName} · ${roleLabel(acting.role, acting.roleLabel, acting.roleLabelEn)}` : translate('portal.identity.personal');

  const choose = async (enterpriseId: string | null) => {
    setAnchor(null);
    if ((acting?.enterpriseId ?? null) === enterpriseId) return;
    if (!(await confirmDiscardEdits('identity'))) return;
    setBusy(true);
    try {
      const next = await switchActing(enterpriseId);
      notify(
        next.acting
          ? translate('portal.identity.switched_enterprise', { name: next.acting.enterpriseName })
          : translate('portal.identity.switched_personal'),
        { type: 'info' },
      );
      reloadSession();
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mx: 1, minWidth: 0 }}>
      {acting && isConsoleRole(acting.role) && (
        <Button
          color="inherit"
          variant="outlined"
          size="small"
          href="/admin/"
          startIcon={<AdminPanelSettingsIcon />}
          data-testid="console-link"
          sx={{ whiteSpace: 'nowrap', display: { xs: 'none', sm: 'inline-flex' } }}
        >
          {translate('sf.common.console')}
        </Button>
      )}
      <Button
        color="inherit"
        onClick={(e) => setAnchor(e.currentTarget)}
        disabled={busy}
        startIcon={busy ? <CircularProgress size={16} color="inherit" /> : acting ? <BusinessIcon /> : <PersonIcon />}
        endIcon={<ExpandMoreIcon />}
        data-testid="identity-switch"
        data-acting={acting?.enterpriseId ?? 'personal'}
        data-role={acting?.role ?? ''}
        title={translate('portal.identity.switch')}
        sx={{ textTransform: 'none', minWidth: 0, maxWidth: { xs: 160, sm: 320 } }}
      >
        <Typography component="span" noWrap variant="body2" data-testid="identity-current">
          {current}
        </Typography>
      </Button>
      <Menu anchorEl={anchor} open={!!anchor} onClose={() => setAnchor(null)} data-testid="identity-menu">
        <MenuItem onClick={() => choose(null)} selected={!acting} data-testid="identity-option-personal">
          <ListItemIcon>{!acting ? <CheckIcon fontSize="small" /> : <PersonIcon fontSize="small" />}</ListItemIcon>
          <ListItemText primary={translate('portal.identity.to_personal')} secondary={me.user.name} />
        </MenuItem>
        <Divider />
        {me.enterprises.length === 0 && (
          <MenuItem
            onClick={() => {
              setAnchor(null);
              void navigate('/my-enterprises?tab=joined');
            }}
            data-testid="identity-no-enterprises"
          >
            <ListItemText primary={translate('portal.identity.no_enterprises')} secondary={translate('portal.identity.go_enterprises')} />
          </MenuItem>
        )}
        {me.enterprises.map((e) => (
          <MenuItem key={e.id} onClick={() => choose(e.id)} selected={acting?.enterpriseId === e.id} data-testid={`identity-option-${e.id}`}>
            <ListItemIcon>{acting?.enterpriseId === e.id ? <CheckIcon fontSize="small" /> : <BusinessIcon fontSize="small" />}</ListItemIcon>
            <ListItemText primary={translate('portal.identity.to_enterprise', { name: e.name })} secondary={roleLabel(e.role, e.roleLabel, e.roleLabelEn)} />
          </MenuItem>
        ))}
        {acting && isConsoleRole(acting.role) && [
          <Divider key="d" />,
          <MenuItem key="console" component="a" href="/admin/" data-testid="identity-console-link">
            <ListItemIcon>
              <AdminPanelSettingsIcon fontSize="small" />
            </ListItemIcon>
            <ListItemText primary={translate('sf.common.console')} />
          </MenuItem>,
        ]}
      </Menu>
    </Box>
  );
};
