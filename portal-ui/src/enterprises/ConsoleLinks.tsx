import { Button, CircularProgress } from '@mui/material';
import { useTranslate } from 'react-admin';
import { useOpenConsole } from './open-console';

/** One console page as a row action: switches to the enterprise, then opens the page. */
const ConsoleLink = ({ enterpriseId, page, label, hint, testId }: { enterpriseId: string; page: string; label: string; hint: string; testId: string }) => {
  const { open, busy } = useOpenConsole(enterpriseId, page);
  return (
    <Button size="small" variant="outlined" onClick={open} disabled={busy} title={hint} data-testid={testId} startIcon={busy ? <CircularProgress size={16} color="inherit" /> : undefined}>
      {label}
    </Button>
  );
};

/**
 * The administrator's actions on a certified enterprise under 我认证的企业 (M9): 信息管理 (变更企业信息) and 转让管理员,
 * each in the enterprise console as that enterprise. data-testids: enterprise-open-info, enterprise-open-transfer.
 */
export const CertifiedEnterpriseLinks = ({ enterpriseId }: { enterpriseId: string }) => {
  const translate = useTranslate();
  return (
    <>
      <ConsoleLink enterpriseId={enterpriseId} page="/admin/enterprise-info" label={translate('portal.enterprises.open_info')} hint={translate('portal.enterprises.open_info_hint')} testId="enterprise-open-info" />
      <ConsoleLink enterpriseId={enterpriseId} page="/admin/admin-transfer" label={translate('portal.enterprises.open_transfer')} hint={translate('portal.enterprises.open_transfer_hint')} testId="enterprise-open-transfer" />
    </>
  );
};
