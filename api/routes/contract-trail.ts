import { loadContractForViewer } from '../../domain/contracts/contract-access';
import { ContractEventSchema, type ContractEvent } from '../../domain/contracts/trail/contract-event.entity';
import { describeContractEvent } from '../../domain/contracts/trail/contract-event-types';
import { verifyContractTrail } from '../../domain/contracts/trail/verify-contract-trail';
import type { ApiDeps } from '../deps';
import { route, type AuthedContext, type RouteDef } from '../http/route';

const idParam = (ctx: AuthedContext) => String(ctx.req.params.id);
/** Initiator, participants, CC, and members acting as a participant or the initiating enterprise (切换至企业). */
const load = (ctx: AuthedContext) => loadContractForViewer(ctx.em, idParam(ctx), { userId: ctx.user.id, actingEnterpriseId: ctx.acting?.enterprise.id ?? null });

/**
 * One row of the 签署轨迹 as the portal shows it (oldest first). Without the chain hash: it covers each actor's
 * address, which viewers are not shown, and with the other fields they can read (here and in the contract's
 * audit list) an IPv4 address is found by trying them all against it. Viewers get the chain's check from
 * /trail/verify instead.
 */
export function presentTrailEvent(e: ContractEvent) {
  let payload: unknown = null;
  try {
    payload = JSON.parse(e.payload);
  } catch {
    // A hand-edited row: shown without a summary; the verification names it.
  }
  const d = describeContractEvent(e.type, payload);
  return { seq: e.seq, type: e.type, label: d.label, labelEn: d.labelEn, at: e.at.toISOString(), actorName: e.actorName, summary: d.summary, summaryEn: d.summaryEn, documentSha256: e.documentSha256 };
}

/** 签署轨迹 (M32): GET /contracts/:id/trail and its check GET /contracts/:id/trail/verify — for whoever may view the contract. */
export function contractTrailRoutes(deps: ApiDeps): RouteDef[] {
  const { store } = deps.services;
  return [
    route({
      method: 'get',
      path: '/contracts/:id/trail',
      access: 'user',
      async handler(ctx) {
        const c = await load(ctx);
        const events = await ctx.em.find(ContractEventSchema, { contractId: c.contract.id }, { orderBy: { seq: 'asc' } });
        return events.map(presentTrailEvent);
      },
    }),
    route({
      method: 'get',
      path: '/contracts/:id/trail/verify',
      access: 'user',
      async handler(ctx) {
        const c = await load(ctx);
        const result = await verifyContractTrail(ctx.em, c.contract.id, { store });
        if (!result) throw new Error(`Contract ${c.contract.id} vanished during verification`);
        const b = result.brokenAt;
        return { ...result, brokenAt: b ? { seq: b.seq, type: b.type, at: b.at?.toISOString() ?? null, reason: b.reason } : null };
      },
    }),
  ];
}
