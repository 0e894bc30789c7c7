import { lazy } from 'react';
import { BrowserRouter, Route } from 'react-router-dom';
import { Admin, CustomRoutes, localStorageStore, Resource } from 'react-admin';
import { createAppTitle } from '../../ui-shared/src/components/AppLayout';
import { createMobileLoginPage } from '../../ui-shared/src/components/MobileLoginPage';
import { RegisterPage } from './account/RegisterPage';
import { authProvider } from './authProvider';
import { BOXES, ContractBoxList, ContractsHome } from './contracts';
import { dataProvider } from './dataProvider';
import { i18nProvider } from './i18nProvider';
import { PortalLayout } from './layout/PortalLayout';
import { theme } from './theme';

// Pages that are not the landing list load on demand.
const ContractShow = lazy(() => import('./contracts/show/ContractShow').then((m) => ({ default: m.ContractShow })));
const ContractCreate = lazy(() => import('./contracts/create/ContractCreate').then((m) => ({ default: m.ContractCreate })));
const VerifyPage = lazy(() => import('./verification/VerifyPage').then((m) => ({ default: m.VerifyPage })));
const ProfilePage = lazy(() => import('./account/ProfilePage').then((m) => ({ default: m.ProfilePage })));
const RealNamePage = lazy(() => import('./account/RealNamePage').then((m) => ({ default: m.RealNamePage })));
const MyEnterprisesPage = lazy(() => import('./enterprises/MyEnterprisesPage').then((m) => ({ default: m.MyEnterprisesPage })));

const LoginPage = createMobileLoginPage('portal.app_name', { registerPath: '/register' });
const store = localStorageStore('1', 'SealFlowPortal');
const title = createAppTitle('portal.app_name');

/**
 * Routes: /login, /register (public), /contracts/{todo,waiting,completed,voided}, /contracts/create,
 * /contracts/:id/show, /verify, 用户中心: /profile, /real-name, /my-enterprises[?tab=joined].
 */
export const App = () => (
  <BrowserRouter>
    <Admin
      disableTelemetry
      title={title}
      dataProvider={dataProvider}
      authProvider={authProvider}
      i18nProvider={i18nProvider}
      loginPage={LoginPage}
      layout={PortalLayout}
      store={store}
      theme={theme}
      requireAuth
    >
      <Resource name="contracts" list={ContractsHome} show={ContractShow} create={ContractCreate} recordRepresentation="title">
        {BOXES.map((box) => (
          <Route key={box} path={box} element={<ContractBoxList box={box} />} />
        ))}
      </Resource>
      <CustomRoutes>
        <Route path="/verify" element={<VerifyPage />} />
        <Route path="/profile" element={<ProfilePage />} />
        <Route path="/real-name" element={<RealNamePage />} />
        <Route path="/my-enterprises" element={<MyEnterprisesPage />} />
      </CustomRoutes>
      <CustomRoutes noLayout>
        <Route path="/register" element={<RegisterPage />} />
      </CustomRoutes>
    </Admin>
  </BrowserRouter>
);
