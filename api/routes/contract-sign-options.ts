/**
 * What the acting participant may stamp before signing (GET /contracts/:id/sign-options) and the
 * images of the seals it offers. Only the participant's actor (acting-participant.ts: whose turn,
 * who may act) gets them; seal images only of the seals the options list.
 */
import { z } from 'zod';
import { actingParticipant } from '../../domain/contracts/acting-participant';
import { loadContractForViewer } from '../../domain/contracts/contract-access';
import { participantSeal, signOptions } from '../../domain/contracts/sign-options';
import { readSealImage } from '../../domain/seals/seal-image';
import type { ApiDeps } from '../deps';
import { route, type AuthedContext, type RouteDef } from '../http/route';
import { viewerOf } from './contract-presenter';

const query = z.object({ participantId: z.string().min(1).max(36).optional() });
const idParam = (ctx: AuthedContext) => String(ctx.req.params.id);

export function contractSignOptionRoutes(deps: ApiDeps): RouteDef[] {
  const { store } = deps.services;
  return [
    route({
      method: 'get',
      path: '/contracts/:id/sign-options',
      access: 'user',
      async handler(ctx) {
        const { participantId } = query.parse(ctx.req.query);
        const viewer = viewerOf(ctx);
        const c = await loadContractForViewer(ctx.em, idParam(ctx), viewer);
        const participant = await actingParticipant(ctx.em, c, viewer, participantId, 'sign');
        return signOptions(ctx.em, c, participant, ctx.user.id);
      },
    }),
    route({
      method: 'get',
      path: '/contracts/:id/seals/:sealId/image',
      access: 'user',
      async handler(ctx) {
        const { participantId } = query.parse(ctx.req.query);
        const viewer = viewerOf(ctx);
        const c = await loadContractForViewer(ctx.em, idParam(ctx), viewer);
        const participant = await actingParticipant(ctx.em, c, viewer, participantId, 'sign');
        const seal = await participantSeal(ctx.em, participant, String(ctx.req.params.sealId), ctx.user.id);
        const { seal: ready, png } = await readSealImage(ctx.em, store, seal);
        ctx.res.setHeader('Content-Type', 'image/png');
        ctx.res.setHeader('Content-Disposition', 'inline');
        ctx.res.setHeader('Cache-Control', 'private, max-age=300');
        ctx.res.setHeader('ETag', `"${ready.imageSha256}"`);
        ctx.res.end(Buffer.from(png));
        return undefined;
      },
    }),
  ];
}
