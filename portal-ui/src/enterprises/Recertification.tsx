import { Button, Chip, CircularProgress, Stack, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useOpenConsole } from './open-console';
import type { MyEnterprise } from './types';

/** The console page where a name change / re-certification is handled. */
const CONSOLE_PAGE = '/admin/enterprise-info';

/** 待重新认证 chip, the open change's state and its new name. data-testids: enterprise-standing, enterprise-open-change. */
export const RecertificationState = ({ enterprise: e }: { enterprise: MyEnterprise }) => {
  const translate = useTranslate();
  return (
    <Stack spacing={0.5} sx={{ mt: 0.5, alignItems: 'flex-start' }}>
      <Chip size="small" color="warning" label={translate('enterpriseInfo.standing.recertifying')} data-testid="enterprise-standing" data-standing={e.standing} data-status={e.standing} />
      {e.openChange && (
        <Typography variant="caption" color="text.secondary" component="div" data-testid="enterprise-open-change" data-status={e.openChange.status}>
          {translate(`enterpriseInfo.change_status.${e.openChange.status}`, { _: e.openChange.status })}
          {e.openChange.newValue ? ` · ${translate('enterpriseInfo.new_name', { name: e.openChange.newValue })}` : ''}
        </Typography>
      )}
    </Stack>
  );
};

/**
 * 开始重新认证 (no open change: the last one lapsed) / 前往办理 (a change is open): switches to the
 * enterprise's identity and opens 信息管理 in the console. data-testid: enterprise-recertification-open.
 */
export const RecertificationButton = ({ enterprise: e }: { enterprise: MyEnterprise }) => {
  const translate = useTranslate();
  const { open: go, busy } = useOpenConsole(e.id, CONSOLE_PAGE);
  return (
    <Button
      size="small"
      variant="contained"
      color="warning"
      onClick={go}
      disabled={busy}
      title={translate('enterpriseInfo.go_hint')}
      data-testid="enterprise-recertification-open"
      data-action={e.openChange ? 'continue' : 'restart'}
      startIcon={busy ? <CircularProgress size={16} color="inherit" /> : undefined}
    >
      {translate(e.openChange ? 'enterpriseInfo.go' : 'enterpriseInfo.restart')}
    </Button>
  );
};
