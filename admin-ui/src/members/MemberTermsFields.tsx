import {
  Alert,
  Box,
  Checkbox,
  CircularProgress,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormLabel,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useLocaleState, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import { SmsCodeButton } from '../../../ui-shared/src/components/SmsCodeButton';
import { useApiGet } from '../../../ui-shared/src/hooks/useApiGet';
import { optionName, type MemberRole, type NamedOption } from '../../../ui-shared/src/types';
import { addedSeals, type MemberTerms, type Seal } from './types';

/**
 * 角色 (印章管理员 / 普通成员), 业务类型 and 印章授权 for approving a join application (prefix
 * "approve") or editing a member (prefix "member"). Granting a seal the member does not hold yet
 * needs the granter's SMS code (POST /api/console/seal-grant-code): the code row appears then.
 * data-testids: <prefix>-role, <prefix>-business-types (<prefix>-business-type-<code>),
 * <prefix>-seals (<prefix>-seal-<id>), <prefix>-send-code, <prefix>-code.
 */
export const MemberTermsFields = ({
  prefix,
  terms,
  onChange,
  currentRole,
  currentSealIds = [],
  code,
  onCodeChange,
  onError,
  disabled,
  mayAppointSealAdmin = true,
}: {
  prefix: 'approve' | 'member';
  terms: MemberTerms;
  onChange: (terms: MemberTerms) => void;
  /** The member's current role; 管理员 cannot be changed here (only by transfer). */
  currentRole?: MemberRole;
  currentSealIds?: string[];
  code: string;
  onCodeChange: (code: string) => void;
  onError: (message: string | null) => void;
  disabled?: boolean;
  /** Only the 管理员 appoints 印章管理员 (a seal admin approving an application offers 普通成员 only). */
  mayAppointSealAdmin?: boolean;
}) => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const businessTypes = useApiGet<NamedOption[]>('/api/config/business-types');
  const seals = useApiGet<Seal[]>('/api/console/seals');
  const needsCode = addedSeals(terms, currentSealIds).length > 0;
  const toggle = (key: 'businessTypes' | 'sealIds', value: string, checked: boolean) =>
    onChange({ ...terms, [key]: checked ? [...new Set([...terms[key], value])] : terms[key].filter((v) => v !== value) });
  const roleLocked = currentRole === 'admin';

  return (
    <Stack spacing={2.5}>
      <TextField
        select
        label={translate('admin.members.role')}
        value={roleLocked ? 'admin' : terms.role}
        onChange={(e) => onChange({ ...terms, role: e.target.value as MemberTerms['role'] })}
        disabled={disabled || roleLocked}
        helperText={translate(roleLocked ? 'admin.members.admin_role_fixed' : mayAppointSealAdmin ? 'admin.members.role_hint' : 'admin.members.seal_admin_by_admin_only')}
        sx={{ maxWidth: 320 }}
        slotProps={{ select: { native: true }, htmlInput: { 'data-testid': `${prefix}-role` }, inputLabel: { shrink: true } }}
      >
        {roleLocked && <option value="admin">{translate('sf.roles.admin')}</option>}
        <option value="seal_admin" disabled={!mayAppointSealAdmin}>
          {translate('sf.roles.seal_admin')}
        </option>
        <option value="member">{translate('sf.roles.member')}</option>
      </TextField>

      <FormControl component="fieldset" data-testid={`${prefix}-business-types`}>
        <FormLabel component="legend">{translate('admin.members.business_types')}</FormLabel>
        {businessTypes.loading && !businessTypes.data && <CircularProgress size={18} />}
        <FormGroup row>
          {(businessTypes.data ?? []).map((o) => (
            <FormControlLabel
              key={o.code}
              label={optionName(o, locale)}
              control={
                <Checkbox
                  checked={terms.businessTypes.includes(o.code)}
                  onChange={(e) => toggle('businessTypes', o.code, e.target.checked)}
                  disabled={disabled}
                  slotProps={{ input: { 'data-testid': `${prefix}-business-type-${o.code}` } as object }}
                />
              }
            />
          ))}
        </FormGroup>
      </FormControl>

      <FormControl component="fieldset" data-testid={`${prefix}-seals`}>
        <FormLabel component="legend">{translate('admin.members.seals')}</FormLabel>
        {seals.loading && !seals.data && <CircularProgress size={18} />}
        {seals.error && <Alert severity="error">{seals.error.message}</Alert>}
        {seals.data && seals.data.length === 0 && (
          <Typography variant="body2" color="text.secondary">
            {translate('admin.members.no_seals')}
          </Typography>
        )}
        <FormGroup>
          {(seals.data ?? []).map((s) => (
            <FormControlLabel
              key={s.id}
              label={s.status === 'active' ? s.name : translate('admin.members.seal_with_state', { name: s.name, state: translate('admin.members.seal_inactive') })}
              control={
                <Checkbox
                  checked={terms.sealIds.includes(s.id)}
                  onChange={(e) => toggle('sealIds', s.id, e.target.checked)}
                  disabled={disabled || (s.status !== 'active' && !terms.sealIds.includes(s.id))}
                  slotProps={{ input: { 'data-testid': `${prefix}-seal-${s.id}` } as object }}
                />
              }
            />
          ))}
        </FormGroup>
      </FormControl>

      {needsCode && (
        <Box data-testid={`${prefix}-code-row`}>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
            {translate('admin.members.code_hint')}
          </Typography>
          <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start' }}>
            <TextField
              label={translate('sf.sms.code')}
              size="small"
              value={code}
              onChange={(e) => onCodeChange(e.target.value.replace(/\D/g, ''))}
              disabled={disabled}
              autoComplete="one-time-code"
              sx={{ width: 180 }}
              slotProps={{ htmlInput: { 'data-testid': `${prefix}-code`, inputMode: 'numeric', maxLength: 6 } }}
            />
            <SmsCodeButton request={() => apiFetch('/api/console/seal-grant-code', { method: 'POST' })} onError={onError} disabled={disabled} testId={`${prefix}-send-code`} />
          </Stack>
        </Box>
      )}
    </Stack>
  );
};
