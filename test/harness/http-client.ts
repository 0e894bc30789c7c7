let clientCounter = 0;

/**
 * A tiny cookie-keeping HTTP client for API tests: one instance per logged-in user. Each client
 * comes from its own address (X-Forwarded-For, trusted from loopback) so per-IP rate limits of
 * one test do not spill into another.
 */
export class ApiClient {
  private cookie = '';
  readonly ip: string;
  constructor(readonly baseUrl: string) {
    clientCounter++;
    this.ip = `10.${(process.pid >> 8) % 250}.${Math.floor(clientCounter / 250) % 250}.${clientCounter % 250}`;
  }

  async request(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<{ status: number; json: any; headers: Headers; bytes: Uint8Array }> {
    const isForm = body instanceof FormData;
    const res = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: { 'x-forwarded-for': this.ip, ...(this.cookie ? { cookie: this.cookie } : {}), ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}), ...extraHeaders },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = setCookie.split(';')[0]!;
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    let json: any = null;
    if ((res.headers.get('content-type') ?? '').includes('json') && text) json = JSON.parse(text);
    return { status: res.status, json, headers: res.headers, bytes };
  }

  get = (path: string) => this.request('GET', path);
  post = (path: string, body?: unknown) => this.request('POST', path, body);

  async login(mobile: string, password: string) {
    const r = await this.post('/auth/login', { mobile, password });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json.user as { id: string; name: string };
  }
}
