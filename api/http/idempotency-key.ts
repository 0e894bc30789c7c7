import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { IDEMPOTENCY_KEY_PATTERN } from '../../domain/contracts/idempotency-key.entity';
import { invalid } from '../../domain/errors';
import type { ApiDeps } from '../deps';
import type { AuthedContext } from './route';
import { sendRepeatableUpdate, sendUpdate } from './update-failure';

/** The optional `Idempotency-Key` header of a request (1–100 visible ASCII characters; anything else is a 400). */
export function idempotencyKey(ctx: AuthedContext): string | undefined {
  const raw = ctx.req.get('idempotency-key');
  if (raw === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(raw)) throw invalid('BAD_IDEMPOTENCY_KEY', 'Idempotency-Key 须为 1–100 个可见 ASCII 字符', 'Idempotency-Key must be 1–100 visible ASCII characters');
  return raw;
}

/**
 * Sends the workflow Update a request makes to decide something (拒签, 撤销). The run keeps an Update's outcome
 * for its id and answers it to every later Update with that id (a refusal decided on the actor's rights at that
 * moment), so an id is shared only by requests that ask to be the same one: the same user's retries with the
 * same Idempotency-Key, which attach to the first and get its outcome, except a kept 503, after which the retry
 * is carried out anew (sendRepeatableUpdate). Without a key every request is an Update of its own.
 */
export function sendDecisionUpdate<Ret, Args extends unknown[]>(
  deps: Pick<ApiDeps, 'temporal' | 'services'>,
  ctx: AuthedContext,
  handle: WorkflowHandle,
  update: UpdateDefinition<Ret, Args>,
  scope: string,
  args: Args,
): Promise<Ret> {
  const key = idempotencyKey(ctx);
  if (key === undefined) return sendUpdate(deps, handle, update, { args, updateId: `${scope}:${ctx.user.id}:${randomUUID()}` });
  return sendRepeatableUpdate(deps, handle, update, { args, updateId: `${scope}:${ctx.user.id}:${key}` });
}
