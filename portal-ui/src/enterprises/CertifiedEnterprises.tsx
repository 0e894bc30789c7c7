import { useState } from 'react';
import { Box, Button, Stack, Table, TableBody, TableCell, TableContainer, TableHead, TableRow, Typography } from '@mui/material';
import AddBusinessIcon from '@mui/icons-material/AddBusiness';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ConfirmDialog } from '../../../ui-shared/src/components/ConfirmDialog';
import { stackedOnPhoneSx } from '../../../ui-shared/src/components/stackedTable';
import { StatusChip } from '../../../ui-shared/src/components/StatusChip';
import { formatDateTime, joinNames } from '../../../ui-shared/src/format';
import { optionName, type NamedOption } from '../../../ui-shared/src/types';
import { CertifyDialog } from './CertifyDialog';
import type { MyEnterprise } from './types';

/** 我认证的企业: my certification requests; 撤销认证 (pending), 继续认证 (cancelled/rejected), 认证企业. */
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

  return (
    <Box>
      <Stack direction="row" sx={{ justifyContent: 'space-between', alignItems: 'center', mb: 1, gap: 1, flexWrap: 'wrap' }}>
        <Typography variant="body2" color="text.secondary">
          {translate('portal.enterprises.certified_intro')}
        </Typography>
        <Button variant="contained" startIcon={<AddBusinessIcon />} onClick={() => setCertify({})} data-testid="certify-open">
          {translate('portal.enterprises.certify')}
        </Button>
      </Stack>
      {rows.length === 0 ? (
        <Typography color="text.secondary" sx={{ py: 4, textAlign: 'center' }} data-testid="my-enterprises-empty">
          {translate('portal.enterprises.certified_empty')}
        </Typography>
      ) : (
        <TableContainer sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="my-enterprises-table" sx={[{ '& th': { whiteSpace: 'nowrap' } }, stackedOnPhoneSx]}>
            <TableHead>
              <TableRow>
                <TableCell>{translate('portal.enterprises.name')}</TableCell>
                <TableCell>{translate('portal.enterprises.uscc')}</TableCell>
                <TableCell>{translate('portal.enterprises.legal_representative')}</TableCell>
                <TableCell>{translate('portal.enterprises.seal_types')}</TableCell>
                <TableCell>{translate('portal.enterprises.status')}</TableCell>
                <TableCell>{translate('portal.enterprises.submitted_at')}</TableCell>
                <TableCell />
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((e) => (
                <TableRow key={e.id} data-testid="my-enterprise-row" data-id={e.id} data-status={e.status}>
                  <TableCell data-label={translate('portal.enterprises.name')}>{e.name}</TableCell>
                  <TableCell data-label={translate('portal.enterprises.uscc')} sx={{ fontFamily: 'monospace' }}>
                    {e.uscc}
                  </TableCell>
                  <TableCell data-label={translate('portal.enterprises.legal_representative')}>{e.legalRepresentative}</TableCell>
                  <TableCell data-label={translate('portal.enterprises.seal_types')}>{joinNames(sealNames(e), locale)}</TableCell>
                  <TableCell data-label={translate('portal.enterprises.status')}>
                    <StatusChip kind="enterprise" status={e.status} label={e.statusLabel} labelEn={e.statusLabelEn} testId="enterprise-status" />
                    {e.status === 'rejected' && e.rejectReason && (
                      <Typography variant="caption" color="error" component="div" data-testid="enterprise-reject-reason">
                        {e.rejectReason}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell data-label={translate('portal.enterprises.submitted_at')} sx={{ whiteSpace: 'nowrap' }}>
                    {formatDateTime(e.submittedAt, locale)}
                  </TableCell>
                  <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                    {e.status === 'pending' && (
                      <Button size="small" color="error" onClick={() => setCancelling(e)} data-testid="enterprise-cancel">
                        {translate('portal.enterprises.cancel')}
                      </Button>
                    )}
                    {(e.status === 'cancelled' || e.status === 'rejected') && (
                      <Button size="small" variant="outlined" onClick={() => setCertify({ enterprise: e })} data-testid="enterprise-resume">
                        {translate('portal.enterprises.resume')}
                      </Button>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
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
    </Box>
  );
};
