/**
 * The CA order service (ca-service/, helper V's) for integration tests: its real HTTP app, started
 * in this test process on a free port with its own SQLite file, issuing with the platform CA of the
 * run's database. `CaStaff` does what the CA's staff do on the staff pages, over HTTP (login with
 * the staff password, the page's CSRF token, the service's own Origin).
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { inject } from 'vitest';
import { loadConfig } from '../../config';
import { createCaServiceApp } from '../../ca-service/http/app';
import { caServiceDatabaseFile, openCaServiceOrm } from '../../ca-service/persistence/orm';
import { createPlatformCa } from '../../ca-service/platform-ca';
import { freePort } from '../../scripts/lib/temporal-dev-server';

export const TEST_MASTER_KEY = 'test-master-key-0123456789';

export class CaStaff {
  private cookie = '';
  constructor(
    private readonly url: string,
    private readonly origin: string,
    private readonly password: string,
  ) {}

  private async send(method: string, p: string, form?: Record<string, string>) {
    const res = await fetch(`${this.url}${p}`, {
      method,
      redirect: 'manual',
      headers: { origin: this.origin, ...(this.cookie ? { cookie: this.cookie } : {}), ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: form ? new URLSearchParams(form).toString() : undefined,
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    return { status: res.status, text: await res.text() };
  }

  async login() {
    const r = await this.send('POST', '/staff/login', { password: this.password });
    if (r.status !== 303 || !this.cookie) throw new Error(`CA staff login failed: ${r.status}`);
  }

  /** 标记已支付 / 开始审核 / 审核通过（签发）/ 驳回, as on the order's staff page. Returns the HTTP status (303 = done). */
  async act(caOrderId: string, action: 'mark-paid' | 'start-audit' | 'approve' | 'reject', reason?: string): Promise<number> {
    if (!this.cookie) await this.login();
    const page = await this.send('GET', `/staff/orders/${encodeURIComponent(caOrderId)}`);
    const csrf = page.text.match(/name="_csrf" value="([^"]+)"/)?.[1];
    if (!csrf) throw new Error(`no CSRF token on the staff page of ${caOrderId} (${page.status})`);
    const r = await this.send('POST', `/staff/orders/${encodeURIComponent(caOrderId)}/${action}`, { _csrf: csrf, ...(reason ? { reason } : {}) });
    return r.status;
  }
}

export interface TestCaService {
  /** Environment for the platform (startTestPlatform overrides) so its adapter reaches this service. */
  env: Record<string, string>;
  publicUrl: string;
  staff: CaStaff;
  stop(): Promise<void>;
}

/**
 * The run's CA order service process when the globalSetup started one (test/harness/global-setup.ts
 * provides its URL, API key and staff password); otherwise the service's app in this process.
 */
export async function startTestCaService(): Promise<TestCaService> {
  const provided = (key: string) => (inject as unknown as (k: string) => string | undefined)(key);
  const processUrl = provided('caServiceUrl');
  if (processUrl) {
    return {
      env: { CA_ORDER_SERVICE_URL: processUrl, CA_SERVICE_API_KEY: provided('caServiceApiKey')! },
      publicUrl: processUrl,
      staff: new CaStaff(processUrl, processUrl, provided('caServiceStaffPassword')!),
      stop: async () => undefined,
    };
  }
  const port = await freePort();
  const config = loadConfig({
    DATABASE_URL: inject('databaseUrl'),
    DATA_DIR: path.join(inject('runDir'), `ca-${randomUUID()}`),
    MASTER_KEY: TEST_MASTER_KEY,
    CA_SERVICE_PORT: String(port),
  });
  fs.mkdirSync(config.caService.dataDir, { recursive: true });
  const orm = await openCaServiceOrm(caServiceDatabaseFile(config.caService.dataDir));
  const platformCa = createPlatformCa(config);
  const app = createCaServiceApp({
    orm,
    platformCa,
    settings: {
      publicUrl: config.caService.publicUrl,
      apiKey: config.caService.apiKey,
      staffPassword: config.caService.staffPassword,
      priceFen: config.caService.priceFen,
      cookieSecure: false,
      caName: config.caName,
      trustProxy: false,
    },
  });
  const server: Server = app.listen(port, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  return {
    env: { CA_SERVICE_PORT: String(port), CA_ORDER_SERVICE_URL: url },
    publicUrl: config.caService.publicUrl,
    staff: new CaStaff(url, config.caService.publicUrl, config.caService.staffPassword!),
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await platformCa.close();
      await orm.close();
    },
  };
}
