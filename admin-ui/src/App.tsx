import { Route } from 'react-router-dom';
import { CustomRoutes, Resource } from 'react-admin';
import { createAppShell } from '../../ui-shared/src/components/AppShell';
import type { Permissions } from '../../ui-shared/src/types';
import { audiencesOf } from './access';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import { i18nProvider } from './i18nProvider';
import { AdminLayout } from './layout/AdminLayout';
import { ConsoleCatchAll, ConsoleHome } from './layout/ConsoleHome';
import { PAGES, RESOURCES } from './resources';
import { theme } from './theme';

const AppShell = createAppShell({ appNameKey: 'admin.app_name', storeName: 'SealFlowAdmin', basename: '/admin' });

/**
 * Served under /admin/: /admin/login, /admin/<resource>[/:id[/show]], /admin/<page>.
 * Resources and pages depend on who is logged in (access.ts): platform operators, and the
 * 管理员 / 印章管理员 of the enterprise the session acts for; / routes to the right start page.
 */
export const App = () => (
  <AppShell
    dataProvider={dataProvider}
    authProvider={authProvider}
    i18nProvider={i18nProvider}
    layout={AdminLayout}
    dashboard={ConsoleHome}
    catchAll={ConsoleCatchAll}
    theme={theme}
  >
    {(permissions: Permissions | null) => {
      const audiences = audiencesOf(permissions);
      return (
        <>
          {RESOURCES.filter((r) => audiences.has(r.access)).map((r) => (
            <Resource
              key={r.name}
              name={r.name}
              icon={r.icon}
              list={r.list}
              show={r.show}
              edit={r.edit}
              create={r.create}
              recordRepresentation={r.recordRepresentation}
            />
          ))}
          <CustomRoutes>
            {PAGES.filter((p) => audiences.has(p.access) || (p.keepRoute && permissions)).map((p) => (
              <Route key={p.name} path={`/${p.name}`} element={<p.element />} />
            ))}
          </CustomRoutes>
        </>
      );
    }}
  </AppShell>
);
