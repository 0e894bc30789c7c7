import { BrowserRouter, Route } from 'react-router-dom';
import { Admin, CustomRoutes, localStorageStore, Resource } from 'react-admin';
import { createAppTitle } from '../../ui-shared/src/components/AppLayout';
import { createMobileLoginPage } from '../../ui-shared/src/components/MobileLoginPage';
import type { Permissions } from '../../ui-shared/src/types';
import { audiencesOf } from './access';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import { i18nProvider } from './i18nProvider';
import { AdminLayout } from './layout/AdminLayout';
import { ConsoleCatchAll, ConsoleHome } from './layout/ConsoleHome';
import { PAGES, RESOURCES } from './resources';
import { theme } from './theme';

const LoginPage = createMobileLoginPage('admin.app_name');
const store = localStorageStore('1', 'SealFlowAdmin');
const title = createAppTitle('admin.app_name');

/**
 * Served under /admin/: /admin/login, /admin/<resource>[/:id[/show]], /admin/<page>.
 * Resources and pages depend on who is logged in (access.ts): platform operators, and the
 * 管理员 / 印章管理员 of the enterprise the session acts for; / routes to the right start page.
 */
export const App = () => (
  <BrowserRouter basename="/admin">
    <Admin
      disableTelemetry
      title={title}
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      loginPage={LoginPage}
      layout={AdminLayout}
      dashboard={ConsoleHome}
      catchAll={ConsoleCatchAll}
      store={store}
      theme={theme}
      requireAuth
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
    </Admin>
  </BrowserRouter>
);
