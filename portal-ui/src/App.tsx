import { lazy, Suspense } from 'react';
import { Route } from 'react-router-dom';
import { CustomRoutes, Resource } from 'react-admin';
import { createAppShell } from '../../ui-shared/src/components/AppShell';
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
const TemplateStart = lazy(() => import('./templates/start/TemplateStart').then((m) => ({ default: m.TemplateStart })));
const TemplateListPage = lazy(() => import('./templates/manage/TemplateListPage').then((m) => ({ default: m.TemplateListPage })));
const TemplateEditPage = lazy(() => import('./templates/manage/TemplateEditPage').then((m) => ({ default: m.TemplateEditPage })));
const TemplateFieldsPage = lazy(() => import('./templates/library/TemplateFieldsPage').then((m) => ({ default: m.TemplateFieldsPage })));
const VerifyPage = lazy(() => import('./verification/VerifyPage').then((m) => ({ default: m.VerifyPage })));
const ProfilePage = lazy(() => import('./account/ProfilePage').then((m) => ({ default: m.ProfilePage })));
const RealNamePage = lazy(() => import('./account/RealNamePage').then((m) => ({ default: m.RealNamePage })));
const SignaturesPage = lazy(() => import('./signatures/SignaturesPage').then((m) => ({ default: m.SignaturesPage })));
const CapturePage = lazy(() => import('./signatures/CapturePage').then((m) => ({ default: m.CapturePage })));
const MyEnterprisesPage = lazy(() => import('./enterprises/MyEnterprisesPage').then((m) => ({ default: m.MyEnterprisesPage })));

const AppShell = createAppShell({ appNameKey: 'portal.app_name', storeName: 'SealFlowPortal', login: { registerPath: '/register' } });

/**
 * Routes: /login, /register (public), /contracts/{todo,waiting,completed,voided}, /contracts/create,
 * /contracts/:id/show, /contracts/from-template[?template=id] (从模板发起), /verify, 用户中心: /profile, /real-name, /my-enterprises[?tab=joined], /signatures
 * (个人签章), 模板管理: /templates, /templates/:id, /template-fields; /capture/:token: the phone page of a handwritten signature (no login, no layout).
 */
export const App = () => (
  <AppShell dataProvider={dataProvider} authProvider={authProvider} i18nProvider={i18nProvider} layout={PortalLayout} theme={theme}>
    <Resource name="contracts" list={ContractsHome} show={ContractShow} create={ContractCreate} recordRepresentation="title">
      {BOXES.map((box) => (
        <Route key={box} path={box} element={<ContractBoxList box={box} />} />
      ))}
    </Resource>
    <CustomRoutes>
      <Route path="/contracts/from-template" element={<TemplateStart />} />
      <Route path="/templates" element={<TemplateListPage />} />
      <Route path="/templates/:id" element={<TemplateEditPage />} />
      <Route path="/template-fields" element={<TemplateFieldsPage />} />
      <Route path="/verify" element={<VerifyPage />} />
      <Route path="/profile" element={<ProfilePage />} />
      <Route path="/real-name" element={<RealNamePage />} />
      <Route path="/my-enterprises" element={<MyEnterprisesPage />} />
      <Route path="/signatures" element={<SignaturesPage />} />
    </CustomRoutes>
    <CustomRoutes noLayout>
      <Route path="/register" element={<RegisterPage />} />
      <Route path="/capture/:token" element={<Suspense fallback={null}><CapturePage /></Suspense>} />
    </CustomRoutes>
  </AppShell>
);
