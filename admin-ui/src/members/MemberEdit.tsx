import { useEffect, useState, type FormEvent } from 'react';
import { Alert, Box, Button, Card, CardContent, CircularProgress, Stack, Typography } from '@mui/material';
import { useParams } from 'react-router-dom';
import { ListButton, Title, TopToolbar, useGetOne, useNotify, usePermissions, useRedirect, useTranslate, useUpdate } from 'react-admin';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import type { Permissions } from '../../../ui-shared/src/types';
import { MemberTermsFields } from './MemberTermsFields';
import { addedSeals, isEnterpriseAdmin, type Member, type MemberTerms } from './types';

/** 编辑成员 (管理员 only): role, 业务类型, 印章授权; new seals need the SMS code. PUT /api/console/members/:id. */
export const MemberEdit = () => {
  const { id = '' } = useParams<{ id: string }>();
  const translate = useTranslate();
  const notify = useNotify();
  const redirect = useRedirect();
  const { permissions } = usePermissions<Permissions>();
  const { data: member, isPending, error: loadError } = useGetOne<Member>('members', { id });
  const [update] = useUpdate<Member>();
  const [terms, setTerms] = useState<MemberTerms | null>(null);
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (member && !terms) {
      setTerms({ role: member.role === 'seal_admin' ? 'seal_admin' : 'member', businessTypes: member.businessTypes, sealIds: member.sealIds });
    }
  }, [member, terms]);

  if (isPending || (member && !terms)) return <CircularProgress sx={{ m: 4 }} />;
  if (loadError || !member || !terms) return <ApiErrorAlert error={loadError ? errorMessage(loadError) : translate('ra.page.not_found')} />;
  const needsCode = addedSeals(terms, member.sealIds).length > 0;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (needsCode && !/^\d{6}$/.test(code.trim())) {
      setError(translate('admin.members.code_required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      // The 管理员's own role is kept by the API whatever is sent (it changes only by transfer).
      // PUT /api/console/members/:id; the answer (the updated member) goes into react-admin's cache.
      await update(
        'members',
        { id: member.id, data: { ...terms, ...(needsCode ? { code: code.trim() } : {}) }, previousData: member },
        { mutationMode: 'pessimistic', returnPromise: true },
      );
      notify(translate('admin.members.saved'), { type: 'success' });
      redirect('show', 'members', member.id);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <Box sx={{ maxWidth: 760 }}>
      <Title title={translate('admin.members.edit_title', { name: member.name })} />
      <TopToolbar>
        <ListButton resource="members" />
      </TopToolbar>
      {!isEnterpriseAdmin(permissions) && (
        <Alert severity="warning" sx={{ mb: 2 }}>
          {translate('admin.members.admin_only')}
        </Alert>
      )}
      <Card component="form" onSubmit={submit} noValidate data-testid="member-edit-form">
        <CardContent>
          <Typography variant="h6" gutterBottom>
            {member.name} · {member.mobileMasked}
          </Typography>
          <MemberTermsFields
            prefix="member"
            terms={terms}
            onChange={setTerms}
            currentRole={member.role}
            currentSealIds={member.sealIds}
            code={code}
            onCodeChange={setCode}
            onError={setError}
            disabled={busy}
          />
          <ApiErrorAlert error={error} />
          <Stack direction="row" spacing={1} sx={{ mt: 2 }}>
            <Button type="submit" variant="contained" disabled={busy} data-testid="member-save" startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}>
              {translate('ra.action.save')}
            </Button>
            <Button onClick={() => redirect('show', 'members', member.id)} disabled={busy}>
              {translate('ra.action.cancel')}
            </Button>
          </Stack>
        </CardContent>
      </Card>
    </Box>
  );
};
