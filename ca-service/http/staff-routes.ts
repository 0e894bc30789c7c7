import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { CaOrderStatus } from '../../integrations/ca-orders/ca-order-gateway';
import { CaServiceError } from '../errors';
import { ACTION_LABELS, ALL_STATUSES, formatYuan, STATUS_LABELS } from '../orders/order-status';
import { approveOrder, findOrder, listOrders, orderEvents, PAGE_SIZE, rejectOrder, staffStep } from '../orders/orders';
import { CaRevocationSchema, type CaOrderRow, type CaStaffSessionRow } from '../persistence/entities';
import type { CaServiceDeps } from './app';
import { bilingual, html, page, type Html } from './html';
import { closeStaffSession, createLoginThrottle, fromOwnOrigin, openStaffSession, secretsEqual, STAFF_COOKIE, STAFF_COOKIE_PATH, staffSession } from './staff-session';

/**
 * The CA staff's pages (server-rendered, zh-CN with English subtitles):
 *   GET  /staff/login, POST /staff/login, POST /staff/logout
 *   GET  /staff/orders?status=&q=&page=          order list with filters
 *   GET  /staff/orders/:id                        order detail, event log, actions
 *   POST /staff/orders/:id/{mark-paid,start-audit,approve,reject}
 * POSTs need the session cookie, the page's CSRF token and an Origin (or Referer) of this service.
 */

type Locals = { session: CaStaffSessionRow; token: string };

const fmtTime = (d: Date | null) => (d ? d.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false }) : '—');
const statusBadge = (s: CaOrderStatus) => html`<span class="status status-${s}">${STATUS_LABELS[s].zh}<small class="en">${STATUS_LABELS[s].en}</small></span>`;
const KIND = { new: { zh: '新申请', en: 'New' }, renewal: { zh: '续期', en: 'Renewal' } } as const;

const DONE: Record<string, { zh: string; en: string }> = {
  'mark-paid': { zh: '已标记为已支付', en: 'Marked as paid' },
  'start-audit': { zh: '已开始审核', en: 'Audit started' },
  approve: { zh: '审核通过，证书已签发', en: 'Approved; the certificate has been issued' },
  reject: { zh: '已驳回', en: 'Rejected' },
};

function cookieOf(req: Request): string | undefined {
  const cookies = (req as Request & { cookies?: Record<string, string> }).cookies;
  return cookies?.[STAFF_COOKIE];
}

function flash(kind: 'ok' | 'error', zh: string, en: string): Html {
  return html`<div class="flash ${kind === 'error' ? 'error' : ''}" role="${kind === 'error' ? 'alert' : 'status'}">${zh}<small class="en">${en}</small></div>`;
}

function staffHeader(csrf: string): Html {
  return html`<form class="inline" method="post" action="/staff/logout"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit">退出登录 · Log out</button></form>`;
}

function loginPage(error: Html | null = null): Html {
  return page(
    { zh: 'CA 工作人员登录', en: 'CA staff sign-in' },
    html`<div class="card">${error}
<form method="post" action="/staff/login">
<p><label>${bilingual('工作人员密码', 'Staff password')}<input type="password" name="password" autocomplete="current-password" required autofocus></label></p>
<p><button type="submit">登录 · Sign in</button></p></form></div>`,
  );
}

function listPage(session: CaStaffSessionRow, result: { orders: CaOrderRow[]; total: number }, filter: { status?: string; q?: string; page: number }): Html {
  const options = ALL_STATUSES.map((s) => html`<option value="${s}" ${filter.status === s ? html`selected` : ''}>${STATUS_LABELS[s].zh} · ${STATUS_LABELS[s].en}</option>`);
  const rows = result.orders.map(
    (o) => html`<tr>
<td><a href="/staff/orders/${o.id}">${o.id.slice(0, 8)}</a></td><td>${o.enterpriseName}<small class="en">${o.uscc}</small></td>
<td>${o.sealName}</td><td>${KIND[o.kind].zh}</td><td>${formatYuan(o.amountFen)}</td><td>${statusBadge(o.status)}</td>
<td>${fmtTime(o.createdAt)}</td><td>${fmtTime(o.paidAt)}</td><td>${fmtTime(o.issuedAt)}</td></tr>`,
  );
  const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
  const link = (p: number) => `/staff/orders?${new URLSearchParams({ ...(filter.status ? { status: filter.status } : {}), ...(filter.q ? { q: filter.q } : {}), page: String(p) })}`;
  return page(
    { zh: '证书订单', en: 'Certificate orders' },
    html`<div class="card"><form method="get" action="/staff/orders">
<label>状态 Status <select name="status"><option value="">全部 · All</option>${options}</select></label>
<label>搜索 Search <input type="text" name="q" value="${filter.q ?? ''}" placeholder="企业名称 / 统一社会信用代码 / 订单号"></label>
<button type="submit">筛选 · Filter</button></form></div>
<div class="card"><p>共 ${result.total} 个订单 · ${result.total} orders</p>
<table><thead><tr><th>${bilingual('订单号', 'Order')}</th><th>${bilingual('企业', 'Enterprise')}</th><th>${bilingual('印章', 'Seal')}</th><th>${bilingual('类型', 'Kind')}</th>
<th>${bilingual('金额', 'Amount')}</th><th>${bilingual('状态', 'Status')}</th><th>${bilingual('创建时间', 'Created')}</th><th>${bilingual('支付时间', 'Paid')}</th><th>${bilingual('签发时间', 'Issued')}</th></tr></thead>
<tbody>${rows.length ? rows : html`<tr><td colspan="9">暂无订单 · No orders</td></tr>`}</tbody></table>
<p>${filter.page > 1 ? html`<a href="${link(filter.page - 1)}">上一页 · Previous</a> ` : ''}第 ${filter.page} / ${pages} 页${filter.page < pages ? html` <a href="${link(filter.page + 1)}">下一页 · Next</a>` : ''}</p></div>`,
    staffHeader(session.csrfToken),
  );
}

function actions(o: CaOrderRow, csrf: string): Html {
  const button = (action: string, zh: string, en: string) =>
    html`<form class="inline" method="post" action="/staff/orders/${o.id}/${action}"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" name="action" value="${action}">${zh} · ${en}</button></form>`;
  switch (o.status) {
    case 'pending_payment':
      return button('mark-paid', '标记已支付', 'Mark as paid');
    case 'paid':
      return button('start-audit', '开始审核', 'Start audit');
    case 'auditing':
      return html`${button('approve', '审核通过并签发', 'Approve and issue')}
<form class="inline" method="post" action="/staff/orders/${o.id}/reject"><input type="hidden" name="_csrf" value="${csrf}">
<label>驳回原因 · Reason <input type="text" name="reason" maxlength="200" required></label> <button type="submit">驳回 · Reject</button></form>`;
    default:
      return html`<p>订单已结束，无可执行操作 · The order has ended; no actions.</p>`;
  }
}

async function detailPage(deps: CaServiceDeps, session: CaStaffSessionRow, id: string, message: Html | null): Promise<Html> {
  const em = deps.orm.em.fork();
  const o = await findOrder(em, id);
  const events = await orderEvents(em, id);
  const revocation = o.serialNumber ? await em.findOne(CaRevocationSchema, { serialNumber: o.serialNumber }) : null;
  const field = (zh: string, en: string, value: unknown) => html`<dt>${bilingual(zh, en)}</dt><dd>${value}</dd>`;
  const eventRows = events.map(
    (e) => html`<tr><td>${fmtTime(e.at)}</td><td>${ACTION_LABELS[e.action].zh}<small class="en">${ACTION_LABELS[e.action].en}</small></td><td>${e.fromStatus ? STATUS_LABELS[e.fromStatus].zh : '—'} → ${STATUS_LABELS[e.toStatus].zh}</td><td>${e.actor === 'staff' ? 'CA 工作人员' : '平台'}<small class="en">${e.actor === 'staff' ? 'CA staff' : 'Platform'}</small></td><td>${e.note ?? ''}</td></tr>`,
  );
  return page(
    { zh: '订单详情', en: 'Order detail' },
    html`${message}<p><a href="/staff/orders">← 返回订单列表 · Back to orders</a></p>
<div class="card"><dl>
${field('订单号', 'Order id', o.id)}${field('平台订单号', 'Platform order', o.platformOrderId)}${field('类型', 'Kind', `${KIND[o.kind].zh} · ${KIND[o.kind].en}`)}
${field('企业名称', 'Enterprise', o.enterpriseName)}${field('统一社会信用代码', 'USCC', o.uscc)}${field('印章', 'Seal', html`${o.sealName}<small class="en">${o.sealId}</small>`)}
${field('证书有效期', 'Validity', `${o.validityDays} 天 · days`)}${field('金额', 'Amount', formatYuan(o.amountFen))}${field('状态', 'Status', statusBadge(o.status))}
${field('创建时间', 'Created', fmtTime(o.createdAt))}${field('支付时间', 'Paid', fmtTime(o.paidAt))}${field('审核开始', 'Audit started', fmtTime(o.auditedAt))}
${field('签发时间', 'Issued', fmtTime(o.issuedAt))}
${o.rejectedAt ? field('驳回', 'Rejected', html`${fmtTime(o.rejectedAt)}：${o.rejectReason}`) : ''}
${o.cancelledAt ? field('撤销', 'Cancelled', html`${fmtTime(o.cancelledAt)} ${o.cancelReason ?? ''}`) : ''}
${o.serialNumber ? field('证书序列号', 'Serial number', o.serialNumber) : ''}
${revocation ? field('已吊销', 'Revoked', html`${fmtTime(revocation.revokedAt)}：${revocation.reason}`) : ''}
</dl>${o.certificatePem ? html`<details><summary>证书 PEM · Certificate</summary><pre>${o.certificatePem}</pre></details>` : ''}</div>
<div class="card"><h2>${bilingual('操作', 'Actions')}</h2>${actions(o, session.csrfToken)}</div>
<div class="card"><h2>${bilingual('订单日志', 'Event log')}</h2><table><thead><tr><th>时间 Time</th><th>事件 Event</th><th>状态 Status</th><th>操作人 Actor</th><th>备注 Note</th></tr></thead><tbody>${eventRows}</tbody></table></div>`,
    staffHeader(session.csrfToken),
  );
}

export function staffRoutes(deps: CaServiceDeps): Router {
  const { orm, settings } = deps;
  const em = () => orm.em.fork();
  const throttle = createLoginThrottle(em);
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 20 }));

  // Every POST (login included: no login CSRF) must come from this service's own pages.
  router.use((req, _res, next) => {
    if (req.method === 'POST' && !fromOwnOrigin(req, settings.publicUrl)) {
      return next(new CaServiceError(403, 'CROSS_SITE_REQUEST', '请求来源不是本站页面，已拒绝', 'The request did not come from this site; refused'));
    }
    next();
  });

  router.get('/', (_req, res) => res.redirect(303, '/staff/orders'));

  router.get('/login', async (req, res) => {
    if (await staffSession(em(), cookieOf(req), settings.staffPassword)) return res.redirect(303, '/staff/orders');
    res.type('html').send(loginPage().value);
  });

  router.post('/login', async (req, res) => {
    const ip = req.ip ?? 'unknown';
    if (await throttle.blocked(ip)) {
      return res.status(429).type('html').send(loginPage(flash('error', '登录失败次数过多，请 15 分钟后再试', 'Too many failed attempts; try again in 15 minutes')).value);
    }
    const password = typeof req.body?.password === 'string' ? req.body.password : '';
    if (!settings.staffPassword || !secretsEqual(password, settings.staffPassword)) {
      await throttle.failed(ip);
      return res.status(401).type('html').send(loginPage(flash('error', '密码错误', 'Wrong password')).value);
    }
    await throttle.succeeded(ip);
    const { token, expiresAt } = await openStaffSession(em(), settings.staffPassword);
    res.cookie(STAFF_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: settings.cookieSecure, path: STAFF_COOKIE_PATH, expires: expiresAt });
    res.redirect(303, '/staff/orders');
  });

  // Everything below needs a staff session; POSTs also the session's CSRF token.
  router.use(async (req: Request, res: Response, next: NextFunction) => {
    const token = cookieOf(req);
    const session = await staffSession(em(), token, settings.staffPassword);
    if (!session) {
      if (req.method === 'GET') return res.redirect(303, '/staff/login');
      return next(new CaServiceError(401, 'STAFF_LOGIN_REQUIRED', '请先登录', 'Please sign in first'));
    }
    if (req.method === 'POST') {
      const csrf = typeof req.body?._csrf === 'string' ? req.body._csrf : '';
      if (!secretsEqual(csrf, session.csrfToken)) return next(new CaServiceError(403, 'CSRF_TOKEN_INVALID', '页面已过期，请刷新后重试', 'The page has expired; reload and try again'));
    }
    (res.locals as Locals).session = session;
    (res.locals as Locals).token = token!;
    next();
  });

  router.post('/logout', async (_req, res) => {
    await closeStaffSession(em(), (res.locals as Locals).token, settings.staffPassword);
    res.clearCookie(STAFF_COOKIE, { path: STAFF_COOKIE_PATH });
    res.redirect(303, '/staff/login');
  });

  router.get('/orders', async (req, res) => {
    const status = typeof req.query.status === 'string' && ALL_STATUSES.includes(req.query.status as CaOrderStatus) ? (req.query.status as CaOrderStatus) : undefined;
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : undefined;
    const pageNo = Math.max(1, Number.parseInt(String(req.query.page ?? '1'), 10) || 1);
    const result = await listOrders(em(), { status, q, page: pageNo });
    res.type('html').send(listPage((res.locals as Locals).session, result, { status, q, page: pageNo }).value);
  });

  router.get('/orders/:id', async (req, res) => {
    const done = typeof req.query.done === 'string' ? DONE[req.query.done] : undefined;
    res.type('html').send((await detailPage(deps, (res.locals as Locals).session, req.params.id, done ? flash('ok', done.zh, done.en) : null)).value);
  });

  const act = (action: keyof typeof DONE, run: (id: string, req: Request) => Promise<unknown>) =>
    router.post(`/orders/:id/${action}`, async (req, res) => {
      const id = req.params.id as string;
      try {
        await run(id, req);
      } catch (err) {
        if (!(err instanceof CaServiceError) || err.status === 404) throw err;
        // A refusal (e.g. another staff member acted first): show the order with the reason.
        return res.status(err.status).type('html').send((await detailPage(deps, (res.locals as Locals).session, id, flash('error', err.messageZh, err.messageEn))).value);
      }
      res.redirect(303, `/staff/orders/${encodeURIComponent(id)}?done=${action}`);
    });
  act('mark-paid', (id) => staffStep(em(), id, 'mark_paid'));
  act('start-audit', (id) => staffStep(em(), id, 'start_audit'));
  act('approve', (id) => approveOrder(em(), id, deps.platformCa));
  act('reject', (id, req) => rejectOrder(em(), id, typeof req.body?.reason === 'string' ? req.body.reason : ''));

  return router;
}

