import { useState, type FormEvent } from 'react';
import { Button, CircularProgress, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import { useNotify, usePermissions, useTranslate } from 'react-admin';
import type { Permissions } from '../../../ui-shared/src/types';
import { audiencesOf } from '../access';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { MemberTermsFields } from '../members/MemberTermsFields';
import { addedSeals, type Member, type MemberTerms } from '../members/types';

/** 通过 a join application: role, 业务类型, 印章授权 (+ SMS code when granting seals). */
export const ApproveDialog = ({ application, onClose, onDone }: { application: Member; onClose: () => void; onDone: () => void }) => {
  const translate = useTranslate();
  const notify = useNotify();
  const { permissions } = usePermissions<Permissions>();
  const [terms, setTerms] = useState<MemberTerms>({ role: 'member', businessTypes: [], sealIds: [] });
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const needsCode = addedSeals(terms, []).length > 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (needsCode && !/^\d{6}$/.test(code.trim())) {
      setError(translate('admin.members.code_required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await apiFetch(`/api/console/join-applications/${encodeURIComponent(application.id)}/approve`, {
        body: { ...terms, ...(needsCode ? { code: code.trim() } : {}) },
      });
      notify(translate('admin.join.approved', { name: application.name }), { type: 'success' });
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Dialog open onClose={busy ? undefined : onClose} maxWidth="sm" fullWidth data-testid="approve-dialog">
      <form onSubmit={submit} noValidate>
        <DialogTitle>{translate('admin.join.approve_title', { name: application.name })}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {application.mobileMasked}
            {application.message ? ` · ${application.message}` : ''}
          </Typography>
          <MemberTermsFields prefix="approve" terms={terms} onChange={setTerms} code={code} onCodeChange={setCode} onError={setError} disabled={busy} mayAppointSealAdmin={audiencesOf(permissions).has('enterprise_admin')} />
          <ApiErrorAlert error={error} />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy} data-testid="approve-cancel">
            {translate('ra.action.cancel')}
          </Button>
          <Button
            type="submit"
            variant="contained"
            color="success"
            disabled={busy}
            data-testid="approve-confirm"
            startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}
          >
            {translate('admin.join.approve_confirm')}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};
