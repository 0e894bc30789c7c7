import type { ReactNode } from 'react';
import { Alert, Box, Card, CardContent, CardHeader, Chip, Divider, Stack, Typography } from '@mui/material';
import BlockIcon from '@mui/icons-material/Block';
import CheckIcon from '@mui/icons-material/Check';
import { useLocaleState, useTranslate } from 'react-admin';
import { useApiGet } from '../../../../ui-shared/src/hooks/useApiGet';
import { formatDateTime } from '../../../../ui-shared/src/format';
import { optionName, type NamedOption } from '../../../../ui-shared/src/types';
import type { ContractView, ParticipantView } from '../types';
import { markText } from './markText';
import { ParticipantStatusChip } from './ParticipantStatusChip';

const Detail = ({ children, testId }: { children: ReactNode; testId?: string }) => (
  <Typography variant="body2" color="text.secondary" data-testid={testId} sx={{ overflowWrap: 'anywhere' }}>
    {children}
  </Typography>
);

const ParticipantRow = ({ p, sealTypeName }: { p: ParticipantView; sealTypeName: (code: string) => string }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string, opts?: object) => translate(`portal.contracts.show.${key}`, opts);
  const fmt = (v: string | null) => formatDateTime(v, locale);
  return (
    <Box sx={{ py: 1.5 }} data-testid="participant-row" data-participant-id={p.id} data-status={p.status} data-step={p.step} data-kind={p.kind}>
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center', flexWrap: 'wrap', rowGap: 0.5 }}>
        <Chip size="small" variant="outlined" label={t(`kind_${p.kind}`)} data-testid="participant-kind" />
        <Typography variant="subtitle2" data-testid="participant-name" sx={{ overflowWrap: 'anywhere' }}>
          {p.name}
        </Typography>
        {p.mobileMasked && (
          <Typography variant="body2" color="text.secondary">
            {p.mobileMasked}
          </Typography>
        )}
        <ParticipantStatusChip participant={p} />
        {p.canRefuse && <Chip size="small" variant="outlined" label={t('can_refuse')} data-testid="participant-can-refuse" />}
        {p.invited && <Chip size="small" variant="outlined" color="info" label={t('invited')} data-testid="participant-invited" />}
        {p.placement === 'free' && <Chip size="small" variant="outlined" label={t('placement_free')} />}
      </Stack>
      <Stack spacing={0.25} sx={{ mt: 0.5, pl: { sm: 0.5 } }}>
        {p.note && <Detail testId="participant-note">{t('note', { note: p.note })}</Detail>}
        {p.signedAt && (
          <Detail testId="participant-signed">
            {p.signedByName && p.signedByName !== p.name ? t('signed_by_at', { name: p.signedByName, time: fmt(p.signedAt) }) : t('signed_at', { time: fmt(p.signedAt) })}
          </Detail>
        )}
        {p.refusedAt && (
          <Detail testId="participant-refused">
            {t('refused_at', { time: fmt(p.refusedAt) })}
            {p.refusalReason ? ` · ${t('refusal_reason', { reason: p.refusalReason })}` : ''}
          </Detail>
        )}
        {p.lastUrgedAt && p.status === 'pending' && <Detail testId="participant-urged">{t('last_urged', { time: fmt(p.lastUrgedAt) })}</Detail>}
      </Stack>
      {p.blocked && (p.status === 'pending' || p.status === 'waiting') && (
        <Alert severity="warning" icon={<BlockIcon fontSize="small" />} sx={{ mt: 0.75, py: 0 }} data-testid="participant-blocked" data-code={p.blocked.code}>
          {locale.startsWith('en') ? p.blocked.messageEn : p.blocked.message}
        </Alert>
      )}
      {p.marks.length > 0 && (
        <Stack direction="row" spacing={0.5} sx={{ mt: 0.75, flexWrap: 'wrap', rowGap: 0.5 }}>
          {p.marks.map((m) => (
            <Chip
              key={m.id}
              size="small"
              variant={m.applied ? 'filled' : 'outlined'}
              color={m.applied ? 'success' : 'default'}
              icon={m.applied ? <CheckIcon /> : undefined}
              label={markText(m, translate, sealTypeName)}
              data-testid="mark-chip"
              data-kind={m.kind}
              data-applied={m.applied ? 'true' : 'false'}
            />
          ))}
        </Stack>
      )}
    </Box>
  );
};

/** 签署方 grouped by step: one step signs in parallel, the next starts when it is complete. */
export const ParticipantsByStep = ({ contract }: { contract: ContractView }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string, opts?: object) => translate(`portal.contracts.show.${key}`, opts);
  const { data: sealTypes } = useApiGet<NamedOption[]>('/api/config/seal-types');
  const sealTypeName = (code: string) => {
    const o = sealTypes?.find((s) => s.code === code);
    return o ? optionName(o, locale) : code;
  };
  const steps = [...new Set(contract.participants.map((p) => p.step))].sort((a, b) => a - b);
  return (
    <Card>
      <CardHeader title={t('participants')} slotProps={{ title: { variant: 'h6' } }} />
      <CardContent sx={{ pt: 0 }} data-testid="participants">
        {steps.map((step, i) => {
          const ps = contract.participants.filter((p) => p.step === step);
          const current = contract.status === 'in_progress' && step === contract.currentStep;
          const complete = ps.every((p) => p.status === 'signed');
          return (
            <Box key={step} data-testid="step" data-step={step} data-current={current ? 'true' : 'false'}>
              {i > 0 && <Divider />}
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mt: 1.5 }}>
                <Typography variant="subtitle1" sx={{ fontWeight: 600 }}>
                  {t('step_n', { step })}
                </Typography>
                {ps.length > 1 && <Typography variant="caption" color="text.secondary">{t('parallel')}</Typography>}
                {current && <Chip size="small" color="warning" label={t('step_current')} data-testid="step-current" />}
                {complete && <Chip size="small" color="success" variant="outlined" label={t('step_done')} />}
              </Stack>
              <Box sx={{ pl: { sm: 2 } }}>
                {ps.map((p) => (
                  <ParticipantRow key={p.id} p={p} sealTypeName={sealTypeName} />
                ))}
              </Box>
            </Box>
          );
        })}
        {contract.cc.length > 0 && (
          <Box data-testid="cc-list" sx={{ mt: 1 }}>
            <Divider />
            <Typography variant="subtitle1" sx={{ fontWeight: 600, mt: 1.5 }}>
              {t('cc')}
            </Typography>
            <Stack direction="row" spacing={1} sx={{ mt: 1, flexWrap: 'wrap', rowGap: 1 }}>
              {contract.cc.map((c) => (
                <Chip key={c.id} size="small" label={c.name} data-testid="cc-chip" />
              ))}
            </Stack>
          </Box>
        )}
      </CardContent>
    </Card>
  );
};
