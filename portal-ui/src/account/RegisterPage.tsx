import { useEffect, useState, type FormEvent } from 'react';
import { Box, Button, CardContent, CircularProgress, Link, Stack, TextField, Typography } from '@mui/material';
import PersonAddIcon from '@mui/icons-material/PersonAdd';
import { Link as RouterLink } from 'react-router-dom';
import { Login, useAuthProvider, useLocaleState, useTranslate } from 'react-admin';
import { apiFetch } from '../../../ui-shared/src/api/apiFetch';
import type { LoginParams } from '../../../ui-shared/src/auth/createAuthProvider';
import { ApiErrorAlert, errorMessage } from '../../../ui-shared/src/components/ApiErrorAlert';
import { LocaleSwitcher } from '../../../ui-shared/src/components/LocaleSwitcher';
import { SmsCodeButton } from '../../../ui-shared/src/components/SmsCodeButton';
import { getDraft, setDraft } from '../../../ui-shared/src/drafts';
import { isSmsCode, isValidMobile, passwordError } from './passwordRules';

const DRAFT_KEY = 'portal.register';

interface Values {
  mobile: string;
  code: string;
  name: string;
  password: string;
  password2: string;
}

type Errors = Partial<Record<keyof Values, string>>;

const EMPTY: Values = { mobile: '', code: '', name: '', password: '', password2: '' };

const RegisterForm = () => {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const authProvider = useAuthProvider();
  // Passwords are not kept in the draft (it only survives the remount of a language switch).
  const [values, setValues] = useState<Values>(() => ({ ...EMPTY, ...getDraft<Partial<Values>>(DRAFT_KEY) }));
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<string | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(DRAFT_KEY, { mobile: values.mobile, code: values.code, name: values.name }), [values.mobile, values.code, values.name]);
  const set = (key: keyof Values) => (e: { target: { value: string } }) => {
    setValues((v) => ({ ...v, [key]: e.target.value }));
    setErrors((prev) => (prev[key] ? { ...prev, [key]: undefined } : prev));
  };

  const validate = (): Errors => {
    const found: Errors = {};
    const mobile = values.mobile.trim();
    if (!isValidMobile(mobile)) found.mobile = translate('portal.register.errors.mobile');
    if (!isSmsCode(values.code)) found.code = translate('sf.sms.code_invalid');
    if (!values.name.trim()) found.name = translate('portal.register.errors.name');
    const pw = passwordError(values.password, locale, mobile);
    if (pw) found.password = pw;
    if (values.password2 !== values.password) found.password2 = translate('portal.register.errors.password_mismatch');
    return found;
  };

  const requestCode = () => {
    const mobile = values.mobile.trim();
    if (!isValidMobile(mobile)) {
      setErrors((e) => ({ ...e, mobile: translate('portal.register.errors.mobile') }));
      return Promise.reject(new Error(translate('portal.register.errors.mobile')));
    }
    setErrors((e) => ({ ...e, mobile: undefined }));
    return apiFetch('/api/auth/register/code', { body: { mobile } });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    setErrors(found);
    if (Object.values(found).some(Boolean)) {
      setError(translate('portal.register.errors.form'));
      return;
    }
    setBusy(true);
    setError(null);
    const params: LoginParams = {
      register: { mobile: values.mobile.trim(), code: values.code.trim(), password: values.password, name: values.name.trim() },
    };
    try {
      // Registration logs the new user in (session cookie). Then 实名认证, loaded afresh: this
      // public page was rendered while logged out, and react-admin still holds that auth state.
      await authProvider?.login(params);
      setDraft(DRAFT_KEY, {});
      window.location.assign('/real-name');
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  const field = (key: keyof Values, label: string, extra: Record<string, unknown> = {}, input: Record<string, unknown> = {}) => (
    <TextField
      label={label}
      value={values[key]}
      onChange={set(key)}
      error={!!errors[key]}
      helperText={errors[key]}
      fullWidth
      margin="dense"
      disabled={busy}
      {...extra}
      slotProps={{ htmlInput: { 'data-testid': `register-${key}`, ...input } }}
    />
  );

  return (
    <CardContent component="form" onSubmit={submit} noValidate sx={{ width: { xs: '85vw', sm: 400 } }} data-testid="register-form">
      <Typography variant="h6" align="center" gutterBottom data-testid="register-title">
        {translate('portal.register.title')}
      </Typography>
      {field('mobile', translate('sf.auth.mobile'), { autoComplete: 'tel', autoFocus: true }, { inputMode: 'tel', maxLength: 11 })}
      <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start', mt: 1 }}>
        <TextField
          label={translate('sf.auth.sms_code')}
          value={values.code}
          onChange={(e) => set('code')({ target: { value: e.target.value.replace(/\D/g, '') } })}
          error={!!errors.code}
          helperText={errors.code ?? (sentTo ? translate('portal.register.code_sent', { mobile: sentTo }) : undefined)}
          size="small"
          sx={{ flex: 1 }}
          autoComplete="one-time-code"
          disabled={busy}
          slotProps={{ htmlInput: { 'data-testid': 'register-code', inputMode: 'numeric', maxLength: 6 } }}
        />
        <SmsCodeButton
          request={requestCode}
          onSent={() => setSentTo(values.mobile.trim())}
          onError={setError}
          disabled={busy}
          testId="register-send-code"
        />
      </Stack>
      {field('name', translate('portal.register.name'), { autoComplete: 'name' }, { maxLength: 50 })}
      {field('password', translate('sf.auth.password'), { type: 'password', autoComplete: 'new-password' }, { maxLength: 64 })}
      <Typography variant="caption" color="text.secondary" component="p" data-testid="register-password-rule">
        {translate('portal.register.password_rule')}
      </Typography>
      {field('password2', translate('portal.register.password2'), { type: 'password', autoComplete: 'new-password' }, { maxLength: 64 })}
      <ApiErrorAlert error={error} />
      <Button
        type="submit"
        variant="contained"
        fullWidth
        disabled={busy}
        sx={{ mt: 2 }}
        data-testid="register-submit"
        startIcon={busy ? <CircularProgress size={18} color="inherit" /> : undefined}
      >
        {translate('portal.register.submit')}
      </Button>
      <Typography variant="body2" align="center" sx={{ mt: 2 }}>
        {translate('portal.register.have_account')}{' '}
        <Link component={RouterLink} to="/login" data-testid="register-login-link">
          {translate('ra.auth.sign_in')}
        </Link>
      </Typography>
      <Box sx={{ display: 'flex', justifyContent: 'center', mt: 2 }}>
        <LocaleSwitcher />
      </Box>
    </CardContent>
  );
};

/** /register (public): 手机号 + 验证码 + 姓名 + 密码 → logged in → 实名认证. */
export const RegisterPage = () => (
  <Login avatarIcon={<PersonAddIcon />}>
    <RegisterForm />
  </Login>
);
