import { useState } from 'react';
import { Button, Chip, Stack, Tab, Tabs, Typography } from '@mui/material';
import AutorenewIcon from '@mui/icons-material/Autorenew';
import { DataTable, List, useListContext, useLocaleState, useNotify, usePermissions, useRecordContext, useRedirect, useTranslate, useUnselectAll } from 'react-admin';
import { formatDateTime } from '../../../ui-shared/src/format';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import type { Permissions } from '../../../ui-shared/src/types';
import type { SealCertificateView } from '../../../domain/certificates/seal-certificate-view';
import { audiencesOf } from '../access';

/** A row of GET /api/console/certificates: the server's own view (domain/certificates/seal-certificate-view.ts); a revoked one (已吊销, issue 9) has when and why. */
type CertificateRow = SealCertificateView;

const Body = createTestIdTableBody('certificate-row');
const SCOPES = ['expiring', 'expired', 'revoked'] as const;

/** 即将过期 / 已过期 tabs: the list's `scope` filter. */
const ScopeTabs = () => {
  const { filterValues, setFilters } = useListContext();
  const translate = useTranslate();
  const unselectAll = useUnselectAll('certificates');
  const scope = (filterValues.scope as string) ?? 'expiring';
  return (
    <Tabs
      value={scope}
      onChange={(_e, value: string) => {
        unselectAll();
        setFilters({ ...filterValues, scope: value }, {});
      }}
      sx={{ px: 2 }}
    >
      {SCOPES.map((s) => (
        <Tab key={s} value={s} label={translate(`admin.certificates.tab_${s}`)} data-testid={`certificates-tab-${s}`} />
      ))}
    </Tabs>
  );
};

const DaysLeft = () => {
  const r = useRecordContext<CertificateRow>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!r) return null;
  if (r.state === 'revoked') {
    return (
      <Stack spacing={0.25}>
        <Chip size="small" color="error" label={translate('admin.certificates.revoked')} data-testid="certificate-state" data-status="revoked" />
        <Typography variant="caption" color="text.secondary" data-testid="certificate-revoked-detail">
          {translate('admin.certificates.revoked_detail', { date: formatDateTime(r.revokedAt ?? null, locale), reason: (locale === 'en' ? r.revocationReasonLabelEn : r.revocationReasonLabel) ?? '' })}
        </Typography>
        {r.caRevoked === false && (
          <Typography variant="caption" color="warning.main">
            {translate('admin.certificates.revocation_pending')}
          </Typography>
        )}
      </Stack>
    );
  }
  if (r.state === 'expired') return <Chip size="small" label={translate('admin.certificates.expired')} data-testid="certificate-state" data-status="expired" />;
  return <Chip size="small" color="warning" label={translate('admin.certificates.days_left', { days: r.daysLeft })} data-testid="certificate-state" data-status={r.state} />;
};

const Renewal = () => {
  const r = useRecordContext<CertificateRow>();
  const translate = useTranslate();
  return r?.openOrderId ? <Chip size="small" color="info" label={translate('admin.certificates.renewing')} data-testid="certificate-renewing" /> : <>—</>;
};

/** 续期 for the selected certificates: one renewal order each; then 证书订单管理 shows them. */
const RenewButton = () => {
  const { selectedIds } = useListContext();
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const unselectAll = useUnselectAll('certificates');
  const [busy, setBusy] = useState(false);
  const renew = async () => {
    setBusy(true);
    try {
      const result = await apiFetch<{ orders: unknown[] }>('/api/console/certificates/renew', { body: { certificateIds: selectedIds } });
      notify(translate('admin.certificates.renewed', { count: result.orders.length }), { type: 'info' });
      unselectAll();
      redirect('list', 'certificate-orders');
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), { type: 'error' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Button size="small" variant="contained" startIcon={<AutorenewIcon />} disabled={busy || selectedIds.length === 0} onClick={renew} data-testid="certificates-renew">
      {translate('admin.certificates.renew')}
    </Button>
  );
};

/** 企业证书更新: seal certificates expiring within 30 days, those expired, and those revoked (已吊销, issue 9); renew the selected ones. */
export const CertificateRenewList = () => {
  const translate = useTranslate();
  const { permissions } = usePermissions<Permissions>();
  const isAdmin = audiencesOf(permissions).has('enterprise_admin');
  const f = (name: string) => translate(`resources.certificates.fields.${name}`);
  return (
    <List filterDefaultValues={{ scope: 'expiring' }} sort={{ field: 'notAfter', order: 'ASC' }} perPage={50} exporter={false}>
      <ScopeTabs />
      <DataTable<CertificateRow> rowClick={false} bulkActionButtons={isAdmin ? <RenewButton /> : false} isRowSelectable={(r) => !r.openOrderId && r.state !== 'revoked'} body={Body} data-testid="certificate-table">
        <DataTable.Col source="sealName" label={f('sealName')} disableSort />
        <DataTable.Col source="serialNumber" label={f('serialNumber')} disableSort />
        <DataTable.Col source="notBefore" label={f('notBefore')} disableSort>
          <LocalDateField source="notBefore" />
        </DataTable.Col>
        <DataTable.Col source="notAfter" label={f('notAfter')}>
          <LocalDateField source="notAfter" />
        </DataTable.Col>
        <DataTable.Col label={f('state')} disableSort>
          <DaysLeft />
        </DataTable.Col>
        <DataTable.Col label={f('renewal')} disableSort>
          <Renewal />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
