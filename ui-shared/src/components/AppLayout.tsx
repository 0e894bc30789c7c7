import type { ComponentType, ReactNode } from 'react';
import { AppBar, Layout, RefreshIconButton, TitlePortal, useTranslate } from 'react-admin';
import { Box, Typography } from '@mui/material';
import { useIdentitySync } from '../auth/useMe';
import { UnsavedEditsPrompt } from './LeaveGuard';
import { LocaleSwitcher } from './LocaleSwitcher';

/** Keeps the cached identity in step with the API (see useIdentitySync); renders nothing. */
const IdentitySync = () => {
  useIdentitySync();
  return null;
};

/**
 * The app name in the UI locale, for <Admin title>: react-admin shows it on pages without a
 * title of their own (not found, errors), where a plain string would not be translated.
 */
export const createAppTitle = (appNameKey: string) => {
  const AppTitle = () => {
    const translate = useTranslate();
    return <>{translate(appNameKey)}</>;
  };
  return <AppTitle />;
};

/**
 * Builds the app's react-admin Layout: app name (translation key) + page title in the app bar,
 * the app's own toolbar items (identity), the 中文/EN switch, a refresh button, and the menu; the one prompt that
 * holds a navigation away from unsaved edits (UnsavedEditsPrompt).
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
            {/* Phones: no room for it next to the identity and the language switch. */}
            <Box sx={{ display: { xs: 'none', sm: 'contents' } }}>
              <RefreshIconButton />
            </Box>
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
        {/* The page title's wrapper is an inline-block: without this a long title is cut mid-word, with no "…". */}
        <TitlePortal variant="body1" sx={{ opacity: 0.85, minWidth: 0, '& > span': { display: 'block', overflow: 'hidden', textOverflow: 'ellipsis' } }} />
      </AppBar>
    );
  };
  const AppLayout = ({ children }: { children: ReactNode }) => (
    // minWidth 0: wide tables scroll inside their cards instead of widening the page (phones, and
    // list tables a little wider than the content area, e.g. 审计日志 in English).
    <Layout
      appBar={AppTitleBar}
      menu={menu}
      sx={{ minWidth: 0, '& .RaLayout-content': { minWidth: 0 }, '& .RaList-main': { minWidth: 0 }, '& .RaDataTable-tableWrapper': { overflowX: 'auto' } }}
    >
      <IdentitySync />
      <UnsavedEditsPrompt />
      {children}
    </Layout>
  );
  return AppLayout;
}
