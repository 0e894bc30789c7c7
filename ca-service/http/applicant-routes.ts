import { Router } from 'express';
import { formatYuan, NEXT_STEP, STATUS_LABELS } from '../orders/order-status';
import { orderForAccessToken } from '../orders/orders';
import type { CaServiceDeps } from './app';
import { bilingual, html, page } from './html';

/**
 * The applicant's page for one order, `/orders/<id>?t=<token>` (继续认证 on the platform opens a
 * fresh link): status, amount and what to do next. No login; the random token is the key.
 */
export function applicantRoutes(deps: CaServiceDeps): Router {
  const router = Router();
  router.get('/orders/:id', async (req, res) => {
    const token = typeof req.query.t === 'string' ? req.query.t : '';
    const o = await orderForAccessToken(deps.orm.em.fork(), req.params.id, token);
    res.setHeader('Cache-Control', 'no-store');
    if (!o) {
      return res
        .status(404)
        .type('html')
        .send(page({ zh: '链接无效或已过期', en: 'Link invalid or expired' }, html`<div class="card"><p>请回到平台的证书订单，点击「继续认证」获取新链接。</p><p><small class="en">Go back to the certificate order on the platform and click 继续认证 (continue) for a new link.</small></p></div>`).value);
    }
    const label = STATUS_LABELS[o.status];
    const next = NEXT_STEP[o.status];
    const field = (zh: string, en: string, value: unknown) => html`<dt>${bilingual(zh, en)}</dt><dd>${value}</dd>`;
    res.type('html').send(
      page(
        { zh: '证书订单', en: 'Certificate order' },
        html`<div class="card"><dl>
${field('订单号', 'Order', o.id)}${field('企业名称', 'Enterprise', o.enterpriseName)}${field('印章', 'Seal', o.sealName)}
${field('订单状态', 'Status', html`<span class="status status-${o.status}" data-status="${o.status}">${label.zh}<small class="en">${label.en}</small></span>`)}
${field('金额', 'Amount', formatYuan(o.amountFen))}
${o.rejectReason ? field('驳回原因', 'Reason', o.rejectReason) : ''}
</dl></div>
<div class="card"><h2>${bilingual('下一步', 'Next step')}</h2><p>${next.zh}</p><p><small class="en">${next.en}</small></p></div>`,
      ).value,
    );
  });
  return router;
}
