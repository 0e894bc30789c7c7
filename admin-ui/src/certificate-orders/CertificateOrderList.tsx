import { useState, type MouseEvent } from 'react';
import { Box, Button, Stack, Tooltip, Typography } from '@mui/material';
import OpenInNewIcon from '@mui/icons-material/OpenInNew';
import RefreshIcon from '@mui/icons-material/Refresh';
import UndoIcon from '@mui/icons-material/Undo';
import { DataTable, List, SelectInput, useLocaleState, useNotify, usePermissions, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { CERTIFICATE_ORDER_STATUS_LABELS, CERTIFICATE_ORDER_STATUSES } from '../../../domain/certificates/certificate-order-status';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { LocalDateField } from '../../../ui-shared/src/components/LocalDateField';
import { ReasonDialog } from '../../../ui-shared/src/components/ReasonDialog';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import type { Permissions } from '../../../ui-shared/src/types';
import { audiencesOf } from '../access';
import { AmountField } from './AmountField';
import { OrderStatusChip } from './OrderStatusChip';
import type { CertificateOrderRow } from './types';

const Body = createTestIdTableBody('certificate-order-row');

const StatusField = () => {
  const r = useRecordContext<CertificateOrderRow>();
  if (!r) return null;
  return (
    <Stack spacing={0.5} alignItems="flex-start">
      <OrderStatusChip status={r.status} />
      {r.rejectReason && (
        <Typography variant="caption" color="text.secondary" data-testid="order-reason">
          {r.rejectReason}
        </Typography>
      )}
    </Stack>
  );
};

const KindField = () => {
  const r = useRecordContext<CertificateOrderRow>();
  const translate = useTranslate();
  return r ? <>{translate(`admin.certificate_orders.kind_${r.kind}`)}</> : null;
};

/** 继续认证 (the CA's page for the order, new tab), 刷新状态 (polls the CA now), 撤销 (管理员; the CA may refuse). */
const Actions = () => {
  const r = useRecordContext<CertificateOrderRow>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { permissions } = usePermissions<Permissions>();
  const [busy, setBusy] = useState<string | null>(null);
  const [cancelling, setCancelling] = useState(false);
  if (!r || !r.open) return null;
  const isAdmin = audiencesOf(permissions).has('enterprise_admin');
  const path = `/api/console/certificate-orders/${encodeURIComponent(r.id)}`;
  const run = async (what: string, work: () => Promise<void>) => {
    setBusy(what);
    try {
      await work();
    } catch (e) {
      notify(e instanceof Error ? e.message : String(e), { type: 'error' });
    } finally {
      setBusy(null);
    }
  };
  const continueAtCa = () =>
    run('continue', async () => {
      // Open the tab synchronously (pop-up blockers), then point it at the CA's page.
      const tab = window.open('', '_blank');
      try {
        const { url } = await apiFetch<{ url: string }>(`${path}/continue`);
        if (tab) tab.location.href = url;
        else window.location.href = url;
      } catch (e) {
        tab?.close();
        throw e;
      }
    });
  const refreshNow = () =>
    run('refresh', async () => {
      const order = await apiFetch<CertificateOrderRow>(`${path}/refresh`, { method: 'POST' });
      notify(translate('admin.certificate_orders.refreshed', { status: translate(`admin.certificate_orders.status.${order.status}`) }), { type: 'info' });
      refresh();
    });
  const cancel = async (reason: string) => {
    await apiFetch(`${path}/cancel`, { body: { reason } }); // a CA refusal stays in the dialog (ApiErrorAlert)
    setCancelling(false);
    notify(translate('admin.certificate_orders.cancelled'), { type: 'info' });
    refresh();
  };
  const stop = (e: MouseEvent) => e.stopPropagation();
  return (
    <Box onClick={stop}>
      <Stack direction="row" spacing={1} sx={{ whiteSpace: 'nowrap' }}>
        {r.caOrderId && (
          <Button size="small" variant="contained" startIcon={<OpenInNewIcon />} disabled={busy !== null} onClick={continueAtCa} data-testid="order-continue">
            {translate('admin.certificate_orders.continue')}
          </Button>
        )}
        <Button size="small" variant="outlined" startIcon={<RefreshIcon />} disabled={busy !== null} onClick={refreshNow} data-testid="order-refresh">
          {translate('admin.certificate_orders.refresh')}
        </Button>
        {isAdmin && (
          <Tooltip title={r.mayCancel ? '' : translate('admin.certificate_orders.cancel_hint')}>
            <span>
              <Button size="small" variant="outlined" color="error" startIcon={<UndoIcon />} disabled={busy !== null} onClick={() => setCancelling(true)} data-testid="order-cancel">
                {translate('admin.certificate_orders.cancel')}
              </Button>
            </span>
          </Tooltip>
        )}
      </Stack>
      <ReasonDialog
        open={cancelling}
        title={translate('admin.certificate_orders.cancel_title')}
        subject={`${r.sealName} · ${translate(`admin.certificate_orders.status.${r.status}`)}`}
        confirmLabel={translate('admin.certificate_orders.cancel')}
        reasonLabel={translate('admin.certificate_orders.cancel_reason')}
        onClose={() => setCancelling(false)}
        onConfirm={cancel}
      />
    </Box>
  );
};

const useFilters = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  return [
    <SelectInput
      key="status"
      source="status"
      alwaysOn
      emptyText={translate('admin.certificate_orders.all_statuses')}
      choices={CERTIFICATE_ORDER_STATUSES.map((id) => ({ id, name: locale.startsWith('en') ? CERTIFICATE_ORDER_STATUS_LABELS[id].en : CERTIFICATE_ORDER_STATUS_LABELS[id].zh }))}
      data-testid="order-status-filter"
    />,
  ];
};

/** 证书订单管理: the enterprise's certificate orders with status and times, and the actions on open ones. */
export const CertificateOrderList = () => {
  const translate = useTranslate();
  const f = (name: string) => translate(`resources.certificate-orders.fields.${name}`);
  return (
    <List filters={useFilters()} sort={{ field: 'createdAt', order: 'DESC' }} perPage={25} exporter={false}>
      <DataTable<CertificateOrderRow> rowClick={false} bulkActionButtons={false} body={Body} data-testid="certificate-order-table">
        <DataTable.Col source="createdAt" label={f('createdAt')}>
          <LocalDateField source="createdAt" />
        </DataTable.Col>
        <DataTable.Col source="sealName" label={f('sealName')} disableSort />
        <DataTable.Col label={f('kind')} disableSort>
          <KindField />
        </DataTable.Col>
        <DataTable.Col label={f('status')} disableSort>
          <StatusField />
        </DataTable.Col>
        <DataTable.Col label={f('amount')} disableSort>
          <AmountField />
        </DataTable.Col>
        <DataTable.Col source="paidAt" label={f('paidAt')}>
          <LocalDateField source="paidAt" />
        </DataTable.Col>
        <DataTable.Col source="issuedAt" label={f('issuedAt')}>
          <LocalDateField source="issuedAt" />
        </DataTable.Col>
        <DataTable.Col label={f('actions')} disableSort>
          <Actions />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
