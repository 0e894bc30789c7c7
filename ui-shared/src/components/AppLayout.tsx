import type { ComponentType, ReactNode } from 'react';
import { AppBar, Layout, RefreshIconButton, TitlePortal, useTranslate } from 'react-admin';
import { Typography } from '@mui/material';
import { LocaleSwitcher } from './LocaleSwitcher';

/**
 * Builds the app's react-admin Layout: app name (translation key) + page title in the app bar,
 * the app's own toolbar items (identity), the 中文/EN switch, a refresh button, and the menu.
 */
export function createAppLayout(appNameKey: string, menu: ComponentType, options: { toolbar?: ComponentType } = {}) {
  const Extra = options.toolbar;
  const AppTitleBar = () => {
    const translate = useTranslate();
    return (
      <AppBar
        toolbar={
          <>
            {Extra && <Extra />}
            <LocaleSwitcher />
            <RefreshIconButton />
          </>
        }
      >
        <Typography
          variant="h6"
          component="span"
          data-testid="app-name"
          sx={{ mr: 2, display: { xs: 'none', md: 'block' }, whiteSpace: 'nowrap' }}
        >
          {translate(appNameKey)}
        </Typography>
        <TitlePortal variant="body1" sx={{ opacity: 0.85 }} />
      </AppBar>
    );
  };
  const AppLayout = ({ children }: { children: ReactNode }) => (
    // minWidth 0: wide tables scroll inside their cards instead of widening the page on phones.
    <Layout appBar={AppTitleBar} menu={menu} sx={{ minWidth: 0, '& .RaLayout-content': { minWidth: 0 } }}>
      {children}
    </Layout>
  );
  return AppLayout;
}
