import { useState } from 'react';
import {
  Button,
  Checkbox,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  FormControlLabel,
  IconButton,
  List,
  ListItem,
  ListItemText,
  Stack,
  Switch,
  Typography,
} from '@mui/material';
import DeleteIcon from '@mui/icons-material/DeleteOutline';
import { useTranslate } from 'react-admin';
import { ApiErrorAlert, errorMessage } from '../../../../ui-shared/src/components/ApiErrorAlert';
import { useApiGet } from '../../../../ui-shared/src/hooks/useApiGet';
import { EnterpriseLookup } from '../../contracts/create/EnterpriseLookup';
import type { EnterpriseChoice } from '../../contracts/create/wizardModel';
import { deleteShare, putShare } from './templateApi';
import type { TemplateShare, TemplateSummary } from './types';

/** 共享: the enterprises a template is shared to (是否可编辑 per enterprise), add one through the lookup, remove one. */
export const ShareDialog = ({ template, onClose }: { template: Pick<TemplateSummary, 'id' | 'name'>; onClose: () => void }) => {
  const translate = useTranslate();
  const t = (key: string, opts?: object) => translate(`portal.templates.share_dialog.${key}`, opts);
  const shares = useApiGet<TemplateShare[]>(`/api/templates/${encodeURIComponent(template.id)}/shares`);
  const [enterprise, setEnterprise] = useState<EnterpriseChoice | null>(null);
  const [editable, setEditable] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      shares.reload();
      return true;
    } catch (e) {
      setError(errorMessage(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const add = async () => {
    if (!enterprise) {
      setError(t('enterprise_required'));
      return;
    }
    if (await run(() => putShare(template.id, enterprise.id, editable))) {
      setEnterprise(null);
      setEditable(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth data-testid="template-share-dialog">
      <DialogTitle>{t('title', { name: template.name })}</DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
          {t('hint')}
        </Typography>
        <Stack direction="row" sx={{ gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
          <EnterpriseLookup value={enterprise} onChange={setEnterprise} testId="share-enterprise" disabled={busy} />
          <FormControlLabel control={<Checkbox checked={editable} onChange={(e) => setEditable(e.target.checked)} slotProps={{ input: { 'data-testid': 'share-editable' } as object }} />} label={t('editable')} />
          <Button variant="contained" onClick={() => void add()} disabled={busy} data-testid="share-add" startIcon={busy ? <CircularProgress size={16} color="inherit" /> : undefined}>
            {t('add')}
          </Button>
        </Stack>
        <ApiErrorAlert error={error ?? (shares.error ? errorMessage(shares.error) : null)} testId="share-error" />
        <Typography variant="subtitle2" sx={{ mt: 2 }}>
          {t('current')}
        </Typography>
        {shares.data && shares.data.length === 0 && (
          <Typography variant="body2" color="text.secondary" data-testid="share-none">
            {t('none')}
          </Typography>
        )}
        <List dense>
          {shares.data?.map((s) => (
            <ListItem
              key={s.enterpriseId}
              data-testid="share-row"
              data-enterprise-id={s.enterpriseId}
              secondaryAction={
                <IconButton edge="end" aria-label={t('remove')} disabled={busy} onClick={() => void run(() => deleteShare(template.id, s.enterpriseId))} data-testid="share-remove">
                  <DeleteIcon />
                </IconButton>
              }
            >
              <ListItemText primary={s.enterpriseName} secondary={s.editable ? t('editable_yes') : t('editable_no')} />
              <FormControlLabel
                sx={{ mr: 4 }}
                control={<Switch size="small" checked={s.editable} disabled={busy} onChange={(e) => void run(() => putShare(template.id, s.enterpriseId, e.target.checked))} slotProps={{ input: { 'data-testid': 'share-row-editable' } as object }} />}
                label={t('editable')}
              />
            </ListItem>
          ))}
        </List>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy} data-testid="share-close">
          {t('close')}
        </Button>
      </DialogActions>
    </Dialog>
  );
};
