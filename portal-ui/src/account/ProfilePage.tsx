import type { ReactNode } from 'react';
import { Box, Card, CardContent, CardHeader, CircularProgress, Stack, Typography } from '@mui/material';
import { Title, useTranslate } from 'react-admin';
import { useMe } from '../../../ui-shared/src/auth/useMe';
import { StatusChip } from '../../../ui-shared/src/components/StatusChip';
import { EmailForm } from './EmailForm';
import { MobileForm } from './MobileForm';
import { PasswordForm } from './PasswordForm';

const Item = ({ label, children, testId }: { label: string; children: ReactNode; testId: string }) => (
  <Box sx={{ minWidth: 180 }}>
    <Typography variant="caption" color="text.secondary" component="div">
      {label}
    </Typography>
    <Typography variant="body1" component="div" data-testid={testId} sx={{ wordBreak: 'break-all' }}>
      {children}
    </Typography>
  </Box>
);

export const Section = ({ title, children, testId }: { title: string; children: ReactNode; testId: string }) => (
  <Card data-testid={testId}>
    <CardHeader title={title} slotProps={{ title: { variant: 'h6' } }} sx={{ pb: 0 }} />
    <CardContent>{children}</CardContent>
  </Card>
);

/** 个人信息: name, mobile, email, 实名状态; change email, mobile (two codes) and password. */
export const ProfilePage = () => {
  const translate = useTranslate();
  const { me, isPending } = useMe();
  const user = me?.user;
  return (
    <Stack spacing={2} sx={{ maxWidth: 820, mt: 1 }} data-testid="profile-page">
      <Title title={translate('portal.profile.title')} />
      <Section title={translate('portal.profile.basic')} testId="profile-basic">
        {isPending && !user ? (
          <CircularProgress size={24} />
        ) : user ? (
          <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 3 }}>
            <Item label={translate('portal.profile.name')} testId="profile-name">
              {user.name || '—'}
            </Item>
            <Item label={translate('sf.auth.mobile')} testId="profile-mobile">
              {user.mobile}
            </Item>
            <Item label={translate('portal.profile.email')} testId="profile-email">
              {user.email || translate('portal.profile.no_email')}
            </Item>
            <Item label={translate('portal.profile.real_name')} testId="profile-realname">
              <StatusChip kind="realName" status={user.realNameStatus} label={user.realNameLabel} labelEn={user.realNameLabelEn} testId="profile-realname-status" />
            </Item>
          </Stack>
        ) : null}
      </Section>
      <Section title={translate('portal.profile.change_email')} testId="profile-email-section">
        <EmailForm current={user?.email ?? ''} />
      </Section>
      <Section title={translate('portal.profile.change_mobile')} testId="profile-mobile-section">
        <MobileForm current={user?.mobile ?? ''} />
      </Section>
      <Section title={translate('portal.profile.change_password')} testId="profile-password-section">
        <PasswordForm mobile={user?.mobile} />
      </Section>
    </Stack>
  );
};
