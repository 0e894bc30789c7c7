import { useState } from 'react';
import {
  Alert,
  Button,
  Checkbox,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  Stack,
  Typography,
} from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { apiFetch } from '../../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../../ui-shared/src/components/ApiErrorAlert';
import { formatDateTime, joinNames } from '../../../../ui-shared/src/format';
import { apiLabel } from '../../../../ui-shared/src/types';
import type { ContractView, UrgeOutcome } from '../types';
import { contractUrls } from './contractUrls';

/**
 * 催办: choose the pending participants (all by default) → POST /contracts/:id/urge → who was urged
 * and who was skipped (rate limit: once an hour, a daily cap) with the server's reason.
 */
export const UrgeDialog = ({ contract, onClose, onUrged }: { contract: ContractView; onClose: () => void; onUrged: () => void }) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const t = (key: string, opts?: object) => translate(`portal.contracts.show.${key}`, opts);
  const pending = contract.participants.filter((p) => p.status === 'pending');
  const [chosen, setChosen] = useState<Set<string>>(() => new Set(pending.map((p) => p.id)));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<UrgeOutcome | null>(null);

  const urge = async () => {
    setBusy(true);
    setError(null);
    try {
      const all = chosen.size === pending.length;
      const res = await apiFetch<UrgeOutcome>(contractUrls.urge(contract.id), { method: 'POST', body: all ? {} : { participantIds: [...chosen] } });
      setOutcome(res);
      onUrged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="xs" fullWidth data-testid="urge-dialog">
      <DialogTitle>{t('urge_title')}</DialogTitle>
      <DialogContent>
        {!outcome && (
          <>
            <Typography variant="body2" sx={{ mb: 1 }}>
              {t('urge_intro')}
            </Typography>
            <Stack>
              {pending.map((p) => (
                <FormControlLabel
                  key={p.id}
                  control={
                    <Checkbox
                      checked={chosen.has(p.id)}
                      onChange={(e) =>
                        setChosen((prev) => {
                          const next = new Set(prev);
                          if (e.target.checked) next.add(p.id);
                          else next.delete(p.id);
                          return next;
                        })
                      }
                      slotProps={{ input: { 'data-testid': 'urge-participant' } as object }}
                    />
                  }
                  label={
                    <span>
                      {p.name}
                      {p.lastUrgedAt && (
                        <Typography component="span" variant="caption" color="text.secondary" sx={{ ml: 1 }}>
                          {t('last_urged', { time: formatDateTime(p.lastUrgedAt, locale) })}
                        </Typography>
                      )}
                    </span>
                  }
                />
              ))}
            </Stack>
          </>
        )}
        {outcome && (
          <Stack spacing={1} data-testid="urge-outcome">
            {outcome.urged.length > 0 && (
              <Alert severity="success" data-testid="urge-urged">
                {t('urged', { names: joinNames(outcome.urged, locale) })}
              </Alert>
            )}
            {outcome.skipped.map((s) => (
              <Alert key={s.name} severity="warning" data-testid="urge-skipped">
                {t('urge_skipped', { name: s.name, reason: apiLabel(s.message ?? s.reason, s.messageEn, locale) })}
              </Alert>
            ))}
          </Stack>
        )}
        <ApiErrorAlert error={error} />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy} data-testid="urge-close">
          {outcome ? translate('ra.action.close') : translate('ra.action.cancel')}
        </Button>
        {!outcome && (
          <Button
            variant="contained"
            onClick={urge}
            disabled={busy || chosen.size === 0}
            data-testid="urge-confirm"
            startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}
          >
            {t('urge_confirm')}
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
};
