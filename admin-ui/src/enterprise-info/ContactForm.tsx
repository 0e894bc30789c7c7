import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Box, Button, CircularProgress, Grid, TextField, Typography } from '@mui/material';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { ApiError, apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { formatDateTime } from '../../../ui-shared/src/format';
import { reloadedValues } from './reloaded-values';
import { CONTACT_FIELDS, CONTACT_MAX, type ContactField, type EnterpriseInfo } from './types';
import { LeaveGuard } from '../../../ui-shared/src/components/LeaveGuard';

type Values = Record<ContactField, string>;

const valuesOf = (info: EnterpriseInfo): Values => ({
  contactName: info.contactName ?? '',
  contactMobile: info.contactMobile ?? '',
  contactEmail: info.contactEmail ?? '',
  address: info.address ?? '',
});

/**
 * 联系信息 (contact name, mobile, e-mail, address): changed directly by the 管理员, with the
 * version read; someone else's change in between → 409 → 已被他人修改 with 重新加载 (the newer version; what the
 * administrator typed stays, so the next 保存 overwrites deliberately). A newer version read for any reason never
 * replaces a field being edited (reloadedValues).
 * data-testids: enterprise-info-contact-form, enterprise-info-<field>, enterprise-info-save,
 * enterprise-info-stale, enterprise-info-reload.
 */
export const ContactForm = ({ info, canEdit, onSaved, onReload }: { info: EnterpriseInfo; canEdit: boolean; onSaved: () => void; onReload: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const [values, setValues] = useState<Values>(() => valuesOf(info));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  /** The values of the version the form last read, and of which enterprise: what "not edited" compares with. */
  const loaded = useRef({ id: info.id, values: valuesOf(info) });
  /** The next version read follows this form's own save. */
  const ownSave = useRef(false);

  // A newer version read from the API (after saving, 重新加载, a rename…) shows its values in the fields not being edited.
  useEffect(() => {
    const before = loaded.current;
    const now = valuesOf(info);
    const sameEnterprise = before.id === info.id;
    const afterOwnSave = ownSave.current;
    loaded.current = { id: info.id, values: now };
    ownSave.current = false;
    setValues((current) => (sameEnterprise ? reloadedValues(current, before.values, now, afterOwnSave) : now));
    setStale(false);
    setError(null);
  }, [info.version, info.id]);

  const original = valuesOf(info);
  const changed = CONTACT_FIELDS.filter((f) => values[f].trim() !== original[f]);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    if (changed.length === 0) return;
    if (values.contactEmail.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.contactEmail.trim())) {
      setError(translate('enterpriseInfo.contact.email_invalid'));
      return;
    }
    setBusy(true);
    setError(null);
    setStale(false);
    try {
      const body: Record<string, unknown> = { version: info.version };
      for (const f of changed) body[f] = values[f].trim() || null;
      await apiFetch('/api/console/enterprise-info', { method: 'PATCH', body });
      ownSave.current = true;
      notify(translate('enterpriseInfo.contact.saved'), { type: 'success' });
      onSaved();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setStale(true);
      else setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box component="form" onSubmit={save} noValidate data-testid="enterprise-info-contact-form" data-version={info.version}>
      <LeaveGuard when={changed.length > 0} />
      <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
        {translate('enterpriseInfo.contact.title')}
      </Typography>
      <Grid container spacing={2}>
        {CONTACT_FIELDS.map((f) => (
          <Grid key={f} size={{ xs: 12, sm: f === 'address' ? 12 : 4 }}>
            <TextField
              label={translate(`enterpriseInfo.fields.${f}`)}
              value={values[f]}
              onChange={(e) => setValues((v) => ({ ...v, [f]: e.target.value }))}
              disabled={!canEdit || busy}
              fullWidth
              size="small"
              slotProps={{ htmlInput: { 'data-testid': `enterprise-info-${f}`, maxLength: CONTACT_MAX[f], inputMode: f === 'contactMobile' ? 'tel' : f === 'contactEmail' ? 'email' : undefined } }}
            />
          </Grid>
        ))}
      </Grid>
      {info.infoUpdatedAt && (
        <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 1 }}>
          {translate('enterpriseInfo.contact.updated_at', { time: formatDateTime(info.infoUpdatedAt, locale) })}
        </Typography>
      )}
      {stale && (
        <Alert
          severity="warning"
          role="alert"
          sx={{ mt: 2 }}
          data-testid="enterprise-info-stale"
          action={
            <Button color="inherit" size="small" onClick={onReload} data-testid="enterprise-info-reload">
              {translate('enterpriseInfo.contact.reload')}
            </Button>
          }
        >
          {translate('enterpriseInfo.contact.stale')}
        </Alert>
      )}
      <ApiErrorAlert error={error} />
      {canEdit && (
        <Button
          type="submit"
          variant="contained"
          sx={{ mt: 2 }}
          disabled={busy || changed.length === 0}
          data-testid="enterprise-info-save"
          startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}
        >
          {translate('enterpriseInfo.contact.save')}
        </Button>
      )}
    </Box>
  );
};
