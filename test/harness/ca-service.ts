/**
 * The CA order service for integration and e2e tests: the process the globalSetup starts once per
 * run (test/harness/global-setup.ts; test platforms already point at it). `CaStaff` does what the
 * CA's staff do on the staff pages, over HTTP (login with the staff password, the page's CSRF
 * token, the service's own Origin).
 */
import { inject } from 'vitest';

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

/** The run's CA order service (started by the globalSetup; `stop` leaves it running for other files). */
export async function startTestCaService(): Promise<TestCaService> {
  const url = inject('caServiceUrl');
  return {
    env: { CA_ORDER_SERVICE_URL: url, CA_SERVICE_API_KEY: inject('caServiceApiKey') },
    publicUrl: url,
    staff: new CaStaff(url, url, inject('caServiceStaffPassword')),
    stop: async () => undefined,
  };
}
