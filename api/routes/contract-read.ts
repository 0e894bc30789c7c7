import { presentAuditEventForParticipant } from '../../domain/audit/audit-event-view';
import { AuditEventSchema } from '../../domain/audit/audit-event.entity';
import { loadContractForViewer } from '../../domain/contracts/contract-access';
import { DocumentVersionSchema } from '../../domain/contracts/document-version.entity';
import { recordContractAccess } from '../../domain/contracts/trail/record-access';
import type { ApiDeps } from '../deps';
import { actorOf, route, type AuthedContext, type RouteDef } from '../http/route';
import { presentContract, viewerOf } from './contract-presenter';

const idParam = (ctx: AuthedContext) => String(ctx.req.params.id);

/** Reading a contract: the view, the document, the old audit list. Access: loadContractForViewer (initiator, participants, CC, acting enterprise). */
export function contractReadRoutes(deps: ApiDeps): RouteDef[] {
  const { config, store } = deps.services;
  return [
    route({
      method: 'get',
      path: '/contracts/:id',
      access: 'user',
      async handler(ctx) {
        const viewer = viewerOf(ctx);
        const c = await loadContractForViewer(ctx.em, idParam(ctx), viewer);
        await recordContractAccess(ctx.em, actorOf(ctx), { contractId: c.contract.id, type: 'viewed', payload: {} });
        return presentContract(ctx.em, config, c, viewer);
      },
    }),
    route({
      method: 'get',
      path: '/contracts/:id/document',
      access: 'user',
      async handler(ctx) {
        const c = await loadContractForViewer(ctx.em, idParam(ctx), viewerOf(ctx));
        const version = await ctx.em.findOneOrFail(DocumentVersionSchema, { contractId: c.contract.id, version: c.contract.documentVersion });
        const bytes = await store.get(version.storageKey);
        const download = ctx.req.query.download === '1';
        if (download) {
          await recordContractAccess(ctx.em, actorOf(ctx), { contractId: c.contract.id, type: 'downloaded', payload: { documentVersion: version.version }, documentSha256: version.sha256 });
        }
        const name = encodeURIComponent(`${c.contract.title}.pdf`);
        ctx.res.setHeader('Content-Type', 'application/pdf');
        ctx.res.setHeader('Content-Disposition', `${download ? 'attachment' : 'inline'}; filename="contract.pdf"; filename*=UTF-8''${name}`);
        ctx.res.setHeader('Cache-Control', 'private, no-store');
        ctx.res.end(Buffer.from(bytes));
        return undefined;
      },
    }),
    route({
      method: 'get',
      path: '/contracts/:id/audit',
      access: 'user',
      async handler(ctx) {
        const c = await loadContractForViewer(ctx.em, idParam(ctx), viewerOf(ctx));
        const events = await ctx.em.find(AuditEventSchema, { targetType: 'contract', targetId: c.contract.id }, { orderBy: { at: 'asc' } });
        return events.map((e) => presentAuditEventForParticipant(e, ctx.user.id));
      },
    }),
  ];
}
