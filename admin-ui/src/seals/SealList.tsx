import { useState } from 'react';
import { Box, Button, Chip, Stack, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { DataTable, List, TopToolbar, useLocaleState, useNotify, usePermissions, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { ConfirmDialog } from '../../../ui-shared/src/components/ConfirmDialog';
import { createTestIdTableBody } from '../../../ui-shared/src/components/TestIdTableBody';
import { formatDateTime } from '../../../ui-shared/src/format';
import type { Permissions } from '../../../ui-shared/src/types';
import { isEnterpriseAdmin } from '../members/types';
import { ChangeSealImageDialog } from './ChangeSealImageDialog';
import { CreateSealDialog } from './CreateSealDialog';
import { GrantSealDialog } from './GrantSealDialog';
import { canApplyCertificate, type SealView } from './types';

const Body = createTestIdTableBody('seal-row');

const Preview = () => {
  const r = useRecordContext<SealView>();
  return r ? <Box component="img" src={r.imageUrl} alt={r.name} data-testid="seal-preview" sx={{ width: 72, height: 72, objectFit: 'contain', display: 'block', opacity: r.status === 'voided' ? 0.35 : 1 }} /> : null;
};

const NameField = () => {
  const r = useRecordContext<SealView>();
  const [locale] = useLocaleState();
  const translate = useTranslate();
  if (!r) return null;
  return (
    <Stack spacing={0.5}>
      <Typography variant="body2" data-testid="seal-name">
        {r.name}
      </Typography>
      <Stack direction="row" spacing={0.5} sx={{ flexWrap: 'wrap' }}>
        <Chip size="small" label={locale === 'en' ? r.typeNameEn : r.typeName} />
        <Chip size="small" variant="outlined" label={translate(r.source === 'uploaded' ? 'admin.seals.source_uploaded' : 'admin.seals.source_generated')} />
        {r.widthMm && <Chip size="small" variant="outlined" label={r.widthMm === r.heightMm ? `${r.widthMm} mm` : `${r.widthMm}×${r.heightMm} mm`} />}
      </Stack>
      {r.securityCode && (
        <Typography variant="caption" color="text.secondary">
          {translate('admin.seals.security_code')}：{r.securityCode}
        </Typography>
      )}
    </Stack>
  );
};

const StatusField = () => {
  const r = useRecordContext<SealView>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!r) return null;
  const chip = <Chip size="small" color={r.status === 'active' ? 'success' : r.status === 'voided' ? 'error' : 'default'} label={translate(`admin.seals.status_${r.status}`)} data-testid="seal-status" data-status={r.status} />;
  if (r.status !== 'voided') return chip;
  // 已作废: why and when (issue 9).
  return (
    <Stack spacing={0.25}>
      {chip}
      <Typography variant="caption" color="text.secondary" data-testid="seal-voided-detail">
        {translate('admin.seals.voided_detail', { reason: (locale === 'en' ? r.voidReasonLabelEn : r.voidReasonLabel) ?? '', date: formatDateTime(r.voidedAt, locale) })}
      </Typography>
    </Stack>
  );
};

const UsersField = () => {
  const r = useRecordContext<SealView>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!r) return null;
  if (r.authorizations.length === 0) return <Typography variant="body2" color="text.secondary">{translate('admin.seals.nobody')}</Typography>;
  return (
    <Stack spacing={0.25} data-testid="seal-users">
      {r.authorizations.map((a) => (
        <Typography key={a.id} variant="body2" color={a.lapsed ? 'text.disabled' : undefined}>
          {a.name}
          {a.expiresAt ? ` · ${translate(a.lapsed ? 'admin.seals.lapsed_on' : 'admin.seals.valid_until', { date: formatDateTime(a.expiresAt, locale) })}` : ''}
        </Typography>
      ))}
    </Stack>
  );
};

const CertificateField = () => {
  const r = useRecordContext<SealView>();
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (!r) return null;
  const c = r.certificate;
  const state = c?.state ?? 'none';
  return (
    <Stack spacing={0.25} data-testid="seal-certificate" data-state={state}>
      <Chip size="small" color={state === 'issued' ? 'success' : state === 'expiring' || state === 'ordering' ? 'warning' : 'default'} label={translate(`admin.seals.cert_${state}`)} />
      {c?.certificate && (
        <Typography variant="caption" color="text.secondary">
          {translate('admin.seals.cert_until', { date: formatDateTime(c.certificate.notAfter, locale) })}
        </Typography>
      )}
      {c?.openOrder && (
        <Typography variant="caption" color="text.secondary">
          {translate('admin.seals.order_status', { status: translate(`admin.certificate_orders.status.${c.openOrder.status}`, { _: c.openOrder.status }) })}
        </Typography>
      )}
    </Stack>
  );
};

/** Row actions of the 管理员: 停用/启用, 印章授权, 更换图片, 申请云证书. */
const Actions = () => {
  const r = useRecordContext<SealView>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const { permissions } = usePermissions<Permissions>();
  const [confirm, setConfirm] = useState(false);
  const [grant, setGrant] = useState(false);
  const [applying, setApplying] = useState(false);
  const [changingImage, setChangingImage] = useState(false);
  if (!r || !isEnterpriseAdmin(permissions) || r.status === 'voided') return null; // a voided seal takes no action
  const enable = r.status !== 'active';

  const toggle = async () => {
    await apiFetch(`/api/console/seals/${encodeURIComponent(r.id)}/${enable ? 'enable' : 'disable'}`, { body: { version: r.version } });
    notify(translate(enable ? 'admin.seals.enabled' : 'admin.seals.disabled'), { type: 'success' });
    setConfirm(false);
    refresh();
  };

  const applyCertificate = async () => {
    setApplying(true);
    try {
      await apiFetch('/api/console/certificate-orders', { body: { sealId: r.id } });
      notify(translate('admin.seals.certificate_applied'), { type: 'success' });
      refresh();
    } catch (e) {
      notify(errorMessage(e), { type: 'error' });
    } finally {
      setApplying(false);
    }
  };

  return (
    <Stack direction="row" spacing={1} onClick={(e) => e.stopPropagation()} sx={{ whiteSpace: 'nowrap' }}>
      <Button size="small" onClick={() => setGrant(true)} disabled={r.status !== 'active'} data-testid="seal-grant">
        {translate('admin.seals.grant')}
      </Button>
      <Button size="small" color={enable ? 'success' : 'warning'} onClick={() => setConfirm(true)} data-testid={enable ? 'seal-enable' : 'seal-disable'}>
        {translate(enable ? 'admin.seals.enable' : 'admin.seals.disable')}
      </Button>
      <Button size="small" onClick={() => setChangingImage(true)} data-testid="seal-change-image">
        {translate('admin.seals.change_image')}
      </Button>
      {canApplyCertificate(r) && (
        <Button size="small" variant="outlined" onClick={applyCertificate} disabled={applying} data-testid="seal-apply-certificate">
          {translate('admin.seals.apply_certificate')}
        </Button>
      )}
      <ConfirmDialog
        open={confirm}
        title={translate(enable ? 'admin.seals.enable_title' : 'admin.seals.disable_title', { name: r.name })}
        content={translate(enable ? 'admin.seals.enable_hint' : 'admin.seals.disable_hint')}
        danger={!enable}
        confirmTestId="seal-toggle-confirm"
        onClose={() => setConfirm(false)}
        onConfirm={toggle}
      />
      {grant && <GrantSealDialog seal={r} onClose={() => setGrant(false)} onChanged={refresh} />}
      {changingImage && (
        <ChangeSealImageDialog
          seal={r}
          onClose={() => setChangingImage(false)}
          onDone={() => {
            setChangingImage(false);
            refresh();
          }}
        />
      )}
    </Stack>
  );
};

const ListActions = () => {
  const translate = useTranslate();
  const refresh = useRefresh();
  const { permissions } = usePermissions<Permissions>();
  const [open, setOpen] = useState(false);
  if (!isEnterpriseAdmin(permissions)) return null;
  return (
    <TopToolbar>
      <Button variant="contained" startIcon={<AddIcon />} onClick={() => setOpen(true)} data-testid="seal-create">
        {translate('admin.seals.create')}
      </Button>
      {open && (
        <CreateSealDialog
          onClose={() => setOpen(false)}
          onDone={() => {
            setOpen(false);
            refresh();
          }}
        />
      )}
    </TopToolbar>
  );
};

/** 印章管理: the acting enterprise's seals with preview, who may use each, certificate state and actions. */
export const SealList = () => {
  const translate = useTranslate();
  const label = (f: string) => translate(`resources.seals.fields.${f}`);
  return (
    <List actions={<ListActions />} filter={{ includeVoided: true }} pagination={false} perPage={1000} exporter={false} sort={{ field: 'createdAt', order: 'ASC' }}>
      <DataTable<SealView> rowClick={false} bulkActionButtons={false} body={Body} data-testid="seals-table" sx={{ '& th': { whiteSpace: 'nowrap' } }}>
        <DataTable.Col label={label('image')} disableSort>
          <Preview />
        </DataTable.Col>
        <DataTable.Col label={label('name')} disableSort>
          <NameField />
        </DataTable.Col>
        <DataTable.Col label={label('status')} disableSort>
          <StatusField />
        </DataTable.Col>
        <DataTable.Col label={label('users')} disableSort>
          <UsersField />
        </DataTable.Col>
        <DataTable.Col label={label('certificate')} disableSort>
          <CertificateField />
        </DataTable.Col>
        <DataTable.Col label={translate('admin.review.actions')} disableSort>
          <Actions />
        </DataTable.Col>
      </DataTable>
    </List>
  );
};
