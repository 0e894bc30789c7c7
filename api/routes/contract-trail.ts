import { z } from 'zod';
import { loadContractForViewer } from '../../domain/contracts/contract-access';
import { ContractEventSchema } from '../../domain/contracts/trail/contract-event.entity';
import { trailCheckView, trailEntryView, type TrailPageView } from '../../domain/contracts/trail/trail-view';
import { verifyContractTrail } from '../../domain/contracts/trail/verify-contract-trail';
import { invalid } from '../../domain/errors';
import type { ApiDeps } from '../deps';
import { route, type AuthedContext, type RouteDef } from '../http/route';

const idParam = (ctx: AuthedContext) => String(ctx.req.params.id);
/** Initiator, participants, CC, and members acting as a participant or the initiating enterprise (切换至企业). */
const load = (ctx: AuthedContext) => loadContractForViewer(ctx.em, idParam(ctx), { userId: ctx.user.id, actingEnterpriseId: ctx.acting?.enterprise.id ?? null });

/** Events per page of GET /contracts/:id/trail (the default and the most a page holds). */
export const TRAIL_PAGE_LIMIT = 200;

const pageQuery = z.object({
  /** The seq the previous page ended at (its `nextAfter`); none: from the first event. */
  after: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(0),
  limit: z.coerce.number().int().min(1).max(TRAIL_PAGE_LIMIT).default(TRAIL_PAGE_LIMIT),
});

/** 签署轨迹 (M32): GET /contracts/:id/trail and its check GET /contracts/:id/trail/verify — for whoever may view the contract. */
export function contractTrailRoutes(deps: ApiDeps): RouteDef[] {
  const { store } = deps.services;
  return [
    route({
      method: 'get',
      path: '/contracts/:id/trail',
      access: 'user',
      // A page of events by seq (keyset on the unique (contract_id, seq) index): the work per request is bounded however long the trail.
      async handler(ctx) {
        const q = pageQuery.safeParse({ after: ctx.req.query.after ?? undefined, limit: ctx.req.query.limit ?? undefined });
        if (!q.success) throw invalid('BAD_PAGE', '分页参数不正确', 'Invalid paging parameters');
        const c = await load(ctx);
        const { after, limit } = q.data;
        const rows = await ctx.em.find(ContractEventSchema, { contractId: c.contract.id, seq: { $gt: after } }, { orderBy: { seq: 'asc' }, limit: limit + 1 });
        const items = rows.slice(0, limit);
        return { items: items.map(trailEntryView), nextAfter: rows.length > limit ? items.at(-1)!.seq : null } satisfies TrailPageView;
      },
    }),
    route({
      method: 'get',
      path: '/contracts/:id/trail/verify',
      access: 'user',
      // Hashes every event and the stored document (in pages and chunks, yielding between them): one of the caller's heavy-request slots.
      heavy: true,
      async handler(ctx) {
        const c = await load(ctx);
        const result = await verifyContractTrail(ctx.em, c.contract.id, { store });
        if (!result) throw new Error(`Contract ${c.contract.id} vanished during verification`);
        // The broken event's label too: the portal may not have loaded the page that holds it.
        return trailCheckView(result);
      },
    }),
  ];
}
