import { BrowserRouter } from 'react-router-dom';
import { Admin, localStorageStore, Resource } from 'react-admin';
import { createMobileLoginPage } from '../../ui-shared/src/components/MobileLoginPage';
import { authProvider } from './authProvider';
import { dataProvider } from './dataProvider';
import { i18nProvider } from './i18nProvider';
import { AdminLayout } from './layout/AdminLayout';
import { RESOURCES } from './resources';
import { theme } from './theme';

const LoginPage = createMobileLoginPage('admin.app_name');
const store = localStorageStore('1', 'SealFlowAdmin');

/** Served under /admin/: /admin/login, /admin/<resource>[/:id/show]. */
export const App = () => (
  <BrowserRouter basename="/admin">
    <Admin
      disableTelemetry
      title="SealFlow 管理后台"
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      loginPage={LoginPage}
      layout={AdminLayout}
      store={store}
      theme={theme}
      requireAuth
    >
      {RESOURCES.map((r) => (
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
    </Admin>
  </BrowserRouter>
);
