import { createContext, useContext, useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router-dom';
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

/** The AppShell's props, read by the router's one route (the router is created once; the props may change). */
const AdminPropsContext = createContext<AdminProps>({});

/**
 * The react-admin root both apps share: router, app title, mobile login page, a localStorage
 * store and requireAuth. The returned component takes the app's own providers, layout, theme
 * and resources.
 *
 * The router is a data router (createBrowserRouter, one catch-all route holding react-admin, as
 * react-admin's own default router does with hash URLs): only a data router can block an in-app
 * navigation, which pages with unsaved edits do (LeaveGuard, UnsavedEditsPrompt).
 */
export function createAppShell({ appNameKey, storeName, basename, login }: ShellOptions) {
  const LoginPage = createMobileLoginPage(appNameKey, login);
  const store = localStorageStore('1', storeName);
  const title = createAppTitle(appNameKey);
  const ShellAdmin = () => <Admin disableTelemetry title={title} loginPage={LoginPage} store={store} requireAuth {...useContext(AdminPropsContext)} />;
  const AppShell = (props: AdminProps) => {
    const [router] = useState(() => createBrowserRouter([{ path: '*', element: <ShellAdmin /> }], { basename }));
    return (
      <AdminPropsContext.Provider value={props}>
        <RouterProvider router={router} />
      </AdminPropsContext.Provider>
    );
  };
  return AppShell;
}
