import { useState, type FormEvent } from 'react';
import { Box, Button, CardContent, CircularProgress, TextField, Typography } from '@mui/material';
import LockIcon from '@mui/icons-material/Lock';
import { Login, useLogin, useNotify, useTranslate } from 'react-admin';
import { LocaleSwitcher } from './LocaleSwitcher';

const MOBILE_RE = /^1\d{10}$/;

const MobileLoginForm = ({ titleKey }: { titleKey: string }) => {
  const translate = useTranslate();
  const login = useLogin();
  const notify = useNotify();
  const [mobile, setMobile] = useState('');
  const [password, setPassword] = useState('');
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mobileInvalid = mobile.length > 0 && !MOBILE_RE.test(mobile.trim());

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!mobile.trim() || !password) {
      setError(translate('sf.auth.required'));
      return;
    }
    setLoading(true);
    setError(null);
    try {
      await login({ mobile: mobile.trim(), password });
    } catch (e) {
      const message = e instanceof Error && e.message ? e.message : 'ra.auth.sign_in_error';
      const text = translate(message, { _: message });
      setError(text);
      notify(text, { type: 'error' });
      setLoading(false);
    }
  };

  return (
    <CardContent component="form" onSubmit={submit} noValidate sx={{ width: { xs: '85vw', sm: 340 } }}>
      <Typography variant="h6" align="center" gutterBottom data-testid="login-title">
        {translate(titleKey)}
      </Typography>
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
      <Box sx={{ display: 'flex', justifyContent: 'center', mt: 2 }}>
        <LocaleSwitcher />
      </Box>
    </CardContent>
  );
};

/** Login page: 手机号 + 密码, for both apps (titleKey names the app). */
export const createMobileLoginPage = (titleKey: string) => {
  const MobileLoginPage = () => (
    <Login avatarIcon={<LockIcon />}>
      <MobileLoginForm titleKey={titleKey} />
    </Login>
  );
  return MobileLoginPage;
};
