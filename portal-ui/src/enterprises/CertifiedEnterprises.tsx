import { useState } from 'react';
import { Button, Typography } from '@mui/material';
import AddBusinessIcon from '@mui/icons-material/AddBusiness';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ConfirmDialog } from '../../../ui-shared/src/components/ConfirmDialog';
import { StatusChip } from '../../../ui-shared/src/components/StatusChip';
import { formatDateTime, joinNames } from '../../../ui-shared/src/format';
import { optionName, type NamedOption } from '../../../ui-shared/src/types';
import { CertifiedEnterpriseLinks } from './ConsoleLinks';
import { CertifyDialog } from './CertifyDialog';
import { EnterpriseTable, type EnterpriseColumn } from './EnterpriseTable';
import { RecertificationButton, RecertificationState } from './Recertification';
import type { MyEnterprise } from './types';

/** 我认证的企业: my certification requests; 撤销认证 (pending), 继续认证 (cancelled/rejected), 认证企业; 信息管理 and 转让管理员 (certified). */
export const CertifiedEnterprises = ({ rows, sealTypes, onChanged }: { rows: MyEnterprise[]; sealTypes: NamedOption[]; onChanged: () => void }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const [certify, setCertify] = useState<{ enterprise?: MyEnterprise } | null>(null);
  const [cancelling, setCancelling] = useState<MyEnterprise | null>(null);
  const sealNames = (e: MyEnterprise) =>
    e.sealTypes.map((code, i) => {
      const o = sealTypes.find((t) => t.code === code);
      return o ? optionName(o, locale) : (e.sealTypeNames[i] ?? code);
    });

  const cancel = async () => {
    if (!cancelling) return;
    await apiFetch(`/api/enterprises/${encodeURIComponent(cancelling.id)}/cancel`, { method: 'POST' });
    notify(translate('portal.enterprises.cancelled'), { type: 'info' });
    setCancelling(null);
    onChanged();
  };

  const label = (f: string) => translate(`portal.enterprises.${f}`);
  const columns: EnterpriseColumn<MyEnterprise>[] = [
    { label: label('name'), render: (e) => e.name },
    { label: label('uscc'), render: (e) => e.uscc, sx: { fontFamily: 'monospace' } },
    { label: label('legal_representative'), render: (e) => e.legalRepresentative },
    { label: label('seal_types'), render: (e) => joinNames(sealNames(e), locale) },
    {
      label: label('status'),
      render: (e) => (
        <>
          <StatusChip kind="enterprise" status={e.status} label={e.statusLabel} labelEn={e.statusLabelEn} testId="enterprise-status" />
          {e.standing === 'recertifying' && <RecertificationState enterprise={e} />}
          {e.status === 'rejected' && e.rejectReason && (
            <Typography variant="caption" color="error" component="div" data-testid="enterprise-reject-reason">
              {e.rejectReason}
            </Typography>
          )}
        </>
      ),
    },
    { label: label('submitted_at'), render: (e) => formatDateTime(e.submittedAt, locale), sx: { whiteSpace: 'nowrap' } },
  ];

  return (
    <EnterpriseTable
      intro={translate('portal.enterprises.certified_intro')}
      action={
        <Button variant="contained" startIcon={<AddBusinessIcon />} onClick={() => setCertify({})} data-testid="certify-open">
          {translate('portal.enterprises.certify')}
        </Button>
      }
      emptyText={translate('portal.enterprises.certified_empty')}
      emptyTestId="my-enterprises-empty"
      tableTestId="my-enterprises-table"
      rows={rows}
      rowKey={(e) => e.id}
      rowProps={(e) => ({ 'data-testid': 'my-enterprise-row', 'data-id': e.id, 'data-status': e.status })}
      columns={columns}
      actions={(e) => (
        <>
          {e.status === 'pending' && (
            <Button size="small" color="error" onClick={() => setCancelling(e)} data-testid="enterprise-cancel">
              {translate('portal.enterprises.cancel')}
            </Button>
          )}
          {e.standing === 'recertifying' && <RecertificationButton enterprise={e} />}
          {e.status === 'certified' && e.standing !== 'recertifying' && e.isAdministrator && <CertifiedEnterpriseLinks enterpriseId={e.id} />}
          {(e.status === 'cancelled' || e.status === 'rejected') && (
            <Button size="small" variant="outlined" onClick={() => setCertify({ enterprise: e })} data-testid="enterprise-resume">
              {translate('portal.enterprises.resume')}
            </Button>
          )}
        </>
      )}
    >
      {certify && (
        <CertifyDialog
          enterprise={certify.enterprise}
          sealTypes={sealTypes}
          onClose={() => setCertify(null)}
          onDone={() => {
            setCertify(null);
            onChanged();
          }}
        />
      )}
      <ConfirmDialog
        open={!!cancelling}
        title={translate('portal.enterprises.cancel_title')}
        content={translate('portal.enterprises.cancel_content', { name: cancelling?.name ?? '' })}
        confirmLabel={translate('portal.enterprises.cancel')}
        confirmTestId="enterprise-cancel-confirm"
        danger
        onClose={() => setCancelling(null)}
        onConfirm={cancel}
      />
    </EnterpriseTable>
  );
};
