import { useEffect, useState, type ReactNode } from 'react';
import {
  Box,
  Button,
  Card,
  CardActions,
  CardContent,
  CardHeader,
  Chip,
  CircularProgress,
  FormControl,
  FormControlLabel,
  InputLabel,
  MenuItem,
  Select,
  Stack,
  Switch,
  Typography,
} from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import { Title, useLocaleState, useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { ConfirmDialog } from '../../../ui-shared/src/components/ConfirmDialog';
import { formatDateTime } from '../../../ui-shared/src/format';
import { useApiGet } from '../../../ui-shared/src/hooks/useApiGet';
import { CaptureDialog } from './CaptureDialog';
import type { DateSealSettings, SignaturesResponse } from './types';

const imageBox = { height: 120, display: 'flex', alignItems: 'center', justifyContent: 'center', bgcolor: 'grey.50', borderRadius: 1, p: 1 } as const;

const SignatureCard = ({ testId, imageUrl, title, isDefault, onDefault, onDelete, subtitle }: { testId: string; imageUrl: string; title: string; isDefault: boolean; onDefault: () => void; onDelete?: () => void; subtitle?: ReactNode }) => {
  const translate = useTranslate();
  return (
    <Card variant="outlined" sx={{ width: 240 }} data-testid={testId}>
      <CardContent sx={{ pb: 0 }}>
        <Box sx={imageBox}>
          <img src={imageUrl} alt={title} style={{ maxWidth: '100%', maxHeight: 110, objectFit: 'contain' }} />
        </Box>
        <Stack direction="row" spacing={1} sx={{ mt: 1, alignItems: 'center' }}>
          <Typography variant="body2">{title}</Typography>
          {isDefault ? <Chip size="small" color="primary" label={translate('portal.signatures.default')} data-testid="signature-default-chip" /> : null}
        </Stack>
        {subtitle}
      </CardContent>
      <CardActions>
        <Button size="small" disabled={isDefault} onClick={onDefault} data-testid="signature-set-default">
          {translate('portal.signatures.set_default')}
        </Button>
        {onDelete ? (
          <Button size="small" color="error" onClick={onDelete} data-testid="signature-delete">
            {translate('ra.action.delete')}
          </Button>
        ) : null}
      </CardActions>
    </Card>
  );
};

const DateSealSection = ({ settings, onSaved }: { settings: DateSealSettings; onSaved: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [values, setValues] = useState({ enabled: settings.enabled, format: settings.format, color: settings.color });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setValues({ enabled: settings.enabled, format: settings.format, color: settings.color }), [settings.enabled, settings.format, settings.color]);
  const preview = `/api/me/signatures/date-seal?format=${encodeURIComponent(values.format)}&color=${values.color}`;
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await apiFetch('/api/me/signatures/date-settings', { method: 'PUT', body: values });
      notify('portal.signatures.date_saved', { type: 'success' });
      onSaved();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack spacing={2} data-testid="date-seal-settings">
      <FormControlLabel
        control={<Switch checked={values.enabled} onChange={(e) => setValues((v) => ({ ...v, enabled: e.target.checked }))} data-testid="date-seal-enabled" />}
        label={translate('portal.signatures.date_enabled')}
      />
      <Stack direction="row" spacing={2} useFlexGap sx={{ flexWrap: 'wrap' }}>
        <FormControl size="small" fullWidth={false} sx={{ width: 220 }}>
          <InputLabel id="date-format-label">{translate('portal.signatures.date_format')}</InputLabel>
          <Select labelId="date-format-label" label={translate('portal.signatures.date_format')} value={values.format} onChange={(e) => setValues((v) => ({ ...v, format: e.target.value }))} data-testid="date-seal-format">
            {settings.formats.map((f) => (
              <MenuItem key={f} value={f}>
                {f}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
        <FormControl size="small" fullWidth={false} sx={{ width: 160 }}>
          <InputLabel id="date-color-label">{translate('portal.signatures.date_color')}</InputLabel>
          <Select labelId="date-color-label" label={translate('portal.signatures.date_color')} value={values.color} onChange={(e) => setValues((v) => ({ ...v, color: e.target.value as 'red' | 'black' }))} data-testid="date-seal-color">
            {settings.colors.map((c) => (
              <MenuItem key={c} value={c}>
                {translate(`portal.signatures.color_${c}`)}
              </MenuItem>
            ))}
          </Select>
        </FormControl>
      </Stack>
      <Box sx={{ ...imageBox, height: 70, width: 320, opacity: values.enabled ? 1 : 0.4 }}>
        <img src={preview} alt={translate('portal.signatures.date_preview')} style={{ maxWidth: '100%', maxHeight: 48 }} data-testid="date-seal-preview" />
      </Box>
      <ApiErrorAlert error={error} />
      <Box>
        <Button variant="contained" onClick={save} disabled={busy} data-testid="date-seal-save">
          {translate('ra.action.save')}
        </Button>
      </Box>
    </Stack>
  );
};

/** 个人签章: the 人名章, handwritten signatures (QR capture on a phone, default, delete) and 日期章 settings. */
export const SignaturesPage = () => {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const [version, setVersion] = useState(0);
  const reload = () => setVersion((v) => v + 1);
  const { data, error, loading } = useApiGet<SignaturesResponse>('/api/me/signatures', version);
  const [capturing, setCapturing] = useState(false);
  const [deleting, setDeleting] = useState<string | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);

  const setDefault = async (signatureId: string | null) => {
    setActionError(null);
    try {
      await apiFetch('/api/me/signatures/default', { method: 'PUT', body: { signatureId } });
      notify('portal.signatures.default_saved', { type: 'success' });
      reload();
    } catch (e) {
      setActionError(errorMessage(e));
    }
  };

  return (
    <Stack spacing={2} sx={{ maxWidth: 980, mt: 1 }} data-testid="signatures-page">
      <Title title={translate('portal.signatures.title')} />
      <ApiErrorAlert error={error ? errorMessage(error) : actionError} />
      {loading && !data ? <CircularProgress size={24} /> : null}
      {data ? (
        <>
          <Card>
            <CardHeader
              title={translate('portal.signatures.my_signatures')}
              subheader={translate('portal.signatures.my_signatures_hint', { max: data.maxSignatures })}
              slotProps={{ title: { variant: 'h6' } }}
              action={
                <Button variant="contained" startIcon={<AddIcon />} onClick={() => setCapturing(true)} disabled={data.signatures.length >= data.maxSignatures} data-testid="add-handwritten">
                  {translate('portal.signatures.add_handwritten')}
                </Button>
              }
            />
            <CardContent>
              <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 2 }} data-testid="signature-list">
                <SignatureCard testId="name-seal-card" imageUrl={`${data.nameSeal.imageUrl}?v=${version}`} title={translate('portal.signatures.name_seal')} isDefault={data.nameSeal.isDefault} onDefault={() => setDefault(null)} />
                {data.signatures.map((s) => (
                  <SignatureCard
                    key={s.id}
                    testId={`handwritten-${s.id}`}
                    imageUrl={s.imageUrl}
                    title={translate('portal.signatures.handwritten')}
                    isDefault={s.isDefault}
                    onDefault={() => setDefault(s.id)}
                    onDelete={() => setDeleting(s.id)}
                    subtitle={
                      <Typography variant="caption" color="text.secondary">
                        {formatDateTime(s.createdAt, locale)}
                      </Typography>
                    }
                  />
                ))}
              </Stack>
              {data.signatures.length === 0 ? (
                <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }} data-testid="no-handwritten">
                  {translate('portal.signatures.none')}
                </Typography>
              ) : null}
            </CardContent>
          </Card>
          <Card>
            <CardHeader title={translate('portal.signatures.date_seal')} subheader={translate('portal.signatures.date_seal_hint')} slotProps={{ title: { variant: 'h6' } }} />
            <CardContent>
              <DateSealSection settings={data.dateSeal} onSaved={reload} />
            </CardContent>
          </Card>
        </>
      ) : null}
      <CaptureDialog
        open={capturing}
        onClose={() => setCapturing(false)}
        onCaptured={() => {
          setCapturing(false);
          notify('portal.signatures.captured', { type: 'success' });
          reload();
        }}
      />
      <ConfirmDialog
        open={deleting !== null}
        title={translate('portal.signatures.delete_title')}
        content={translate('portal.signatures.delete_confirm')}
        danger
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          await apiFetch(`/api/me/signatures/${deleting}`, { method: 'DELETE' });
          setDeleting(null);
          reload();
        }}
      />
    </Stack>
  );
};
