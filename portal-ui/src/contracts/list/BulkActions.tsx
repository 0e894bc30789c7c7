import { useState } from 'react';
import { Alert, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, List, ListItem, ListItemText, Paper, Stack, Typography } from '@mui/material';
import DownloadIcon from '@mui/icons-material/Download';
import NotificationsActiveIcon from '@mui/icons-material/NotificationsActive';
import DrawIcon from '@mui/icons-material/Draw';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { errorMessage } from '../../../../ui-shared/src/components/ApiErrorAlert';
import { apiLabel } from '../../../../ui-shared/src/types';
import { joinNames } from '../../../../ui-shared/src/format';
import { BatchSignDialog } from '../batch/BatchSignDialog';
import { downloadZip, MAX_DOWNLOAD, urgeMany, type BatchUrgeItem } from './listApi';

/** The bar shown while rows are selected: 已选择 n 份 · 批量签署 (待我签署) · 批量下载 · 催办 (when some selected contract allows it). */
export const BulkActions = ({
  ids,
  urgeIds,
  titles,
  batchSign = false,
  onClear,
  onDone,
}: {
  ids: string[];
  /** The selected contracts 催办 applies to (in progress, initiated by the party). */
  urgeIds: string[];
  titles: ReadonlyMap<string, string>;
  /** Offer 批量签署 for the selection (the 待我签署 box). */
  batchSign?: boolean;
  onClear: () => void;
  onDone: () => void;
}) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const [busy, setBusy] = useState<'download' | 'urge' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [urgeResults, setUrgeResults] = useState<BatchUrgeItem[] | null>(null);
  const [signing, setSigning] = useState(false);
  const t = (key: string, opts?: object) => translate(`portal.contracts.list.${key}`, opts);
  if (ids.length === 0) return null;
  const tooMany = ids.length > MAX_DOWNLOAD;

  const download = async () => {
    setBusy('download');
    setError(null);
    try {
      await downloadZip(ids);
      notify(t('downloaded', { smart_count: ids.length }), { type: 'info' });
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  const urge = async () => {
    setBusy('urge');
    setError(null);
    try {
      setUrgeResults(await urgeMany(urgeIds));
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Paper variant="outlined" sx={{ p: 1.5, mb: 2, bgcolor: 'action.hover' }} data-testid="bulk-actions">
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={1} sx={{ alignItems: { sm: 'center' } }}>
        <Typography variant="body2" sx={{ flex: 1 }} data-testid="bulk-count" data-count={ids.length}>
          {t('selected', { smart_count: ids.length })}
        </Typography>
        {batchSign && (
          <Button variant="contained" size="small" color="secondary" startIcon={<DrawIcon />} disabled={busy !== null} onClick={() => setSigning(true)} data-testid="bulk-batch-sign">
            {translate('portal.contracts.batch.action')}
          </Button>
        )}
        <Button
          variant="contained"
          size="small"
          startIcon={busy === 'download' ? <CircularProgress size={16} color="inherit" /> : <DownloadIcon />}
          disabled={busy !== null || tooMany}
          onClick={download}
          data-testid="bulk-download"
        >
          {busy === 'download' ? t('downloading') : t('download')}
        </Button>
        {urgeIds.length > 0 && (
          <Button
            variant="outlined"
            size="small"
            startIcon={busy === 'urge' ? <CircularProgress size={16} color="inherit" /> : <NotificationsActiveIcon />}
            disabled={busy !== null}
            onClick={urge}
            data-testid="bulk-urge"
          >
            {busy === 'urge' ? t('urging') : t('urge')}
          </Button>
        )}
        <Button size="small" onClick={onClear} disabled={busy !== null} data-testid="bulk-clear">
          {t('clear_selection')}
        </Button>
      </Stack>
      {tooMany && <Alert severity="warning" sx={{ mt: 1 }}>{t('download_too_many', { max: MAX_DOWNLOAD })}</Alert>}
      {error && (
        <Alert severity="error" sx={{ mt: 1 }} role="alert" data-testid="error-message">
          {error}
        </Alert>
      )}
      {signing && (
        <BatchSignDialog
          ids={ids}
          titles={titles}
          onClose={(changed) => {
            setSigning(false);
            if (changed) {
              onClear();
              onDone();
            }
          }}
        />
      )}
      <Dialog open={urgeResults !== null} onClose={() => setUrgeResults(null)} maxWidth="sm" fullWidth data-testid="urge-results">
        <DialogTitle>{t('urge_results')}</DialogTitle>
        <DialogContent>
          <List dense>
            {(urgeResults ?? []).map((r) => {
              const title = r.title ?? titles.get(String(r.id)) ?? String(r.id);
              const lines: string[] = [];
              if (r.urged?.length) lines.push(t('urge_urged', { names: joinNames(r.urged, locale) }));
              for (const s of r.skipped ?? []) lines.push(t('urge_skipped', { name: s.name, reason: apiLabel(s.message ?? s.reason, s.messageEn, locale) }));
              if (r.error) lines.push(apiLabel(r.error.message, r.error.messageEn, locale));
              if (lines.length === 0) lines.push(t('urge_nobody'));
              return (
                <ListItem key={String(r.id)} disableGutters data-testid="urge-result" data-id={String(r.id)} data-urged={r.urged?.length ?? 0}>
                  <ListItemText primary={title} secondary={lines.join('；')} />
                </ListItem>
              );
            })}
          </List>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setUrgeResults(null)} data-testid="urge-results-close">
            {translate('ra.action.close')}
          </Button>
        </DialogActions>
      </Dialog>
    </Paper>
  );
};
