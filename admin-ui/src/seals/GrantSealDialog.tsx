import { useState, type FormEvent } from 'react';
import { Box, Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, IconButton, List, ListItem, ListItemText, MenuItem, Stack, TextField, Typography } from '@mui/material';
import DeleteIcon from '@mui/icons-material/Delete';
import { useLocaleState, useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { SmsCodeButton } from '../../../ui-shared/src/components/SmsCodeButton';
import { formatDateTime } from '../../../ui-shared/src/format';
import { useApiGet } from '../../../ui-shared/src/hooks/useApiGet';
import type { Member } from '../members/types';
import type { SealView } from './types';

/**
 * 印章授权 of one seal: who may use it now (撤销 each), and a new authorisation for a member with an
 * optional last day of validity, confirmed by the granter's SMS code (as in 加入企业审核).
 * data-testids: seal-grant-dialog, seal-grant-member, seal-grant-expires, seal-grant-send-code,
 * seal-grant-code, seal-grant-submit, seal-grant-revoke-<authorizationId>.
 */
export const GrantSealDialog = ({ seal, onClose, onChanged }: { seal: SealView; onClose: () => void; onChanged: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const [locale] = useLocaleState();
  const members = useApiGet<Member[]>('/api/console/members');
  const [current, setCurrent] = useState(seal.authorizations);
  const [userId, setUserId] = useState('');
  const [expires, setExpires] = useState('');
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const today = new Date().toISOString().slice(0, 10);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!userId) return setError(translate('admin.seals.member_required'));
    if (!/^\d{6}$/.test(code.trim())) return setError(translate('admin.members.code_required'));
    setBusy(true);
    setError(null);
    try {
      const updated = await apiFetch<SealView>(`/api/console/seals/${encodeURIComponent(seal.id)}/authorizations`, { body: { userId, expiresAt: expires || null, code: code.trim() } });
      setCurrent(updated.authorizations);
      setUserId('');
      setExpires('');
      setCode('');
      notify(translate('admin.seals.granted'), { type: 'success' });
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (authorizationId: string) => {
    setBusy(true);
    setError(null);
    try {
      const updated = await apiFetch<SealView>(`/api/console/seals/${encodeURIComponent(seal.id)}/authorizations/${encodeURIComponent(authorizationId)}`, { method: 'DELETE' });
      setCurrent(updated.authorizations);
      notify(translate('admin.seals.revoked'), { type: 'info' });
      onChanged();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth data-testid="seal-grant-dialog">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{translate('admin.seals.grant_title', { name: seal.name })}</DialogTitle>
        <DialogContent>
          <Typography variant="subtitle2">{translate('admin.seals.who_may_use')}</Typography>
          {current.length === 0 ? (
            <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
              {translate('admin.seals.nobody')}
            </Typography>
          ) : (
            <List dense sx={{ mb: 1 }}>
              {current.map((a) => (
                <ListItem
                  key={a.id}
                  data-testid="seal-grant-current"
                  secondaryAction={
                    <IconButton edge="end" aria-label={translate('admin.seals.revoke')} onClick={() => revoke(a.id)} disabled={busy} data-testid={`seal-grant-revoke-${a.id}`}>
                      <DeleteIcon />
                    </IconButton>
                  }
                >
                  <ListItemText primary={`${a.name} ${a.mobileMasked}`} secondary={a.expiresAt ? translate(a.lapsed ? 'admin.seals.lapsed_on' : 'admin.seals.valid_until', { date: formatDateTime(a.expiresAt, locale) }) : translate('admin.seals.no_end')} />
                </ListItem>
              ))}
            </List>
          )}
          <Typography variant="subtitle2" sx={{ mt: 1 }}>
            {translate('admin.seals.grant_new')}
          </Typography>
          <Stack spacing={2} sx={{ pt: 1 }}>
            <TextField select label={translate('admin.seals.member')} value={userId} onChange={(e) => setUserId(e.target.value)} disabled={busy} slotProps={{ htmlInput: { 'data-testid': 'seal-grant-member' } }}>
              {(members.data ?? []).map((m) => (
                <MenuItem key={m.userId} value={m.userId} data-testid={`seal-grant-member-${m.userId}`}>
                  {m.name} {m.mobileMasked}
                </MenuItem>
              ))}
            </TextField>
            <TextField
              type="date"
              label={translate('admin.seals.expires')}
              value={expires}
              onChange={(e) => setExpires(e.target.value)}
              disabled={busy}
              helperText={translate('admin.seals.expires_hint')}
              slotProps={{ inputLabel: { shrink: true }, htmlInput: { 'data-testid': 'seal-grant-expires', min: today } }}
            />
            <Box>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                {translate('admin.members.code_hint')}
              </Typography>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
                <TextField
                  label={translate('sf.sms.code')}
                  size="small"
                  value={code}
                  onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
                  disabled={busy}
                  autoComplete="one-time-code"
                  sx={{ width: 180 }}
                  slotProps={{ htmlInput: { 'data-testid': 'seal-grant-code', inputMode: 'numeric', maxLength: 6 } }}
                />
                <SmsCodeButton request={() => apiFetch('/api/console/seal-grant-code', { method: 'POST' })} onError={setError} disabled={busy} testId="seal-grant-send-code" />
              </Stack>
            </Box>
          </Stack>
          <ApiErrorAlert error={error} sx={{ mt: 2 }} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            {translate('ra.action.close')}
          </Button>
          <Button type="submit" variant="contained" disabled={busy} data-testid="seal-grant-submit" startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
            {translate('admin.seals.grant')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
