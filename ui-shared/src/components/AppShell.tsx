import { BrowserRouter } from 'react-router-dom';
import { Admin, localStorageStore, type AdminProps } from 'react-admin';
import { createAppTitle } from './AppLayout';
import { createMobileLoginPage, type LoginOptions } from './MobileLoginPage';

interface ShellOptions {
  /** Message key of the app's name (title bar, login page). */
  appNameKey: string;
  /** localStorage prefix of the react-admin store. */
  storeName: string;
  /** Path the app is served under, e.g. /admin. */
  basename?: string;
  login?: LoginOptions;
}

/**
 * The react-admin root both apps share: router, app title, mobile login page, a localStorage
 * store and requireAuth. The returned component takes the app's own providers, layout, theme
 * and resources.
 */
export function createAppShell({ appNameKey, storeName, basename, login }: ShellOptions) {
  const LoginPage = createMobileLoginPage(appNameKey, login);
  const store = localStorageStore('1', storeName);
  const title = createAppTitle(appNameKey);
  const AppShell = (props: AdminProps) => (
    <BrowserRouter basename={basename}>
      <Admin disableTelemetry title={title} loginPage={LoginPage} store={store} requireAuth {...props} />
    </BrowserRouter>
  );
  return AppShell;
}
