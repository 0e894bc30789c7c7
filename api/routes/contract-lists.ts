import { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';
import { z } from 'zod';
import { VISIBLE_CONTRACT_STATUSES, VOID_REASONS } from '../../domain/contracts/contract-status';
import { LIST_BOXES } from '../../domain/contracts/lists/contract-list-entry.entity';
import { parseDownloadIds, prepareDownload } from '../../domain/contracts/lists/download-contracts';
import { listEntryView, type BoxCountsView, type ListPageView } from '../../domain/contracts/lists/list-entry-view';
import { boxCounts, COUNT_CAP, listPage, type ListParty } from '../../domain/contracts/lists/list-page';
import { invalid } from '../../domain/errors';
import type { ApiDeps } from '../deps';
import { instantParam } from '../http/date-params';
import { route, type AuthedContext, type RouteDef } from '../http/route';

const listQuery = z.object({
  box: z.enum(LIST_BOXES).default('todo'),
  q: z.string().trim().max(100).optional(),
  status: z.enum(VISIBLE_CONTRACT_STATUSES).optional(),
  voidReason: z.enum(VOID_REASONS).optional(),
  initiator: z.string().trim().max(100).optional(),
  from: instantParam.optional(),
  to: instantParam.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** The acting enterprise's lists when acting as one (切换至企业), else the user's. */
export const listPartyOf = (ctx: AuthedContext): ListParty => (ctx.acting ? { type: 'enterprise', id: ctx.acting.enterprise.id } : { type: 'user', id: ctx.user.id });

const chinaDay = (d: Date) => new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');

/** The portal's contract lists (M22) and 批量下载. */
export function contractListRoutes(deps: ApiDeps): RouteDef[] {
  const { store } = deps.services;
  return [
    route({
      method: 'get',
      path: '/contracts',
      access: 'user',
      async handler(ctx) {
        const parsed = listQuery.safeParse(ctx.req.query);
        if (!parsed.success) throw invalid('BAD_LIST_QUERY', '列表查询参数不正确', 'Invalid list query', { issues: parsed.error.issues.map((i) => i.path.join('.')) });
        const party = listPartyOf(ctx);
        const { rows, nextCursor } = await listPage(ctx.em, party, parsed.data);
        return { items: rows.map((r) => listEntryView(r, party)), nextCursor } satisfies ListPageView;
      },
    }),
    route({
      method: 'get',
      path: '/contracts/counts',
      access: 'user',
      async handler(ctx) {
        return { ...(await boxCounts(ctx.em, listPartyOf(ctx), LIST_BOXES)), cap: COUNT_CAP } satisfies BoxCountsView;
      },
    }),
    route({
      method: 'post',
      path: '/contracts/download',
      access: 'user',
      async handler(ctx) {
        const ids = parseDownloadIds(ctx.req.body);
        const files = await prepareDownload(ctx.em, listPartyOf(ctx), { id: ctx.user.id, name: ctx.user.name, ip: ctx.ip }, ids);
        const res = ctx.res;
        const zipName = encodeURIComponent(`合同-${chinaDay(new Date())}.zip`);
        res.setHeader('Content-Type', 'application/zip');
        res.setHeader('Content-Disposition', `attachment; filename="contracts.zip"; filename*=UTF-8''${zipName}`);
        res.setHeader('Cache-Control', 'private, no-store');
        // PDFs are compressed already: store them. Each file is read only when its entry is written.
        const zip = new ZipArchive({ zlib: { level: 0 } });
        await new Promise<void>((resolve) => {
          zip.on('error', (err) => {
            res.destroy(err);
            resolve();
          });
          res.on('close', () => {
            if (!res.writableFinished) zip.abort();
            resolve();
          });
          zip.pipe(res);
          for (const f of files) {
            zip.append(
              Readable.from(
                (async function* () {
                  yield Buffer.from(await store.get(f.storageKey));
                })(),
              ),
              { name: f.name, store: true },
            );
          }
          void zip.finalize().catch(() => undefined);
        });
        return undefined;
      },
    }),
  ];
}
