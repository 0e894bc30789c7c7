import { Alert, AlertTitle, Box, Card, CardContent, Stack, Typography } from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { formatDateTime } from '../../../../ui-shared/src/format';
import { ContractStateChip, voidReasonKey } from '../shared/ContractStateChip';
import type { ContractView } from '../types';
import { ContractActions } from './ContractActions';

/** `value` null (an initiator whose name is gone): the label over an empty line. */
const InfoItem = ({ label, value, testId }: { label: string; value: string | null; testId?: string }) => (
  <Box sx={{ minWidth: 150, maxWidth: '100%' }}>
    <Typography variant="caption" color="text.secondary" component="div">
      {label}
    </Typography>
    <Typography variant="body2" data-testid={testId} sx={{ overflowWrap: 'anywhere' }}>
      {value}
    </Typography>
  </Box>
);

/** Title, status (with the void reason and note), key facts, and the actions the viewer may take. */
export const ContractHeader = ({ contract }: { contract: ContractView }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string, opts?: object) => translate(`portal.contracts.show.${key}`, opts);
  const fmt = (v: string | null) => formatDateTime(v, locale);
  const { initiator, me } = contract;
  const initiatorText = initiator.enterpriseName ? `${initiator.enterpriseName}（${initiator.name}）` : initiator.name;

  return (
    <Card>
      <CardContent>
        <Stack direction={{ xs: 'column', md: 'row' }} spacing={2} sx={{ alignItems: { md: 'center' }, justifyContent: 'space-between' }}>
          <Stack direction="row" spacing={1.5} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 1, minWidth: 0 }}>
            <Typography variant="h5" component="h1" data-testid="contract-title" sx={{ wordBreak: 'break-all' }}>
              {contract.title}
            </Typography>
            <ContractStateChip status={contract.status} voidReason={contract.voidReason} size="medium" />
          </Stack>
          <ContractActions contract={contract} />
        </Stack>
        {me.canSign && (
          <Alert severity="warning" sx={{ mt: 2 }} data-testid="my-turn-hint">
            {t('your_turn')}
          </Alert>
        )}
        {me.isCc && (
          <Alert severity="info" sx={{ mt: 2 }} data-testid="cc-hint">
            {t('cc_hint')}
          </Alert>
        )}
        {contract.status === 'voided' && (
          <Alert severity="error" variant="outlined" sx={{ mt: 2 }} data-testid="void-banner" data-void-reason={contract.voidReason ?? undefined}>
            <AlertTitle>
              {t('voided_title', { reason: contract.voidReason ? translate(voidReasonKey(contract.voidReason)) : '—' })}
            </AlertTitle>
            {contract.voidNote && (
              <Typography variant="body2" data-testid="void-note" sx={{ overflowWrap: 'anywhere' }}>
                {t('void_note', { note: contract.voidNote })}
              </Typography>
            )}
            {contract.voidedAt && <Typography variant="caption">{t('voided_at', { time: fmt(contract.voidedAt) })}</Typography>}
          </Alert>
        )}
        <Stack direction="row" sx={{ mt: 2, flexWrap: 'wrap', gap: 2 }}>
          {contract.contractNo && <InfoItem label={t('contract_no')} value={contract.contractNo} testId="contract-no" />}
          <InfoItem label={t('initiator')} value={initiatorText} testId="contract-initiator" />
          <InfoItem label={t('created_at')} value={fmt(contract.createdAt)} />
          <InfoItem label={t('expires_at')} value={fmt(contract.expiresAt)} testId="contract-expires-at" />
          {contract.completedAt && <InfoItem label={t('completed_at')} value={fmt(contract.completedAt)} />}
          <InfoItem label={t('page_count')} value={String(contract.pageCount ?? '—')} />
          {contract.status === 'in_progress' && <InfoItem label={t('current_step')} value={t('step_n', { step: contract.currentStep })} testId="contract-current-step" />}
        </Stack>
        {contract.remarks && (
          <Box sx={{ mt: 2 }}>
            <Typography variant="caption" color="text.secondary" component="div">
              {t('remarks')}
            </Typography>
            <Typography variant="body2" data-testid="contract-remarks" sx={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {contract.remarks}
            </Typography>
          </Box>
        )}
      </CardContent>
    </Card>
  );
};
