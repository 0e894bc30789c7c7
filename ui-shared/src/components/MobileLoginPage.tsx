import { useState, type FormEvent } from 'react';
import { Box, Button, CardContent, CircularProgress, Link, Stack, Tab, Tabs, TextField, Typography } from '@mui/material';
import LockIcon from '@mui/icons-material/Lock';
import { Link as RouterLink } from 'react-router-dom';
import { Login, useLogin, useNotify, useTranslate } from 'react-admin';
import { apiFetch } from '../api/apiFetch';
import type { LoginParams } from '../auth/createAuthProvider';
import { LocaleSwitcher } from './LocaleSwitcher';
import { SmsCodeButton } from './SmsCodeButton';

const MOBILE_RE = /^1\d{10}$/;

type Method = 'password' | 'sms';

export interface LoginOptions {
  /** Shows a 注册 link to this route (the portal). */
  registerPath?: string;
}

const MobileLoginForm = ({ titleKey, registerPath }: { titleKey: string } & LoginOptions) => {
  const translate = useTranslate();
  const login = useLogin();
  const notify = useNotify();
  const [method, setMethod] = useState<Method>('password');
  const [mobile, setMobile] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mobileInvalid = mobile.length > 0 && !MOBILE_RE.test(mobile.trim());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const secret = method === 'password' ? password : code.trim();
    if (!mobile.trim() || !secret) {
      setError(translate(method === 'password' ? 'sf.auth.required' : 'sf.auth.sms_required'));
      return;
    }
    setLoading(true);
    setError(null);
    const params: LoginParams = method === 'password' ? { mobile: mobile.trim(), password } : { mobile: mobile.trim(), code: code.trim() };
    try {
      await login(params);
    } catch (e) {
      // API errors (wrong password, 账号已锁定 …, 验证码错误) arrive localized.
      const message = e instanceof Error && e.message ? e.message : 'ra.auth.sign_in_error';
      const text = translate(message, { _: message });
      setError(text);
      notify(text, { type: 'error' });
      setLoading(false);
    }
  };

  const requestCode = () => {
    if (!MOBILE_RE.test(mobile.trim())) return Promise.reject(new Error(translate('sf.auth.mobile_invalid')));
    return apiFetch('/api/auth/login/code', { body: { mobile: mobile.trim() } });
  };

  return (
    <CardContent component="form" onSubmit={submit} noValidate sx={{ width: { xs: '85vw', sm: 360 } }}>
      <Typography variant="h6" align="center" gutterBottom data-testid="login-title">
        {translate(titleKey)}
      </Typography>
      <Tabs
        value={method}
        onChange={(_, value: Method) => {
          setMethod(value);
          setError(null);
        }}
        variant="fullWidth"
        sx={{ mb: 1 }}
      >
        <Tab value="password" label={translate('sf.auth.tab_password')} data-testid="login-tab-password" />
        <Tab value="sms" label={translate('sf.auth.tab_sms')} data-testid="login-tab-sms" />
      </Tabs>
      <TextField
        label={translate('sf.auth.mobile')}
        name="mobile"
        autoComplete="username"
        inputMode="tel"
        autoFocus
        fullWidth
        margin="dense"
        value={mobile}
        onChange={(e) => setMobile(e.target.value)}
        error={mobileInvalid}
        helperText={mobileInvalid ? translate('sf.auth.mobile_invalid') : ' '}
        slotProps={{ htmlInput: { 'data-testid': 'login-mobile', maxLength: 11 } }}
      />
      {method === 'password' ? (
        <TextField
          label={translate('sf.auth.password')}
          name="password"
          type="password"
          autoComplete="current-password"
          fullWidth
          margin="dense"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          slotProps={{ htmlInput: { 'data-testid': 'login-password' } }}
        />
      ) : (
        <Stack direction="row" spacing={1} sx={{ alignItems: 'flex-start', mt: 1 }}>
          <TextField
            label={translate('sf.auth.sms_code')}
            name="code"
            autoComplete="one-time-code"
            size="small"
            sx={{ flex: 1 }}
            value={code}
            onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            slotProps={{ htmlInput: { 'data-testid': 'login-sms-code', inputMode: 'numeric', maxLength: 6 } }}
          />
          <SmsCodeButton request={requestCode} onError={setError} disabled={loading} testId="login-sms-send" />
        </Stack>
      )}
      {error && (
        <Typography color="error" variant="body2" sx={{ mt: 1 }} data-testid="login-error" role="alert">
          {error}
        </Typography>
      )}
      <Button
        type="submit"
        variant="contained"
        fullWidth
        disabled={loading}
        sx={{ mt: 2 }}
        data-testid="login-submit"
        startIcon={loading ? <CircularProgress size={18} color="inherit" /> : undefined}
      >
        {translate('ra.auth.sign_in')}
      </Button>
      {registerPath && (
        <Typography variant="body2" align="center" sx={{ mt: 2 }}>
          {translate('sf.auth.no_account')}{' '}
          <Link component={RouterLink} to={registerPath} data-testid="login-register-link">
            {translate('sf.auth.register')}
          </Link>
        </Typography>
      )}
      <Box sx={{ display: 'flex', justifyContent: 'center', mt: 2 }}>
        <LocaleSwitcher />
      </Box>
    </CardContent>
  );
};

/** Login page for both apps (titleKey names the app): 密码登录 or 短信验证码登录. */
export const createMobileLoginPage = (titleKey: string, options: LoginOptions = {}) => {
  const MobileLoginPage = () => (
    <Login avatarIcon={<LockIcon />}>
      <MobileLoginForm titleKey={titleKey} {...options} />
    </Login>
  );
  return MobileLoginPage;
};
